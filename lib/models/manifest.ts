/**
 * The bundled models/manifest.json: parse, validate (every problem listed with its JSON path), and resolve
 * the relative URLs in it against the manifest's own URL.
 */
import { checkNormalization, RESIZE_POLICIES } from './card';
import { isRecord, parseJsonText } from './json';
import { OUTPUT_KIND_EXPECTED, parseOutputKind } from './output-kind';
import {
  ModelError,
  type Manifest,
  type ManifestDataset,
  type ManifestModel,
  type Preprocessing,
} from './types';

const DUMMY_BASE = 'http://manifest.invalid/';

/**
 * Resolves `relative` against `base` like a browser would. `base` may itself be relative to the page
 * (e.g. "/models/manifest.json"): then the result is relative to the page too (a path like
 * "/models/a/model.json"), unless a page URL is available (`globalThis.location`).
 * Absolute `relative` URLs (https:, data:, blob:) are returned unchanged.
 */
export function resolveUrl(relative: string, base: string | undefined): string {
  if (base === undefined || base === '') return relative;
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(relative, base).href; // base is absolute
  } catch {
    const pageBase = page ?? DUMMY_BASE;
    const abs = new URL(relative, new URL(base, pageBase));
    if (page === undefined && abs.origin === new URL(DUMMY_BASE).origin) return abs.pathname + abs.search + abs.hash;
    return abs.href;
  }
}

class Problems {
  readonly list: string[] = [];
  add(path: string, msg: string): void {
    this.list.push(`${path}: ${msg}`);
  }
}

function str(p: Problems, o: Record<string, unknown>, key: string, path: string, optional = false): string | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v.trim() === '') {
    p.add(`${path}.${key}`, v === undefined ? 'missing' : 'must be non-empty text');
    return undefined;
  }
  return v;
}

function posInt(p: Problems, v: unknown, path: string): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  p.add(path, `must be a whole number above 0, found ${JSON.stringify(v)}`);
  return undefined;
}

function labels(p: Problems, v: unknown, path: string): string[] | undefined {
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) return v as string[];
  p.add(path, 'must be a non-empty list of class names');
  return undefined;
}

function preprocessing(p: Problems, v: unknown, path: string): Preprocessing | undefined {
  if (!isRecord(v)) {
    p.add(path, 'missing or not an object');
    return undefined;
  }
  const height = posInt(p, v.height, `${path}.height`);
  const width = posInt(p, v.width, `${path}.width`);
  if (v.channels !== 1 && v.channels !== 3) p.add(`${path}.channels`, 'must be 1 or 3');
  if (v.channelOrder !== 'rgb' && v.channelOrder !== 'bgr') p.add(`${path}.channelOrder`, 'must be "rgb" or "bgr"');
  if (!(RESIZE_POLICIES as readonly unknown[]).includes(v.resize)) p.add(`${path}.resize`, `must be one of ${RESIZE_POLICIES.join(', ')}`);
  if (v.invert !== undefined && typeof v.invert !== 'boolean') p.add(`${path}.invert`, 'must be true or false');
  const norm = checkNormalization(v.normalization, v.channels === 1 || v.channels === 3 ? v.channels : undefined);
  if ('error' in norm) p.add(`${path}.normalization`, norm.error);
  if (height === undefined || width === undefined || 'error' in norm) return undefined;
  const out: Preprocessing = {
    height,
    width,
    channels: v.channels as 1 | 3,
    channelOrder: v.channelOrder as 'rgb' | 'bgr',
    normalization: norm.ok,
    resize: v.resize as Preprocessing['resize'],
  };
  if (typeof v.invert === 'boolean') out.invert = v.invert;
  return out;
}

