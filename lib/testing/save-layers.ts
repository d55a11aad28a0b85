/**
 * Saving a LayersModel in memory as the files a user would have (model.json + weight files), for tests.
 * No `@/` imports, so Playwright specs can import it by relative path too.
 */
import * as tf from '@tensorflow/tfjs';

/** What `model.save` hands a save handler, with every weight joined into one byte array. */
export interface SavedLayers {
  modelTopology: Record<string, unknown>;
  weightSpecs: tf.io.WeightsManifestEntry[];
  /** All weights, in `weightSpecs` order (little-endian, as TF.js writes them). */
  weightData: Uint8Array;
}

/** Saves `model` through `tf.io.withSaveHandler` (nothing touches disk); throws if tfjs gave no weights. */
export async function saveLayersInMemory(model: tf.LayersModel): Promise<SavedLayers> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new Error('model.save gave no weights');
  return {
    modelTopology: artifacts.modelTopology as Record<string, unknown>,
    weightSpecs: artifacts.weightSpecs,
    weightData: new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)),
  };
}

/** A layers-model model.json object whose weights lie in the files `paths` (in order). */
export function layersModelJson(saved: SavedLayers, generatedBy: string, paths: string[] = ['weights.bin']) {
  return {
    format: 'layers-model',
    generatedBy,
    convertedBy: null,
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths, weights: saved.weightSpecs }],
  };
}
