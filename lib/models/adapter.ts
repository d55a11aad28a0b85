/**
 * The `ModelAdapter`: the only door from an explanation method to a model. LayersModel vs GraphModel is
 * decided here and nowhere else.
 *
 * Pixel space: every function takes x: [n, h, w, c] with p ∈ [0, 1] in RGB order (or grey). The adapter
 * applies the model's channel order (RGB → BGR by reversing the channel axis) and normalisation
 * ((p·scale − mean) / std) inside its differentiable forward pass, so gradients and baselines are in pixel
 * space. `Preprocessing.invert` is NOT applied here: an `ImageInput` is already inverted by preprocessing.
 *
 * WASM backend (tfjs-backend-wasm 4.22) gradient gaps, and what we do about them:
 * - `Conv2DBackpropFilter` is missing. tfjs-layers' Conv2D always calls `tf.fused.conv2d`; inside a
 *   gradient tape with a linear activation the fused op stays fused and its gradient computes the filter
 *   gradient too, so input gradients fail. LayersModels are therefore evaluated by our own interpreter
 *   (`layer-graph.ts`) with unfused `tf.conv2d` + bias + activation.
 * - `DepthwiseConv2dNativeBackpropInput` is missing: depthwise convs get a portable custom gradient.
 * - MaxPool's gradient breaks exact ties differently (CPU: first maximum of a window, WASM: last), so on
 *   images with exactly equal activations (flat black backgrounds) plain gradients can differ between
 *   backends; both are valid subgradients. Methods that average (SmoothGrad, IG) are barely affected.
 * - GraphModels run through the converter's own op mapping (`_FusedConv2D` → `tf.fused.conv2d`,
 *   `DepthwiseConv2dNative` → `tf.depthwiseConv2d`, `StridedSlice` …), which we do not rewrite. tfjs 4.22
 *   alone cannot take their input gradients on WASM (fused convs compute the filter gradient too; depthwise
 *   backprop kernels are missing) and has no `StridedSlice` gradient anywhere; the app's gradients
 *   (lib/runtime/gradients, installed by the worker and the test setup) close those gaps on every backend.
 *   {@link graphGradientBlockers} names what would still block; a gradient request that fails anyway
 *   raises an `ExplainError` that names the missing kernel; black-box methods (occlusion, RISE) still work.
 */
import { releaseFailedTape } from './failed-tape';
import * as tf from '@tensorflow/tfjs';
import { ExplainError, type ModelAdapter, type ScoreKind } from './adapter-types';
import type { ModelInfo, Normalization, NormalizationPreset, Preprocessing } from '@/lib/models/types';
import { gradientsInstalled } from '@/lib/runtime/gradients';
import { gradientScoreKind } from './output-kind';
import { probabilitiesTensor, scoresTensor } from './output-kind-tf';
import { graphSegments, layersSegments, type GradientSegments } from './gradient-segments';
import {
  buildLayerPlan,
  downstreamSteps,
  layerOutputId,
  runPlan,
  runSteps,
  runUpTo,
  upstreamSteps,
  type LayerPlan,
  type LayerStep,
} from './layer-graph';

