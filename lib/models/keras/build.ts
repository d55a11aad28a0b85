/**
 * A read Keras file (config + weight arrays) → a tfjs LayersModel with its weights set, plus the same
 * model in our canonical package form (model.json + one "weights.bin"), which reloads through
 * `loadModelFromPackage` like every other saved model.
 *
 * Weight mapping: tfjs-layers builds each layer's variables in the same order Keras does (trainable
 * first, creation order: kernel, bias; gamma, beta, moving_mean, moving_variance; depthwise_kernel,
 * pointwise_kernel, bias …), so the i-th stored array of a layer is the i-th `layer.weights` entry of the
 * tfjs layer of the same name. Every shape is checked before anything is assigned.
 *
 * Ownership: the returned `model` holds tfjs variables; the caller disposes it. Everything else is
 * disposed here, on success and on failure.
 */
import * as tf from '@tensorflow/tfjs';
import { checkWeightsFinite, parseModelJson, PACKAGE_WEIGHTS_PATH, type ModelPackage, type WeightSpec } from '../artifacts';
import { translateTfjsError, validateTopology } from '../validate';
import { ModelError } from '../types';
import type { KerasArchive, KerasWeight } from './read';

/** The tfjs model built from a Keras file, and its canonical package. */
export interface BuiltKerasModel {
  /** Owned by the caller: dispose with `model.dispose()`. */
  model: tf.LayersModel;
  package: ModelPackage;
  warnings: string[];
}

interface LayerLike {
  name: string;
  getClassName(): string;
  weights: tf.LayerVariable[];
  setWeights(w: tf.Tensor[]): void;
  layers?: LayerLike[];
}

/** Layers that own variables directly, flattened through nested models (in `model.layers` order). */
function leafLayers(layers: readonly LayerLike[], out: LayerLike[] = []): LayerLike[] {
  for (const l of layers) {
    if (Array.isArray(l.layers)) leafLayers(l.layers, out);
    else out.push(l);
  }
  return out;
}

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;
const shortName = (v: tf.LayerVariable): string => v.originalName.split('/').pop() ?? v.originalName;

function modelJsonText(topology: Record<string, unknown>, specs: WeightSpec[], kerasVersion: string): string {
  return JSON.stringify({
    format: 'layers-model',
    generatedBy: `keras v${kerasVersion}`,
    convertedBy: 'Why? Keras importer (lib/models/keras)',
    modelTopology: topology,
    weightsManifest: [{ paths: [PACKAGE_WEIGHTS_PATH], weights: specs }],
  });
}

/**
 * Builds the tfjs model for `archive` and assigns its weights.
 * @throws ModelError 'unknown-layer' (unsupported layer/setting, named), 'missing-weights' (a layer's
 *   weights are absent), 'load-failed' (weight count or shape mismatch, named with both shapes; weights
 *   for layers the model lacks), 'nan-weights'.
 */
export async function buildKerasModel(archive: KerasArchive): Promise<BuiltKerasModel> {
  const { topology, warnings } = archive.converted;
  validateTopology(parseModelJson(modelJsonText(topology, [], archive.kerasVersion), 'the converted Keras model'));

  let model: tf.LayersModel;
  try {
    model = await tf.models.modelFromJSON({ modelTopology: topology } as unknown as tf.io.ModelJSON);
  } catch (e) {
    throw translateTfjsError(e);
  }
  try {
    const leaves = leafLayers(model.layers as unknown as LayerLike[]);
    const used = new Set<string>();
    const specs: WeightSpec[] = [];
    const plan: { layer: LayerLike; arrays: KerasWeight[] }[] = [];
    let total = 0;
    for (const layer of leaves) {
      const vars = layer.weights;
      if (vars.length === 0) continue;
      const where = `Layer “${layer.name}” (${layer.getClassName()})`;
      const arrays = archive.weights.get(layer.name);
      if (!arrays) throw new ModelError('missing-weights', `${where} has no weights in the file (it needs ${vars.map(shortName).join(', ')}).`);
      if (arrays.length !== vars.length) {
        throw new ModelError(
          'load-failed',
          `${where} needs ${vars.length} weights (${vars.map(shortName).join(', ')}) but the file has ${arrays.length} (${arrays.map((a) => fmt(a.shape)).join(', ')}).`,
        );
      }
      vars.forEach((v, i) => {
        const a = arrays[i] as KerasWeight;
        const want = v.shape as number[];
        const size = want.reduce((x, y) => x * y, 1);
        if (a.shape.length !== want.length || a.shape.some((d, k) => d !== want[k]) || a.values.length !== size) {
          throw new ModelError('load-failed', `${where}: weight “${shortName(v)}” has shape ${fmt(a.shape)} in the file, but the layer needs ${fmt(want)}.`);
        }
        specs.push({ name: v.originalName, shape: [...want], dtype: 'float32' });
        total += size;
      });
      used.add(layer.name);
      plan.push({ layer, arrays });
    }
    const extra = [...archive.weights.keys()].filter((k) => !used.has(k) && (archive.weights.get(k)?.length ?? 0) > 0);
    if (extra.length > 0) {
      throw new ModelError('load-failed', `The file has weights for ${extra.map((e) => `“${e}”`).join(', ')}, which the model configuration does not use.`);
    }
    const data = new Float32Array(total);
    let offset = 0;
    for (const { arrays } of plan) {
      for (const a of arrays) {
        data.set(a.values, offset);
        offset += a.values.length;
      }
    }
    checkWeightsFinite(specs, data.buffer);
    for (const { layer, arrays } of plan) {
      const ts = arrays.map((a) => tf.tensor(a.values, a.shape, 'float32'));
      try {
        layer.setWeights(ts);
      } finally {
        tf.dispose(ts);
      }
    }
    return { model, package: { modelJson: modelJsonText(topology, specs, archive.kerasVersion), weightData: data.buffer }, warnings: [...archive.warnings, ...warnings] };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
