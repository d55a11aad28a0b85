/**
 * Reading Keras files into plain data: the model config (JSON) and every layer's weight arrays.
 *
 * - `.keras` (Keras 3 native): a zip of `config.json`, `metadata.json` and `model.weights.h5`. In the
 *   weights file each layer is a group `layers/<generic name>/vars` (generic name = the snake-cased class
 *   name with a counter, `conv2d`, `conv2d_1`, …; nested models repeat the pattern under their own
 *   `layers/`) whose datasets `0, 1, …` are the layer's variables in creation order, trainable first —
 *   the same order as tfjs-layers' `layer.weights`. The `vars` group carries the layer's real name in its
 *   `name` attribute (Keras ≥ 3.x); without it we fall back to Keras' own generic naming.
 * - legacy `.h5` (`model.save('x.h5')`, Keras 2 and 3): attribute `model_config` (JSON) on the root,
 *   group `model_weights` with attribute `layer_names`; each layer group lists its datasets in the
 *   `weight_names` attribute (`conv1/kernel:0` in Keras 2, `model/conv1/kernel` in Keras 3), again in
 *   `layer.weights` order. Weights of nested models sit in the nested model's group; their owner is the
 *   path component before the weight's own name.
 */
import { strFromU8, unzipSync } from 'fflate';
import { isRecord, parseJsonText } from '../json';
import { ModelError } from '../types';
import { convertKerasConfig, type ConvertedConfig } from './config';
import { H5File, isHdf5, type H5Array } from './h5';

/** One weight array of one layer, as stored (row-major, HDF5 shape = Keras shape). */
export interface KerasWeight {
  /** Stored name when the file has one (legacy h5: "conv1/kernel:0"); `vars/<i>` otherwise. */
  name: string;
  shape: number[];
  values: Float32Array;
}

