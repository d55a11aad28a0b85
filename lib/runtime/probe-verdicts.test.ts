import { describe, expect, it } from 'vitest';
import { describeFailure, verdictsFor } from './probe-verdicts';
import type { CapabilityCheck } from './probe-types';

const has = (table: Record<string, string[]>) => (k: string, b: string) => table[b]?.includes(k) ?? false;

describe('describeFailure', () => {
  it('names a kernel the backend lacks (tfjs or adapter wording) and the other backends that have it', () => {
    const lookup = has({ cpu: ['UnsortedSegmentSum'], webgl: ['UnsortedSegmentSum'], wasm: [] });
    const raw = new Error("Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'");
    expect(describeFailure(raw, 'inputGradients', 'wasm', ['wasm', 'cpu'], lookup)).toEqual({
      reason:
        "The input gradient of this model needs the 'UnsortedSegmentSum' kernel, which the WASM backend does not have.",
      elsewhere: ['cpu'],
    });
    const adapter = new Error(
      "The input gradient of this model needs the 'Conv2DBackpropFilter' kernel, which the 'wasm' backend does not have. Switch…",
    );
    const d = describeFailure(
      adapter,
      'layerGradients',
      'wasm',
      ['wasm', 'cpu', 'webgl'],
      has({ webgl: ['Conv2DBackpropFilter'] }),
    );
    expect(d.reason).toBe(
      "The gradient at its last spatial layer needs the 'Conv2DBackpropFilter' kernel, which the WASM backend does not have.",
    );
    expect(d.elsewhere).toEqual(['webgl']);
  });

  it('an op without a gradient has no way out; anything else keeps its first sentence', () => {
    const e = new Error('Cannot compute gradient: gradient function not found for Cumprod.');
    expect(describeFailure(e, 'inputGradients', 'cpu', ['wasm', 'cpu'], () => true)).toEqual({
      reason:
        "The input gradient of this model needs the gradient of the 'Cumprod' op, which TensorFlow.js does not have (on any backend).",
      elsewhere: [],
    });
    expect(describeFailure(new Error('Out of memory. Try again.'), 'logitsOnly', 'webgl', [], () => true)).toEqual({
      reason: 'A forward pass of this model failed on the WebGL backend: Out of memory.',
      elsewhere: [],
    });
  });
});

describe('verdictsFor', () => {
  const ok: CapabilityCheck = { ok: true, ms: 2, elsewhere: [] };
  const bad = (elsewhere: ('cpu' | 'webgl')[]): CapabilityCheck => ({ ok: false, ms: 5, reason: 'no', elsewhere });
  const metas = [
    { id: 'saliency', requires: ['inputGradients'] },
    { id: 'grad-cam', requires: ['layerGradients'] },
    { id: 'occlusion', requires: [] },
  ] as const;

  it('follows requires; a method whose check has not run gets no verdict; ms sums the checks', () => {
    const v = verdictsFor(metas, { logitsOnly: ok, layerGradients: bad(['cpu', 'webgl']) });
    expect(Object.keys(v).sort()).toEqual(['grad-cam', 'occlusion']);
    expect(v.occlusion).toEqual({ ok: true, elsewhere: [], ms: 2 });
    expect(v['grad-cam']).toEqual({ ok: false, reason: 'no', elsewhere: ['cpu', 'webgl'], ms: 7 });
  });

  it('a failed forward pass refuses every method with its own reason', () => {
    const v = verdictsFor(metas, { logitsOnly: bad(['cpu']) });
    expect(Object.values(v).map((x) => [x.ok, x.reason, x.elsewhere])).toEqual([
      [false, 'no', ['cpu']],
      [false, 'no', ['cpu']],
      [false, 'no', ['cpu']],
    ]);
  });
});
