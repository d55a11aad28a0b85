/**
 * A MobileNet-v1-sized network with seeded random weights, built with tf.layers, for benchmarks only
 * (Howard et al. 2017, https://arxiv.org/abs/1704.04861, Table 1).
 *
 * Architecture (input 224×224×3 at alpha = 1): conv 3×3/2 (32) → 13 depthwise-separable blocks
 * [depthwise 3×3 (stride 1 or 2) → BN → ReLU6 → pointwise 1×1 → BN → ReLU6] with widths
 * 64, 128/2, 128, 256/2, 256, 512/2, 512 ×5, 1024/2, 1024 → global average pooling → dropout → dense
 * (numClasses, logits). Convolutions have no bias (BatchNormalization follows them), like Keras'
 * `MobileNet(include_top=True)`, so the parameter count at alpha = 1, 1000 classes is Keras' 4,253,864
 * (its classifier is a 1×1 conv on the pooled features, which has the same weights as our dense layer).
 * 'same' padding replaces Keras' explicit ZeroPadding2D before strided layers (same parameter count,
 * same output sizes).
 *
 * Weights: He-normal kernels (truncated normal, seed = `seed + layer index`), BN γ = 1, β = 0,
 * moving mean 0, moving variance 1, so activations stay finite through all 27 conv layers. The weights
 * mean nothing; the network is here for its shape and cost (≈ 0.57 GMAC per 224² image at alpha = 1).
 *
 * Ownership: the caller owns the returned model (dispose it with `model.dispose()`).
 */
import * as tf from '@tensorflow/tfjs';

export interface MobileNetOptions {
  /** Width multiplier α ∈ (0, 1]: every layer has round(α·filters) channels. Default 1. */
  alpha?: number;
  /** Square input side in pixels (≥ 32). Default 224. */
  inputSize?: number;
  /** Output classes. Default 1000. */
  numClasses?: number;
  /** Seed of the kernel initializers. Default 1. */
  seed?: number;
}

/** (pointwise filters, depthwise stride) of the 13 depthwise-separable blocks (paper Table 1). */
export const MOBILENET_V1_BLOCKS: readonly (readonly [number, 1 | 2])[] = [
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
  [256, 1],
  [512, 2],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [1024, 2],
  [1024, 1],
];

/** Channels of a layer with `filters` at width multiplier `alpha` (at least 1). */
export function widthOf(filters: number, alpha: number): number {
  return Math.max(1, Math.round(filters * alpha));
}

function resolve(opts: MobileNetOptions): Required<MobileNetOptions> {
  const o = {
    alpha: opts.alpha ?? 1,
    inputSize: opts.inputSize ?? 224,
    numClasses: opts.numClasses ?? 1000,
    seed: opts.seed ?? 1,
  };
  if (!(o.alpha > 0 && o.alpha <= 1)) throw new Error(`alpha must be in (0, 1], got ${o.alpha}`);
  if (!Number.isInteger(o.inputSize) || o.inputSize < 32)
    throw new Error(`inputSize must be an integer ≥ 32, got ${o.inputSize}`);
  if (!Number.isInteger(o.numClasses) || o.numClasses < 2)
    throw new Error(`numClasses must be an integer ≥ 2, got ${o.numClasses}`);
  return o;
}

/**
 * Parameter count of {@link buildMobileNetV1} computed from the architecture alone (no tensors):
 * conv1 3·3·3·c₀ + BN 4·c₀; per block depthwise 9·cᵢₙ + BN 4·cᵢₙ, pointwise cᵢₙ·cₒᵤₜ + BN 4·cₒᵤₜ;
 * classifier c_last·K + K. (BN holds γ, β, moving mean, moving variance per channel.)
 */
export function mobileNetV1ParamCount(opts: MobileNetOptions = {}): number {
  const { alpha, numClasses } = resolve(opts);
  let cin = widthOf(32, alpha);
  let n = 3 * 3 * 3 * cin + 4 * cin;
  for (const [filters] of MOBILENET_V1_BLOCKS) {
    const cout = widthOf(filters, alpha);
    n += 9 * cin + 4 * cin + cin * cout + 4 * cout;
    cin = cout;
  }
  return n + cin * numClasses + numClasses;
}

/** Name of the last spatial layer (the default Grad-CAM layer): the ReLU6 closing the last block. */
export const MOBILENET_LAST_SPATIAL = `block${MOBILENET_V1_BLOCKS.length}_pw_relu`;

/** Builds the network (see module doc). Synchronous; the caller owns the model. */
export function buildMobileNetV1(opts: MobileNetOptions = {}): tf.LayersModel {
  const { alpha, inputSize, numClasses, seed } = resolve(opts);
  let layerSeed = seed;
  const he = () => tf.initializers.heNormal({ seed: layerSeed++ });
  /** conv → BatchNorm `<name>_bn` → ReLU6 `<name>_relu` (every conv of MobileNet v1; no conv bias). */
  const convBnRelu = (x: tf.SymbolicTensor, conv: tf.layers.Layer, name: string): tf.SymbolicTensor => {
    const y = conv.apply(x) as tf.SymbolicTensor;
    const z = tf.layers.batchNormalization({ name: `${name}_bn`, epsilon: 1e-3, momentum: 0.99 }).apply(y);
    return tf.layers.reLU({ maxValue: 6, name: `${name}_relu` }).apply(z) as tf.SymbolicTensor;
  };
  const common = { padding: 'same', useBias: false } as const;

  const input = tf.input({ shape: [inputSize, inputSize, 3], name: 'input' });
  const stem = tf.layers.conv2d({
    ...common,
    filters: widthOf(32, alpha),
    kernelSize: 3,
    strides: 2,
    kernelInitializer: he(),
    name: 'conv1',
  });
  let x = convBnRelu(input, stem, 'conv1');
  MOBILENET_V1_BLOCKS.forEach(([filters, stride], i) => {
    const b = `block${i + 1}`;
    const dw = tf.layers.depthwiseConv2d({
      ...common,
      kernelSize: 3,
      strides: stride,
      depthwiseInitializer: he(),
      name: `${b}_dw`,
    });
    x = convBnRelu(x, dw, `${b}_dw`);
    const pw = tf.layers.conv2d({
      ...common,
      filters: widthOf(filters, alpha),
      kernelSize: 1,
      kernelInitializer: he(),
      name: `${b}_pw`,
    });
    x = convBnRelu(x, pw, `${b}_pw`);
  });
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 1e-3, name: 'dropout' }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({
      units: numClasses,
      kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed++ }),
      name: 'logits',
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: `mobilenet_v1_${alpha}_${inputSize}` });
}
