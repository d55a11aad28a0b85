// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { StoreApi } from 'zustand/vanilla';
import type { DashboardStore } from '@/lib/store';
import { fakeInfo } from '@/lib/store/test-helpers';
import { backendTestStore } from './backend-test-store';
import { BackendBadge } from './backend-badge';

let store: StoreApi<DashboardStore>;
vi.mock('@/components/providers/dashboard-provider', async () =>
  (await import('./backend-test-store')).dashboardMock(),
);

afterEach(cleanup);
let switched: string[];
beforeEach(() => {
  ({ store, switched } = backendTestStore({
    backendSpeeds: async () => [
      { backend: 'wasm', ms: 12.4 },
      { backend: 'cpu', ms: 250 },
    ],
  }));
  store.setState({
    models: { m: { id: 'm', name: 'Tiny', source: 'user', status: 'ready', info: fakeInfo('m') } },
    selectedModelId: 'm',
    probes: {
      m: {
        status: 'done',
        probe: {
          modelId: 'm',
          backend: 'wasm',
          checks: {},
          methods: {},
          forwardMs: 8,
          totalMs: 30,
          complete: true,
          target: 0,
          outputMoves: true,
        },
      },
    },
  });
});

describe('BackendBadge', () => {
  it('is a menu button; the menu lists each backend as a menuitemradio with its speed; keys move and close', async () => {
    render(<BackendBadge />);
    const badge = screen.getByTestId('backend.badge');
    expect(badge.getAttribute('aria-haspopup')).toBe('menu');
    expect(badge.textContent).toContain('Backend: WASM');
    fireEvent.keyDown(badge, { key: 'ArrowDown' });
    const menu = await screen.findByRole('menu');
    const items = screen.getAllByRole('menuitemradio');
    expect(items.map((i) => [i.getAttribute('data-testid'), i.getAttribute('aria-checked')])).toEqual([
      ['backend.option.wasm', 'true'],
      ['backend.option.cpu', 'false'],
    ]);
    expect(document.activeElement).toBe(items[0]);
    expect(items[0]?.textContent).toContain('8 ms per image'); // the probe's forward pass
    expect(items[1]?.textContent).toContain('not measured');
    fireEvent.keyDown(items[0] as HTMLElement, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(items[1]);
    fireEvent.keyDown(items[1] as HTMLElement, { key: 'Escape' });
    expect(menu.isConnected).toBe(false);
    expect(document.activeElement).toBe(badge);
  });

  it('measures every backend on demand and switches on a click (URL kept in step)', async () => {
    render(<BackendBadge />);
    fireEvent.click(screen.getByTestId('backend.badge'));
    fireEvent.click(screen.getByTestId('backend.measure'));
    await waitFor(() => expect(screen.getByTestId('backend.option.cpu').textContent).toContain('250 ms per image'));
    expect(screen.getByTestId('backend.option.wasm').textContent).toContain('12 ms per image');
    fireEvent.click(screen.getByTestId('backend.option.cpu'));
    await waitFor(() => expect(screen.getByTestId('backend.badge').getAttribute('data-backend')).toBe('cpu'));
    expect(switched).toEqual(['cpu']);
    expect(new URL(window.location.href).searchParams.get('backend')).toBe('cpu');
    expect(screen.queryByRole('menu')).toBeNull();
  });
});
