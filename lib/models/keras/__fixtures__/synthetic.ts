/** Small tfjs models with non-trivial weights, to be written in Keras layouts by the writers beside this file. */
import * as tf from '@tensorflow/tfjs';

/** Gives a BatchNormalization layer non-trivial statistics (a wrong weight order then shows in the outputs). */
export function perturbBatchNorm(layer: tf.layers.Layer, seed: number): void {
  const [gamma, beta] = layer.getWeights();
  const c = gamma?.shape[0] as number;
  const stats = [gamma, beta, tf.randomUniform([c], -0.5, 0.5, 'float32', seed), tf.randomUniform([c], 0.5, 2, 'float32', seed + 1)] as tf.Tensor[];
  layer.setWeights(stats);
  tf.dispose(stats.slice(2));
}

/**
 * The transfer-learning shape: Sequential[base (a functional model: conv → BN → depthwise), GAP, Dense].
 * Input 12×12×3, 3 classes; the head's weights are positive so Grad-CAM maps are not all clipped to 0.
 */
export function transferModel(): tf.Sequential {
  const bin = tf.input({ shape: [12, 12, 3], name: 'base_in' });
  const c1 = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'base_conv1' }).apply(bin) as tf.SymbolicTensor;
  const b1 = tf.layers.batchNormalization({ name: 'base_bn' }).apply(c1) as tf.SymbolicTensor;
  const c2 = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'relu', name: 'base_dw' }).apply(b1) as tf.SymbolicTensor;
  const base = tf.model({ inputs: bin, outputs: c2, name: 'base' });
  const model = tf.sequential({ name: 'transfer', layers: [base, tf.layers.globalAveragePooling2d({ name: 'gap' }), tf.layers.dense({ units: 3, name: 'head' })] });
  perturbBatchNorm(base.getLayer('base_bn'), 5);
  const head = [tf.randomUniform([6, 3], 0.1, 1, 'float32', 7), tf.zeros([3])];
  model.getLayer('head').setWeights(head);
  tf.dispose(head);
  return model;
}

/** max |a − b| of two models' predictions on a fixed [2, 12, 12, 3] batch. */
export function maxPredictionDiff(a: tf.LayersModel, b: tf.LayersModel): number {
  return tf.tidy(() => {
    const x = tf.randomUniform([2, 12, 12, 3], 0, 1, 'float32', 11);
    return tf.max(tf.abs(tf.sub(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor))).dataSync()[0] as number;
  });
}
