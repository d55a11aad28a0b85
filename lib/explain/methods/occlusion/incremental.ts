/**
 * Exact incremental occlusion (Nakandala, Kumar & Papakonstantinou, "Incremental and Approximate Inference
 * for Faster Occlusion-based Deep CNN Explanations", SIGMOD 2019). An occluding patch changes only its
 * receptive field: the model runs once on the full image and keeps every activation map; per batch of patch
 * positions, each layer recomputes only the box of its map the patch can change (receptive-field.ts), reading
 * the rest of its input from the cached full-image maps, until the box stops being much smaller than the map
 * (or a layer is not spatial); from that layer on the rest of the network runs on full maps, built by pasting
 * the boxes into the cached maps. The probabilities equal plain occlusion's (same ops on the same values).
 *
 * How a layer's input patches are put together (receptive-field.ts): on WASM and CPU by copying row segments
 * on the CPU from the cached maps (read back once) and the recomputed boxes (read back when a later layer needs
 * them in another box: per-pixel layers and 1×1 convs take their input's box as it is) — their `gather` kernels
 * cost ~300 ns per element, more than the convolutions saved; on WebGL/WebGPU with one `gather` per layer from
 * [cached map; a padding row; the boxes], no read-backs. Sliding windows (Conv2D, DepthwiseConv2D,
 * SeparableConv2D, MaxPooling2D, valid AveragePooling2D) run with 'valid' padding on patches that carry their
 * padding (zeros; −∞ for max pooling); per-pixel layers (activations, BatchNorm, Add/Multiply/…, channel
 * Concatenate, Dropout and noise layers at inference) run on the union box of their inputs; ZeroPadding2D
 * shifts boxes.
 *
 * Only tfjs LayersModels (the adapter's layer plan, lib/models/layer-graph.ts) can run incrementally; graph
 * and ONNX models, models whose first layer cannot, and runs where it would save < 10 % of the multiply-adds
 * get an {@link IncrementalFallback} with the reason, and occlusion runs its plain path.
 *
 * The bound: layers whose box covers the map (deep layers, whose receptive field is the image) cost what they
 * cost in plain occlusion, so the speed-up is at most 1 ÷ `estimatedWork` (MobileNetV2 at 224: ≈ 0.55 for
 * 8–32 px patches, half its multiply-adds are in its 7×7 stage).
 *
 * Tensor ownership: the engine keeps the full image's activation maps (as tensors for 'gather', as CPU arrays
 * for 'copy') until `dispose()`; a batch disposes every tensor it made and returns only its probabilities.
 */
import * as tf from '@tensorflow/tfjs';
import { layerPlanAccess, normalizeTensor, type LayerPlanAccess } from '@/lib/models/adapter';
import { runPlan, runSteps, type LayerStep } from '@/lib/models/layer-graph';
import { probabilitiesTensor } from '@/lib/models/output-kind-tf';
import { take } from '../../common';
import type { ImageInput, ModelAdapter } from '../../types';
import type { OcclusionPath } from './meta';
import {
  copyPatches,
  leadingPad,
  patchIndices,
  propagateBoxes,
  readInterval,
  sameBoxes,
  type AxisGeometry,
  type BatchBox,
  type GeometryNode,
  type SpatialOp,
} from './receptive-field';

/**
 * A layer stops running on boxes when its box covers more than this fraction of its map (from there on the
 * network runs on full maps). Not finely tuned: beyond it a layer's patch (box + halo) is most of its map and little is
 * saved; on MobileNetV2 at 224 with 32/16 patches the estimated work is 57 % at 0.6 and 53 % at 0.8.
 */
export const MAX_BOX_FRACTION = 0.6;
/** Plain occlusion runs instead when the incremental path would still do more than this fraction of its work. */
export const MAX_WORK_FRACTION = 0.9;

/**
 * Tuning (tests and the benchmark): `maxBoxFraction` (default {@link MAX_BOX_FRACTION}); `assembly`, how a
 * layer's input patches are put together: 'copy' (CPU copies of row segments from the cached maps read back
 * once, and of each recomputed box; the default on WASM and CPU, whose gather kernels cost ~300 ns per element)
 * or 'gather' (one tf.gather per layer, no read-backs; the default on WebGL and WebGPU).
 */
