// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { StoreApi } from 'zustand/vanilla';
import { methodChoices } from '@/lib/explain';
import type { ModelInfo } from '@/lib/models/types';
import type { ModelProbe } from '@/lib/runtime';
import type { DashboardStore } from '@/lib/store';
import { backendTestStore } from '@/components/layout/backend-test-store';
import { MethodPicker } from './method-picker';

let store: StoreApi<DashboardStore>;
vi.mock('@/components/providers/dashboard-provider', async () =>
  (await import('@/components/layout/backend-test-store')).dashboardMock(),
);

const info = { id: 'm', spatialLayers: ['conv'] } as unknown as ModelInfo;
const REASON =
  "The input gradient of this model needs the 'UnsortedSegmentSum' kernel, which the WASM backend does not have.";
const refused = { ok: false, reason: REASON, elsewhere: ['cpu' as const], ms: 3 };
const probe: Pick<ModelProbe, 'methods' | 'complete'> = {
  complete: true,
  methods: { saliency: refused, 'gradient-x-input': refused, 'grad-cam': { ok: true, elsewhere: [], ms: 2 } },
};

afterEach(cleanup);
let switched: string[];
beforeEach(() => {
  ({ store, switched } = backendTestStore());
  window.history.replaceState(null, '', '/explain?model=m');
});

describe('MethodPicker with the probe’s verdicts', () => {
  it('offers only runnable methods as radios; refused ones are aria-disabled with the reason as tooltip and text', () => {
    const onChange = vi.fn();
    render(<MethodPicker choices={methodChoices(info, probe)} value="grad-cam" onChange={onChange} />);
    const radios = screen.getAllByRole('radio').map((r) => r.getAttribute('data-testid'));
    expect(radios).not.toContain('explain.method.saliency');
    expect(radios).toContain('explain.method.grad-cam');
    expect(radios).toHaveLength(methodChoices(info, probe).length - 2);
    for (const id of ['saliency', 'gradient-x-input']) {
      const b = screen.getByTestId(`explain.method.${id}`);
      expect(b.getAttribute('aria-disabled')).toBe('true');
      expect(b.getAttribute('title')).toContain(REASON);
      const described = document.getElementById(b.getAttribute('aria-describedby') ?? '');
      expect(described?.textContent).toContain(REASON);
      fireEvent.click(b);
    }
    // One reason line for the two methods that share it.
    expect(screen.getAllByTestId('explain.methods.refused.reason')).toHaveLength(1);
    fireEvent.keyDown(window, { key: '1' }); // saliency's digit: refused
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.keyDown(window, { key: '3' }); // SmoothGrad
    expect(onChange).toHaveBeenCalledWith('smoothgrad');
  });

  it('"Run on CPU" switches the session’s backend, keeps ?backend= in step and picks the method', async () => {
    const onChange = vi.fn();
    render(<MethodPicker choices={methodChoices(info, probe)} value="grad-cam" onChange={onChange} />);
    const run = screen.getByTestId('explain.method.saliency.run-on');
    expect(run.textContent).toBe('Run on CPU (for this session)');
    fireEvent.click(run);
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('saliency'));
    expect(switched).toEqual(['cpu']);
    expect(store.getState().backend?.backend).toBe('cpu');
    expect(new URL(window.location.href).searchParams.get('backend')).toBe('cpu');
    expect(new URL(window.location.href).searchParams.get('model')).toBe('m');
  });

  it('without a probe result every compatible method is offered', () => {
    render(<MethodPicker choices={methodChoices(info, null)} value="grad-cam" onChange={() => {}} />);
    expect(screen.getAllByRole('radio')).toHaveLength(methodChoices(info, null).length);
    expect(screen.queryByTestId('explain.methods.refused')).toBeNull();
  });
});
