/**
 * The corpus test (issue 12): every real model of lib/testing/corpus.ts is loaded through the real loader
 * (`loadModelFromFiles`, FileLike objects from disk) and every method of the registry runs on WASM and on
 * CPU. Each (model, method, backend) must give a finite, non-constant map, or be refused up front with a
 * named reason (the model refused at load with a `ModelError`, or the method not offered by
 * `compatibleMethods`). A constant map passes only with a reason verified on the model (`explainConstant`:
 * Grad-CAM without positive evidence at its layer, occlusion of a probability that cannot move); each is
 * printed. The input gradients of WASM and CPU must agree on every model.
 *
 * CI cost: small configurations (`ciConfig`) and, on the CPU backend, one method per adapter entry point
 * (CPU_CI_METHODS); the skipped combinations are printed and counted. `CORPUS_FULL=1` runs everything on
 * both backends; `CORPUS_COVERAGE_OUT=<file>` writes every result as JSON (scripts/corpus/coverage.mjs
 * turns it into the README's "Real models: coverage" table).
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { compatibleMethods, listMethods, runMethod } from '@/lib/explain/registry';
import type { ImageInput } from '@/lib/explain/types';
import { createGraphAdapter, createLayersAdapter } from '@/lib/models/adapter';
import { loadModelFromFiles } from '@/lib/models/load';
import { ModelError, type ModelInfo } from '@/lib/models/types';
import { isGraphModel } from '@/lib/models/validate';
import { switchBackend, type TestBackend } from '@/lib/testing/backends';
import { CORPUS, type CorpusEntry } from '@/lib/testing/corpus';

const FULL = process.env.CORPUS_FULL === '1';
const OUT = process.env.CORPUS_COVERAGE_OUT;

/** Models the loader refuses, and the words its reason must contain. */
const REFUSED_AT_LOAD: Readonly<Record<string, RegExp>> = {
  'human/gear': /has 3 outputs/,
  'human/faceres': /has 3 outputs/,
};

/**
 * On the CPU backend (tfjs' plain-JS kernels: 10–50× slower than WASM here) CI runs one method per
 * adapter entry point — saliency (`inputGradients`), Grad-CAM (`layerGradients`), RISE (`scores`) — which
 * is where the backends differ; the other methods only combine those calls. `CORPUS_FULL=1` runs all.
 */
const CPU_CI_METHODS = new Set(['saliency', 'grad-cam', 'rise']);
const CPU_CI_REASON = 'CI runs one method per adapter entry point on CPU (saliency, Grad-CAM, RISE)';

/** Small per-method configurations over each method's own `quickConfig` (sizes scale with the input). */
function ciConfig(id: string, h: number, backend: TestBackend): Record<string, unknown> {
  const cheap = backend === 'cpu' && !FULL;
  const win = Math.max(2, Math.ceil(h / (cheap ? 2 : 4)));
  switch (id) {
    case 'smoothgrad':
      return cheap ? { numSamples: 1, batchSize: 1 } : { numSamples: 2, batchSize: 2 };
    case 'integrated-gradients':
      return cheap ? { steps: 2, batchSize: 2 } : { steps: 4, batchSize: 4 };
    case 'occlusion':
      return { windowSize: win, stride: win, batchSize: 16 };
    case 'rise':
      return cheap ? { numMasks: 4, gridSize: 3, batchSize: 4 } : { numMasks: 16, gridSize: 4, batchSize: 16 };
    default:
      return {};
  }
}

/**
 * A deterministic, smooth, face-sized test picture: a few soft blobs on a vertical gradient (uniform noise
 * saturates some of these models, which then answer every occlusion with the same score), plus a small
 * per-pixel ripple, rescaled into [0.05, 0.95]. No flat (clamped) regions: equal pixels make near-ties in
 * max-pooling windows that the two backends' rounding breaks differently (both valid gradients).
 */
function testImage(h: number, w: number, c: number): ImageInput {
  const data = new Float32Array(h * w * c);
  const blobs = [
    { y: 0.4, x: 0.35, r: 0.12, v: 0.9 },
    { y: 0.4, x: 0.65, r: 0.12, v: 0.85 },
    { y: 0.7, x: 0.5, r: 0.18, v: 0.2 },
    { y: 0.5, x: 0.5, r: 0.4, v: 0.6 },
  ];
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++)
      for (let k = 0; k < c; k++) {
        let v = 0.25 + 0.3 * (i / h);
        for (const b of blobs) v += (b.v - v) * Math.exp(-(((i / h - b.y) ** 2 + (j / w - b.x) ** 2) / (2 * b.r * b.r)));
        data[(i * w + j) * c + k] = v * (1 - 0.08 * k) + 0.03 * Math.sin(i * 0.7 + j * 1.3 + k * 2.1) + 0.01 * Math.sin((i * 131 + j * 71 + k * 29) * 0.618);
      }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  for (let i = 0; i < data.length; i++) data[i] = 0.05 + (0.9 * ((data[i] as number) - lo)) / (hi - lo);
  return { width: w, height: h, channels: c, data };
}

