/**
 * A small interpreter for tfjs LayersModels (Sequential and functional, nested models included) that
 * evaluates the layer graph ourselves instead of calling `model.predict`/`model.apply`.
 *
 * Why: (1) Grad-CAM needs "evaluate from layer L's activation onward" for graphs with branches and skip
 * connections; (2) tfjs-layers evaluates Conv2D and Dense through the *fused* ops (`tf.fused.conv2d`,
 * `tf.fused.matMul`). Inside a gradient tape with a linear activation the fused conv2d stays fused and
 * its custom gradient computes the filter gradient as well (`Conv2DBackpropFilter`), a kernel the WASM
 * backend does not have, so `tf.grad` w.r.t. the input fails on WASM. `tf.depthwiseConv2d`'s input
 * gradient needs `DepthwiseConv2dNativeBackpropInput`, also missing in WASM. This interpreter evaluates
 * Conv2D / DepthwiseConv2D / SeparableConv2D / Dense with unfused ops (conv + bias + activation) and gives
 * depthwise convolutions a custom input gradient built from ops every backend has (see
 * {@link depthwiseConv2dPortable}). Every other layer is evaluated with `layer.apply` (inference mode),
 * exactly as `LayersModel.predict` does.
 *
 * Everything here is synchronous tensor code: call it inside `tf.tidy`.
 */
import * as tf from '@tensorflow/tfjs';

/** The parts of a tfjs-layers symbolic tensor / node / layer we rely on (public at runtime). */
interface SymbolicTensorLike {
  readonly id: number;
}
interface NodeLike {
  readonly inputTensors: SymbolicTensorLike[];
  readonly outputTensors: SymbolicTensorLike[];
  readonly callArgs?: Record<string, unknown>;
}
interface LayerLike {
  readonly name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  getWeights(): tf.Tensor[];
  apply(inputs: tf.Tensor | tf.Tensor[], kwargs?: Record<string, unknown>): tf.Tensor | tf.Tensor[] | unknown;
  readonly inboundNodes: NodeLike[];
}
interface ContainerLike extends LayerLike {
  readonly layers: LayerLike[];
  readonly inputs: SymbolicTensorLike[];
  readonly outputs: SymbolicTensorLike[];
}

/** How one step is evaluated. */
export type StepKind = 'conv2d' | 'depthwise' | 'separable' | 'dense' | 'model' | 'apply';

/** One application of a layer (one inbound node) in evaluation order. */
export interface LayerStep {
  layer: LayerLike;
  kind: StepKind;
  inputIds: number[];
  outputIds: number[];
  kwargs: Record<string, unknown>;
  /** For nested models: the nested plan. */
  sub?: LayerPlan;
}

/** A topologically ordered evaluation plan for one model. Holds no tensors of its own. */
export interface LayerPlan {
  inputIds: number[];
  outputIds: number[];
  steps: LayerStep[];
}

function isContainer(layer: LayerLike): layer is ContainerLike {
  const c = layer as Partial<ContainerLike>;
  return Array.isArray(c.layers) && Array.isArray(c.inputs) && Array.isArray(c.outputs);
}

function stepKind(layer: LayerLike): StepKind {
  if (isContainer(layer)) return 'model';
  const cls = layer.getClassName();
  const cfg = layer.getConfig();
  const channelsLast = cfg.dataFormat === undefined || cfg.dataFormat === 'channelsLast';
  if (cls === 'Conv2D' && channelsLast) return 'conv2d';
  if (cls === 'DepthwiseConv2D' && channelsLast) return 'depthwise';
  if (cls === 'SeparableConv2D' && channelsLast) return 'separable';
  if (cls === 'Dense') return 'dense';
  return 'apply';
}

/**
 * Builds the evaluation plan of a LayersModel (or nested model). Layers are visited in `model.layers`
 * order (topological), repeatedly until no node can be added, so shared layers work too.
 */
export function buildLayerPlan(model: tf.LayersModel): LayerPlan {
  return buildPlan(model as unknown as ContainerLike);
}

