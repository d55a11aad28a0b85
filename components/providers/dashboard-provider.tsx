'use client';

import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import {
  browserStripStorage,
  createDashboardStore,
  type DashboardStore,
  readView,
  restoreStripOnce,
} from '@/lib/store';
import { ExplainService } from '@/lib/runtime';
import { createStoreContext } from './store-context';

const { Provider: StoreProvider, useSelector, useApi } = createStoreContext<DashboardStore>('DashboardProvider');
const ServiceContext = createContext<(() => ExplainService) | null>(null);

export function DashboardProvider({ children }: { children: ReactNode }) {
  const serviceRef = useRef<ExplainService | null>(null);
  const [getService] = useState(() => () => {
    serviceRef.current ??= new ExplainService();
    return serviceRef.current;
  });
  const [store] = useState(() => createDashboardStore({ service: getService }));

  useEffect(() => {
    const app = readView('app', window.location.search);
    void store.getState().init({ backend: app.backend ?? undefined, threads: app.threads ?? undefined });
    // The strip survives a reload in this tab (every view); on Explain a link's own strip comes first.
    const link = window.location.pathname === '/' ? readView('explain', window.location.search) : null;
    void restoreStripOnce(store, { strip: link?.strip ?? [], sample: link?.sample ?? null }, browserStripStorage());
    return () => {
      serviceRef.current?.terminate();
      serviceRef.current = null;
    };
  }, [store]);

  return (
    <ServiceContext.Provider value={getService}>
      <StoreProvider value={store}>{children}</StoreProvider>
    </ServiceContext.Provider>
  );
}

/** Atomic selector over the dashboard store. */
export const useDashboard = useSelector;
export const useDashboardApi = useApi;

/** The service getter: call it in effects and event handlers only (it starts the worker; never on the server). */
export function useExplainService(): () => ExplainService {
  const get = useContext(ServiceContext);
  if (!get) throw new Error('useExplainService must be used inside <DashboardProvider>');
  return get;
}