export interface CoverageRow {
  model: string;
  description: string;
  format: string;
  origin: string;
  input?: string;
  outputs?: number;
  backend: TestBackend;
  /** One per method: ms, or the reason it did not run. */
  cells: Record<string, { ms?: number; reason?: string; note?: string }>;
  /** Set when the whole model was refused at load. */
  refused?: string;
}

const rows: CoverageRow[] = [];
const skipped: string[] = [];
const constants: string[] = [];

/**
 * Why a method's map may legitimately be constant, verified on the model; null when no reason holds.
 * - Grad-CAM: the map is ReLU(Σₖ αₖ Aₖ); it is all zero when that sum is ≤ 0 at every position (no positive
 *   evidence for the target at the layer). Recomputed here from the adapter's layer gradients.
 * - Occlusion: the occluded score (the target's probability; the value itself for regression) is the same
 *   on the image and on an all-black one (a saturated probability, or a value the picture does not move).
 */
function explainConstant(
  id: string,
  adapter: { layerGradients(x: tf.Tensor4D, l: string, t: number): { activations: tf.Tensor4D; grads: tf.Tensor4D }; probabilities(x: tf.Tensor4D): tf.Tensor2D },
  info: ModelInfo,
  img: ImageInput,
  target: number,
  value: number,
  extras: unknown,
): string | null {
  if (value !== 0) return null;
  const x = () => tf.tensor4d(img.data, [1, img.height, img.width, img.channels]);
  if (id === 'grad-cam') {
    const layer = (extras as { layer?: string } | undefined)?.layer ?? info.spatialLayers[info.spatialLayers.length - 1];
    if (!layer) return null;
    const maxRaw = tf.tidy(() => {
      const { activations, grads } = adapter.layerGradients(x(), layer, target);
      return tf.max(tf.sum(tf.mul(activations, tf.mean(grads, [1, 2], true)), 3)).dataSync()[0] as number;
    });
    return maxRaw <= 0 ? `all zero: no positive evidence for the target at layer ${layer} (max Σ αA = ${maxRaw.toPrecision(3)})` : null;
  }
  if (id === 'occlusion') {
    // Occlusion perturbs the target's probability (the value, for regression: what `probabilities` returns).
    const [a, b] = tf.tidy(() => [adapter.probabilities(x()).dataSync()[target] as number, adapter.probabilities(tf.zerosLike(x())).dataSync()[target] as number]);
    if (a !== b) return null;
    return `all zero: the occluded score is saturated (${a} on the image and on a black image)`;
  }
  return null;
}

afterAll(async () => {
  if (constants.length > 0) console.log(`corpus: ${constants.length} constant maps, each verified:\n  ${constants.join('\n  ')}`);
  if (skipped.length > 0) console.log(`corpus: ${skipped.length} combinations skipped for CI time (${CPU_CI_REASON}):\n  ${skipped.join('\n  ')}`);
  if (OUT) writeFileSync(OUT, JSON.stringify({ full: FULL, methods: listMethods().map((m) => m.id), rows }, null, 1));
  await switchBackend('cpu');
});

/** Index of the largest score (the predicted class), for a target with evidence for it. */
function topClass(adapter: { scores(x: tf.Tensor4D): tf.Tensor2D }, img: ImageInput): number {
  return tf.tidy(() => adapter.scores(tf.tensor4d(img.data, [1, img.height, img.width, img.channels])).argMax(1).dataSync()[0] as number);
}