export interface IncrementalOptions {
  maxBoxFraction?: number;
  assembly?: 'copy' | 'gather';
}

/** The windows of one batch: top-left corners of the patches (all patches are patchH × patchW). */
export interface WindowBatch {
  rows: readonly number[];
  cols: readonly number[];
}

/** Scores batches of patched images; `reference` = P(· | unoccluded image). Dispose when done. */
export interface WindowScorer {
  readonly reference: Float32Array;
  readonly path: OcclusionPath;
  /** Probabilities [n × K] (row-major) of the images with the batch's patches filled from the fill image. */
  score(batch: WindowBatch): Promise<Float32Array>;
  dispose(): void;
}

/** Why the incremental path cannot run, and the reference probabilities when it already computed them. */
export interface IncrementalFallback {
  reason: string;
  reference?: Float32Array;
}

/** The occlusion geometry both paths share. `fill`: the fill image (HWC, like input.data). */
export interface OcclusionSetup {
  input: ImageInput;
  fill: Float32Array;
  patchH: number;
  patchW: number;
  /** Every window of the run (decides where the incremental path switches to full maps). */
  all: WindowBatch;
}

/** Copies the batch's patches of `fill` into one [n, patchH, patchW, C] array. */
export function fillPatches(setup: OcclusionSetup, batch: WindowBatch): Float32Array {
  const { input, fill, patchH, patchW } = setup;
  const { width: W, channels: C } = input;
  const n = batch.rows.length;
  const out = new Float32Array(n * patchH * patchW * C);
  for (let b = 0; b < n; b++) {
    const y0 = batch.rows[b] as number;
    const x0 = batch.cols[b] as number;
    for (let dy = 0; dy < patchH; dy++) {
      const from = ((y0 + dy) * W + x0) * C;
      out.set(fill.subarray(from, from + patchW * C), (b * patchH + dy) * patchW * C);
    }
  }
  return out;
}

function pair(v: unknown, fallback: [number, number]): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length >= 2) return [Number(v[0]), Number(v[1])];
  if (Array.isArray(v) && v.length === 1) return [Number(v[0]), Number(v[0])];
  return fallback;
}

type Evaluate = (inputs: tf.Tensor4D[]) => tf.Tensor4D;
type Classified =
  | { ok: true; op: SpatialOp; padValue: number; evaluate: Evaluate; macs: number }
  | { ok: false; reason: string; macs: number };

const POINTWISE = new Set([
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'ThresholdedReLU',
  'Softmax',
  'Dropout',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'Add',
  'Multiply',
  'Average',
  'Maximum',
  'Minimum',
  'Rescaling',
]);

