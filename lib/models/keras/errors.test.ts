/**
 * Broken or unsupported Keras files each fail with a specific ModelError (code + a message that names
 * the file, layer, class or shape), and leave no tensors behind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { FileLike } from '@/lib/models/load';
import type { ModelErrorCode } from '@/lib/models/types';
import { expectModelError } from '../__fixtures__/expect-model-error';
import { loadKerasModel } from './load';
import { loadH5wasm } from './h5';
import { bytesFile, fixtureFile, readFixtureBytes, textFile } from './__fixtures__/fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function expectLoadError(files: FileLike[], code: ModelErrorCode, ...fragments: (string | RegExp)[]): Promise<void> {
  const before = tf.memory().numTensors;
  await expectModelError(loadKerasModel(files), code, ...fragments);
  expect(tf.memory().numTensors, 'tensors left after a failed load').toBe(before);
}

type Json = Record<string, unknown> & { config: { layers: Record<string, unknown>[] } };

/** The fixture's .keras entries with config.json edited by `edit` (and entries removed by `drop`). */
function editedKeras(name: string, edit: (cfg: Json) => void, drop: string[] = []): Uint8Array {
  const entries = unzipSync(readFixtureBytes(`${name}.keras`));
  const cfg = JSON.parse(strFromU8(entries['config.json'] as Uint8Array)) as Json;
  edit(cfg);
  entries['config.json'] = strToU8(JSON.stringify(cfg));
  for (const d of drop) delete entries[d];
  return zipSync(entries);
}

function layerByName(cfg: Json, name: string): Record<string, unknown> & { config: Record<string, unknown> } {
  const l = cfg.config.layers.find((x) => (x.config as { name?: string }).name === name);
  if (!l) throw new Error(`fixture has no layer ${name}`);
  return l as Record<string, unknown> & { config: Record<string, unknown> };
}

/** A small valid HDF5 file without any Keras attributes (written with h5wasm itself). */
async function plainHdf5(withLayersGroup: boolean): Promise<Uint8Array> {
  const h5 = await loadH5wasm();
  const path = `/plain-${withLayersGroup ? 'w' : 'p'}.h5`;
  const f = new h5.File(path, 'w');
  const g = f.create_group(withLayersGroup ? 'layers' : 'data');
  g.create_dataset({ name: 'x', data: new Float32Array([1, 2, 3]), shape: [3] });
  f.close();
  const bytes = (h5.FS as unknown as { readFile(p: string): Uint8Array }).readFile(path);
  h5.FS?.unlink(path);
  return bytes;
}