async function runEntry(entry: CorpusEntry, backend: TestBackend): Promise<{ row: CoverageRow; grads?: Float32Array }> {
  await switchBackend(backend);
  const row: CoverageRow = { model: entry.id, description: entry.description, format: entry.format, origin: entry.origin, backend, cells: {} };
  const refusal = REFUSED_AT_LOAD[entry.id];
  let loaded;
  try {
    loaded = await loadModelFromFiles(await entry.files(), entry.card ? { card: entry.card, name: entry.id } : { name: entry.id });
  } catch (e) {
    if (refusal && e instanceof ModelError && refusal.test(e.message)) {
      row.refused = e.message;
      return { row };
    }
    throw e;
  }
  expect(refusal, `${entry.id} was expected to be refused at load`).toBeUndefined();
  const { model, info } = loaded as { model: tf.GraphModel | tf.LayersModel; info: ModelInfo };
  expect(info.format).toBe(entry.format);
  const adapter = isGraphModel(model) ? createGraphAdapter(model, info) : createLayersAdapter(model, info);
  const [h, w, c] = info.inputShape;
  row.input = `${h}×${w}×${c}`;
  row.outputs = info.numClasses;
  const img = testImage(h, w, c);
  const target = topClass(adapter, img);
  const offered = new Set(compatibleMethods(info).map((m) => m.id));
  const before = tf.memory().numTensors;
  for (const m of listMethods()) {
    if (!offered.has(m.id)) {
      // Refused up front: the registry does not offer it, and says why (its requirements).
      const reason = `not offered: needs ${m.requires.join(' + ')}`;
      expect(m.requires.length).toBeGreaterThan(0);
      row.cells[m.id] = { reason };
      continue;
    }
    if (backend === 'cpu' && !FULL && !CPU_CI_METHODS.has(m.id)) {
      skipped.push(`${entry.id} × ${m.id} × cpu`);
      row.cells[m.id] = { reason: 'skipped in CI' };
      continue;
    }
    const t0 = performance.now();
    const a = await runMethod(m.id, adapter, img, target, { ...m.quickConfig, ...ciConfig(m.id, h, backend) });
    const ms = performance.now() - t0;
    expect(a.values.length, `${entry.id} × ${m.id}`).toBe(h * w);
    let lo = Infinity;
    let hi = -Infinity;
    let bad = 0;
    for (const v of a.values) {
      if (!Number.isFinite(v)) bad++;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(bad, `${entry.id} × ${m.id} on ${backend}: non-finite values`).toBe(0);
    if (hi > lo) {
      row.cells[m.id] = { ms };
    } else {
      // A constant map is accepted only where it is the right answer, checked independently here.
      const why = explainConstant(m.id, adapter, info, img, target, lo, a.extras);
      expect(why, `${entry.id} × ${m.id} on ${backend}: constant map (${lo}) without a verified reason`).not.toBeNull();
      constants.push(`${entry.id} × ${m.id} × ${backend}: ${why}`);
      row.cells[m.id] = { ms, note: why as string };
    }
    console.log(`corpus: ${entry.id} × ${m.id} × ${backend}: ${ms.toFixed(0)} ms`);
  }
  const grads = tf.tidy(() => adapter.inputGradients(tf.tensor4d(img.data, [1, h, w, c]), target).grads.dataSync() as Float32Array);
  expect(tf.memory().numTensors, `${entry.id}: tensors leaked by the methods on ${backend}`).toBe(before);
  adapter.dispose();
  return { row, grads };
}

describe('real-model corpus: every method on WASM and CPU', () => {
  it('has at least 8 real npm-shipped models, the bundled ones and layers models built with residual, depthwise, separable and SE blocks', () => {
    expect(CORPUS.filter((e) => e.origin === 'npm' && !(e.id in REFUSED_AT_LOAD)).length).toBeGreaterThanOrEqual(8);
    expect(CORPUS.filter((e) => e.origin === 'bundled').length).toBeGreaterThanOrEqual(1);
    expect(CORPUS.filter((e) => e.origin === 'built').map((e) => e.id)).toEqual(['built/residual', 'built/mobilenetv2-like', 'built/separable-se']);
  });

  it.each(CORPUS.map((e) => [e.id, e] as const))('%s', async (_id, entry) => {
    const wasm = await runEntry(entry, 'wasm');
    const cpu = await runEntry(entry, 'cpu');
    rows.push(wasm.row, cpu.row);
    if (wasm.grads && cpu.grads) {
      // The same input gradient on both backends (the WASM path runs our gradients; CPU mostly tfjs' own).
      let diff = 0;
      let scale = 0;
      for (let i = 0; i < cpu.grads.length; i++) {
        diff = Math.max(diff, Math.abs((wasm.grads[i] as number) - (cpu.grads[i] as number)));
        scale = Math.max(scale, Math.abs(cpu.grads[i] as number));
      }
      expect(scale, `${entry.id}: zero input gradient`).toBeGreaterThan(0);
      // Float32 rounding (XNNPACK vs plain-JS summation order) is ~1e-6 relative for a well-scaled gradient.
      // A saturated output (human/gender-ssrnet-imdb: |∇| ≈ 1e-10) leaves only rounding residue, so there
      // both must be ≈ 0 in absolute terms (|Δ| < 1e-9 for pixels in [0, 1]).
      if (scale >= 1e-6) {
        expect(diff / scale, `${entry.id}: WASM vs CPU input gradient (max |∇| ${scale.toExponential(2)})`).toBeLessThan(1e-3);
      } else {
        console.log(`corpus: ${entry.id}: input gradient only ${scale.toExponential(2)} (saturated output); WASM vs CPU |Δ| = ${diff.toExponential(2)}`);
        expect(diff, `${entry.id}: WASM vs CPU input gradient of a saturated output`).toBeLessThan(1e-9);
      }
    }
  }, 600_000);
});
