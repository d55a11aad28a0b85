/**
 * A model as an ordered list of steps over keyed tensors, so that one input gradient can be taken in pieces
 * (issue 12 item 5: Cancel within 200 ms even where one image's backward pass takes seconds). The pieces are
 * run by lib/runtime/segmented-gradients.ts; this file only describes the model.
 *
 * - LayersModel: one step per layer application of our interpreter's plan (layer-graph.ts), nested models
 *   inlined, so a piece can end after any layer.
 * - GraphModel: one step per node of the converted graph that depends on the input, in topological order;
 *   a piece runs `model.execute` with the tensors live at its start as feeds and those live at its end as
 *   fetches (the executor computes the nodes in between; constants come from its weights).
 *
 * Step 0 is the adapter's pixel-space normalisation (key `x` → the model's input), the last step its class
 * scores (the model's output → key `scores`), so the pieces compute exactly the adapter's `forward`.
 * Everything is synchronous tensor code: call `run` inside `tf.tidy`.
 */
import * as tf from '@tensorflow/tfjs';
import type { ScoreKind } from './adapter-types';
import { evaluateStep, type LayerPlan, type LayerStep } from './layer-graph';

/** The key of the pixel-space batch x [n, h, w, c] and of the class scores [n, K]. */
export const INPUT_KEY = 'x';
export const SCORES_KEY = 'scores';

export interface SegmentStep {
  /** Keys of the tensors the step reads (in order) and writes. */
  inputs: string[];
  outputs: string[];
  /** Relative cost (a convolution or matrix product 1, anything else a small fraction). */
  weight: number;
}

export interface GradientSegments {
  steps: SegmentStep[];
  /** Which scalar the class scores are (the adapter's `scoreKind`). */
  scoreKind: ScoreKind;
  /**
   * Runs steps [from, to) with `env` holding (at least) every tensor they read that an earlier step wrote,
   * and returns the tensors of `keys` (from `env` when a key passes through). Synchronous; inside `tf.tidy`.
   */
  run(from: number, to: number, env: ReadonlyMap<string, tf.Tensor>, keys: readonly string[]): tf.Tensor[];
}

type Pre = (x: tf.Tensor4D) => tf.Tensor4D;
type Head = (raw: tf.Tensor) => tf.Tensor2D;

const HEAVY_LAYER = new Set(['conv2d', 'depthwise', 'separable', 'dense']);
const HEAVY_OP = /Conv2D|Depthwise|MatMul|Conv3D|BatchMatMul|Einsum/;
const LIGHT = 0.05;

/** Keeps only the steps that the scores depend on (a dead branch would have no gradient path). */
function prune<S extends { inputs: string[]; outputs: string[] }>(steps: S[]): S[] {
  const needed = new Set<string>([SCORES_KEY]);
  const kept: S[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i] as S;
    if (!s.outputs.some((k) => needed.has(k))) continue;
    kept.push(s);
    for (const k of s.inputs) needed.add(k);
  }
  return kept.reverse();
}

interface LayerSegmentStep extends SegmentStep {
  apply(inputs: tf.Tensor[]): tf.Tensor[];
}

/** Inlines nested models: every step reads and writes string keys scoped by where the model sits. */
function flatten(plan: LayerPlan, scope: string, inputKeys: readonly string[], out: LayerSegmentStep[]): string[] {
  const alias = new Map<number, string>();
  plan.inputIds.forEach((id, i) => alias.set(id, inputKeys[i] as string));
  const key = (id: number) => alias.get(id) ?? `${scope}${id}`;
  plan.steps.forEach((step: LayerStep, index) => {
    const inputs = step.inputIds.map(key);
    if (step.kind === 'model' && step.sub) {
      const outs = flatten(step.sub, `${scope}${index}/`, inputs, out);
      step.outputIds.forEach((id, i) => alias.set(id, outs[i] as string));
      return;
    }
    out.push({
      inputs,
      outputs: step.outputIds.map(key),
      weight: HEAVY_LAYER.has(step.kind) ? 1 : LIGHT,
      apply: (xs) => evaluateStep(step, xs),
    });
  });
  return plan.outputIds.map(key);
}

function runSteps(
  steps: readonly { inputs: string[]; outputs: string[]; apply(xs: tf.Tensor[]): tf.Tensor[] }[],
  from: number,
  to: number,
  env: ReadonlyMap<string, tf.Tensor>,
  keys: readonly string[],
): tf.Tensor[] {
  const local = new Map(env);
  for (let i = from; i < to; i++) {
    const s = steps[i];
    if (!s) break;
    const outs = s.apply(
      s.inputs.map((k) => {
        const v = local.get(k);
        if (!v) throw new Error(`gradient-segments: ${k} is not computed before step ${i}`);
        return v;
      }),
    );
    s.outputs.forEach((k, j) => {
      const o = outs[j];
      if (o) local.set(k, o);
    });
  }
  return keys.map((k) => {
    const v = local.get(k);
    if (!v) throw new Error(`gradient-segments: ${k} was not computed`);
    return v;
  });
}

/** The steps of a LayersModel evaluated by our interpreter (`plan`), between the adapter's `pre` and `head`. */
export function layersSegments(plan: LayerPlan, pre: Pre, head: Head, scoreKind: ScoreKind): GradientSegments {
  const body: LayerSegmentStep[] = [];
  const first = 'in';
  const outs = flatten(plan, 'l', [first], body);
  const steps = prune<LayerSegmentStep>([
    { inputs: [INPUT_KEY], outputs: [first], weight: LIGHT, apply: ([x]) => [pre(x as tf.Tensor4D)] },
    ...body,
    { inputs: [outs[0] as string], outputs: [SCORES_KEY], weight: LIGHT, apply: ([o]) => [head(o as tf.Tensor)] },
  ]);
  return { steps, scoreKind, run: (from, to, env, keys) => runSteps(steps, from, to, env, keys) };
}