type ActivationLike = { apply(t: tf.Tensor): tf.Tensor };
function activate(layer: LayerStep['layer'], y: tf.Tensor): tf.Tensor4D {
  const act = (layer as unknown as { activation?: ActivationLike }).activation;
  return (act && typeof act.apply === 'function' ? act.apply(y) : y) as tf.Tensor4D;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Multiply-adds of one step on one image (from its output shape and weights), for the work estimate. */
function stepMacs(step: LayerStep, out: readonly number[]): number {
  const cls = step.layer.getClassName();
  const w = step.kind === 'model' ? [] : step.layer.getWeights().map((t) => t.shape);
  const spatial = out.length === 4 ? (out[1] as number) * (out[2] as number) : 1;
  const k0 = w[0];
  if ((cls === 'Conv2D' || cls === 'Dense') && k0) return spatial * size(k0);
  if (cls === 'DepthwiseConv2D' && k0) return spatial * size(k0);
  if (cls === 'SeparableConv2D' && k0 && w[1]) return spatial * (size(k0) + size(w[1]));
  return size(out.slice(1));
}

function axisOf(
  k: number,
  s: number,
  d: number,
  padding: 'same' | 'valid',
  inLen: number,
  outLen: number,
): AxisGeometry {
  return { k, s, d, inLen, outLen, pad: leadingPad(padding, inLen, outLen, k, s, d) };
}

/** How `step` runs on boxes, or why it cannot. `ins`/`out`: the full image's shapes ([1, H, W, C]). */
function classify(step: LayerStep, ins: (readonly number[])[], out: readonly number[]): Classified {
  const macs = stepMacs(step, out);
  const no = (reason: string): Classified => ({ ok: false, reason, macs });
  const { layer } = step;
  if (step.kind === 'model') return no('it is a nested model');
  const cls = layer.getClassName();
  if (step.outputIds.length !== 1) return no(`${cls} has several outputs`);
  if (out.length !== 4 || ins.some((s) => s.length !== 4))
    return no(`${cls} is not spatial (output [${out.join(', ')}])`);
  const cfg = layer.getConfig();
  if (cfg.dataFormat !== undefined && cfg.dataFormat !== 'channelsLast') return no(`${cls} is channels-first`);
  const inShape = ins[0] as readonly number[];
  const [H, W] = [inShape[1] as number, inShape[2] as number];
  const [OH, OW] = [out[1] as number, out[2] as number];
  const padding = cfg.padding === 'same' ? 'same' : cfg.padding === 'valid' ? 'valid' : null;
  const windowOp = (kh: number, kw: number, strides: [number, number], dil: [number, number]): SpatialOp => ({
    kind: 'window',
    rows: axisOf(kh, strides[0], dil[0], padding ?? 'valid', H, OH),
    cols: axisOf(kw, strides[1], dil[1], padding ?? 'valid', W, OW),
  });
  if (cls === 'Conv2D' || cls === 'DepthwiseConv2D' || cls === 'SeparableConv2D') {
    if (!padding) return no(`${cls} has ${String(cfg.padding)} padding`);
    const strides = pair(cfg.strides, [1, 1]);
    const dil = pair(cfg.dilationRate, [1, 1]);
    const [kernel, second, third] = layer.getWeights();
    if (!kernel) return no(`${cls} has no kernel`);
    const useBias = cfg.useBias !== false;
    const [kh, kw] = kernel.shape as [number, number];
    let evaluate: Evaluate;
    if (cls === 'Conv2D') {
      evaluate = ([x]) => {
        let y: tf.Tensor = tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, strides, 'valid', 'NHWC', dil);
        if (useBias && second) y = tf.add(y, second);
        return activate(layer, y);
      };
    } else if (cls === 'DepthwiseConv2D') {
      evaluate = ([x]) => {
        let y: tf.Tensor = tf.depthwiseConv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, strides, 'valid', 'NHWC', dil);
        if (useBias && second) y = tf.add(y, second);
        return activate(layer, y);
      };
    } else {
      if (!second) return no('SeparableConv2D has no pointwise kernel');
      evaluate = ([x]) => {
        const d = tf.depthwiseConv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, strides, 'valid', 'NHWC', dil);
        let y: tf.Tensor = tf.conv2d(d, second as tf.Tensor4D, 1, 'valid');
        if (useBias && third) y = tf.add(y, third);
        return activate(layer, y);
      };
    }
    return { ok: true, op: windowOp(kh, kw, strides, dil), padValue: 0, evaluate, macs };
  }
  if (cls === 'MaxPooling2D' || cls === 'AveragePooling2D') {
    if (!padding) return no(`${cls} has ${String(cfg.padding)} padding`);
    // tfjs (like TensorFlow) averages only the pixels inside the map at the borders of a 'same' average pool.
    if (cls === 'AveragePooling2D' && padding === 'same') return no('AveragePooling2D with same padding');
    const pool = pair(cfg.poolSize, [2, 2]);
    const strides = pair(cfg.strides, pool);
    const max = cls === 'MaxPooling2D';
    const evaluate: Evaluate = ([x]) =>
      max ? tf.maxPool(x as tf.Tensor4D, pool, strides, 'valid') : tf.avgPool(x as tf.Tensor4D, pool, strides, 'valid');
    return { ok: true, op: windowOp(pool[0], pool[1], strides, [1, 1]), padValue: max ? -Infinity : 0, evaluate, macs };
  }
  if (cls === 'ZeroPadding2D') {
    const p = cfg.padding;
    const [top, left] =
      typeof p === 'number'
        ? [p, p]
        : Array.isArray(p) && Array.isArray(p[0]) && Array.isArray(p[1])
          ? [Number(p[0][0]), Number(p[1][0])]
          : pair(p, [1, 1]);
    return { ok: true, op: { kind: 'shift', top, left }, padValue: 0, evaluate: ([x]) => x as tf.Tensor4D, macs };
  }
  const perPixel =
    POINTWISE.has(cls) ||
    ((cls === 'BatchNormalization' || cls === 'Concatenate' || cls === 'LayerNormalization') &&
      [-1, 3, [-1], [3]].some((a) => JSON.stringify(a) === JSON.stringify(cfg.axis ?? -1))) ||
    (cls === 'PReLU' && Array.isArray(cfg.sharedAxes) && [1, 2].every((a) => (cfg.sharedAxes as number[]).includes(a)));
  if (!perPixel) return no(`${cls} is not supported incrementally`);
  if (cls === 'Softmax' && ![-1, 3].includes(Number(cfg.axis ?? -1))) return no('Softmax over a spatial axis');
  if (ins.some((s) => s[1] !== OH || s[2] !== OW)) return no(`${cls} broadcasts a smaller map`);
  const evaluate: Evaluate = (xs) =>
    layer.apply(xs.length === 1 ? (xs[0] as tf.Tensor4D) : xs, step.kwargs) as tf.Tensor4D;
  return { ok: true, op: { kind: 'pointwise' }, padValue: 0, evaluate, macs };
}

