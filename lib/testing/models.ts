/**
 * Tiny known-answer models for tests (PAIR-saliency style) and a `ModelInfo` builder for them.
 * Every model here is built in memory with hand-set or seeded weights; the caller owns (and disposes) it,
 * usually by handing it to an adapter.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageInput } from '@/lib/explain/types';
import { mulberry32 } from '@/lib/random';
import type { LayerSummary, ModelInfo, OutputKind, Preprocessing } from '@/lib/models/types';

/** A ModelInfo for an in-memory LayersModel: spatial layers are those with a [null, h>1, w>1, k] output. */
export function infoFor(
  model: tf.LayersModel,
  overrides: Partial<Omit<ModelInfo, 'preprocessing'>> & {
    preprocessing?: Partial<Preprocessing>;
    outputKind?: OutputKind;
  } = {},
): ModelInfo {
  const inShape = model.inputs[0]?.shape ?? [];
  const [h, w, c] = [inShape[1] ?? 1, inShape[2] ?? 1, inShape[3] ?? 1] as number[];
  const outShape = model.outputs[0]?.shape ?? [null, 1];
  const numClasses = (outShape[outShape.length - 1] as number) ?? 1;
  const layers: LayerSummary[] = model.layers.map((l) => {
    const shape = (Array.isArray(l.outputShape[0]) ? l.outputShape[0] : l.outputShape) as (number | null)[];
    const spatial = shape.length === 4 && (shape[1] ?? 0) > 1 && (shape[2] ?? 0) > 1;
    return { name: l.name, className: l.getClassName(), outputShape: shape, params: l.countParams(), spatial };
  });
  const { preprocessing, ...rest } = overrides;
  return {
    id: 'test-model',
    name: 'test model',
    source: 'user',
    format: 'layers',
    inputShape: [h as number, w as number, c as number],
    outputShape: [null, numClasses],
    numClasses,
    labels: Array.from({ length: numClasses }, (_, i) => `class ${i}`),
    // One raw output is a value (regression: scores pass unchanged); more are logits.
    outputKind: numClasses === 1 ? 'regression' : 'logits',
    paramCount: model.countParams(),
    layers,
    spatialLayers: layers.filter((l) => l.spatial && l.className !== 'InputLayer').map((l) => l.name),
    ...rest,
    preprocessing: {
      height: h as number,
      width: w as number,
      channels: (c === 1 ? 1 : 3) as 1 | 3,
      channelOrder: 'rgb',
      normalization: 'zero-one',
      resize: 'stretch',
      ...preprocessing,
    },
  };
}

/**
 * Linear model: logits = flatten(x) · W + b. `weights` has length h·w·c·K, row-major [h·w·c, K]
 * (pixel-channel index major, class minor). Gradient of logit k w.r.t. x = column k of W.
 */
export function linearModel(
  h: number,
  w: number,
  c: number,
  k: number,
  weights: Float32Array,
  bias?: Float32Array,
): tf.LayersModel {
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [h, w, c] }), tf.layers.dense({ units: k, name: 'logits' })],
  });
  tf.tidy(() =>
    model.layers[1]?.setWeights([tf.tensor2d(weights, [h * w * c, k]), tf.tensor1d(bias ?? new Float32Array(k))]),
  );
  return model;
}

/**
 * "One-region" model on an h×w×1 input: logit 0 = 0.5·Σ x − 2 over the region rows [r0, r1) × cols [c0, c1),
 * logit 1 = 0 (so P(class 0) = sigmoid(logit 0) depends on that region only).
 */
export function oneRegionModel(
  h: number,
  w: number,
  region: { r0: number; r1: number; c0: number; c1: number },
): tf.LayersModel {
  const weights = new Float32Array(h * w * 2);
  for (let r = region.r0; r < region.r1; r++)
    for (let c = region.c0; c < region.c1; c++) weights[(r * w + c) * 2] = 0.5;
  const bias = new Float32Array([-2, 0]);
  return linearModel(h, w, 1, 2, weights, bias);
}

