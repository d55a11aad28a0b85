// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderHook } from '@testing-library/react';
import { predictionKey } from '@/lib/store';
import { useSlotBlock } from './use-slot-state';

/** The dashboard and Compare state the hook reads: A and B loaded, one image selected. */
let dash: Record<string, unknown>;
const compare = {
  method: 'saliency',
  slots: {
    a: { modelId: 'a', explanation: { key: null, status: 'idle' } },
    b: { modelId: 'b', explanation: { key: null, status: 'idle' } },
  },
};
vi.mock('@/components/providers/dashboard-provider', () => ({
  useDashboard: <T,>(sel: (s: unknown) => T) => sel(dash),
}));
vi.mock('./compare-context', () => ({ useCompare: <T,>(sel: (s: unknown) => T) => sel(compare) }));
vi.mock('./use-slot-request', () => ({
  useSlotRequest: (_slot: string, target: number | null) => (target === null ? null : { key: `k${target}` }),
}));

const info = { labels: ['cat', 'dog'], numClasses: 2, spatialLayers: ['conv'], outputKind: 'softmax' };
beforeEach(() => {
  dash = {
    resize: null,
    selectedImageId: 'img',
    probes: {},
    predictions: {},
    models: { a: { status: 'ready', info }, b: { status: 'ready', info } },
  };
});

describe('useSlotBlock (why a Compare side shows no map)', () => {
  it('a side whose prediction failed says so instead of waiting for both explanations', () => {
    dash.predictions = { [predictionKey('a', 'img', null)]: { status: 'error', error: 'out of memory' } };
    const { result } = renderHook(() => useSlotBlock('a', null, null));
    expect(result.current).toBe('A could not predict this image: out of memory.');
  });

  it('while the prediction is on its way there is nothing to say yet', () => {
    dash.predictions = { [predictionKey('a', 'img', null)]: { status: 'loading' } };
    expect(renderHook(() => useSlotBlock('a', null, null)).result.current).toBeNull();
  });

  it('B has no class of A’s name: named', () => {
    dash.models = {
      a: { status: 'ready', info },
      b: { status: 'ready', info: { ...info, labels: ['car', 'bus'] } },
    };
    expect(renderHook(() => useSlotBlock('b', null, 1)).result.current).toBe('B has no class named “dog”.');
  });
});