function buildPlan(model: ContainerLike): LayerPlan {
  const known = new Set<number>(model.inputs.map((t) => t.id));
  const steps: LayerStep[] = [];
  const done = new Set<NodeLike>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const layer of model.layers) {
      if (layer.getClassName() === 'InputLayer') continue;
      for (const node of layer.inboundNodes) {
        if (done.has(node)) continue;
        if (node.inputTensors.length === 0 || !node.inputTensors.every((t) => known.has(t.id))) continue;
        if (node.outputTensors.every((t) => known.has(t.id))) continue;
        done.add(node);
        const kind = stepKind(layer);
        steps.push({
          layer,
          kind,
          inputIds: node.inputTensors.map((t) => t.id),
          outputIds: node.outputTensors.map((t) => t.id),
          kwargs: { ...(node.callArgs ?? {}), training: false },
          sub: kind === 'model' ? buildPlan(layer as ContainerLike) : undefined,
        });
        for (const t of node.outputTensors) known.add(t.id);
        progress = true;
      }
    }
  }
  for (const out of model.outputs) {
    if (!known.has(out.id)) throw new Error(`layer-graph: cannot reach output tensor ${out.id} of the model`);
  }
  return { inputIds: model.inputs.map((t) => t.id), outputIds: model.outputs.map((t) => t.id), steps };
}

/** The id of the (first) output tensor of the top-level layer `name`, or undefined. */
export function layerOutputId(plan: LayerPlan, name: string): number | undefined {
  const step = plan.steps.find((s) => s.layer.name === name);
  return step?.outputIds[0];
}

/** The steps whose value depends on tensor `id` (in evaluation order), i.e. what must be re-run downstream. */
export function downstreamSteps(plan: LayerPlan, id: number): LayerStep[] {
  const dirty = new Set<number>([id]);
  const out: LayerStep[] = [];
  for (const step of plan.steps) {
    if (step.inputIds.some((i) => dirty.has(i))) {
      out.push(step);
      for (const o of step.outputIds) dirty.add(o);
    }
  }
  return out;
}

/** The steps tensor `id` depends on (in evaluation order): what must run to compute it, nothing after it. */
export function upstreamSteps(plan: LayerPlan, id: number): LayerStep[] {
  const needed = new Set<number>([id]);
  const keep: LayerStep[] = [];
  for (let i = plan.steps.length - 1; i >= 0; i--) {
    const step = plan.steps[i] as LayerStep;
    if (!step.outputIds.some((o) => needed.has(o))) continue;
    keep.push(step);
    for (const inId of step.inputIds) needed.add(inId);
  }
  return keep.reverse();
}

/** Tensor `id` for `inputs`, running only `steps` (its upstream steps). Synchronous; call inside `tf.tidy`. */
export function runUpTo(plan: LayerPlan, inputs: tf.Tensor[], id: number, steps: LayerStep[]): tf.Tensor | undefined {
  const env = new Map<number, tf.Tensor>();
  plan.inputIds.forEach((inId, i) => {
    const x = inputs[i];
    if (!x) throw new Error('layer-graph: too few inputs');
    env.set(inId, x);
  });
  for (const step of steps) {
    const outputs = evaluateStep(
      step,
      step.inputIds.map((i) => {
        const v = env.get(i);
        if (!v) throw new Error(`layer-graph: missing input ${i} for layer ${step.layer.name}`);
        return v;
      }),
    );
    step.outputIds.forEach((o, k) => {
      const t = outputs[k];
      if (t) env.set(o, t);
    });
  }
  return env.get(id);
}

/**
 * Evaluates `steps` (default: all of the plan) in `env` (tensor id → value), writing outputs into `env`.
 * Returns the plan's outputs. Synchronous; call inside `tf.tidy`.
 */
