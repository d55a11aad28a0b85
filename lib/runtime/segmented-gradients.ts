/**
 * One input gradient in pieces, with a yield to the worker's message loop between them, so a Cancel is seen
 * within one piece instead of after the whole backward pass (issue 12 item 5: on a 224×224 network one
 * image's gradient is one synchronous pass of seconds on WASM).
 *
 * How (gradient checkpointing): the model is an ordered list of steps over keyed tensors
 * (lib/models/gradient-segments.ts). Cut into K pieces by step weight, the forward pass runs piece by piece
 * and keeps only the tensors live at each cut (the boundary activations; a skip connection that crosses a
 * cut is one of them). The backward pass then goes from the last piece to the first: piece k re-runs its
 * forward under `tf.grads` and returns the vector–Jacobian product of its boundary outputs with their
 * cotangents, Σⱼ ⟨outⱼ, dyⱼ⟩ differentiated w.r.t. its boundary inputs, which are the cotangents for
 * piece k − 1. The chain rule makes the product of the pieces the one-piece gradient (equal up to the order
 * of float additions where a tensor feeds several pieces). Cost: one extra forward pass (2F + B instead of
 * F + B), paid only where the worker uses it (a measured pass over `SEGMENT_ABOVE_MS`).
 *
 * Non-float tensors live at a cut (shape arithmetic in converted graphs) are constants, with no cotangent.
 * Worker-only (tfjs); results are plain arrays. Every tensor made here is disposed here, also on abort.
 */
import * as tf from '@tensorflow/tfjs';
import { abortError, nextTick } from '@/lib/explain/common';
import type { ModelAdapter } from '@/lib/explain/types';
import { targetSum } from '@/lib/models/adapter';
import { releaseFailedTape } from '@/lib/models/failed-tape';
import { INPUT_KEY, SCORES_KEY, type GradientSegments } from '@/lib/models/gradient-segments';

/** The worker splits a gradient call whose measured pass (one image) is longer than this (the ~150 ms slice). */
export const SEGMENT_ABOVE_MS = 150;
/** The time one backward piece aims at (its re-run forward included), on the measured pass. */
export const PIECE_MS = 40;

/** Instrumentation: pieces run (forward and backward) since the worker started. Plain numbers. */
export const pieceCounter = { forward: 0, backward: 0 };

export interface PiecesOptions {
  /** Checked after every piece (after the yield): an aborted signal stops the pass with an AbortError. */
  signal?: AbortSignal;
  /** How many pieces to aim for (by step weight; fewer where the graph has fewer cut points). ≥ 1. */
  pieces: number;
}

/** The cut points (step indices where a piece starts, then steps.length) and the keys live at each. */
export function planPieces(segments: GradientSegments, pieces: number): { bounds: number[]; live: string[][] } {
  const { steps } = segments;
  const producer = new Map<string, number>([[INPUT_KEY, -1]]);
  const lastUse = new Map<string, number>();
  steps.forEach((s, i) => {
    for (const k of s.inputs) lastUse.set(k, i);
    for (const k of s.outputs) if (!producer.has(k)) producer.set(k, i);
  });
  const liveAfter = (i: number) =>
    [...producer].filter(([k, p]) => p <= i && (lastUse.get(k) ?? -1) > i).map(([k]) => k);
  const total = steps.reduce((a, s) => a + s.weight, 0);
  const target = total / Math.max(1, pieces);
  const bounds = [0];
  const live: string[][] = [[INPUT_KEY]];
  let acc = 0;
  for (let i = 0; i < steps.length - 1; i++) {
    acc += (steps[i] as { weight: number }).weight;
    if (acc < target) continue;
    const keys = liveAfter(i);
    if (keys.some((k) => k.includes(':'))) continue; // a graph node's secondary output cannot be fed back
    bounds.push(i + 1);
    live.push(keys);
    acc = 0;
  }
  bounds.push(steps.length);
  live.push([SCORES_KEY]);
  return { bounds, live };
}

const isFloat = (t: tf.Tensor) => t.dtype === 'float32';

/** s + 0 · Σx for every x: ties each input to the scalar, so one that reaches no output gets zeros. */
function tied(s: tf.Tensor, xs: readonly tf.Tensor[]): tf.Tensor {
  let t = s.rank === 0 ? s : tf.sum(s);
  for (const x of xs) t = tf.add(t, tf.mul(tf.sum(x), 0));
  return t;
}

/**
 * ∂ scores[i, target] / ∂ x[i] for the n stacked HWC images in `data`, and their target scores, in pieces
 * (see module doc). Same numbers as `adapter.inputGradients` over the same steps.
 */
