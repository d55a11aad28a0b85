'use client';

import { useState, type ReactNode } from 'react';
import { createCompareStore, type CompareStore } from '@/lib/store';
import { parseCompareQuery } from '@/lib/compare';
import { createStoreContext } from '@/components/providers/store-context';

const { Provider, useSelector, useApi } = createStoreContext<CompareStore>('CompareProvider');

/** Creates the Compare view's store once, seeded from the URL query. */
export function CompareProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => createCompareStore(parseCompareQuery(window.location.search)));
  return <Provider value={store}>{children}</Provider>;
}

/** Atomic selector over the Compare store. */
export const useCompare = useSelector;
export const useCompareApi = useApi;
