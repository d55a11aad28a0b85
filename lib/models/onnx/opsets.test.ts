/**
 * Opsets 10–18: the ops whose form changed between opsets (attribute → input, new inputs and attributes)
 * in each of their forms, from hand-built graphs with references computed by numpy / torch.nn.functional
 * (scripts/corpus/make_onnx_fixtures.py → __fixtures__/opset-variants.json), on every test backend, with
 * their input gradients finite and no leaks. The real torch exports at opset 11 and 17 are in the corpus
 * (parity.test.ts); this file checks that the corpus keeps them.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { switchBackend, TEST_BACKENDS } from '@/lib/testing/backends';
import type { FileLike } from '../load';
import { loadOnnxModel } from './load';
import { resizeMatrix } from './ops/pad-resize';
import { corpusManifest } from './test-corpus';

interface Variant {
  name: string;
  opset: number;
  ops: string[];
  onnx: string;
  output: number[];
}
const FIX = fileURLToPath(new URL('./__fixtures__/opset-variants.json', import.meta.url));
const fixture = JSON.parse(fs.readFileSync(FIX, 'utf8')) as { inputNCHW: number[]; shape: number[]; cases: Variant[] };
const [N, C, H, W] = fixture.shape as [number, number, number, number];

function asFile(v: Variant): FileLike {
  const bytes = Buffer.from(v.onnx, 'base64');
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { name: `${v.name}.onnx`, size: bytes.byteLength, arrayBuffer: async () => buf, text: async () => '' };
}

describe('opset variants: the fixture covers every changed form', () => {
  it('has the old and the new form of each op, opsets 10, 11, 13 and 18', () => {
    const byOp = (op: string) => new Set(fixture.cases.filter((c) => c.ops.includes(op)).map((c) => c.opset));
    expect([...byOp('Squeeze')].sort()).toEqual([11, 13]);
    expect([...byOp('Unsqueeze')].sort()).toEqual([11, 13]);
    expect([...byOp('ReduceSum')].sort()).toEqual([11, 13]);
    expect([...byOp('ReduceMean')]).toContain(18);
    expect([...byOp('Split')].sort((p, q) => p - q)).toEqual([11, 13, 18]);
    expect([...byOp('Pad')].sort((p, q) => p - q)).toEqual([10, 11, 18]);
    expect([...byOp('Clip')].sort((p, q) => p - q)).toEqual([10, 11, 13]);
    expect([...byOp('Resize')].sort((p, q) => p - q)).toEqual([11, 13, 18]);
  });

  it('the torch corpus keeps real exports at opset 11 (the oldest we claim) and 17 (torch 1.13’s newest)', () => {
    const opsets = new Set(corpusManifest().models.map((m) => m.opset));
    for (const o of [11, 12, 13, 14, 15, 16, 17]) expect(opsets, `opset ${o}`).toContain(o);
  });
});

describe.each(TEST_BACKENDS)('opset variants on %s', (backend) => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s matches its reference, gradient finite, no leak (twice)', async (_n, v) => {
    await switchBackend(backend);
    for (let rep = 0; rep < 2; rep++) {
      const before = tf.memory().numTensors;
      const { adapter, opset } = await loadOnnxModel([asFile(v)]);
      try {
        expect(opset).toBe(v.opset);
        const { got, grad } = tf.tidy(() => {
          const x = tf.tensor4d(fixture.inputNCHW, [N, C, H, W]).transpose([0, 2, 3, 1]) as tf.Tensor4D;
          const y = adapter.runModelSpace(x);
          const g = tf.grad((xx: tf.Tensor) => tf.sum(adapter.runModelSpace(xx as tf.Tensor4D)))(x);
          return { got: y.dataSync().slice(), grad: g.dataSync().slice() };
        });
        expect(got.length).toBe(v.output.length);
        let worst = 0;
        got.forEach((g, i) => (worst = Math.max(worst, Math.abs(g - (v.output[i] as number)))));
        expect(worst, `${v.name}: max |ours − reference|`).toBeLessThan(1e-5);
        expect(grad.every(Number.isFinite)).toBe(true);
        expect(grad.some((g) => g !== 0)).toBe(true);
      } finally {
        adapter.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});

describe('resizeMatrix', () => {
  it('nearest asymmetric/floor ×2 repeats each source row; linear rows sum to 1 and interpolate', () => {
    expect(Array.from(resizeMatrix('nearest', 'asymmetric', 'floor', 2, 4, 2))).toEqual([1, 0, 1, 0, 0, 1, 0, 1]);
    const m = resizeMatrix('linear', 'align_corners', 'round_prefer_floor', 3, 5, 5 / 3);
    for (let o = 0; o < 5; o++) expect(m[o * 3]! + m[o * 3 + 1]! + m[o * 3 + 2]!).toBeCloseTo(1, 6);
    // align_corners: output 1 of 5 sits at source 0.5 → half of rows 0 and 1.
    expect([m[3], m[4], m[5]]).toEqual([0.5, 0.5, 0]);
  });
});