/** A Keras file read into memory. Plain data; owns no tensors. */
export interface KerasArchive {
  format: 'keras' | 'h5';
  /** The parsed model config `{class_name, config, ...}`. */
  config: Record<string, unknown>;
  /** Keras version that saved the file ("3.15.1"), or "unknown". */
  kerasVersion: string;
  /** The config converted to a tfjs topology (done before any weight is read: unsupported layers fail fast). */
  converted: ConvertedConfig;
  /** Layer name → its weights in Keras' `layer.weights` order (layers without weights may be absent). */
  weights: Map<string, KerasWeight[]>;
  warnings: string[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Whether `bytes` start like a zip archive (a `.keras` file). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

function parseConfigJson(text: string, where: string): Record<string, unknown> {
  const json = parseJsonText(text, where);
  if (!isRecord(json) || typeof json.class_name !== 'string') {
    throw new ModelError('not-a-model', `${where} is not a Keras model configuration (it has no "class_name").`);
  }
  return json;
}

/** Keras' `naming.to_snake_case` (used for the generic layer paths of `.weights.h5`). */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const MODEL_CLASSES = new Set(['Functional', 'Model', 'Sequential']);

/**
 * The generic group names Keras 3 gives the layers of a container in `.weights.h5` (`conv2d`,
 * `conv2d_1`, …), keyed by group name → layer config. Sequential models skip their InputLayer.
 */
function genericNames(model: Record<string, unknown>): Map<string, Record<string, unknown>> {
  const cfg = model.config;
  const layers = (Array.isArray(cfg) ? cfg : isRecord(cfg) && Array.isArray(cfg.layers) ? cfg.layers : []).filter(isRecord);
  const list = model.class_name === 'Sequential' ? layers.filter((l) => l.class_name !== 'InputLayer') : layers;
  const used = new Map<string, number>();
  const out = new Map<string, Record<string, unknown>>();
  for (const l of list) {
    const base = toSnakeCase(String(l.class_name));
    const n = used.get(base);
    const name = n === undefined ? base : `${base}_${n + 1}`;
    used.set(base, n === undefined ? 0 : n + 1);
    out.set(name, l);
  }
  return out;
}

const layerNameOf = (l: Record<string, unknown>): string => {
  const c = isRecord(l.config) ? l.config : {};
  return String(l.name ?? c.name ?? '');
};

/** Reads `<group>/vars/0..n` in numeric order. */
function readVars(h5: H5File, group: string): KerasWeight[] {
  const vars = `${group}/vars`;
  const idx = h5
    .keys(vars)
    .filter((k) => /^\d+$/.test(k))
    .map(Number)
    .sort((a, b) => a - b);
  return idx.map((i) => {
    const a: H5Array = h5.readFloat(`${vars}/${i}`);
    return { name: `${vars}/${i}`, shape: a.shape, values: a.values };
  });
}

/** Walks a Keras 3 `.weights.h5` container group (`/` or a nested model's group). */
function walkKeras3(h5: H5File, group: string, model: Record<string, unknown>, out: Map<string, KerasWeight[]>): void {
  const generic = genericNames(model);
  const base = group === '/' ? '' : group;
  for (const key of h5.keys(`${base}/layers`)) {
    const path = `${base}/layers/${key}`;
    const named = h5.attrString(`${path}/vars`, 'name');
    const layerCfg = (named !== undefined ? [...generic.values()].find((l) => layerNameOf(l) === named) : undefined) ?? generic.get(key);
    if (!layerCfg) {
      const w = readVars(h5, path);
      if (w.length > 0) throw new ModelError('load-failed', `The weights file has weights for “${named ?? key}”, a layer the model configuration does not have.`);
      continue;
    }
    const name = layerNameOf(layerCfg);
    if (MODEL_CLASSES.has(String(layerCfg.class_name))) {
      walkKeras3(h5, path, layerCfg, out);
      continue;
    }
    const w = readVars(h5, path);
    if (w.length === 0) continue;
    if (out.has(name)) throw new ModelError('load-failed', `Two layers of the model are called “${name}”; their weights cannot be told apart.`);
    out.set(name, w);
  }
}

/** Reads the weights of a `.keras` archive's `model.weights.h5`. */
async function readKeras3Weights(bytes: Uint8Array, config: Record<string, unknown>, fileName: string, onProgress?: (fraction: number) => void): Promise<Map<string, KerasWeight[]>> {
  const h5 = await H5File.open(bytes, `${fileName}/model.weights.h5`, onProgress);
  try {
    const out = new Map<string, KerasWeight[]>();
    if (!h5.hasGroup('layers')) {
      throw new ModelError('missing-weights', `${fileName}: model.weights.h5 has no “layers” group; it does not look like Keras 3 weights.`);
    }
    walkKeras3(h5, '/', config, out);
    return out;
  } finally {
    h5.close();
  }
}

/** Reads a legacy `.h5` file's `model_weights` group. */
function readLegacyWeights(h5: H5File, fileName: string): Map<string, KerasWeight[]> {
  const out = new Map<string, KerasWeight[]>();
  if (!h5.hasGroup('model_weights')) {
    throw new ModelError('missing-weights', `${fileName} has a model configuration but no “model_weights” group: it was saved without weights.`);
  }
  const layerNames = h5.attrStrings('model_weights', 'layer_names') ?? h5.keys('model_weights').filter((k) => k !== 'top_level_model_weights');
  for (const layer of layerNames) {
    const group = `model_weights/${layer}`;
    const names = h5.attrStrings(group, 'weight_names') ?? [];
    for (const wn of names) {
      const a = h5.readFloat(`${group}/${wn}`);
      // "conv1/kernel:0" → owner "conv1"; "model/conv1/kernel" → "conv1"; a bare "kernel" → the group.
      const parts = wn.split('/');
      const owner = parts.length >= 2 ? (parts[parts.length - 2] as string) : layer;
      const list = out.get(owner) ?? [];
      list.push({ name: wn, shape: a.shape, values: a.values });
      out.set(owner, list);
    }
  }
  return out;
}

/**
 * Reads a `.keras` or legacy `.h5` file (told apart by their magic bytes, not their names).
 * @throws ModelError 'not-a-model' (not a zip/HDF5, truncated, no config.json / model_config),
 *   'malformed-json' (config not JSON), 'missing-weights', 'load-failed'.
 * @param onProgress fraction of the weight bytes read so far, in [0, 1] (called synchronously while reading)
 */
export async function readKerasFile(bytes: Uint8Array, fileName: string, onProgress?: (fraction: number) => void): Promise<KerasArchive> {
  if (isZip(bytes)) return readKerasZip(bytes, fileName, onProgress);
  if (isHdf5(bytes)) return readLegacyH5(bytes, fileName, onProgress);
  throw new ModelError('not-a-model', `${fileName} is neither a Keras 3 “.keras” archive (zip) nor an HDF5 “.h5” file.`);
}

async function readKerasZip(bytes: Uint8Array, fileName: string, onProgress?: (fraction: number) => void): Promise<KerasArchive> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => f.name === 'config.json' || f.name === 'metadata.json' || f.name === 'model.weights.h5' });
  } catch (e) {
    throw new ModelError('not-a-model', `${fileName} is not a readable .keras archive: the zip data is damaged or cut short (${e instanceof Error ? e.message : String(e)}).`);
  }
  const cfgBytes = entries['config.json'];
  if (!cfgBytes) throw new ModelError('not-a-model', `${fileName} is a zip file without “config.json”: it is not a Keras 3 .keras model.`);
  const config = parseConfigJson(strFromU8(cfgBytes), `${fileName}/config.json`);
  const warnings: string[] = [];
  let kerasVersion = 'unknown';
  const meta = entries['metadata.json'];
  if (meta) {
    try {
      const m = JSON.parse(strFromU8(meta)) as unknown;
      if (isRecord(m) && typeof m.keras_version === 'string') kerasVersion = m.keras_version;
    } catch {
      warnings.push(`${fileName}: metadata.json is not valid JSON and was ignored.`);
    }
  }
  const converted = convertKerasConfig(config, kerasVersion);
  const wBytes = entries['model.weights.h5'];
  if (!wBytes) {
    const other = Object.keys(entries).includes('model.weights.npz') ? ' (weights saved as .npz are not supported)' : '';
    throw new ModelError('missing-weights', `${fileName} has no “model.weights.h5”: the archive holds no weights${other}.`);
  }
  const weights = await readKeras3Weights(wBytes, config, fileName, onProgress);
  return { format: 'keras', config, kerasVersion, converted, weights, warnings };
}

async function readLegacyH5(bytes: Uint8Array, fileName: string, onProgress?: (fraction: number) => void): Promise<KerasArchive> {
  const h5 = await H5File.open(bytes, fileName, onProgress);
  try {
    const text = h5.attrString('/', 'model_config');
    if (text === undefined) {
      const weightsOnly = h5.hasGroup('layers') || h5.attrStrings('/', 'layer_names') !== undefined;
      throw new ModelError(
        'not-a-model',
        weightsOnly
          ? `${fileName} holds weights only (saved with save_weights) and no “model_config”: save the whole model with model.save("model.keras").`
          : `${fileName} is an HDF5 file without a “model_config” attribute: it is not a Keras model saved with model.save().`,
      );
    }
    const config = parseConfigJson(text, `${fileName} (model_config)`);
    const kerasVersion = h5.attrString('/', 'keras_version') ?? 'unknown';
    const converted = convertKerasConfig(config, kerasVersion);
    const weights = readLegacyWeights(h5, fileName);
    return { format: 'h5', config, kerasVersion, converted, weights, warnings: [] };
  } finally {
    h5.close();
  }
}
