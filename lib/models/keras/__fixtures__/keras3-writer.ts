/**
 * Writes a tfjs LayersModel as a Keras 3 `.keras` archive (zip of config.json, metadata.json and
 * model.weights.h5) in the layout of Keras 3's saving_lib: each container's layers under
 * `layers/<snake_case class name>[_<n>]`, their variables at `vars/0, 1, …` in `layer.weights` order,
 * the layer's name in the `name` attribute of `vars` (optional here, to test the generic-name fallback),
 * nested models repeating the pattern under their own `layers/`. The config is tfjs' Keras 2 JSON
 * (the importer reads both dialects). For tests: the real Keras 3 fixtures cover flat models only.
 */
import type * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';
import { loadH5wasm } from '../h5';
import { toSnakeCase } from '../read';

type H5 = Awaited<ReturnType<typeof loadH5wasm>>;
type Group = InstanceType<H5['Group']>;

interface LayerLike {
  name: string;
  getClassName(): string;
  weights: tf.LayerVariable[];
  layers?: LayerLike[];
}

let n = 0;

function writeContainer(g: Group, container: LayerLike & { layers: LayerLike[] }, isSequential: boolean, withNames: boolean): void {
  const lg = g.create_group('layers');
  const used = new Map<string, number>();
  const list = isSequential ? container.layers.filter((l) => l.getClassName() !== 'InputLayer') : container.layers;
  for (const layer of list) {
    const base = toSnakeCase(layer.getClassName());
    const k = used.get(base);
    used.set(base, k === undefined ? 0 : k + 1);
    const group = lg.create_group(k === undefined ? base : `${base}_${k + 1}`);
    const vars = group.create_group('vars');
    if (withNames) vars.create_attribute('name', layer.name);
    if (Array.isArray(layer.layers)) {
      writeContainer(group, layer as LayerLike & { layers: LayerLike[] }, layer.getClassName() === 'Sequential', withNames);
      continue;
    }
    layer.weights.forEach((v, i) => {
      vars.create_dataset({ name: String(i), data: Float32Array.from(v.read().dataSync() as Float32Array), shape: v.shape as number[] });
    });
  }
}

/** The `.keras` bytes of `model`. */
export async function writeKeras3Archive(model: tf.LayersModel, opts: { withNames: boolean }): Promise<Uint8Array> {
  const h5 = await loadH5wasm();
  n += 1;
  const path = `/keras3-writer-${n}.weights.h5`;
  const f = new h5.File(path, 'w');
  writeContainer(f, model as unknown as LayerLike & { layers: LayerLike[] }, model.getClassName() === 'Sequential', opts.withNames);
  f.create_group('vars');
  f.close();
  const weights = (h5.FS as unknown as { readFile(p: string): Uint8Array }).readFile(path);
  h5.FS?.unlink(path);
  return zipSync({
    'metadata.json': strToU8(JSON.stringify({ keras_version: '3.15.1', date_saved: '2026-12-01@00:00:00' })),
    'config.json': strToU8(JSON.stringify(model.toJSON(null, false))),
    'model.weights.h5': weights,
  });
}