/** A small non-linear CNN with seeded random weights (Conv-ReLU, Conv(linear)-ReLU layer, MaxPool, Dense). */
export function smallCnn(seed = 1, inputShape: [number, number, number] = [8, 8, 3], classes = 3): tf.LayersModel {
  const init = (s: number) => tf.initializers.glorotNormal({ seed: seed * 100 + s });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape,
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        name: 'conv1',
        kernelInitializer: init(1),
        biasInitializer: tf.initializers.constant({ value: 0.05 }),
      }),
      tf.layers.conv2d({
        filters: 6,
        kernelSize: 3,
        padding: 'same',
        name: 'conv2',
        kernelInitializer: init(2),
        biasInitializer: tf.initializers.constant({ value: 0.02 }),
      }),
      tf.layers.activation({ activation: 'relu', name: 'relu2' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: classes, name: 'logits', kernelInitializer: init(3) }),
    ],
  });
}

/** Functional model with a skip connection: conv_a → conv_b → Add(conv_a, conv_b) → ReLU → GAP → Dense. */
export function skipModel(seed = 2, inputShape: [number, number, number] = [8, 8, 3], classes = 3): tf.LayersModel {
  const init = (s: number) => tf.initializers.glorotNormal({ seed: seed * 100 + s });
  const input = tf.input({ shape: inputShape });
  const a = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      name: 'conv_a',
      kernelInitializer: init(1),
    })
    .apply(input) as tf.SymbolicTensor;
  const b = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'conv_b', kernelInitializer: init(2) })
    .apply(a) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'add' }).apply([a, b]) as tf.SymbolicTensor;
  const act = tf.layers.reLU({ name: 'relu' }).apply(sum) as tf.SymbolicTensor;
  const dw = tf.layers
    .depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', name: 'dw', depthwiseInitializer: init(4) })
    .apply(act) as tf.SymbolicTensor;
  const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(dw) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: classes, name: 'logits', kernelInitializer: init(3) })
    .apply(gap) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/**
 * Grad-CAM known answer: input h×w×1 → 1×1 conv 'feat' with 2 channels: ch0 = x, ch1 = 1 − x (hand-set) →
 * GlobalAveragePooling → Dense with identity weights (logit 0 = mean(ch0), logit 1 = mean(ch1)).
 * Grad-CAM at 'feat' for class 0 is ReLU(α·x) with α = 1/(h·w): proportional to the input image itself.
 */
export function gradCamMaskModel(h: number, w: number): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [h, w, 1], filters: 2, kernelSize: 1, name: 'feat' }),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ units: 2, name: 'logits' }),
    ],
  });
  tf.tidy(() => {
    model.getLayer('feat').setWeights([tf.tensor4d([1, -1], [1, 1, 1, 2]), tf.tensor1d([0, 1])]);
    model.getLayer('logits').setWeights([tf.tensor2d([1, 0, 0, 1], [2, 2]), tf.tensor1d([0, 0])]);
  });
  return model;
}

/** A 6×6 object mask written by hand (1 = object), the input of the Grad-CAM known-answer tests. */
export const GRAD_CAM_MASK: readonly (readonly number[])[] = [
  [0, 0, 0, 0, 0, 0],
  [0, 1, 1, 0, 0, 0],
  [0, 1, 1, 1, 0, 0],
  [0, 0, 1, 1, 0, 0],
  [0, 0, 0, 0, 0, 1],
  [0, 0, 0, 0, 0, 0],
];

/** GRAD_CAM_MASK as a 6×6×1 image (feed it to `gradCamMaskModel(6, 6)`). */
export function gradCamMaskImage(): ImageInput {
  return { width: 6, height: 6, channels: 1, data: Float32Array.from(GRAD_CAM_MASK.flat()) };
}

/** Deterministic pseudo-random image in [0, 1] (mulberry32). */
export function seededImage(h: number, w: number, c: number, seed = 7): ImageInput {
  const rand = mulberry32(seed);
  const data = new Float32Array(h * w * c);
  for (let i = 0; i < data.length; i++) data[i] = rand();
  return { width: w, height: h, channels: c, data };
}

/** A constant image. */
export function constantImage(h: number, w: number, c: number, value: number): ImageInput {
  return { width: w, height: h, channels: c, data: new Float32Array(h * w * c).fill(value) };
}