interface PrefixStep {
  node: GeometryNode;
  padValue: number;
  evaluate: Evaluate;
}

interface Analysis {
  prefix: PrefixStep[];
  rest: LayerStep[];
  /** Region-form tensors the full part reads (materialised as full maps per batch). */
  live: number[];
  path: OcclusionPath & { kind: 'incremental' };
}

/** Decides how far the model runs on boxes (see module doc); a string: why it cannot run incrementally. */
function analyse(
  access: LayerPlanAccess,
  shapes: ReadonlyMap<number, readonly number[]>,
  setup: OcclusionSetup,
  maxBoxFraction: number,
): Analysis | string {
  const { plan } = access;
  const inputId = plan.inputIds[0] as number;
  const { patchH, patchW, all } = setup;
  let boxes = new Map<number, BatchBox>([
    [inputId, { h: patchH, w: patchW, rows: Int32Array.from(all.rows), cols: Int32Array.from(all.cols) }],
  ]);
  const prefix: PrefixStep[] = [];
  const fractions: number[] = [];
  let stop: { index: number; reason: string } | null = null;
  let totalMacs = 0;
  const macs: number[] = [];
  plan.steps.forEach((step, i) => {
    const shape = (id: number) => shapes.get(id) ?? [];
    const out = shape(step.outputIds[0] as number);
    const c = classify(step, step.inputIds.map(shape), out);
    macs.push(c.macs);
    totalMacs += c.macs;
    if (stop) return;
    if (!c.ok) {
      stop = { index: i, reason: c.reason };
      return;
    }
    const node: GeometryNode = {
      output: step.outputIds[0] as number,
      inputs: step.inputIds,
      op: c.op,
      map: [out[1] as number, out[2] as number],
    };
    const next = propagateBoxes([node], boxes);
    const box = next.get(node.output) as BatchBox;
    const fraction = (box.h * box.w) / (node.map[0] * node.map[1]);
    if (fraction > maxBoxFraction) {
      stop = { index: i, reason: `the changed box covers ${Math.round(fraction * 100)}% of its map` };
      return;
    }
    boxes = next;
    fractions.push(fraction);
    prefix.push({ node, padValue: c.padValue, evaluate: c.evaluate });
  });
  const stopped = stop as { index: number; reason: string } | null;
  const first = plan.steps[0]?.layer.name ?? '?';
  if (prefix.length === 0) return `the first layer (${first}) cannot run on boxes: ${stopped?.reason ?? 'no layers'}`;
  let work = 0;
  macs.forEach((m, i) => (work += i < prefix.length ? m * (fractions[i] as number) : m));
  const estimatedWork = totalMacs > 0 ? work / totalMacs : 1;
  const at = stopped ? plan.steps[stopped.index] : undefined;
  if (estimatedWork > MAX_WORK_FRACTION) {
    return (
      `incremental inference would still do ${Math.round(estimatedWork * 100)}% of the work ` +
      `(it stops at ${at?.layer.name ?? '?'}: ${stopped?.reason ?? ''})`
    );
  }
  const rest = plan.steps.slice(prefix.length);
  const region = new Set<number>([inputId, ...prefix.map((p) => p.node.output)]);
  const live = [...new Set([...rest.flatMap((s) => s.inputIds), ...plan.outputIds])].filter((id) => region.has(id));
  return {
    prefix,
    rest,
    live,
    path: {
      kind: 'incremental',
      regionLayers: prefix.length,
      layers: plan.steps.length,
      fullFrom: at?.layer.name ?? null,
      fullFromReason: stopped?.reason ?? null,
      estimatedWork,
    },
  };
}

