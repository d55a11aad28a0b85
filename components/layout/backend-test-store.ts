/**
 * Test-only: a dashboard store over a fake worker whose `switchBackend` succeeds (recording the names) and
 * whose probe fails (nothing to probe), on WASM with WASM and CPU available, at `/explain`; and the
 * dashboard provider's hooks over the latest such store, for the component tests of the backend menu and
 * the method picker:
 *   vi.mock('@/components/providers/dashboard-provider', async () => (await import('…/backend-test-store')).dashboardMock());
 */
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { WorkerApi } from '@/lib/runtime';
import type { DashboardStore } from '@/lib/store';
// eslint-disable-next-line no-restricted-imports -- a test-only helper: it builds on the store's test helpers
import { fakeApi, makeStore } from '@/lib/store/test-helpers';

let current: StoreApi<DashboardStore> | null = null;

/** The provider module's hooks, reading the store of the latest `backendTestStore()`. */
export function dashboardMock() {
  const get = () => {
    if (!current) throw new Error('call backendTestStore() before rendering');
    return current;
  };
  return {
    useDashboard: <T>(sel: (s: DashboardStore) => T) => useStore(get(), sel),
    useDashboardApi: () => get(),
  };
}

export function backendTestStore(overrides: Partial<Record<keyof WorkerApi, (...args: never[]) => unknown>> = {}): {
  store: StoreApi<DashboardStore>;
  switched: string[];
} {
  const switched: string[] = [];
  const { api } = fakeApi({
    switchBackend: async (name: 'cpu') => {
      switched.push(name);
      return { backend: name, reason: 'chosen in the backend menu' };
    },
    probe: async () => {
      throw new Error('not probed in this test');
    },
    ...overrides,
  });
  const store = makeStore(api);
  store.setState({
    backend: { backend: 'wasm', reason: 'WebGL is not available in this browser', available: ['wasm', 'cpu'] },
  });
  window.history.replaceState(null, '', '/explain');
  current = store;
  return { store, switched };
}