function model(p: Problems, v: Record<string, unknown>, path: string, base: string | undefined): ManifestModel | undefined {
  const before = p.list.length;
  const id = str(p, v, 'id', path);
  const name = str(p, v, 'name', path);
  const version = str(p, v, 'version', path);
  if (v.task !== 'image-classification') p.add(`${path}.task`, 'must be "image-classification"');
  if (v.format !== 'layers' && v.format !== 'graph') p.add(`${path}.format`, 'must be "layers" or "graph"');
  const modelUrl = str(p, v, 'modelUrl', path);
  const shape = v.inputShape;
  let inputShape: [number, number, number] | undefined;
  if (Array.isArray(shape) && shape.length === 3) {
    const dims = shape.map((d, i) => posInt(p, d, `${path}.inputShape[${i}]`));
    if (dims.every((d) => d !== undefined)) inputShape = dims as [number, number, number];
    if (shape[2] !== 1 && shape[2] !== 3) p.add(`${path}.inputShape[2]`, 'channels must be 1 or 3');
  } else p.add(`${path}.inputShape`, 'must be [height, width, channels]');
  const pre = preprocessing(p, v.preprocessing, `${path}.preprocessing`);
  if (pre && inputShape && (pre.height !== inputShape[0] || pre.width !== inputShape[1] || pre.channels !== inputShape[2])) {
    p.add(`${path}.preprocessing`, `height/width/channels ${pre.height}×${pre.width}×${pre.channels} disagree with inputShape ${inputShape.join('×')}`);
  }
  const lab = labels(p, v.labels, `${path}.labels`);
  const outputKind = parseOutputKind(v.outputKind);
  if (!outputKind) p.add(`${path}.outputKind`, OUTPUT_KIND_EXPECTED.replace(/^outputKind /, ''));
  const provenance = str(p, v, 'provenance', path);
  const cardUrl = str(p, v, 'cardUrl', path, true);
  const cardJsonUrl = str(p, v, 'cardJsonUrl', path, true);
  const datasetId = str(p, v, 'datasetId', path, true);
  const description = str(p, v, 'description', path, true);
  const checkpointsUrl = str(p, v, 'checkpointsUrl', path, true);
  const trainingMix = v.trainingMix === undefined ? undefined : mix(p, v.trainingMix, `${path}.trainingMix`, lab?.length);
  if (p.list.length > before || !id || !name || !version || !modelUrl || !inputShape || !pre || !lab || !provenance || !outputKind) return undefined;
  const out: ManifestModel = {
    id,
    name,
    version,
    task: 'image-classification',
    format: v.format as ManifestModel['format'],
    modelUrl: resolveUrl(modelUrl, base),
    inputShape,
    preprocessing: pre,
    labels: lab,
    outputKind,
    provenance,
  };
  if (cardUrl !== undefined) out.cardUrl = resolveUrl(cardUrl, base);
  if (cardJsonUrl !== undefined) out.cardJsonUrl = resolveUrl(cardJsonUrl, base);
  if (datasetId !== undefined) out.datasetId = datasetId;
  if (description !== undefined) out.description = description;
  if (trainingMix !== undefined) out.trainingMix = trainingMix;
  if (checkpointsUrl !== undefined) out.checkpointsUrl = resolveUrl(checkpointsUrl, base);
  return out;
}

/** A training mix: one finite count ≥ 0 per class (`k` labels), not all 0. */
function mix(p: Problems, v: unknown, path: string, k: number | undefined): number[] | undefined {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x) || x < 0)) {
    p.add(path, 'must be a list of class counts ≥ 0');
    return undefined;
  }
  if (k !== undefined && v.length !== k) {
    p.add(path, `has ${v.length} counts for ${k} labels`);
    return undefined;
  }
  if (!v.some((x) => x > 0)) {
    p.add(path, 'counts are all 0');
    return undefined;
  }
  return v as number[];
}

function dataset(p: Problems, v: Record<string, unknown>, path: string, base: string | undefined): ManifestDataset | undefined {
  const before = p.list.length;
  const id = str(p, v, 'id', path);
  const name = str(p, v, 'name', path);
  const imagesUrl = str(p, v, 'imagesUrl', path);
  const labelsUrl = str(p, v, 'labelsUrl', path);
  const count = posInt(p, v.count, `${path}.count`);
  const height = posInt(p, v.height, `${path}.height`);
  const width = posInt(p, v.width, `${path}.width`);
  if (v.channels !== 1 && v.channels !== 3) p.add(`${path}.channels`, 'must be 1 or 3');
  const lab = labels(p, v.labels, `${path}.labels`);
  const provenance = str(p, v, 'provenance', path);
  const sourceIndicesUrl = str(p, v, 'sourceIndicesUrl', path, true);
  if (p.list.length > before || !id || !name || !imagesUrl || !labelsUrl || !count || !height || !width || !lab || !provenance) {
    return undefined;
  }
  const out: ManifestDataset = {
    id,
    name,
    imagesUrl: resolveUrl(imagesUrl, base),
    labelsUrl: resolveUrl(labelsUrl, base),
    count,
    height,
    width,
    channels: v.channels as 1 | 3,
    labels: lab,
    provenance,
  };
  if (sourceIndicesUrl !== undefined) out.sourceIndicesUrl = resolveUrl(sourceIndicesUrl, base);
  return out;
}