function first2D(outputs: tf.Tensor[]): tf.Tensor2D {
  const t = outputs[0];
  if (!t || t.rank !== 2)
    throw new Error(`occlusion: expected class scores [batch, classes], got [${t?.shape.join(', ')}]`);
  return t as tf.Tensor2D;
}

/**
 * Runs the unoccluded image through the model's layer plan, keeps what the incremental path needs and
 * returns the engine; or the reason it cannot run (with the reference probabilities when the model ran).
 * Counts one model call for the reference, and one per scored batch.
 */
export async function prepareIncremental(
  adapter: ModelAdapter,
  setup: OcclusionSetup,
  opts: IncrementalOptions = {},
): Promise<WindowScorer | IncrementalFallback> {
  const access = layerPlanAccess(adapter);
  if (!access) return { reason: 'only tfjs layers models run incrementally (this model has no layer plan)' };
  const { plan } = access;
  if (plan.inputIds.length !== 1 || plan.outputIds.length < 1) return { reason: 'the model has several inputs' };
  const { input } = setup;
  const pre = adapter.info.preprocessing;
  const kind = adapter.info.outputKind;
  let analysis: Analysis | string = 'not analysed';
  const kept = tf.tidy(() => {
    const x = tf.tensor4d(input.data, [1, input.height, input.width, input.channels]);
    access.count(x);
    const { outputs, env } = runPlan(plan, [normalizeTensor(x, pre)]);
    const probs = probabilitiesTensor(kind, first2D(outputs));
    const shapes = new Map<number, readonly number[]>([...env].map(([id, t]) => [id, t.shape]));
    analysis = analyse(access, shapes, setup, opts.maxBoxFraction ?? MAX_BOX_FRACTION);
    const ids =
      typeof analysis === 'string' ? [] : [plan.inputIds[0] as number, ...analysis.prefix.map((p) => p.node.output)];
    return [probs, ...ids.map((id) => env.get(id) as tf.Tensor)];
  });
  const [probs, ...maps] = kept as [tf.Tensor2D, ...tf.Tensor4D[]];
  const reference = await take(probs);
  const result = analysis as Analysis | string;
  if (typeof result === 'string') return { reason: result, reference };
  const ids = [plan.inputIds[0] as number, ...result.prefix.map((p) => p.node.output)];
  const assembly = opts.assembly ?? (['webgl', 'webgpu'].includes(tf.getBackend()) ? 'gather' : 'copy');
  if (assembly === 'gather') {
    const cache = new Map<number, tf.Tensor4D>(ids.map((id, i) => [id, maps[i] as tf.Tensor4D]));
    return new GatherScorer(access, setup, result, cache, reference, kind, pre);
  }
  const cache = new Map<number, CachedMap>();
  try {
    for (const [i, id] of ids.entries()) {
      const t = maps[i] as tf.Tensor4D;
      const [, H, W, C] = t.shape;
      cache.set(id, { dims: [H, W, C], data: (await t.data()) as Float32Array });
    }
  } finally {
    tf.dispose(maps);
  }
  return new CopyScorer(access, setup, result, cache, reference, kind, pre);
}

/** One batch's boxes of every region-form tensor, from the patches' positions. */
function batchBoxes(analysis: Analysis, inputId: number, setup: OcclusionSetup, batch: WindowBatch) {
  const start = new Map<number, BatchBox>([
    [
      inputId,
      { h: setup.patchH, w: setup.patchW, rows: Int32Array.from(batch.rows), cols: Int32Array.from(batch.cols) },
    ],
  ]);
  return propagateBoxes(
    analysis.prefix.map((p) => p.node),
    start,
  );
}