export async function inputGradientsInPieces(
  segments: GradientSegments,
  data: Float32Array,
  shape: readonly [number, number, number, number],
  target: number,
  opts: PiecesOptions,
): Promise<{ grads: Float32Array; targetScores: Float32Array }> {
  const { bounds, live } = planPieces(segments, opts.pieces);
  const K = bounds.length - 1;
  const envs: Map<string, tf.Tensor>[] = [new Map([[INPUT_KEY, tf.tensor4d(data, [...shape])]])];
  let cot = new Map<string, tf.Tensor>();
  let stash: tf.Tensor | undefined;
  const owned = () => new Set([...envs.flatMap((e) => [...e.values()]), ...cot.values(), ...(stash ? [stash] : [])]);
  const pause = async () => {
    await nextTick();
    if (opts.signal?.aborted) throw abortError();
  };
  try {
    for (let k = 0; k < K - 1; k++) {
      const env = envs[k] as Map<string, tf.Tensor>;
      const keys = live[k + 1] as string[];
      const outs = tf.tidy(() => segments.run(bounds[k] as number, bounds[k + 1] as number, env, keys));
      envs.push(new Map(keys.map((key, i) => [key, outs[i] as tf.Tensor])));
      pieceCounter.forward += 1;
      await pause();
    }
    for (let k = K - 1; k >= 0; k--) {
      const env = envs[k] as Map<string, tf.Tensor>;
      const keys = live[k] as string[];
      const xsKeys = keys.filter((key) => isFloat(env.get(key) as tf.Tensor));
      const outKeys = live[k + 1] as string[];
      const from = bounds[k] as number;
      const to = bounds[k + 1] as number;
      const last = k === K - 1;
      const dy = cot;
      const xs = xsKeys.map((key) => env.get(key) as tf.Tensor);
      const vjp = (tie: boolean) =>
        tf.tidy(() => {
          const f = (...args: tf.Tensor[]) => {
            const local = new Map(env);
            xsKeys.forEach((key, i) => local.set(key, args[i] as tf.Tensor));
            const outs = segments.run(from, to, local, outKeys);
            if (last) {
              const scores = outs[0] as tf.Tensor2D;
              stash?.dispose();
              stash = tf.keep(tf.slice(scores, [0, target], [-1, 1]));
              return tie ? tied(targetSum(scores, target), args) : targetSum(scores, target);
            }
            const single = outs.length === 1 && !tie ? outs[0] : undefined;
            if (single) return single; // its cotangent goes in as dy: no extra ops
            let s: tf.Tensor = tf.scalar(0);
            outKeys.forEach((key, j) => {
              const g = dy.get(key);
              const o = outs[j] as tf.Tensor;
              if (g && isFloat(o)) s = tf.add(s, tf.sum(tf.mul(o, g)));
            });
            return tie ? tied(s, args) : s;
          };
          const one = !last && outKeys.length === 1 && !tie ? dy.get(outKeys[0] as string) : undefined;
          return tf.grads(f)(xs, one);
        });
      let grads: tf.Tensor[];
      try {
        grads = vjp(false);
      } catch (e) {
        // An input that reaches no differentiable output of this piece (shape arithmetic): tie it in, retry.
        if (!(e instanceof Error) || !/Cannot compute gradient|Cannot find a connection/.test(e.message)) throw e;
        releaseFailedTape();
        grads = vjp(true);
      }
      cot = new Map(xsKeys.map((key, i) => [key, grads[i] as tf.Tensor]));
      tf.dispose([...dy.values()]);
      // The boundary after this piece is spent (a tensor that passes through it stays: it is in `env`).
      const next = envs[k + 1];
      if (next) {
        const keep = new Set(env.values());
        tf.dispose([...next.values()].filter((t) => !keep.has(t)));
        envs.length = k + 1;
      }
      pieceCounter.backward += 1;
      if (k > 0) await pause();
    }
    const g = cot.get(INPUT_KEY) as tf.Tensor;
    const [grads, scores] = await Promise.all([g.data(), (stash as tf.Tensor).data()]);
    return { grads: new Float32Array(grads), targetScores: new Float32Array(scores) };
  } finally {
    tf.dispose([...owned()]);
  }
}

/** When the worker splits a pass, and into what: the defaults, or smaller in tests. */
export interface PieceLimits {
  /** Split where one measured pass (one image) is longer than this (ms). */
  aboveMs: number;
  /** The time one backward piece aims at (ms). */
  pieceMs: number;
}

/**
 * The adapter as the worker hands it to a method when one measured gradient pass (one image,
 * `gradientOneMs`) is over `limits.aboveMs`: every other call passes through to `adapter`; input gradients go
 * in pieces of ~`limits.pieceMs` and stop at the next piece once `signal` is aborted. Returns `adapter`
 * itself where the pass is short or the model cannot be split (`gradientSegments` null: a graph with control flow).
 */
export function withGradientPieces(
  adapter: ModelAdapter,
  signal: AbortSignal,
  gradientOneMs: number,
  limits: PieceLimits = { aboveMs: SEGMENT_ABOVE_MS, pieceMs: PIECE_MS },
): ModelAdapter {
  const split = adapter.gradientSegments?.bind(adapter);
  if (!(gradientOneMs > limits.aboveMs) || !split) return adapter;
  const wrapped: ModelAdapter = Object.create(adapter) as ModelAdapter;
  wrapped.inputGradientsInPieces = async (data, n, input, target) => {
    const segments = split(target, n);
    if (!segments) return null;
    const pieces = Math.max(1, Math.ceil((gradientOneMs * n) / limits.pieceMs));
    const shape = [n, input.height, input.width, input.channels] as const;
    const r = await inputGradientsInPieces(segments, data, shape, target, { signal, pieces });
    return { ...r, scoreKind: segments.scoreKind };
  };
  return wrapped;
}
