/**
 * The `ModelAdapter` of a translated ONNX graph. Pixel space in, as for every adapter: x [n, h, w, c],
 * p ∈ [0, 1]; normalisation (`normalizeTensor`) runs inside the differentiable forward pass. The stored
 * layout of the ONNX input [N, C, H, W] is exactly [N, H, W, C] (layout.ts), so x goes in as it is.
 *
 * Grad-CAM layers are the graph's values with spatial 4-D outputs; their activations are returned in the
 * stored layout [n, h', w', k], the layout every method expects.
 */
import * as tf from '@tensorflow/tfjs';
import { normalizeTensor } from '../adapter';
import { ExplainError, type ModelAdapter, type ScoreKind } from '@/lib/explain/types';
import type { ModelInfo } from '../types';
import { disposePlan, downstreamOf, runSteps, type OnnxPlan, type Step } from './convert';

function targetSum(scores: tf.Tensor2D, target: number): tf.Scalar {
  return tf.sum(tf.slice(scores, [0, target], [-1, 1]));
}

function explainBackendError(e: unknown, what: string): never {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /Kernel '([^']+)' not registered for backend '([^']+)'/.exec(msg);
  if (m) {
    throw new ExplainError(
      `${what} needs the '${m[1]}' kernel, which the '${m[2]}' backend does not have. Switch to the CPU or WebGL backend, or use a black-box method (occlusion, RISE).`,
    );
  }
  throw e;
}

export class OnnxAdapter implements ModelAdapter {
  private readonly count = { calls: 0, images: 0 };
  private disposed = false;
  /** Layer name → (value name, downstream steps); built once per layer. */
  private readonly layerPlans = new Map<string, { value: string; steps: Step[] }>();

  constructor(
    readonly plan: OnnxPlan,
    readonly info: ModelInfo,
  ) {}

  get counters(): { readonly calls: number; readonly images: number } {
    return { calls: this.count.calls, images: this.count.images };
  }
  resetCounters(): void {
    this.count.calls = 0;
    this.count.images = 0;
  }

  private get scoreKind(): ScoreKind {
    return this.info.outputKind === 'logits' ? 'logit' : 'probability';
  }

  private tick(x: tf.Tensor4D): void {
    if (this.disposed) throw new ExplainError('the model was disposed');
    this.count.calls += 1;
    this.count.images += x.shape[0];
  }

  private checkTarget(target: number): void {
    if (!Number.isInteger(target) || target < 0 || target >= this.info.numClasses) {
      throw new ExplainError(`target class ${target} is out of range: this model has ${this.info.numClasses} classes (0…${this.info.numClasses - 1})`);
    }
  }

  /** Runs the whole graph on a model-space batch; returns every value. */
  private env(xn: tf.Tensor4D): Map<string, tf.Tensor> {
    const env = new Map<string, tf.Tensor>([[this.plan.inputName, xn]]);
    runSteps(this.plan.steps, env, xn.shape[0]);
    return env;
  }

  private output(env: Map<string, tf.Tensor>): tf.Tensor2D {
    const y = env.get(this.plan.outputName);
    if (!y || y.rank !== 2) throw new ExplainError('the ONNX graph produced no [batch, classes] output');
    return y as tf.Tensor2D;
  }

  /** Raw graph output for a model-space batch x [n, h, w, c] (no normalisation). For parity tests. */
  runModelSpace(xn: tf.Tensor4D): tf.Tensor2D {
    return this.output(this.env(xn));
  }

  private forward(x: tf.Tensor4D): tf.Tensor2D {
    return this.runModelSpace(normalizeTensor(x, this.info.preprocessing));
  }

  scores(x: tf.Tensor4D): tf.Tensor2D {
    this.tick(x);
    return this.forward(x);
  }

  probabilities(x: tf.Tensor4D): tf.Tensor2D {
    this.tick(x);
    const s = this.forward(x);
    return this.info.outputKind === 'logits' ? tf.softmax(s) : s;
  }

  inputGradients(x: tf.Tensor4D, target: number): { grads: tf.Tensor4D; scores: tf.Tensor2D; scoreKind: ScoreKind } {
    this.checkTarget(target);
    this.tick(x);
    let stash: tf.Tensor2D | undefined;
    let grads: tf.Tensor4D;
    try {
      grads = tf.grad((xx: tf.Tensor) => {
        const s = this.forward(xx as tf.Tensor4D);
        stash = tf.keep(s);
        return targetSum(s, target);
      })(x) as tf.Tensor4D;
    } catch (e) {
      if (stash) stash.dispose();
      explainBackendError(e, 'The input gradient of this model');
    }
    const kept = stash as tf.Tensor2D;
    const scores = tf.clone(kept);
    kept.dispose();
    return { grads, scores, scoreKind: this.scoreKind };
  }

  private layerPlan(layer: string): { value: string; steps: Step[] } {
    let p = this.layerPlans.get(layer);
    if (!p) {
      if (!this.info.spatialLayers.includes(layer)) throw new ExplainError(`node "${layer}" is not a spatial node of this model`);
      const step = this.plan.steps.find((s) => s.name === layer);
      const value = step?.outputs[0];
      if (!value) throw new ExplainError(`node "${layer}" is not a node of this model`);
      p = { value, steps: downstreamOf(this.plan.steps, value) };
      this.layerPlans.set(layer, p);
    }
    return p;
  }

  layerGradients(x: tf.Tensor4D, layer: string, target: number) {
    this.checkTarget(target);
    const lp = this.layerPlan(layer);
    this.tick(x);
    const xn = normalizeTensor(x, this.info.preprocessing);
    const env = this.env(xn);
    const activations = env.get(lp.value);
    if (!activations || activations.rank !== 4) throw new ExplainError(`node "${layer}" is not spatial`);
    const scores = this.output(env);
    let grads: tf.Tensor4D;
    try {
      grads = tf.grad((a: tf.Tensor) => {
        const local = new Map(env);
        local.set(lp.value, a);
        runSteps(lp.steps, local, x.shape[0]);
        return targetSum(this.output(local), target);
      })(activations) as tf.Tensor4D;
    } catch (e) {
      explainBackendError(e, `The gradient at node "${layer}"`);
    }
    return { activations: activations as tf.Tensor4D, grads, scores, scoreKind: this.scoreKind };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.layerPlans.clear();
    disposePlan(this.plan);
  }
}
