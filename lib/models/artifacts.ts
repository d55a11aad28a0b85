/**
 * Our own reading of a TensorFlow.js model.json and its weight shards, so that everything is checked on
 * parsed data before tfjs sees it (tfjs' own errors are terse: "Based on the provided shape … the tensor
 * should have N values but has M").
 *
 * model.json (both formats): `{ format?, generatedBy?, convertedBy?, modelTopology, weightsManifest:
 * [{ paths: string[], weights: WeightsManifestEntry[] }], signature?, userDefinedMetadata?,
 * modelInitializer? }`. Each group's shards, concatenated in `paths` order, hold its weights back to back;
 * the groups, concatenated in order, form tfjs' `weightData` for the flattened `weightSpecs`.
 */
import type * as tf from '@tensorflow/tfjs';
import { isRecord, parseJsonText } from './json';
import { ModelError, type ModelFormat } from './types';

export type WeightSpec = tf.io.WeightsManifestEntry;

export interface WeightGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** A model.json that passed the structural checks. Owns nothing; plain data. */
export interface ParsedModelJson {
  format: ModelFormat;
  /** The whole parsed model.json. */
  json: Record<string, unknown>;
  modelTopology: Record<string, unknown>;
  groups: WeightGroup[];
  /** All weight specs, flattened in group order. */
  weightSpecs: WeightSpec[];
}

/**
 * A model in the canonical form we persist and pass around: the model.json text rewritten to a single
 * weight file "weights.bin", and that file's bytes (exactly the bytes the manifest describes).
 */
export interface ModelPackage {
  modelJson: string;
  weightData: ArrayBuffer;
}

export const PACKAGE_WEIGHTS_PATH = 'weights.bin';

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };
const QUANT_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

function describeNonModel(v: unknown): string {
  if (Array.isArray(v)) return 'it is a list, not a model description';
  if (!isRecord(v)) return `it holds a single ${typeof v} value`;
  if ('models' in v && 'datasets' in v) return 'it looks like a model manifest (a list of models), not a model';
  if ('class_name' in v && 'config' in v) {
    return 'it looks like a Keras model configuration without weights; convert the model with tensorflowjs_converter';
  }
  if ('labels' in v || 'inputSize' in v) return 'it looks like a model card or labels file, not the model itself';
  if ('node' in v) return 'it looks like a bare TensorFlow graph; the TensorFlow.js converter wraps it in "modelTopology"';
  const keys = Object.keys(v).slice(0, 5);
  return keys.length > 0 ? `it has the fields ${keys.map((k) => `"${k}"`).join(', ')}` : 'it is an empty object';
}

function checkSpec(w: unknown, where: string): WeightSpec {
  if (!isRecord(w) || typeof w.name !== 'string' || !Array.isArray(w.shape)) {
    throw new ModelError('not-a-model', `${where} is not a weight description (it needs "name", "shape" and "dtype").`);
  }
  if (!w.shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new ModelError('not-a-model', `The weight "${w.name}" has an invalid shape ${JSON.stringify(w.shape)}.`);
  }
  const dtype = w.dtype ?? 'float32';
  if (dtype === 'string') {
    throw new ModelError('load-failed', `The weight "${w.name}" holds text (a lookup table); image classifiers with text weights are not supported.`);
  }
  if (typeof dtype !== 'string' || DTYPE_BYTES[dtype] === undefined) {
    throw new ModelError('not-a-model', `The weight "${w.name}" has an unknown data type ${JSON.stringify(dtype)}.`);
  }
  const q = w.quantization;
  if (q !== undefined && (!isRecord(q) || typeof q.dtype !== 'string' || QUANT_BYTES[q.dtype] === undefined)) {
    throw new ModelError('not-a-model', `The weight "${w.name}" has an unknown quantization ${JSON.stringify(q)}.`);
  }
  return { ...(w as unknown as WeightSpec), dtype: dtype as WeightSpec['dtype'] };
}

/**
 * Parses and structurally checks model.json text. Throws 'malformed-json' (with the position) or
 * 'not-a-model' (saying what the JSON looks like instead).
 */