export function runSteps(plan: LayerPlan, env: Map<number, tf.Tensor>, steps: LayerStep[] = plan.steps): tf.Tensor[] {
  for (const step of steps) {
    const inputs = step.inputIds.map((id) => {
      const v = env.get(id);
      if (!v) throw new Error(`layer-graph: missing input ${id} for layer ${step.layer.name}`);
      return v;
    });
    const outputs = evaluateStep(step, inputs);
    step.outputIds.forEach((id, i) => {
      const o = outputs[i];
      if (o) env.set(id, o);
    });
  }
  return plan.outputIds.map((id) => {
    const v = env.get(id);
    if (!v) throw new Error(`layer-graph: output ${id} was not computed`);
    return v;
  });
}

/** Runs the whole plan on `inputs` (one per model input). Returns outputs and the environment. */
export function runPlan(plan: LayerPlan, inputs: tf.Tensor[]): { outputs: tf.Tensor[]; env: Map<number, tf.Tensor> } {
  const env = new Map<number, tf.Tensor>();
  plan.inputIds.forEach((id, i) => {
    const x = inputs[i];
    if (!x) throw new Error('layer-graph: too few inputs');
    env.set(id, x);
  });
  const outputs = runSteps(plan, env);
  return { outputs, env };
}

type ActivationLike = { apply(t: tf.Tensor): tf.Tensor };

function activate(layer: LayerLike, y: tf.Tensor): tf.Tensor {
  const act = (layer as unknown as { activation?: ActivationLike }).activation;
  return act && typeof act.apply === 'function' ? act.apply(y) : y;
}

function pair(v: unknown, fallback: number): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length >= 2) return [Number(v[0]), Number(v[1])];
  if (Array.isArray(v) && v.length === 1) return [Number(v[0]), Number(v[0])];
  return [fallback, fallback];
}

/** Evaluates one step on its input values (gradient-segments.ts runs the plan step by step). */
export function evaluateStep(step: LayerStep, inputs: tf.Tensor[]): tf.Tensor[] {
  const { layer } = step;
  const first = inputs[0] as tf.Tensor;
  switch (step.kind) {
    case 'model': {
      const sub = step.sub as LayerPlan;
      return runPlan(sub, inputs).outputs;
    }
    case 'conv2d': {
      const cfg = layer.getConfig();
      const [kernel, bias] = layer.getWeights();
      const padding = cfg.padding === 'same' ? 'same' : 'valid';
      if (cfg.padding === 'causal') break;
      let y: tf.Tensor = tf.conv2d(first as tf.Tensor4D, kernel as tf.Tensor4D, pair(cfg.strides, 1), padding, 'NHWC', pair(cfg.dilationRate, 1));
      if (cfg.useBias !== false && bias) y = tf.add(y, bias);
      return [activate(layer, y)];
    }
    case 'depthwise': {
      const cfg = layer.getConfig();
      const [kernel, bias] = layer.getWeights();
      const padding = cfg.padding === 'same' ? 'same' : 'valid';
      let y: tf.Tensor = depthwiseConv2dPortable(first as tf.Tensor4D, kernel as tf.Tensor4D, pair(cfg.strides, 1), padding, pair(cfg.dilationRate, 1));
      if (cfg.useBias !== false && bias) y = tf.add(y, bias);
      return [activate(layer, y)];
    }
    case 'separable': {
      const cfg = layer.getConfig();
      const [depthKernel, pointKernel, bias] = layer.getWeights();
      const padding = cfg.padding === 'same' ? 'same' : 'valid';
      const d = depthwiseConv2dPortable(first as tf.Tensor4D, depthKernel as tf.Tensor4D, pair(cfg.strides, 1), padding, pair(cfg.dilationRate, 1));
      let y: tf.Tensor = tf.conv2d(d, pointKernel as tf.Tensor4D, 1, 'valid');
      if (cfg.useBias !== false && bias) y = tf.add(y, bias);
      return [activate(layer, y)];
    }
    case 'dense': {
      const cfg = layer.getConfig();
      const [kernel, bias] = layer.getWeights();
      if (!kernel || first.rank < 2) break;
      const units = kernel.shape[1] as number;
      const lead = first.shape.slice(0, -1);
      const x2 = first.rank === 2 ? first : tf.reshape(first, [-1, first.shape[first.rank - 1] as number]);
      let y: tf.Tensor = tf.matMul(x2 as tf.Tensor2D, kernel as tf.Tensor2D);
      if (cfg.useBias !== false && bias) y = tf.add(y, bias);
      if (first.rank !== 2) y = tf.reshape(y, [...lead, units]);
      return [activate(layer, y)];
    }
    case 'apply':
      break;
  }
  const out = layer.apply(inputs.length === 1 ? first : inputs, step.kwargs);
  return (Array.isArray(out) ? out : [out]) as tf.Tensor[];
}

