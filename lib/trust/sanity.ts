/**
 * The sanity check of Adebayo et al. 2018 (cascading model-parameter randomisation, §3.1 of
 * https://arxiv.org/abs/1810.03292) on a tfjs LayersModel or GraphModel, or an ONNX plan: the layers (graph: weighted ops)
 * are re-drawn from the top (the output) down, one more per step and cumulatively, and the map is
 * recomputed after each step. A
 * method whose map does not change while the model is destroyed cannot be explaining the model.
 *
 * The model given here is a COPY the caller made for this purpose (the worker loads the model again from its
 * source): its weights are overwritten. Worker side: imports tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { abortError, now } from '@/lib/explain/common';
import { ExplainError } from '@/lib/models/adapter-types';
import { sanityVerdict, spearmanAbs, ssimAbs, type SanityVerdict } from './similarity';

export interface SanityStep {
  /** The layer randomised at this step (every layer of the earlier steps stays randomised). */
  layer: string;
  /** The map after this step, H×W. */
  values: Float32Array;
  /** Spearman ρ and SSIM of |map| against the original |map|. */
  spearman: number;
  ssim: number;
}

export interface SanityResult {
  original: Float32Array;
  width: number;
  height: number;
  steps: SanityStep[];
  verdict: SanityVerdict;
  ms: number;
}

/** Layers with trainable weights, from the output to the input (the cascade's order). */
export function layersTopDown(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.weights.length > 0).reverse();
}

/**
 * New tensors N(0, σ²) shaped like `values`, σ = each value's own standard deviation (a weight keeps its
 * scale; a constant one — a zero bias — stays at 0), seeded. The σ are read outside any tidy; the caller
 * owns the result.
 */
async function redrawn(values: readonly tf.Tensor[], seed: number): Promise<tf.Tensor[]> {
  const sdT = tf.tidy(() => tf.stack(values.map((v) => tf.moments(v).variance.sqrt())));
  const sds = await sdT.data();
  sdT.dispose();
  return values.map((v, i) => tf.randomNormal(v.shape, 0, sds[i] ?? 0, 'float32', seed + i));
}

/** Re-draws every weight of `layer` (see `redrawn`), seeded. Disposes what it creates. */
export async function randomiseLayer(layer: tf.layers.Layer, seed: number): Promise<void> {
  const next = await redrawn(
    layer.weights.map((w) => w.read()),
    seed,
  );
  layer.setWeights(next);
  tf.dispose(next);
}

type GraphNodeDef = { name: string; op?: string; input?: string[] };

/** A node name from an input reference ("^ctrl", "node:1" → "node"). */
const nodeOf = (ref: string) => ref.replace(/^\^/, '').replace(/:\d+$/, '');

/**
 * The weighted ops of a GraphModel from the output to the input: the graph's nodes in topological order
 * walked back from the output, and for each op the float weight constants (more than one value: not a
 * scalar or a shape) it reads that no op nearer the output took already.
 */
export function graphWeightsTopDown(model: tf.GraphModel): { name: string; weights: string[] }[] {
  const topology = (model as unknown as { artifacts?: { modelTopology?: { node?: GraphNodeDef[] } } }).artifacts
    ?.modelTopology;
  const nodes = topology?.node ?? [];
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const weights = model.weights;
  const isWeight = (name: string) => {
    const t = weights[name]?.[0];
    return byName.get(name)?.op === 'Const' && t !== undefined && t.dtype === 'float32' && t.size > 1;
  };
  // Depth-first post-order from the output: every node after its inputs (iterative: graphs run deep).
  const order: string[] = [];
  const seen = new Set<string>();
  const stack: [string, boolean][] = model.outputs.map((o) => [nodeOf(o.name), false]);
  while (stack.length > 0) {
    const [name, expanded] = stack.pop() as [string, boolean];
    if (expanded) {
      order.push(name);
      continue;
    }
    if (seen.has(name)) continue;
    seen.add(name);
    stack.push([name, true]);
    for (const ref of byName.get(name)?.input ?? []) if (!seen.has(nodeOf(ref))) stack.push([nodeOf(ref), false]);
  }
  const taken = new Set<string>();
  const steps: { name: string; weights: string[] }[] = [];
  for (const name of order.reverse()) {
    const node = byName.get(name);
    if (!node || node.op === 'Const') continue;
    const own = [...new Set((node.input ?? []).map(nodeOf))].filter((w) => isWeight(w) && !taken.has(w));
    own.forEach((w) => taken.add(w));
    if (own.length > 0) steps.push({ name, weights: own });
  }
  return steps;
}