export function parseModelJson(text: string, fileName = 'model.json'): ParsedModelJson {
  const json = parseJsonText(text.replace(/^\uFEFF/, ''), fileName);
  if (!isRecord(json) || !isRecord(json.modelTopology)) {
    throw new ModelError('not-a-model', `${fileName} is JSON but not a TensorFlow.js model: ${describeNonModel(json)}.`);
  }
  const topo = json.modelTopology;
  let format: ModelFormat;
  if (json.format === 'graph-model' || Array.isArray(topo.node)) format = 'graph';
  else if (json.format === 'layers-model' || isRecord(topo.model_config) || typeof topo.class_name === 'string') format = 'layers';
  else {
    throw new ModelError(
      'not-a-model',
      `${fileName} has a "modelTopology" that is neither a Keras layers model nor a TensorFlow graph.`,
    );
  }
  if (format === 'graph' && !Array.isArray(topo.node)) {
    throw new ModelError('not-a-model', `${fileName} says it is a graph model but its "modelTopology" has no list of nodes.`);
  }
  const wm = json.weightsManifest;
  if (!Array.isArray(wm)) {
    throw new ModelError(
      'not-a-model',
      `${fileName} has no "weightsManifest": it describes the architecture only, without saying where the trained weights are.`,
    );
  }
  const groups: WeightGroup[] = wm.map((g, gi) => {
    if (!isRecord(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights) || !g.paths.every((p) => typeof p === 'string')) {
      throw new ModelError('not-a-model', `${fileName}: weightsManifest entry ${gi + 1} needs "paths" and "weights" lists.`);
    }
    return {
      paths: g.paths as string[],
      weights: g.weights.map((w, wi) => checkSpec(w, `${fileName}: weight ${wi + 1} of group ${gi + 1}`)),
    };
  });
  return { format, json, modelTopology: topo, groups, weightSpecs: groups.flatMap((g) => g.weights) };
}

/** Bytes a weight occupies in the weight file (after quantization). */
export function weightByteLength(spec: WeightSpec): number {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const per = spec.quantization ? (QUANT_BYTES[spec.quantization.dtype] ?? 4) : (DTYPE_BYTES[spec.dtype] ?? 4);
  return n * per;
}

export function groupByteLength(group: WeightGroup): number {
  return group.weights.reduce((s, w) => s + weightByteLength(w), 0);
}