/** Numbers behind each preset, in the model's channel order. */
export const NORMALIZATION_PRESETS: Readonly<Record<NormalizationPreset, Normalization>> = {
  'zero-one': { scale: 1, mean: [0], std: [1] },
  'minus-one-one': { scale: 1, mean: [0.5], std: [0.5] },
  'zero-255': { scale: 255, mean: [0], std: [1] },
  imagenet: { scale: 1, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  // Caffe/VGG: BGR order, 0..255, mean subtraction only (means in B, G, R order).
  'caffe-bgr': { scale: 255, mean: [103.939, 116.779, 123.68], std: [1] },
};

/** Resolves a preset name (or explicit numbers) to numbers. Returns a fresh object. */
export function resolveNormalization(n: NormalizationPreset | Normalization): Normalization {
  const v = typeof n === 'string' ? NORMALIZATION_PRESETS[n] : n;
  if (!v) throw new ExplainError(`unknown normalization preset "${String(n)}"`);
  return { scale: v.scale, mean: [...v.mean], std: [...v.std] };
}

/** The channel order the model expects ('caffe-bgr' implies BGR). */
export function resolveChannelOrder(pre: Preprocessing): 'rgb' | 'bgr' {
  if (pre.channels === 1) return 'rgb';
  return pre.normalization === 'caffe-bgr' ? 'bgr' : pre.channelOrder;
}

function perChannel(values: number[], channels: number, what: string): number[] {
  if (values.length === channels) return values;
  if (values.length === 1) return new Array<number>(channels).fill(values[0] as number);
  if (channels === 1) return [values.reduce((a, b) => a + b, 0) / values.length];
  throw new ExplainError(`normalization ${what} has ${values.length} values for ${channels} channels`);
}

/**
 * Differentiable pixel-space → model-space transform: optional RGB→BGR reversal, then (p·scale − mean)/std.
 * x: [n, h, w, c] with p ∈ [0, 1]. Synchronous; call inside `tf.tidy`.
 */
export function normalizeTensor(x: tf.Tensor4D, pre: Preprocessing): tf.Tensor4D {
  const c = x.shape[3];
  const n = resolveNormalization(pre.normalization);
  const mean = perChannel(n.mean, c, 'mean');
  const std = perChannel(n.std, c, 'std');
  let y: tf.Tensor4D = resolveChannelOrder(pre) === 'bgr' && c === 3 ? tf.reverse(x, 3) : x;
  if (n.scale !== 1) y = tf.mul(y, n.scale);
  if (mean.some((m) => m !== 0)) y = tf.sub(y, tf.tensor1d(mean));
  if (std.some((s) => s !== 1)) y = tf.div(y, tf.tensor1d(std));
  return y;
}

/** Picks column `target` of [n, K] scores and sums over the batch (slice, never gather: WASM-safe). */
export function targetSum(scores: tf.Tensor2D, target: number): tf.Scalar {
  return tf.sum(tf.slice(scores, [0, target], [-1, 1]));
}

function checkTarget(info: ModelInfo, target: number): void {
  if (!Number.isInteger(target) || target < 0 || target >= info.numClasses) {
    throw new ExplainError(`target class ${target} is out of range: this model has ${info.numClasses} classes (0…${info.numClasses - 1})`);
  }
}

/** Turns "Kernel 'X' not registered for backend 'wasm'" into a user-facing ExplainError. */
export function explainBackendError(e: unknown, what: string): never {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /Kernel '([^']+)' not registered for backend '([^']+)'/.exec(msg);
  if (m) {
    throw new ExplainError(
      `${what} needs the '${m[1]}' kernel, which the '${m[2]}' backend does not have. ` +
        `Switch to the CPU or WebGL backend, or use a black-box method (occlusion, RISE).`,
    );
  }
  throw e;
}

interface Counters {
  calls: number;
  images: number;
}

/**
 * What every adapter shares: counters, the disposed guard, target checks, `scores` / `probabilities` /
 * `inputGradients` over one differentiable `forward`, and the gradient at a cut through the graph
 * (`cutGradients`, Grad-CAM). A format (TF.js layers, TF.js graph, ONNX) only supplies `forward`,
 * `layerGradients` (usually via `cutGradients`) and `dispose`.
 */
export abstract class BaseAdapter implements ModelAdapter {
  protected readonly count: Counters = { calls: 0, images: 0 };
  protected disposed = false;
  /** Per-layer cut plans (what `layerGradients` re-runs), built once per layer; cleared on dispose. */
  private readonly cuts = new Map<string, unknown>();
  constructor(readonly info: ModelInfo) {}

  get counters(): { readonly calls: number; readonly images: number } {
    return { calls: this.count.calls, images: this.count.images };
  }
  resetCounters(): void {
    this.count.calls = 0;
    this.count.images = 0;
  }

  protected get scoreKind(): ScoreKind {
    return gradientScoreKind(this.info.outputKind);
  }

  /** Class scores [n, numClasses] from raw outputs [n, K] (binary: [−z, z] or [1 − p, p]; output-kind.ts). */
  protected classScores(raw: tf.Tensor2D): tf.Tensor2D {
    return scoresTensor(this.info.outputKind, raw);
  }

  protected checkTarget(target: number): void {
    checkTarget(this.info, target);
  }

  protected tick(x: tf.Tensor4D): void {
    if (this.disposed) throw new ExplainError('the model was disposed');
    this.count.calls += 1;
    this.count.images += x.shape[0];
  }

  /** Raw model output [n, K] for pixel-space x (normalisation applied). No counting. */
  protected abstract forward(x: tf.Tensor4D): tf.Tensor2D;

  scores(x: tf.Tensor4D): tf.Tensor2D {
    this.tick(x);
    return this.classScores(this.forward(x));
  }

  probabilities(x: tf.Tensor4D): tf.Tensor2D {
    this.tick(x);
    return probabilitiesTensor(this.info.outputKind, this.forward(x));
  }

  inputGradients(x: tf.Tensor4D, target: number): { grads: tf.Tensor4D; scores: tf.Tensor2D; scoreKind: ScoreKind } {
    this.checkTarget(target);
    this.tick(x);
    let stash: tf.Tensor2D | undefined;
    let grads: tf.Tensor4D;
    try {
      grads = tf.grad((xx: tf.Tensor) => {
        const s = this.classScores(this.forward(xx as tf.Tensor4D));
        stash = tf.keep(s);
        return targetSum(s, target);
      })(x) as tf.Tensor4D;
    } catch (e) {
      if (stash) stash.dispose();
      releaseFailedTape();
      explainBackendError(e, 'The input gradient of this model');
    }
    const kept = stash as tf.Tensor2D;
    const scores = tf.clone(kept);
    kept.dispose();
    return { grads, scores, scoreKind: this.scoreKind };
  }

  /**
   * `layerActivations` over `activation(xn)`, the output of spatial `layer` for a model-space batch xn (one
   * forward call counted). Shared by the formats that offer it.
   */
  protected layerActivationsAt(
    x: tf.Tensor4D,
    layer: string,
    activation: (xn: tf.Tensor4D) => tf.Tensor | undefined,
  ): tf.Tensor4D {
    if (!this.info.spatialLayers.includes(layer)) throw new ExplainError(`layer "${layer}" is not a spatial layer of this model`);
    this.tick(x);
    return tf.tidy(() => {
      const a = activation(normalizeTensor(x, this.info.preprocessing));
      if (!a || a.rank !== 4) throw new ExplainError(`layer "${layer}" gave no [batch, height, width, channels] output`);
      return a as tf.Tensor4D;
    });
  }

  /**
   * `channelGradients` over `activation(xn)`, the output of spatial `layer` for a model-space batch xn:
   * the per-image mean of one channel and its input gradient. Shared by the formats that offer it.
   */
  protected channelGradientsAt(
    x: tf.Tensor4D,
    layer: string,
    channel: number,
    activation: (xn: tf.Tensor4D) => tf.Tensor | undefined,
  ): { grads: tf.Tensor4D; means: tf.Tensor1D } {
    if (!this.info.spatialLayers.includes(layer)) throw new ExplainError(`layer "${layer}" is not a spatial layer of this model`);
    this.tick(x);
    let stash: tf.Tensor1D | undefined;
    let grads: tf.Tensor4D;
    try {
      grads = tf.grad((xx: tf.Tensor) => {
        const a = activation(normalizeTensor(xx as tf.Tensor4D, this.info.preprocessing));
        const k = a?.rank === 4 ? (a.shape[3] as number) : 0;
        if (!a || !Number.isInteger(channel) || channel < 0 || channel >= k)
          throw new ExplainError(`channel ${channel} is out of range: layer "${layer}" has ${k} channels`);
        const means = tf.mean(tf.slice(a, [0, 0, 0, channel], [-1, -1, -1, 1]), [1, 2, 3]) as tf.Tensor1D;
        stash = tf.keep(means);
        return tf.sum(means);
      })(x) as tf.Tensor4D;
    } catch (e) {
      if (stash) stash.dispose();
      releaseFailedTape();
      if (e instanceof ExplainError) throw e;
      explainBackendError(e, `The gradient of layer "${layer}"`);
    }
    const kept = stash as tf.Tensor1D;
    const means = tf.clone(kept);
    kept.dispose();
    return { grads, means };
  }

  /** See `ModelAdapter.gradientSegments`; a format that can be split overrides `segments`. */
  gradientSegments(target: number, n: number): GradientSegments | null {
    this.checkTarget(target);
    const s = this.segments();
    if (s) {
      if (this.disposed) throw new ExplainError('the model was disposed');
      this.count.calls += 1;
      this.count.images += n;
    }
    return s;
  }

  /** The model as steps for an input gradient in pieces (gradient-segments.ts); null: not split. */
  protected segments(): GradientSegments | null {
    return null;
  }

  /** The cut plan of `layer`, built by `build` on first use and cached with the model. */
  protected cutPlan<P>(layer: string, build: () => P): P {
    if (!this.cuts.has(layer)) this.cuts.set(layer, build());
    return this.cuts.get(layer) as P;
  }

  /** Marks the adapter disposed and drops the cached cut plans; false when it was disposed already. */
  protected markDisposed(): boolean {
    if (this.disposed) return false;
    this.disposed = true;
    this.cuts.clear();
    return true;
  }

  /**
   * Grad-CAM's pair at a cut: `activations` A [n, h', w', k] of `layer` (already computed, with the
   * whole-model `scores` [n, K]) and ∂ scores[i, target] / ∂ A[i], where `downstream(a)` re-runs the part of
   * the model after the cut with A replaced by `a`. Ownership of `activations` and `scores` passes to the caller.
   */
  protected cutGradients(
    layer: string,
    activations: tf.Tensor | undefined,
    scores: tf.Tensor2D,
    target: number,
    downstream: (a: tf.Tensor) => tf.Tensor2D,
  ): { activations: tf.Tensor4D; grads: tf.Tensor4D; scores: tf.Tensor2D; scoreKind: ScoreKind } {
    if (!activations || activations.rank !== 4) {
      throw new ExplainError(`layer "${layer}" is not spatial: its output has shape [${activations?.shape.join(', ') ?? '?'}]`);
    }
    let grads: tf.Tensor4D;
    try {
      grads = tf.grad((a: tf.Tensor) => targetSum(this.classScores(downstream(a)), target))(activations) as tf.Tensor4D;
    } catch (e) {
      releaseFailedTape();
      tf.dispose([activations, scores]); // owned here until returned
      explainBackendError(e, `The gradient at layer "${layer}"`);
    }
    return { activations: activations as tf.Tensor4D, grads, scores: this.classScores(scores), scoreKind: this.scoreKind };
  }

  abstract layerGradients(
    x: tf.Tensor4D,
    layer: string,
    target: number,
  ): { activations: tf.Tensor4D; grads: tf.Tensor4D; scores: tf.Tensor2D; scoreKind: ScoreKind };

  abstract dispose(): void;
}

function first2D(out: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap): tf.Tensor2D {
  const t = out instanceof tf.Tensor ? out : Array.isArray(out) ? out[0] : Object.values(out)[0];
  if (!t) throw new ExplainError('the model produced no output');
  if (t.rank !== 2) throw new ExplainError(`expected class scores [batch, classes], got shape [${t.shape.join(', ')}]`);
  return t as tf.Tensor2D;
}

class LayersAdapter extends BaseAdapter {
  private readonly plan: LayerPlan;

  constructor(
    private readonly model: tf.LayersModel,
    info: ModelInfo,
  ) {
    super(info);
    if (model.inputs.length !== 1) throw new ExplainError('only single-input models are supported');
    this.plan = buildLayerPlan(model);
  }

  protected forward(x: tf.Tensor4D): tf.Tensor2D {
    const xn = normalizeTensor(x, this.info.preprocessing);
    return first2D(runPlan(this.plan, [xn]).outputs);
  }

  private steps?: GradientSegments;
  protected override segments(): GradientSegments {
    this.steps ??= layersSegments(
      this.plan,
      (x) => normalizeTensor(x, this.info.preprocessing),
      (raw) => this.classScores(first2D(raw)),
      this.scoreKind,
    );
    return this.steps;
  }

  /** Grad-CAM's cut at `layer`: the tensor id and the downstream steps. */
  private layerPlan(layer: string): { id: number; steps: LayerStep[] } {
    return this.cutPlan(layer, () => {
      const id = layerOutputId(this.plan, layer);
      if (id === undefined) throw new ExplainError(`layer "${layer}" is not a layer of this model`);
      return { id, steps: downstreamSteps(this.plan, id) };
    });
  }

  layerGradients(x: tf.Tensor4D, layer: string, target: number) {
    this.checkTarget(target);
    const lp = this.layerPlan(layer);
    this.tick(x);
    const xn = normalizeTensor(x, this.info.preprocessing);
    const { outputs, env } = runPlan(this.plan, [xn]);
    return this.cutGradients(layer, env.get(lp.id), first2D(outputs), target, (a) => {
      const local = new Map(env);
      local.set(lp.id, a);
      return first2D(runSteps(this.plan, local, lp.steps));
    });
  }

  channelGradients(x: tf.Tensor4D, layer: string, channel: number) {
    const lp = this.layerPlan(layer);
    return this.channelGradientsAt(x, layer, channel, this.upTo(lp.id, layer));
  }

  layerActivations(x: tf.Tensor4D, layer: string) {
    const lp = this.layerPlan(layer);
    return this.layerActivationsAt(x, layer, this.upTo(lp.id, layer));
  }

  /** Tensor `id` (the output of `layer`) from a model-space batch, running only the layers it depends on. */
  private upTo(id: number, layer: string): (xn: tf.Tensor4D) => tf.Tensor | undefined {
    const up = this.cutPlan(`\u0000upstream of ${layer}`, () => upstreamSteps(this.plan, id));
    return (xn) => runUpTo(this.plan, [xn], id, up);
  }

  dispose(): void {
    if (this.markDisposed()) this.model.dispose();
  }

  /** The layer plan and the call counter, for incremental occlusion (see {@link layerPlanAccess}). */
  planAccess(): LayerPlanAccess {
    return { plan: this.plan, count: (x) => this.tick(x) };
  }
}

/** What incremental occlusion needs from a LayersModel adapter: its layer plan (no tensors) and its call counter. */
export interface LayerPlanAccess {
  readonly plan: LayerPlan;
  /** Counts one batched model call over x (throws when the adapter was disposed). */
  count(x: tf.Tensor4D): void;
}

/**
 * The layer plan of a tfjs LayersModel adapter, for methods that re-run parts of the model themselves
 * (incremental occlusion, lib/explain/methods/occlusion/incremental.ts); undefined for every other format
 * (graph models, ONNX), which have no layer plan.
 */
export function layerPlanAccess(adapter: ModelAdapter): LayerPlanAccess | undefined {
  return adapter instanceof LayersAdapter ? adapter.planAccess() : undefined;
}

type GraphNode = { op?: string; name?: string; attr?: Record<string, { list?: { s?: string[] }; s?: string }> };

function decodeAttr(s: string): string {
  try {
    return atob(s);
  } catch {
    return s;
  }
}

/** Whether the `backend` has `kernel` registered (backprop kernels differ per backend). */
function backendHas(kernel: string, backend: string): boolean {
  return tf.getKernel(kernel, backend) != null;
}

/**
 * Static check: what a gradient through this GraphModel would need that is missing on `backend`, as
 * names a user can look up (a kernel name, or "gradient of <Op>"). Returns [] when nothing is known to block.
 *
 * With the app's gradients installed (lib/runtime/gradients, `gradientsInstalled()`), none of the gaps of
 * tfjs 4.22 below remains; without them (a bare tfjs, e.g. a unit test that skipped the setup):
 * - a `_FusedConv2D` without a non-linear activation runs as tfjs' fused custom gradient, which computes
 *   the filter gradient too: it needs `Conv2DBackpropFilter` (missing on WASM);
 * - depthwise convs need `DepthwiseConv2dNativeBackpropInput` (missing on WASM); the fused ones with a
 *   linear activation also `DepthwiseConv2dNativeBackpropFilter`;
 * - `StridedSlice` has no gradient in tfjs at all, on any backend.
 */
export function graphGradientBlockers(model: tf.GraphModel, backend: string = tf.getBackend(), installed: boolean = gradientsInstalled()): string[] {
  if (installed) return [];
  const nodes = (model as unknown as { artifacts?: { modelTopology?: { node?: GraphNode[] } } }).artifacts?.modelTopology?.node ?? [];
  const missing = new Set<string>();
  const need = (kernel: string) => {
    if (!backendHas(kernel, backend)) missing.add(kernel);
  };
  for (const node of nodes) {
    const op = node.op ?? '';
    const fused = (node.attr?.fused_ops?.list?.s ?? []).map(decodeAttr);
    const linear = !fused.some((f) => f !== 'BiasAdd' && f !== 'FusedBatchNorm');
    if (op === '_FusedConv2D' && linear) need('Conv2DBackpropFilter');
    if (op === 'DepthwiseConv2dNative' || op === 'FusedDepthwiseConv2dNative') need('DepthwiseConv2dNativeBackpropInput');
    if (op === 'FusedDepthwiseConv2dNative' && linear) need('DepthwiseConv2dNativeBackpropFilter');
    if (op === 'StridedSlice') missing.add('gradient of StridedSlice');
  }
  return [...missing];
}

class GraphAdapter extends BaseAdapter {
  private readonly inputName: string;
  private readonly outputName: string;

  constructor(
    private readonly model: tf.GraphModel,
    info: ModelInfo,
  ) {
    super(info);
    const inp = model.inputs[0];
    const out = model.outputs[0];
    if (!inp || !out || model.inputs.length !== 1) throw new ExplainError('only single-input graph models are supported');
    this.inputName = inp.name;
    this.outputName = out.name;
  }

  private steps?: GradientSegments | null;
  protected override segments(): GradientSegments | null {
    if (this.steps === undefined)
      this.steps = graphSegments(
        this.model,
        (x) => normalizeTensor(x, this.info.preprocessing),
        (raw) => this.classScores(first2D(raw)),
        this.scoreKind,
      );
    return this.steps;
  }

  /** Kernels missing on the current backend for gradients through this graph (see graphGradientBlockers). */
  get gradientBlockers(): string[] {
    return graphGradientBlockers(this.model);
  }

  protected forward(x: tf.Tensor4D): tf.Tensor2D {
    const xn = normalizeTensor(x, this.info.preprocessing);
    try {
      return first2D(this.model.execute(xn, this.outputName));
    } catch (e) {
      if (e instanceof Error && /executeAsync/.test(e.message)) {
        throw new ExplainError('this graph model uses dynamic (control-flow) ops that only run asynchronously; explanations need a synchronous model');
      }
      throw e;
    }
  }

  layerGradients(x: tf.Tensor4D, layer: string, target: number) {
    this.checkTarget(target);
    if (!this.info.spatialLayers.includes(layer)) throw new ExplainError(`node "${layer}" is not a spatial node of this model`);
    this.tick(x);
    const xn = normalizeTensor(x, this.info.preprocessing);
    const both = this.model.execute(xn, [layer, this.outputName]) as tf.Tensor[];
    // Feeding the real input too lets branches that bypass `layer` (skip connections) be computed.
    return this.cutGradients(layer, both[0], first2D(both[1] as tf.Tensor), target, (a) =>
      first2D(this.model.execute({ [this.inputName]: xn, [layer]: a }, this.outputName)),
    );
  }

  channelGradients(x: tf.Tensor4D, layer: string, channel: number) {
    return this.channelGradientsAt(x, layer, channel, (xn) => this.model.execute(xn, layer) as tf.Tensor);
  }

  layerActivations(x: tf.Tensor4D, layer: string) {
    return this.layerActivationsAt(x, layer, (xn) => this.model.execute(xn, layer) as tf.Tensor);
  }

  dispose(): void {
    if (this.markDisposed()) this.model.dispose();
  }
}

/** Adapter for a tfjs LayersModel (Sequential or functional). Takes ownership of `model`. */
export function createLayersAdapter(model: tf.LayersModel, info: ModelInfo): ModelAdapter & { readonly counters: { calls: number; images: number }; resetCounters(): void } {
  return new LayersAdapter(model, info);
}

/** Adapter for a tfjs GraphModel (converted SavedModel). Takes ownership of `model`. */
export function createGraphAdapter(
  model: tf.GraphModel,
  info: ModelInfo,
): ModelAdapter & { readonly counters: { calls: number; images: number }; resetCounters(): void; readonly gradientBlockers: string[] } {
  return new GraphAdapter(model, info);
}