/**
 * Replaces weight constants of a GraphModel (name → new tensor; the old ones are disposed). Through the
 * executor's `weightMap` setter, which also records the ids it must never dispose after a run: tfjs 4.22
 * has no public way to set a graph model's weights.
 */
function setGraphWeights(model: tf.GraphModel, next: Record<string, tf.Tensor>): void {
  const executor = (model as unknown as { executor: { weightMap: Record<string, tf.Tensor[]> } }).executor;
  const map: Record<string, tf.Tensor[]> = { ...executor.weightMap };
  for (const [name, t] of Object.entries(next)) {
    tf.dispose(map[name]);
    map[name] = [t];
  }
  executor.weightMap = map;
}

/** One step of the cascade: a name and how to re-draw its weights (seeded). */
export interface CascadeStep {
  name: string;
  randomise(seed: number): Promise<void>;
}

/**
 * Cascade steps over weights held as variables (an ONNX plan's, `weightsTopDown`), from the output down:
 * each step re-draws its variables in place (`assign`).
 */
export function variableSteps(steps: readonly { name: string; weights: readonly tf.Variable[] }[]): CascadeStep[] {
  return steps.map((step) => ({
    name: step.name,
    randomise: async (seed) => {
      const next = await redrawn(step.weights, seed);
      step.weights.forEach((w, i) => w.assign(next[i] as tf.Tensor));
      tf.dispose(next);
    },
  }));
}

/** The cascade's steps of a model: a name and how to re-draw its weights, from the output down. */
function cascadeSteps(model: tf.LayersModel | tf.GraphModel | readonly CascadeStep[]): CascadeStep[] {
  if (Array.isArray(model)) return [...model];
  if (model instanceof tf.GraphModel)
    return graphWeightsTopDown(model).map((step) => ({
      name: step.name,
      randomise: async (seed) => {
        const values = step.weights.map((w) => model.weights[w]?.[0] as tf.Tensor);
        const next = await redrawn(values, seed);
        setGraphWeights(model, Object.fromEntries(step.weights.map((w, i) => [w, next[i] as tf.Tensor])));
      },
    }));
  return layersTopDown(model as tf.LayersModel).map((layer) => ({
    name: layer.name,
    randomise: (seed) => randomiseLayer(layer, seed),
  }));
}

/**
 * Cascading randomisation of `model` (a copy: its weights are overwritten) — a LayersModel by its layers
 * with weights, a GraphModel by its weighted ops (`graphWeightsTopDown`), or given steps (`variableSteps`:
 * an ONNX plan's weighted nodes). `mapOf` computes the method's
 * map (H×W = `size`) on the model as it is now; it is called once for the original and once per step.
 * `maxSteps` limits the cascade to the top layers (default: all layers with weights).
 */
export async function cascadingRandomisation(
  model: tf.LayersModel | tf.GraphModel | readonly CascadeStep[],
  mapOf: () => Promise<Float32Array>,
  size: { width: number; height: number },
  opts: { seed?: number; maxSteps?: number; signal?: AbortSignal; onProgress?: (f: number) => void } = {},
): Promise<SanityResult> {
  const t0 = now();
  const layers = cascadeSteps(model).slice(0, opts.maxSteps ?? Infinity);
  if (layers.length === 0) throw new ExplainError('this model has no layer with weights to randomise');
  const check = () => {
    if (opts.signal?.aborted) throw abortError();
  };
  check();
  const original = await mapOf();
  const total = layers.length + 1;
  opts.onProgress?.(1 / total);
  const steps: SanityStep[] = [];
  for (const [i, layer] of layers.entries()) {
    check();
    await layer.randomise((opts.seed ?? 1) * 1000 + i * 16);
    const values = await mapOf();
    steps.push({
      layer: layer.name,
      values,
      spearman: spearmanAbs(original, values),
      ssim: ssimAbs(original, values, size.width, size.height),
    });
    opts.onProgress?.((i + 2) / total);
  }
  return { original, width: size.width, height: size.height, steps, verdict: sanityVerdict(steps), ms: now() - t0 };
}
