/**
 * A MobileNetV2 (Sandler et al. 2018, https://arxiv.org/abs/1801.04381) with seeded random weights, built with
 * tf.layers in Keras' topology, for benchmarks only (scripts/bench/incremental-occlusion.run.ts). The weights
 * mean nothing; the network is here for its shape and cost. The caller owns the model.
 */
import * as tf from '@tensorflow/tfjs';

/** Keras MobileNetV2 (Sandler et al. 2018) blocks: expansion t, channels c, repeats n, first stride s. */
const V2_BLOCKS = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
] as const;

/**
 * MobileNetV2 at α = 1 as Keras builds it (ZeroPadding2D + 'valid' before every stride-2 conv, BN + ReLU6,
 * linear bottlenecks, residual Adds), He-normal weights seeded per layer, 1000 classes.
 */
export function mobileNetV2(size = 224): tf.LayersModel {
  let seed = 1;
  const he = () => tf.initializers.heNormal({ seed: seed++ });
  const ap = (l: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => l.apply(x) as tf.SymbolicTensor;
  const bnRelu = (x: tf.SymbolicTensor, relu: boolean) => {
    const y = ap(tf.layers.batchNormalization({ epsilon: 1e-3 }), x);
    return relu ? ap(tf.layers.reLU({ maxValue: 6 }), y) : y;
  };
  const padded = (x: tf.SymbolicTensor) =>
    ap(
      tf.layers.zeroPadding2d({
        padding: [
          [0, 1],
          [0, 1],
        ],
      }),
      x,
    );
  const input = tf.input({ shape: [size, size, 3] });
  const stemConv = tf.layers.conv2d({
    filters: 32,
    kernelSize: 3,
    strides: 2,
    useBias: false,
    kernelInitializer: he(),
  });
  let x = bnRelu(ap(stemConv, padded(input)), true);
  let cin = 32;
  for (const [t, c, n, s] of V2_BLOCKS) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      let y = x;
      if (t !== 1)
        y = bnRelu(
          ap(tf.layers.conv2d({ filters: cin * t, kernelSize: 1, useBias: false, kernelInitializer: he() }), y),
          true,
        );
      const dw = tf.layers.depthwiseConv2d({
        kernelSize: 3,
        strides: stride,
        padding: stride === 2 ? 'valid' : 'same',
        useBias: false,
        depthwiseInitializer: he(),
      });
      y = bnRelu(ap(dw, stride === 2 ? padded(y) : y), true);
      y = bnRelu(
        ap(tf.layers.conv2d({ filters: c, kernelSize: 1, useBias: false, kernelInitializer: he() }), y),
        false,
      );
      x = stride === 1 && cin === c ? ap(tf.layers.add({}), [x, y]) : y;
      cin = c;
    }
  }
  x = bnRelu(ap(tf.layers.conv2d({ filters: 1280, kernelSize: 1, useBias: false, kernelInitializer: he() }), x), true);
  x = ap(tf.layers.globalAveragePooling2d({}), x);
  const logits = ap(
    tf.layers.dense({ units: 1000, kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }) }),
    x,
  );
  return tf.model({ inputs: input, outputs: logits });
}