/** The last path segment, URL-decoded: "a/b/group1-shard1of2.bin" → "group1-shard1of2.bin". */
export function baseName(path: string): string {
  const clean = path.split(/[?#]/)[0] ?? path;
  const seg = clean.split(/[\\/]/).pop() ?? clean;
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

/** Returns a shard's bytes, or undefined when it does not exist (→ 'missing-weights'). */
export type ShardReader = (path: string) => Promise<ArrayBuffer | undefined>;

/**
 * Reads every weight shard and returns the weight data for all groups concatenated (exactly the bytes
 * the specs need). Throws 'missing-weights' naming every missing file, 'short-weights' with expected vs
 * actual bytes, 'load-failed' when a group has more bytes than its weights need (a shard of another model).
 */
export async function assembleWeights(parsed: ParsedModelJson, read: ShardReader): Promise<ArrayBuffer> {
  const perGroup = await Promise.all(parsed.groups.map((g) => Promise.all(g.paths.map(async (p) => ({ path: p, data: await read(p) })))));
  const missing = perGroup.flat().filter((s) => s.data === undefined).map((s) => baseName(s.path));
  if (missing.length > 0) {
    const list = missing.map((m) => `“${m}”`).join(', ');
    throw new ModelError(
      'missing-weights',
      `The weight file${missing.length > 1 ? 's' : ''} ${list} ${missing.length > 1 ? 'are' : 'is'} missing. ` +
        'Select model.json together with all the .bin files next to it (or the whole folder).',
    );
  }
  const total = parsed.groups.reduce((s, g) => s + groupByteLength(g), 0);
  const out = new Uint8Array(total);
  let offset = 0;
  parsed.groups.forEach((g, gi) => {
    const shards = perGroup[gi] ?? [];
    const expected = groupByteLength(g);
    const actual = shards.reduce((s, x) => s + (x.data?.byteLength ?? 0), 0);
    const names = shards.map((s) => `“${baseName(s.path)}”`).join(' + ');
    if (actual < expected) {
      throw new ModelError(
        'short-weights',
        `The weight file${shards.length > 1 ? 's' : ''} ${names} ${shards.length > 1 ? 'hold' : 'holds'} ${actual} bytes, ` +
          `but the model needs ${expected} bytes: ${shards.length > 1 ? 'a file is' : 'the file is'} cut off (incomplete download or copy).`,
      );
    }
    if (actual > expected) {
      throw new ModelError(
        'load-failed',
        `The weight file${shards.length > 1 ? 's' : ''} ${names} ${shards.length > 1 ? 'hold' : 'holds'} ${actual} bytes, ` +
          `but model.json describes only ${expected} bytes: the files probably belong to a different model.`,
      );
    }
    for (const s of shards) {
      if (!s.data) continue;
      out.set(new Uint8Array(s.data), offset);
      offset += s.data.byteLength;
    }
  });
  return out.buffer;
}

/** Decodes an IEEE half float's bit pattern: true when it is NaN or ±Infinity. */
function halfNotFinite(h: number): boolean {
  return (h & 0x7c00) === 0x7c00;
}

/**
 * Throws 'nan-weights' naming the first weight (in file order) that holds NaN or ±Infinity, with how many
 * values are bad. Checks float32 and complex64 values, float16-quantized bit patterns, and the scale/min
 * of uint8/uint16 quantization (int32/bool cannot hold NaN).
 */
export function checkWeightsFinite(specs: readonly WeightSpec[], data: ArrayBuffer): void {
  let offset = 0;
  for (const spec of specs) {
    const bytes = weightByteLength(spec);
    const view = new DataView(data, offset, bytes);
    let bad = 0;
    let nan = 0;
    const q = spec.quantization;
    if (q) {
      if (q.dtype === 'float16') {
        for (let i = 0; i < bytes; i += 2) {
          const h = view.getUint16(i, true);
          if (halfNotFinite(h)) {
            bad++;
            if ((h & 0x03ff) !== 0) nan++;
          }
        }
      } else if (!Number.isFinite(q.scale ?? 0) || !Number.isFinite(q.min ?? 0)) {
        throw new ModelError('nan-weights', `The weight “${spec.name}” has an invalid quantization scale (${q.scale}) or minimum (${q.min}).`);
      }
    } else if (spec.dtype === 'float32' || spec.dtype === 'complex64') {
      const arr = offset % 4 === 0 ? new Float32Array(data, offset, bytes / 4) : new Float32Array(data.slice(offset, offset + bytes));
      for (let i = 0; i < arr.length; i++) {
        const v = arr[i] as number;
        if (!Number.isFinite(v)) {
          bad++;
          if (Number.isNaN(v)) nan++;
        }
      }
    }
    if (bad > 0) {
      const kinds = nan === bad ? 'NaN (“not a number”)' : nan === 0 ? 'infinite' : 'NaN or infinite';
      throw new ModelError(
        'nan-weights',
        `The weight “${spec.name}” contains ${bad} ${kinds} value${bad > 1 ? 's' : ''}. ` +
          'The model was probably saved after training diverged; it cannot give meaningful answers.',
      );
    }
    offset += bytes;
  }
}

/** tfjs ModelArtifacts from our parsed data (weightData is shared, not copied). */
export function toModelArtifacts(parsed: ParsedModelJson, weightData: ArrayBuffer): tf.io.ModelArtifacts {
  const j = parsed.json;
  const a: tf.io.ModelArtifacts = {
    modelTopology: parsed.modelTopology,
    weightSpecs: parsed.weightSpecs,
    weightData,
    format: typeof j.format === 'string' ? j.format : parsed.format === 'graph' ? 'graph-model' : 'layers-model',
  };
  if (typeof j.generatedBy === 'string') a.generatedBy = j.generatedBy;
  if (typeof j.convertedBy === 'string') a.convertedBy = j.convertedBy;
  if (isRecord(j.trainingConfig)) a.trainingConfig = j.trainingConfig as unknown as tf.io.TrainingConfig;
  if (isRecord(j.signature)) a.signature = j.signature;
  if (isRecord(j.userDefinedMetadata)) a.userDefinedMetadata = j.userDefinedMetadata as Record<string, object>;
  if (isRecord(j.modelInitializer)) a.modelInitializer = j.modelInitializer;
  if (isRecord(j.initializerSignature)) a.initializerSignature = j.initializerSignature;
  return a;
}

/** The canonical package: model.json rewritten to one group in "weights.bin", plus those bytes. */
export function toPackage(parsed: ParsedModelJson, weightData: ArrayBuffer): ModelPackage {
  const json = { ...parsed.json, weightsManifest: [{ paths: [PACKAGE_WEIGHTS_PATH], weights: parsed.weightSpecs }] };
  return { modelJson: JSON.stringify(json), weightData };
}