/**
 * The valid entries of the list `o[key]`: each entry must be an object (`parse` gets it with its JSON
 * path and returns undefined for an invalid one, having added its problems).
 */
function listOf<T>(
  p: Problems,
  o: Record<string, unknown>,
  key: string,
  parse: (entry: Record<string, unknown>, path: string) => T | undefined,
): T[] {
  const list = o[key];
  if (!Array.isArray(list)) {
    p.add(key, 'must be a list');
    return [];
  }
  const out: T[] = [];
  list.forEach((entry: unknown, i) => {
    const path = `${key}[${i}]`;
    const r = isRecord(entry) ? parse(entry, path) : p.add(path, 'must be an object');
    if (r) out.push(r);
  });
  return out;
}

/**
 * Validates a parsed manifest and returns a copy whose URLs (modelUrl, cardUrl, cardJsonUrl, checkpointsUrl,
 * imagesUrl, labelsUrl, sourceIndicesUrl) are resolved against `manifestUrl`. Cross-checks: unique ids, each
 * model's datasetId exists, a model's labels match its dataset's labels count, defaults.compare names two
 * existing models. Throws one `ModelError('bad-manifest')` that lists every problem (first 12).
 */
export function validateManifest(value: unknown, manifestUrl?: string): Manifest {
  const p = new Problems();
  if (!isRecord(value)) throw new ModelError('bad-manifest', 'The model manifest must be a JSON object.');
  if (value.version !== 1) p.add('version', `must be 1, found ${JSON.stringify(value.version)}`);
  const models = listOf(p, value, 'models', (m, path) => model(p, m, path, manifestUrl));
  const datasets = listOf(p, value, 'datasets', (d, path) => dataset(p, d, path, manifestUrl));
  const dup = (ids: string[], what: string): void => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) p.add(what, `id "${id}" is used twice`);
      seen.add(id);
    }
  };
  dup(models.map((m) => m.id), 'models');
  dup(datasets.map((d) => d.id), 'datasets');
  models.forEach((m) => {
    if (m.datasetId === undefined) return;
    const d = datasets.find((x) => x.id === m.datasetId);
    if (!d) p.add(`model "${m.id}".datasetId`, `no dataset "${m.datasetId}"`);
    else if (d.labels.length !== m.labels.length) {
      p.add(`model "${m.id}".labels`, `${m.labels.length} classes but dataset "${d.id}" has ${d.labels.length}`);
    }
  });
  const defaults = value.defaults;
  let out: Manifest['defaults'] | undefined;
  if (!isRecord(defaults)) p.add('defaults', 'missing or not an object');
  else {
    const explain = defaults.explain;
    const compare = defaults.compare;
    if (typeof explain !== 'string') p.add('defaults.explain', 'must be a model id');
    else if (!models.some((m) => m.id === explain) && Array.isArray(value.models)) p.add('defaults.explain', `no model "${explain}"`);
    if (!Array.isArray(compare) || compare.length !== 2 || !compare.every((x) => typeof x === 'string')) {
      p.add('defaults.compare', 'must be two model ids');
    } else {
      for (const id of compare as string[]) if (!models.some((m) => m.id === id)) p.add('defaults.compare', `no model "${id}"`);
    }
    if (typeof explain === 'string' && Array.isArray(compare)) out = { explain, compare: [compare[0] as string, compare[1] as string] };
  }
  if (p.list.length > 0 || !out) {
    const shown = p.list.slice(0, 12);
    const more = p.list.length > 12 ? ` (and ${p.list.length - 12} more)` : '';
    throw new ModelError('bad-manifest', `The model manifest has problems: ${shown.join('; ')}${more}.`);
  }
  return { version: 1, models, datasets, defaults: out };
}

/**
 * Parses the manifest from its JSON text or an already-parsed value (e.g. `await res.json()`).
 * `manifestUrl`: where the manifest was fetched from; relative URLs in it are resolved against it. When
 * omitted, URLs are returned as written (relative to the manifest; resolve them later with `resolveUrl`).
 */
export function parseManifest(input: unknown, manifestUrl?: string): Manifest {
  const value = typeof input === 'string' ? parseJsonText(input, 'The model manifest (manifest.json)') : input;
  return validateManifest(value, manifestUrl);
}
