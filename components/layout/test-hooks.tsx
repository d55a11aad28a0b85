'use client';

import { useEffect } from 'react';
import { useDashboardApi, useExplainService } from '@/components/providers/dashboard-provider';
import { readExplainProbe } from '@/lib/explain-view';

/**
 * A test-only window API (built only when NEXT_PUBLIC_TEST_HOOKS=1, as the e2e build does) so Playwright
 * can assert numbers — backend, live tensor count, store state — instead of pixels.
 */
export function TestHooks() {
  const store = useDashboardApi();
  const service = useExplainService();
  useEffect(() => {
    if (process.env.NEXT_PUBLIC_TEST_HOOKS !== '1') return;
    const w = window as unknown as { __why?: unknown };
    w.__why = {
      backend: () => store.getState().backend?.backend ?? null,
      memory: () => service().api.memory(),
      /** Loses the worker's WebGL context as a GPU reset would (false when not on WebGL). */
      loseContext: (opts?: { webglComesBack?: boolean }) => service().api.loseContextForTest(opts),
      state: () => {
        const s = store.getState();
        return {
          selectedModelId: s.selectedModelId,
          selectedImageId: s.selectedImageId,
          models: Object.values(s.models).map((m) => ({ id: m.id, name: m.name, status: m.status, source: m.source })),
          images: s.images.map((i) => ({ id: i.id, name: i.name })),
        };
      },
      /** The Explain view's current attribution, grid and batch (statistics, not pixels); null elsewhere. */
      explain: () => readExplainProbe(),
    };
    return () => {
      delete w.__why;
    };
  }, [store, service]);
  return null;
}
