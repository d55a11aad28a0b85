'use client';

import { createContext, useContext, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { createCompareStore, type CompareStore } from '@/lib/store';
import { parseCompareQuery } from '@/lib/compare';

const CompareContext = createContext<StoreApi<CompareStore> | null>(null);

/** Creates the Compare view's store once, seeded from the URL query. */
export function CompareProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => createCompareStore(parseCompareQuery(window.location.search)));
  return <CompareContext.Provider value={store}>{children}</CompareContext.Provider>;
}

/** Atomic selector over the Compare store. */
export function useCompare<T>(selector: (s: CompareStore) => T): T {
  const store = useContext(CompareContext);
  if (!store) throw new Error('useCompare must be used inside <CompareProvider>');
  return useStore(store, selector);
}

export function useCompareApi(): StoreApi<CompareStore> {
  const store = useContext(CompareContext);
  if (!store) throw new Error('useCompareApi must be used inside <CompareProvider>');
  return store;
}