describe('broken Keras files', () => {
  it('a truncated .keras (zip cut in half)', async () => {
    const b = readFixtureBytes('residual.keras');
    await expectLoadError([bytesFile('residual.keras', b.slice(0, Math.floor(b.length / 2)))], 'not-a-model', /residual\.keras/, /damaged or cut short/);
  });

  it('a zip without config.json', async () => {
    const bytes = editedKeras('small-cnn', () => undefined, ['config.json']);
    await expectLoadError([bytesFile('model.keras', bytes)], 'not-a-model', /without “config\.json”/);
  });

  it('a .keras without model.weights.h5', async () => {
    const bytes = editedKeras('small-cnn', () => undefined, ['model.weights.h5']);
    await expectLoadError([bytesFile('model.keras', bytes)], 'missing-weights', /no “model\.weights\.h5”/);
  });

  it('config.json that is not JSON', async () => {
    const entries = unzipSync(readFixtureBytes('small-cnn.keras'));
    entries['config.json'] = strToU8('{"class_name": "Sequential", ');
    await expectLoadError([bytesFile('model.keras', zipSync(entries))], 'malformed-json', /config\.json/);
  });

  it('an HDF5 file without model_config', async () => {
    await expectLoadError([bytesFile('data.h5', await plainHdf5(false))], 'not-a-model', /without a “model_config” attribute/);
  });

  it('a weights-only HDF5 file (save_weights) says so', async () => {
    const weightsOnly = unzipSync(readFixtureBytes('residual.keras'))['model.weights.h5'] as Uint8Array;
    await expectLoadError([bytesFile('residual.weights.h5', weightsOnly)], 'not-a-model', /weights only/, /model\.save/);
    await expectLoadError([bytesFile('w.h5', await plainHdf5(true))], 'not-a-model', /weights only/);
  });

  it('a truncated .h5', async () => {
    const b = readFixtureBytes('residual.h5');
    await expectLoadError([bytesFile('residual.h5', b.slice(0, 4096))], 'not-a-model', /residual\.h5/, /truncated or damaged/, /truncated file: eof = 4096/);
  });

  it('a file that is neither zip nor HDF5', async () => {
    await expectLoadError([textFile('model.keras', 'hello, I am not a model')], 'not-a-model', /neither a Keras 3 “\.keras” archive \(zip\) nor an HDF5/);
  });

  it('no Keras file among the files, or two of them', async () => {
    await expectLoadError([textFile('labels.txt', 'a\nb')], 'not-a-model', /None of the selected files is a Keras model/, /labels\.txt/);
    await expectLoadError([fixtureFile('residual.keras'), fixtureFile('residual.h5')], 'load-failed', /2 Keras files/);
  });
});

describe('unsupported content is named', () => {
  it('an unknown layer class names the class and the layer', async () => {
    const bytes = editedKeras('residual', (cfg) => {
      layerByName(cfg, 'relu6').class_name = 'MyCustomActivation';
    });
    await expectLoadError([bytesFile('residual.keras', bytes)], 'unknown-layer', /layer “relu6” \(MyCustomActivation\)/, /Supported layers: .*Conv2D/);
  });

  it('an activation whose Keras 3 maths differs from tfjs (hard_sigmoid) is refused, named', async () => {
    const bytes = editedKeras('residual', (cfg) => {
      layerByName(cfg, 'stem_relu').config.activation = 'hard_sigmoid';
    });
    await expectLoadError([bytesFile('residual.keras', bytes)], 'unknown-layer', /layer “stem_relu” \(Activation\)/, /“hard_sigmoid”/);
  });

  it('a setting tfjs cannot represent (grouped convolution) is refused, named', async () => {
    const bytes = editedKeras('residual', (cfg) => {
      layerByName(cfg, 'pw').config.groups = 2;
    });
    await expectLoadError([bytesFile('residual.keras', bytes)], 'unknown-layer', /layer “pw” \(Conv2D\) sets groups = 2/);
  });

  it('a weight of the wrong shape names the layer, the weight and both shapes', async () => {
    const bytes = editedKeras('residual', (cfg) => {
      layerByName(cfg, 'logits').config.units = 4;
    });
    await expectLoadError([bytesFile('residual.keras', bytes)], 'load-failed', /Layer “logits” \(Dense\)/, /“kernel” has shape \[3456, 3\] in the file, but the layer needs \[3456, 4\]/);
  });

  it('a layer whose weights are absent from the file', async () => {
    const bytes = editedKeras('residual', (cfg) => {
      layerByName(cfg, 'stem').config.use_bias = true;
    });
    await expectLoadError([bytesFile('residual.keras', bytes)], 'load-failed', /Layer “stem” \(Conv2D\) needs 2 weights \(kernel, bias\) but the file has 1/);
  });

  it('a subclassed model (no functional config) is refused', async () => {
    const entries = unzipSync(readFixtureBytes('small-cnn.keras'));
    entries['config.json'] = strToU8(JSON.stringify({ module: 'my_models', class_name: 'MyNet', config: { units: 3 }, registered_name: 'Custom>MyNet' }));
    await expectLoadError([bytesFile('model.keras', zipSync(entries))], 'unknown-layer', /“MyNet” model/, /subclassed/);
  });
});
