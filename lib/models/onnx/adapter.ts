/**
 * The `ModelAdapter` of a translated ONNX graph. Pixel space in, as for every adapter: x [n, h, w, c],
 * p ∈ [0, 1]; normalisation (`normalizeTensor`) runs inside the differentiable forward pass. The stored
 * layout of the ONNX input [N, C, H, W] is exactly [N, H, W, C] (layout.ts), so x goes in as it is.
 *
 * Counting, target checks, `scores` / `probabilities` / `inputGradients` and the Grad-CAM gradient at a cut
 * come from the shared `BaseAdapter` (../adapter.ts); this file only runs the translated steps.
 * Grad-CAM layers are the graph's values with spatial 4-D outputs; their activations are returned in the
 * stored layout [n, h', w', k], the layout every method expects.
 */
import type * as tf from '@tensorflow/tfjs';
import { BaseAdapter, normalizeTensor } from '../adapter';
import type { GradientSegments } from '../gradient-segments';
import { onnxSegments } from './segments';
import { ExplainError } from '../adapter-types';
import type { ModelInfo } from '../types';
import { disposePlan, downstreamOf, runSteps, upstreamOf, type OnnxPlan, type Step } from './convert';

export class OnnxAdapter extends BaseAdapter {
  constructor(
    readonly plan: OnnxPlan,
    info: ModelInfo,
  ) {
    super(info);
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

  protected forward(x: tf.Tensor4D): tf.Tensor2D {
    return this.runModelSpace(normalizeTensor(x, this.info.preprocessing));
  }

  /** Grad-CAM's cut at `layer`: the value name and the downstream steps. */
  private layerPlan(layer: string): { value: string; steps: Step[] } {
    return this.cutPlan(layer, () => {
      if (!this.info.spatialLayers.includes(layer)) throw new ExplainError(`node "${layer}" is not a spatial node of this model`);
      const value = this.plan.steps.find((s) => s.name === layer)?.outputs[0];
      if (!value) throw new ExplainError(`node "${layer}" is not a node of this model`);
      return { value, steps: downstreamOf(this.plan.steps, value) };
    });
  }

  layerGradients(x: tf.Tensor4D, layer: string, target: number) {
    this.checkTarget(target);
    const lp = this.layerPlan(layer);
    this.tick(x);
    const env = this.env(normalizeTensor(x, this.info.preprocessing));
    return this.cutGradients(layer, env.get(lp.value), this.output(env), target, (a) => {
      const local = new Map(env);
      local.set(lp.value, a);
      runSteps(lp.steps, local, x.shape[0]);
      return this.output(local);
    });
  }

  private pieces?: GradientSegments;
  /** The plan's steps as pieces of an input gradient (Cancel within one piece, segmented-gradients.ts). */
  protected override segments(): GradientSegments {
    this.pieces ??= onnxSegments(
      this.plan,
      (x) => normalizeTensor(x, this.info.preprocessing),
      (raw) => this.classScores(raw as tf.Tensor2D),
      this.scoreKind,
    );
    return this.pieces;
  }

  /** The output of spatial node `layer` for a model-space batch: the plan's steps upstream of it only. */
  private upstreamValue(layer: string): (xn: tf.Tensor4D) => tf.Tensor | undefined {
    const lp = this.layerPlan(layer);
    const up = this.cutPlan(`\u0000upstream of ${layer}`, () => ({
      value: lp.value,
      steps: upstreamOf(this.plan.steps, lp.value),
    }));
    return (xn) => {
      const env = new Map<string, tf.Tensor>([[this.plan.inputName, xn]]);
      runSteps(up.steps, env, xn.shape[0]);
      return env.get(up.value);
    };
  }

  /** Feature visualisation: the mean of one channel of spatial node `layer` and its input gradient. */
  channelGradients(x: tf.Tensor4D, layer: string, channel: number) {
    return this.channelGradientsAt(x, layer, channel, this.upstreamValue(layer));
  }

  layerActivations(x: tf.Tensor4D, layer: string) {
    return this.layerActivationsAt(x, layer, this.upstreamValue(layer));
  }

  dispose(): void {
    if (this.markDisposed()) disposePlan(this.plan);
  }
}
