'use client';

import { useState, type ReactNode } from 'react';
import { createExplainViewStore, type ExplainViewStore } from '@/lib/explain-view';
import { createStoreContext } from '@/components/providers/store-context';

const { Provider, useSelector, useApi } = createStoreContext<ExplainViewStore>('ExplainViewProvider');

/** Creates the Explain view's store once per mounted view. */
export function ExplainViewProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => createExplainViewStore());
  return <Provider value={store}>{children}</Provider>;
}

/** Atomic selector over the Explain view store. */
export const useExplainView = useSelector;
export const useExplainViewApi = useApi;
