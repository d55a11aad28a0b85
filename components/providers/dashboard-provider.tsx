'use client';

import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { createDashboardStore, type DashboardStore, readView } from '@/lib/store';
import { ExplainService } from '@/lib/runtime';

const StoreContext = createContext<StoreApi<DashboardStore> | null>(null);
const ServiceContext = createContext<(() => ExplainService) | null>(null);

export function DashboardProvider({ children }: { children: ReactNode }) {
  const serviceRef = useRef<ExplainService | null>(null);
  const [getService] = useState(() => () => {
    serviceRef.current ??= new ExplainService();
    return serviceRef.current;
  });
  const [store] = useState(() => createDashboardStore({ service: getService }));

  useEffect(() => {
    const backend = readView('app', window.location.search).backend ?? undefined;
    void store.getState().init({ backend });
    return () => {
      serviceRef.current?.terminate();
      serviceRef.current = null;
    };
  }, [store]);

  return (
    <ServiceContext.Provider value={getService}>
      <StoreContext.Provider value={store}>{children}</StoreContext.Provider>
    </ServiceContext.Provider>
  );
}

/** Atomic selector over the dashboard store. */
export function useDashboard<T>(selector: (s: DashboardStore) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useDashboard must be used inside <DashboardProvider>');
  return useStore(store, selector);
}

export function useDashboardApi(): StoreApi<DashboardStore> {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useDashboardApi must be used inside <DashboardProvider>');
  return store;
}

/** The service getter: call it in effects and event handlers only (it starts the worker; never on the server). */
export function useExplainService(): () => ExplainService {
  const get = useContext(ServiceContext);
  if (!get) throw new Error('useExplainService must be used inside <DashboardProvider>');
  return get;
}