/** The parts of the converter's graph we rely on (public at runtime, `GraphModel.executor.graph`). */
interface GraphNodeLike {
  name: string;
  op: string;
  inputNames: string[];
  children: GraphNodeLike[];
}

const baseName = (name: string) => name.split(':')[0] as string;
/** Our key for an input name of a node: the node's name for output 0, `name:i` for others. */
const keyOf = (name: string) => {
  const parts = name.split(':');
  const index = parts.length > 1 ? Number(parts[parts.length - 1]) : 0;
  return index === 0 ? (parts[0] as string) : `${parts[0]}:${index}`;
};

/**
 * The input-dependent nodes of a GraphModel in topological order, between the adapter's `pre` and `head`.
 * Returns null when the graph is not reachable (no executor graph: the model cannot be split).
 */
export function graphSegments(model: tf.GraphModel, pre: Pre, head: Head, scoreKind: ScoreKind): GradientSegments | null {
  const graph = (model as unknown as { executor?: { graph?: { nodes?: Record<string, GraphNodeLike> } } }).executor
    ?.graph;
  const nodes = graph?.nodes;
  const input = model.inputs[0]?.name;
  const output = model.outputs[0]?.name;
  if (!nodes || !input || !output || !nodes[baseName(input)] || !nodes[baseName(output)]) return null;
  const inputNode = baseName(input);
  const outputKey = keyOf(output);
  // Nodes that depend on the input (breadth-first over children), then Kahn's order among them.
  const dependent = new Set<string>([inputNode]);
  const queue: GraphNodeLike[] = [nodes[inputNode] as GraphNodeLike];
  while (queue.length) {
    const n = queue.shift() as GraphNodeLike;
    for (const c of n.children) {
      if (!dependent.has(c.name)) {
        dependent.add(c.name);
        queue.push(c);
      }
    }
  }
  const deps = (n: GraphNodeLike) =>
    n.inputNames.filter((i) => !i.startsWith('^') && dependent.has(baseName(i))).map(keyOf);
  const order: GraphNodeLike[] = [];
  const done = new Set<string>([inputNode]);
  const pending = [...dependent].filter((n) => n !== inputNode).map((n) => nodes[n] as GraphNodeLike);
  let progress = true;
  while (pending.length && progress) {
    progress = false;
    for (let i = 0; i < pending.length; i++) {
      const n = pending[i] as GraphNodeLike;
      if (!deps(n).every((k) => done.has(baseName(k)))) continue;
      order.push(n);
      done.add(n.name);
      pending.splice(i--, 1);
      progress = true;
    }
  }
  if (pending.length) return null; // a cycle (control flow): not split
  const inKey = keyOf(inputNode);
  const graphSteps: SegmentStep[] = order.map((n) => ({
    inputs: deps(n),
    outputs: [n.name, ...[...new Set(outputsRead(n, dependent, nodes))]],
    weight: HEAVY_OP.test(n.op) ? 1 : LIGHT,
  }));
  const steps = prune([
    { inputs: [INPUT_KEY], outputs: [inKey], weight: LIGHT },
    ...graphSteps,
    { inputs: [outputKey], outputs: [SCORES_KEY], weight: LIGHT },
  ]);
  const last = steps.length - 1;
  return {
    steps,
    scoreKind,
    run(from, to, env, keys) {
      const local = new Map(env);
      let start = from;
      if (start === 0) {
        local.set(inKey, pre(local.get(INPUT_KEY) as tf.Tensor4D));
        start = 1;
      }
      const end = Math.min(to, last);
      if (end > start) {
        // The graph's own tensors read or returned by this piece: feeds are what is live at its start.
        const wanted = new Set<string>();
        for (const k of keys) if (k !== SCORES_KEY && k !== INPUT_KEY) wanted.add(k);
        if (to > last) wanted.add(outputKey);
        const feeds: tf.NamedTensorMap = {};
        for (const [k, v] of local) if (k !== INPUT_KEY && k !== SCORES_KEY) feeds[k] = v;
        const fetches = [...wanted].filter((k) => !(k in feeds));
        if (fetches.length) {
          const got = model.execute(feeds, fetches);
          const list = Array.isArray(got) ? got : [got as tf.Tensor];
          fetches.forEach((k, i) => local.set(k, list[i] as tf.Tensor));
        }
      }
      if (to > last) local.set(SCORES_KEY, head(local.get(outputKey) as tf.Tensor));
      return keys.map((k) => {
        const v = local.get(k);
        if (!v) throw new Error(`gradient-segments: ${k} was not computed`);
        return v;
      });
    },
  };
}

/** The secondary outputs (`name:i`, i > 0) of node `n` that input-dependent nodes read. */
function outputsRead(n: GraphNodeLike, dependent: Set<string>, nodes: Record<string, GraphNodeLike>): string[] {
  const out: string[] = [];
  for (const c of n.children) {
    if (!dependent.has(c.name)) continue;
    for (const i of (nodes[c.name] as GraphNodeLike).inputNames) {
      if (baseName(i) === n.name && keyOf(i) !== n.name) out.push(keyOf(i));
    }
  }
  return out;
}