/** What a prefix step reads from each input: the box, and the value outside the map. */
function readsOf(step: PrefixStep, out: BatchBox): { id: number; target: BatchBox; padValue: number }[] {
  const { node, padValue } = step;
  const op = node.op;
  if (op.kind === 'window') {
    const target: BatchBox = {
      h: readInterval(op.rows, 0, out.h)[1],
      w: readInterval(op.cols, 0, out.w)[1],
      rows: out.rows.map((o) => readInterval(op.rows, o, out.h)[0]),
      cols: out.cols.map((o) => readInterval(op.cols, o, out.w)[0]),
    };
    return [{ id: node.inputs[0] as number, target, padValue }];
  }
  if (op.kind === 'shift') {
    const target: BatchBox = {
      h: out.h,
      w: out.w,
      rows: out.rows.map((r) => r - op.top),
      cols: out.cols.map((c) => c - op.left),
    };
    return [{ id: node.inputs[0] as number, target, padValue: 0 }];
  }
  return node.inputs.map((id) => ({ id, target: out, padValue: 0 }));
}

const fullBox = (n: number, H: number, W: number): BatchBox => ({
  h: H,
  w: W,
  rows: new Int32Array(n),
  cols: new Int32Array(n),
});

/** A cached full-image map read back to the CPU: dims [H, W, C] and the HWC values. */
interface CachedMap {
  dims: [number, number, number];
  data: Float32Array;
}

/** What both assemblies share: the analysis, the cached full-image maps (of type M), the reference. */
abstract class BoxScorer<M> implements WindowScorer {
  readonly path: OcclusionPath;
  constructor(
    protected readonly access: LayerPlanAccess,
    protected readonly setup: OcclusionSetup,
    protected readonly analysis: Analysis,
    protected readonly cache: Map<number, M>,
    readonly reference: Float32Array,
    protected readonly kind: ModelAdapter['info']['outputKind'],
    protected readonly pre: ModelAdapter['info']['preprocessing'],
  ) {
    this.path = analysis.path;
  }

  abstract score(batch: WindowBatch): Promise<Float32Array>;
  abstract dispose(): void;

  /** The plan's input id, the batch size and the boxes of every region-form tensor for this batch. */
  protected start(batch: WindowBatch) {
    const inputId = this.access.plan.inputIds[0] as number;
    return { inputId, n: batch.rows.length, boxes: batchBoxes(this.analysis, inputId, this.setup, batch) };
  }
}

/**
 * The 'copy' assembly: each layer runs on patches put together on the CPU ({@link copyPatches}) from the cached
 * maps and the recomputed boxes (read back when a later layer needs them in a different box; a layer that reads
 * its input's own box — per-pixel layers, 1×1 convs — takes the tensor as it is).
 */
