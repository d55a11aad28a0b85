'use client';

import { createContext, useContext, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { createExplainViewStore, type ExplainViewStore } from '@/lib/explain-view';

const Ctx = createContext<StoreApi<ExplainViewStore> | null>(null);

/** Creates the Explain view's store once per mounted view. */
export function ExplainViewProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => createExplainViewStore());
  return <Ctx.Provider value={store}>{children}</Ctx.Provider>;
}

/** Atomic selector over the Explain view store. */
export function useExplainView<T>(selector: (s: ExplainViewStore) => T): T {
  const store = useContext(Ctx);
  if (!store) throw new Error('useExplainView must be used inside <ExplainViewProvider>');
  return useStore(store, selector);
}

export function useExplainViewApi(): StoreApi<ExplainViewStore> {
  const store = useContext(Ctx);
  if (!store) throw new Error('useExplainViewApi must be used inside <ExplainViewProvider>');
  return store;
}
