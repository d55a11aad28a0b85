/**
 * Writes a tfjs LayersModel as a legacy Keras 2 `.h5` file (tf.keras 2.x `model.save('x.h5')` layout):
 * root attributes `keras_version`, `backend`, `model_config` (the Keras 2 JSON that tfjs' own `toJSON()`
 * produces), group `model_weights` with `layer_names`, one group per layer with `weight_names`, and the
 * arrays at `model_weights/<layer>/<layer>/<weight>:0`. For tests and measurements (we have no Keras 2).
 */
import type * as tf from '@tensorflow/tfjs';
import { loadH5wasm } from '../h5';

let n = 0;

/** Writes `model` as a Keras 2 legacy HDF5 file; returns its bytes. */
export async function writeKeras2H5(model: tf.LayersModel, opts: { dtype?: 'float32' | 'float64' | 'int32' } = {}): Promise<Uint8Array> {
  const h5 = await loadH5wasm();
  n += 1;
  const path = `/keras2-writer-${n}.h5`;
  const f = new h5.File(path, 'w');
  f.create_attribute('keras_version', '2.15.0');
  f.create_attribute('backend', 'tensorflow');
  f.create_attribute('model_config', JSON.stringify(model.toJSON(null, false)));
  const mw = f.create_group('model_weights');
  mw.create_attribute('layer_names', model.layers.map((l) => l.name));
  for (const layer of model.layers) {
    const g = mw.create_group(layer.name);
    const vars = layer.weights;
    if (vars.length === 0) continue;
    g.create_attribute(
      'weight_names',
      vars.map((v) => `${v.originalName}:0`),
    );
    // "conv/kernel:0" → model_weights/conv/conv/kernel:0; a nested model's "inner/kernel:0" →
    // model_weights/<nested>/inner/kernel:0 (the owner is the path component before the weight name).
    for (const v of vars) {
      const parts = `${v.originalName}:0`.split('/');
      let grp = g;
      for (const p of parts.slice(0, -1)) grp = (grp.keys().includes(p) ? grp.get(p) : grp.create_group(p)) as typeof g;
      const data = v.read().dataSync() as Float32Array;
      const typed = opts.dtype === 'float64' ? Float64Array.from(data) : opts.dtype === 'int32' ? Int32Array.from(data, Math.round) : Float32Array.from(data);
      grp.create_dataset({ name: parts[parts.length - 1] as string, data: typed, shape: v.shape as number[] });
    }
  }
  f.close();
  const bytes = (h5.FS as unknown as { readFile(p: string): Uint8Array }).readFile(path);
  h5.FS?.unlink(path);
  return bytes;
}