class CopyScorer extends BoxScorer<CachedMap> {
  async score(batch: WindowBatch): Promise<Float32Array> {
    const { plan } = this.access;
    const { patchH, patchW, input } = this.setup;
    const { inputId, n, boxes } = this.start(batch);
    const { prefix, live, rest } = this.analysis;
    // Last prefix step (index) reading each tensor; the full part reads `live` after the prefix.
    const lastUse = new Map<number, number>();
    prefix.forEach((p, i) => p.node.inputs.forEach((id) => lastUse.set(id, i)));
    for (const id of live) lastUse.set(id, prefix.length);
    const tensors = new Map<number, tf.Tensor4D>();
    const data = new Map<number, Float32Array>();
    const owned: tf.Tensor[] = [];
    const valuesOf = async (id: number) => {
      let d = data.get(id);
      if (!d) {
        d = (await (tensors.get(id) as tf.Tensor4D).data()) as Float32Array;
        data.set(id, d);
      }
      return d;
    };
    const patch = async (id: number, target: BatchBox, padValue: number): Promise<Float32Array> => {
      const c = this.cache.get(id) as CachedMap;
      return copyPatches(c.dims, c.data, boxes.get(id) as BatchBox, await valuesOf(id), target, padValue);
    };
    const release = (i: number) => {
      for (const [id, t] of tensors)
        if ((lastUse.get(id) ?? -1) <= i) {
          t.dispose();
          tensors.delete(id);
        }
    };
    try {
      const x = tf.tensor4d(fillPatches(this.setup, batch), [n, patchH, patchW, input.channels]);
      owned.push(x);
      this.access.count(x);
      tensors.set(
        inputId,
        tf.tidy(() => normalizeTensor(x, this.pre)),
      );
      for (const [i, step] of prefix.entries()) {
        const out = boxes.get(step.node.output) as BatchBox;
        const ins: tf.Tensor4D[] = [];
        for (const { id, target, padValue } of readsOf(step, out)) {
          const own = tensors.get(id);
          if (own && sameBoxes(boxes.get(id) as BatchBox, target)) ins.push(own);
          else {
            const c = this.cache.get(id) as CachedMap;
            const t = tf.tensor4d(await patch(id, target, padValue), [n, target.h, target.w, c.dims[2]]);
            owned.push(t);
            ins.push(t);
          }
        }
        // An identity step (ZeroPadding2D's shift, Dropout at inference) returns its input: own a copy.
        const y = tf.tidy(() => {
          const r = step.evaluate(ins);
          return ins.includes(r) ? tf.clone(r) : r;
        });
        tensors.set(step.node.output, y);
        tf.dispose(owned.splice(0));
        release(i);
      }
      const env = new Map<number, tf.Tensor>();
      for (const id of live) {
        const c = this.cache.get(id) as CachedMap;
        const [H, W, C] = c.dims;
        const t = tf.tensor4d(await patch(id, fullBox(n, H, W), 0), [n, H, W, C]);
        owned.push(t);
        env.set(id, t);
      }
      release(prefix.length);
      const probs = tf.tidy(() => probabilitiesTensor(this.kind, first2D(runSteps(plan, env, rest))));
      return await take(probs);
    } finally {
      tf.dispose(owned);
      tf.dispose([...tensors.values()]);
    }
  }

  dispose(): void {
    this.cache.clear();
  }
}

/** The 'gather' assembly: one tf.gather per layer input, the whole batch in one tidy (no read-backs). */
class GatherScorer extends BoxScorer<tf.Tensor4D> {
  async score(batch: WindowBatch): Promise<Float32Array> {
    const { plan } = this.access;
    const { patchH, patchW, input } = this.setup;
    const { inputId, n, boxes } = this.start(batch);
    const patches = fillPatches(this.setup, batch);
    const probs = tf.tidy(() => {
      const x = tf.tensor4d(patches, [n, patchH, patchW, input.channels]);
      this.access.count(x);
      const values = new Map<number, tf.Tensor4D>([[inputId, normalizeTensor(x, this.pre)]]);
      const sources = new Map<string, tf.Tensor2D>();
      /** The batch's maps of tensor `id` over `target` (cached values outside the recomputed boxes). */
      const read = (id: number, target: BatchBox, padValue: number): tf.Tensor4D => {
        const box = boxes.get(id) as BatchBox;
        const v = values.get(id) as tf.Tensor4D;
        if (sameBoxes(box, target)) return v;
        const cached = this.cache.get(id) as tf.Tensor4D;
        const [, H, W, C] = cached.shape;
        const key = `${id}|${padValue}`;
        let source = sources.get(key);
        if (!source) {
          source = tf.concat([
            tf.reshape(cached, [H * W, C]),
            tf.fill([1, C], padValue),
            tf.reshape(v, [n * box.h * box.w, C]),
          ]) as tf.Tensor2D;
          sources.set(key, source);
        }
        const idx = tf.tensor1d(patchIndices([H, W], box, target), 'int32');
        return tf.reshape(tf.gather(source, idx), [n, target.h, target.w, C]);
      };
      for (const step of this.analysis.prefix) {
        const out = boxes.get(step.node.output) as BatchBox;
        const ins = readsOf(step, out).map(({ id, target, padValue }) => read(id, target, padValue));
        values.set(step.node.output, step.evaluate(ins));
      }
      const env = new Map<number, tf.Tensor>();
      for (const id of this.analysis.live) {
        const [, H, W] = (this.cache.get(id) as tf.Tensor4D).shape;
        env.set(id, read(id, fullBox(n, H, W), 0));
      }
      const outputs = runSteps(plan, env, this.analysis.rest);
      return probabilitiesTensor(this.kind, first2D(outputs));
    });
    return take(probs);
  }

  dispose(): void {
    tf.dispose([...this.cache.values()]);
    this.cache.clear();
  }
}