/**
 * Depthwise 2-D convolution (NHWC, filter [kh, kw, C, m]) whose gradient w.r.t. `x` is built only from
 * ops that every backend implements (pad, reshape, reverse, depthwiseConv2d, sum), because
 * `DepthwiseConv2dNativeBackpropInput` is missing in tfjs-backend-wasm 4.22.
 *
 * Derivation: y[o] = Σ_k x[o·s + k − p] f[k] (per axis, p = leading pad). Hence
 * ∂L/∂x[i] = Σ_k D[i + p − k] f[k] where D is dy dilated by the stride (zeros between rows/cols). That is
 * a 'valid' correlation of D, padded by kh−1−p in front, with the spatially flipped filter. With a channel
 * multiplier m, the (C·m) result channels are summed over m. Only dilation 1 gets the portable gradient
 * (tfjs itself does not differentiate dilated depthwise convs); the filter is a constant (no filter grad).
 */
export function depthwiseConv2dPortable(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: [number, number],
  pad: 'same' | 'valid',
  dilations: [number, number] = [1, 1],
): tf.Tensor4D {
  if (dilations[0] !== 1 || dilations[1] !== 1) return tf.depthwiseConv2d(x, filter, strides, pad, 'NHWC', dilations);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x4 = args[0] as tf.Tensor4D;
    return {
      value: tf.depthwiseConv2d(x4, filter, strides, pad),
      gradFunc: (dy: tf.Tensor4D) => depthwiseInputGrad(dy, x4.shape, filter, strides, pad),
    };
  });
  return op(x) as tf.Tensor4D;
}

function depthwiseInputGrad(
  dy: tf.Tensor4D,
  xShape: [number, number, number, number],
  filter: tf.Tensor4D,
  strides: [number, number],
  pad: 'same' | 'valid',
): tf.Tensor4D {
  const [n, H, W, C] = xShape;
  const [kh, kw, , m] = filter.shape;
  const info = tf.backend_util.computeConv2DInfo(xShape, filter.shape, strides, 1, pad, undefined, true);
  const [sh, sw] = strides;
  const [, oh, ow, cm] = dy.shape;
  // Dilate dy by the stride: [n, oh, ow, cm] -> [n, (oh-1)sh+1, (ow-1)sw+1, cm].
  let d: tf.Tensor4D = dy;
  if (sh > 1 || sw > 1) {
    const six = tf.reshape(dy, [n, oh, 1, ow, 1, cm]);
    const padded = tf.pad(six, [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ]);
    d = tf.slice(tf.reshape(padded, [n, oh * sh, ow * sw, cm]) as tf.Tensor4D, [0, 0, 0, 0], [n, (oh - 1) * sh + 1, (ow - 1) * sw + 1, cm]);
  }
  const dh = d.shape[1];
  const dw = d.shape[2];
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const bottom = H + kh - 1 - top - dh;
  const right = W + kw - 1 - left - dw;
  // Negative pads (rows the forward pass never read) are handled by cropping.
  let p = tf.pad(d, [
    [0, 0],
    [Math.max(top, 0), Math.max(bottom, 0)],
    [Math.max(left, 0), Math.max(right, 0)],
    [0, 0],
  ]);
  p = tf.slice(p, [0, Math.max(-top, 0), Math.max(-left, 0), 0], [n, H + kh - 1, W + kw - 1, cm]);
  const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, cm, 1]) as tf.Tensor4D;
  const full = tf.depthwiseConv2d(p, flipped, 1, 'valid');
  return (m === 1 ? full : tf.sum(tf.reshape(full, [n, H, W, C, m]), 4)) as tf.Tensor4D;
}
