/**
 * A translated ONNX plan as the steps of an input gradient taken in pieces (../gradient-segments.ts,
 * run by lib/runtime/segmented-gradients.ts): so that Cancel stops a long backward pass of an ONNX model
 * (a 224×224 ResNet takes seconds on WASM) at the next piece, as it does for TF.js models.
 *
 * Step 0 is the adapter's normalisation (`x` → the graph input), then one step per plan node (in the
 * plan's topological order), then the adapter's class scores (graph output → `scores`). Graph value names
 * are keyed `onnx/<name, URI-encoded>`, so an input called "x" or "scores" cannot collide with the two fixed keys.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ScoreKind } from '../adapter-types';
import { INPUT_KEY, SCORES_KEY, type GradientSegments, type SegmentStep } from '../gradient-segments';
import { BATCH } from './fold';
import type { OnnxPlan, Step } from './convert';

const HEAVY_OPS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);
const LIGHT = 0.05;
/** Never holds ':' (planPieces will not cut where a key has one: a TF.js graph node's secondary output). */
const key = (name: string) => `onnx/${encodeURIComponent(name)}`;

interface Piece extends SegmentStep {
  apply(env: Map<string, tf.Tensor>): void;
}

/** The batch size of a stored value: its dimension where the ONNX shape has BATCH (4-D: NHWC, batch first). */
function batchOf(t: tf.Tensor, shape: readonly number[] | undefined): number {
  if (!shape || shape.length === 4) return t.shape[0] as number;
  const at = shape.indexOf(BATCH);
  return (t.shape[at < 0 ? 0 : at] as number) ?? 1;
}

export function onnxSegments(
  plan: OnnxPlan,
  pre: (x: tf.Tensor4D) => tf.Tensor4D,
  head: (raw: tf.Tensor) => tf.Tensor2D,
  scoreKind: ScoreKind,
): GradientSegments {
  // The ONNX shape of every value, to read the batch size off whatever a piece starts from.
  const shapes = new Map<string, readonly number[]>([[plan.inputName, [BATCH, 0, 0, 0]]]);
  for (const s of plan.steps) s.outputs.forEach((o, i) => shapes.set(o, s.shapes[i] ?? []));
  const nodeStep = (s: Step): Piece => ({
    inputs: [...new Set(s.inputs.filter((i): i is string => i !== undefined).map(key))],
    outputs: s.outputs.map(key),
    weight: HEAVY_OPS.has(s.op) ? 1 : LIGHT,
    apply: (env) => {
      const first = s.inputs.find((i): i is string => i !== undefined);
      const firstT = first ? env.get(key(first)) : undefined;
      const n = firstT && first ? batchOf(firstT, shapes.get(first)) : 1;
      const outs = s.run(
        s.inputs.map((i) => {
          if (i === undefined) return undefined;
          const t = env.get(key(i));
          if (!t) throw new Error(`onnx segments: ${i} is not computed before node ${s.name}`);
          return t;
        }),
        n,
      );
      s.outputs.forEach((o, j) => {
        const t = outs[j];
        if (t) env.set(key(o), t);
      });
    },
  });
  const steps: Piece[] = [
    {
      inputs: [INPUT_KEY],
      outputs: [key(plan.inputName)],
      weight: LIGHT,
      apply: (env) => void env.set(key(plan.inputName), pre(env.get(INPUT_KEY) as tf.Tensor4D)),
    },
    ...plan.steps.map(nodeStep),
    {
      inputs: [key(plan.outputName)],
      outputs: [SCORES_KEY],
      weight: LIGHT,
      apply: (env) => void env.set(SCORES_KEY, head(env.get(key(plan.outputName)) as tf.Tensor)),
    },
  ];
  return {
    steps: steps.map(({ inputs, outputs, weight }) => ({ inputs, outputs, weight })),
    scoreKind,
    run(from, to, env, keys) {
      const local = new Map(env);
      for (let i = from; i < to && i < steps.length; i++) (steps[i] as Piece).apply(local);
      return keys.map((k) => {
        const v = local.get(k);
        if (!v) throw new Error(`onnx segments: ${k} was not computed`);
        return v;
      });
    },
  };
}
