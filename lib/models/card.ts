/**
 * The optional sidecar "model card" a user supplies with their own model (card.json), labels files
 * (labels.txt / labels.json), and the rule that fills in what the user did not say.
 *
 * Card JSON (every field optional; camelCase, snake_case accepted; a nested "preprocessing" object with
 * our Preprocessing fields and "inputShape": [h, w, c] are understood too, as in the bundled cards):
 * ```json
 * { "name": "My digits", "labels": ["zero", "one"], "inputSize": { "height": 28, "width": 28 },
 *   "channels": 1, "channelOrder": "rgb", "normalization": "zero-one" | { "scale": 255, "mean": [0], "std": [1] },
 *   "resize": "stretch" | "center-crop" | "pad", "invert": false,
 *   "outputKind": "softmax" | "logits" | "sigmoid-binary" | "multi-label" | "regression", "unit": "years" }
 * ```
 * Defaults: height/width/channels from the model's input shape, normalization 'zero-one', channelOrder
 * 'rgb', resize 'stretch', invert false, outputKind as detected (output-kind.ts; the old "probabilities"
 * reads as "softmax"), labels by kind ("class 0" … "class K−1"; binary "negative", "positive"; regression
 * "value"). A declared outputKind is range-checked against the probe outputs (a "probability" of 33.5 is
 * an error naming the value). "unit" names the unit of regression values.
 */
import { isRecord, parseJsonText } from './json';
import { checkOutputRange, classCount, labelsFor, OUTPUT_KIND_EXPECTED, parseOutputKind } from './output-kind';
import {
  ModelError,
  type Normalization,
  type NormalizationPreset,
  type OutputKind,
  type Preprocessing,
  type ResizePolicy,
} from './types';

export const NORMALIZATION_PRESETS: readonly NormalizationPreset[] = [
  'zero-one',
  'minus-one-one',
  'zero-255',
  'imagenet',
  'caffe-bgr',
];
export const RESIZE_POLICIES: readonly ResizePolicy[] = ['stretch', 'center-crop', 'pad'];

/** What a user may say about their model. Plain data (stored in IndexedDB with the model). */
export interface ModelCard {
  name?: string;
  labels?: string[];
  inputSize?: { height: number; width: number };
  channels?: 1 | 3;
  channelOrder?: 'rgb' | 'bgr';
  normalization?: NormalizationPreset | Normalization;
  resize?: ResizePolicy;
  outputKind?: OutputKind;
  invert?: boolean;
  /** Unit of regression values, e.g. "years". */
  unit?: string;
}

export type CardField = keyof ModelCard;

/** The card after defaults were applied, and which fields came from the user vs were inferred. */
export interface ResolvedCard {
  name?: string;
  preprocessing: Preprocessing;
  labels: string[];
  outputKind: OutputKind;
  /** Why this kind ("set in the model card", or the detection's reason). */
  outputKindReason: string;
  /** Classes (or values) shown: the output width K, or 2 for a binary model with one output. */
  numClasses: number;
  unit?: string;
  /** Fields the user supplied. */
  given: CardField[];
  /** Fields we filled in (from the model or defaults): the UI may ask the user to confirm these. */
  inferred: CardField[];
}

const ALIASES: Record<string, CardField> = {
  name: 'name',
  labels: 'labels',
  classes: 'labels',
  inputSize: 'inputSize',
  input_size: 'inputSize',
  channels: 'channels',
  channelOrder: 'channelOrder',
  channel_order: 'channelOrder',
  normalization: 'normalization',
  normalisation: 'normalization',
  resize: 'resize',
  outputKind: 'outputKind',
  output_kind: 'outputKind',
  invert: 'invert',
  unit: 'unit',
  units: 'unit',
};

function bad(message: string): ModelError {
  return new ModelError('bad-card', message);
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/**
 * Checks a normalization value: a preset name or `{ scale, mean, std }` with finite numbers, std ≠ 0,
 * mean/std of length 1 or `channels` (when known). Returns an error sentence or the value.
 */
export function checkNormalization(
  v: unknown,
  channels?: number,
): { ok: NormalizationPreset | Normalization } | { error: string } {
  if (typeof v === 'string') {
    if ((NORMALIZATION_PRESETS as readonly string[]).includes(v)) return { ok: v as NormalizationPreset };
    return { error: `normalization "${v}" is not one of ${NORMALIZATION_PRESETS.join(', ')}` };
  }
  if (!isRecord(v)) return { error: 'normalization must be a preset name or { "scale", "mean", "std" }' };
  const { scale, mean, std } = v;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
    return { error: 'normalization.scale must be a positive number (1 or 255)' };
  }
  for (const [key, arr] of [
    ['mean', mean],
    ['std', std],
  ] as const) {
    if (!Array.isArray(arr) || arr.length === 0 || !arr.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      return { error: `normalization.${key} must be a list of numbers` };
    }
    if (arr.length !== 1 && channels !== undefined && arr.length !== channels) {
      return { error: `normalization.${key} has ${arr.length} numbers; expected 1 or ${channels} (one per channel)` };
    }
    if (arr.length !== 1 && arr.length !== 3 && channels === undefined) {
      return { error: `normalization.${key} has ${arr.length} numbers; expected 1 or 3` };
    }
  }
  if ((std as number[]).some((s) => s === 0)) return { error: 'normalization.std must not contain 0' };
  // Scaled pixels are in [0, scale]. A mean far outside that range, or a std far from its width, maps every
  // image to (nearly) the same input, so every image would get the same prediction.
  const range = scale;
  const m = (mean as number[]).find((x) => Math.abs(x) > 10 * range);
  if (m !== undefined)
    return {
      error: `normalization.mean ${m} is far outside the pixel range [0, ${+range.toFixed(3)}] (scale ${scale}); every image would look the same to the model. Typical: 0.5 or 0.485 (scale 1), 127.5 (scale 255)`,
    };
  const sd = (std as number[]).find((x) => Math.abs(x) < 1e-3 * range || Math.abs(x) > 100 * range);
  if (sd !== undefined)
    return {
      error: `normalization.std ${sd} is absurd for pixels in [0, ${+range.toFixed(3)}] (scale ${scale}); every image would look the same to the model (or be blown up). Typical: 0.5 or 0.229 (scale 1), 127.5 (scale 255)`,
    };
  return { ok: { scale, mean: [...(mean as number[])], std: [...(std as number[])] } };
}

/**
 * Validates an already-parsed card object. Unknown keys are ignored and listed in `warnings`
 * (typos like "chanels" should not pass silently). Throws `ModelError('bad-card')` naming every bad field.
 */
export function validateCard(obj: unknown, what = 'card.json'): { card: ModelCard; warnings: string[] } {
  if (!isRecord(obj)) throw bad(`${what} must be a JSON object like { "labels": [...], "inputSize": {...} }.`);
  const card: ModelCard = {};
  const errors: string[] = [];
  const ignored: string[] = [];
  // A nested "preprocessing" object (our Preprocessing shape, as in the bundled cards) and "inputShape"
  // [h, w, c] are flattened first; explicit top-level fields win.
  const flat: Record<string, unknown> = {};
  const pre = obj.preprocessing;
  if (isRecord(pre)) {
    if (pre.height !== undefined || pre.width !== undefined) flat.inputSize = { height: pre.height, width: pre.width };
    for (const k of ['channels', 'channelOrder', 'normalization', 'resize', 'invert']) if (pre[k] !== undefined) flat[k] = pre[k];
  } else if (pre !== undefined) errors.push('preprocessing must be an object');
  const shape = obj.inputShape;
  if (Array.isArray(shape) && shape.length === 3) {
    flat.inputSize ??= { height: shape[0], width: shape[1] };
    flat.channels ??= shape[2];
  } else if (shape !== undefined) errors.push('inputShape must be [height, width, channels]');
  for (const [k, v] of Object.entries(obj)) if (k !== 'preprocessing' && k !== 'inputShape') flat[k] = v;
  for (const [rawKey, v] of Object.entries(flat)) {
    const key = ALIASES[rawKey];
    if (key === undefined) {
      ignored.push(rawKey);
      continue;
    }
    switch (key) {
      case 'name':
        if (typeof v === 'string' && v.trim() !== '') card.name = v.trim();
        else errors.push('name must be non-empty text');
        break;
      case 'labels':
        try {
          card.labels = labelsFromJsonValue(v, `${what} "labels"`);
        } catch (e) {
          errors.push(e instanceof Error ? e.message : String(e));
        }
        break;
      case 'inputSize': {
        const hw = Array.isArray(v) ? { height: v[0] as unknown, width: v[1] as unknown } : isRecord(v) ? v : undefined;
        if (hw && isPositiveInt(hw.height) && isPositiveInt(hw.width)) card.inputSize = { height: hw.height, width: hw.width };
        else errors.push('inputSize must be { "height": H, "width": W } with whole numbers above 0');
        break;
      }
      case 'channels':
        if (v === 1 || v === 3) card.channels = v;
        else errors.push(`channels must be 1 (grey) or 3 (colour), not ${JSON.stringify(v)}`);
        break;
      case 'channelOrder':
        if (v === 'rgb' || v === 'bgr') card.channelOrder = v;
        else if (typeof v === 'string' && (v.toLowerCase() === 'rgb' || v.toLowerCase() === 'bgr')) {
          card.channelOrder = v.toLowerCase() as 'rgb' | 'bgr';
        } else errors.push('channelOrder must be "rgb" or "bgr"');
        break;
      case 'normalization': {
        const r = checkNormalization(v);
        if ('ok' in r) card.normalization = r.ok;
        else errors.push(r.error);
        break;
      }
      case 'resize':
        if ((RESIZE_POLICIES as readonly unknown[]).includes(v)) card.resize = v as ResizePolicy;
        else errors.push(`resize must be one of ${RESIZE_POLICIES.join(', ')}`);
        break;
      case 'outputKind':
        {
          const kind = parseOutputKind(v);
          if (kind) card.outputKind = kind;
          else errors.push(`${OUTPUT_KIND_EXPECTED}, not ${JSON.stringify(v)}`);
        }
        break;
      case 'unit':
        if (typeof v === 'string' && v.trim() !== '') card.unit = v.trim();
        else errors.push('unit must be non-empty text, e.g. "years"');
        break;
      case 'invert':
        if (typeof v === 'boolean') card.invert = v;
        else errors.push('invert must be true or false');
        break;
    }
  }
  if (errors.length > 0) throw bad(`${what} has problems: ${errors.join('; ')}.`);
  const warnings =
    ignored.length === 0
      ? []
      : [`${what}: ignored unknown field${ignored.length > 1 ? 's' : ''} ${ignored.slice(0, 8).map((k) => `"${k}"`).join(', ')}${ignored.length > 8 ? ` and ${ignored.length - 8} more` : ''}`];
  return { card, warnings };
}

/** Parses card.json text (malformed JSON → 'malformed-json', bad fields → 'bad-card'). */
export function parseCardJson(text: string, what = 'card.json'): { card: ModelCard; warnings: string[] } {
  return validateCard(parseJsonText(text, what), what);
}

/**
 * Labels from a parsed JSON value: an array of names, or an object keyed by class index
 * `{ "0": "cat", "1": "dog" }` (indices must be exactly 0..K−1). Keras' imagenet_class_index style
 * `{ "0": ["n01440764", "tench"] }` takes the last text of each entry.
 */
export function labelsFromJsonValue(v: unknown, what: string): string[] {
  const asText = (x: unknown, i: string): string => {
    if (typeof x === 'string') return x;
    if (typeof x === 'number') return String(x);
    if (Array.isArray(x) && x.length > 0 && typeof x[x.length - 1] === 'string') return x[x.length - 1] as string;
    throw bad(`${what}: the name of class ${i} is not text`);
  };
  if (Array.isArray(v)) {
    if (v.length === 0) throw bad(`${what} is an empty list`);
    return v.map((x, i) => asText(x, String(i)));
  }
  if (isRecord(v)) {
    if (Array.isArray(v.labels)) return labelsFromJsonValue(v.labels, what);
    const keys = Object.keys(v);
    if (keys.length === 0) throw bad(`${what} is empty`);
    const out: string[] = new Array<string>(keys.length);
    for (const k of keys) {
      const i = Number(k);
      if (!/^\d+$/.test(k) || i >= keys.length) {
        throw bad(`${what}: key "${k}" is not a class index 0…${keys.length - 1}`);
      }
      out[i] = asText(v[k], k);
    }
    return out;
  }
  throw bad(`${what} must be a list of names or an object like { "0": "cat", "1": "dog" }`);
}

/**
 * Labels from a labels file. `.json`: see `labelsFromJsonValue`. Anything else: one name per line,
 * each trimmed, trailing empty lines skipped (an empty line in the middle is an error: it would shift
 * every following class by one).
 */
export function parseLabelsFile(text: string, fileName = 'labels.txt'): string[] {
  const t = text.replace(/^\uFEFF/, '');
  if (fileName.toLowerCase().endsWith('.json')) return labelsFromJsonValue(parseJsonText(t, fileName), fileName);
  const lines = t.split(/\r\n|\n|\r/).map((l) => l.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw bad(`${fileName} is empty: it should hold one class name per line.`);
  const blank = lines.indexOf('');
  if (blank >= 0) {
    throw bad(`${fileName} has an empty line ${blank + 1}: every line must name one class, in the model's order.`);
  }
  return lines;
}

/** What we know about the model when resolving a card. */
export interface ModelFacts {
  /** The model's input shape [batch, h, w, c]; unknown dims as null or −1. */
  inputShape: readonly (number | null)[];
  /** The model's output width K (raw outputs per image). */
  numClasses: number;
  detectedOutputKind: OutputKind;
  /** Why it was detected so (output-kind.ts' reason). */
  outputKindReason?: string;
  /** The raw outputs [n, K] of the probe run, to range-check a declared outputKind. */
  probe?: { values: ArrayLike<number>; n: number };
}

/**
 * Fills in everything the card leaves out and checks the card against the model. Throws
 * `ModelError('bad-card')` when they disagree (labels count ≠ classes, channels ≠ model channels,
 * input size ≠ a fixed model input size) or when the input size cannot be known at all.
 */
export function resolveCard(card: ModelCard | undefined, facts: ModelFacts): ResolvedCard {
  const c = card ?? {};
  const given: CardField[] = [];
  const inferred: CardField[] = [];
  const mark = (f: CardField): void => {
    (c[f] !== undefined ? given : inferred).push(f);
  };
  (['name', 'labels', 'inputSize', 'channels', 'channelOrder', 'normalization', 'resize', 'outputKind', 'invert'] as const).forEach(mark);

  const dim = (i: number): number | undefined => {
    const d = facts.inputShape[i];
    return typeof d === 'number' && d > 0 ? d : undefined;
  };
  const [mh, mw, mc] = [dim(1), dim(2), dim(3)];
  const errors: string[] = [];
  if (c.inputSize) {
    if (mh !== undefined && mh !== c.inputSize.height) errors.push(`the card says height ${c.inputSize.height} but the model takes ${mh}`);
    if (mw !== undefined && mw !== c.inputSize.width) errors.push(`the card says width ${c.inputSize.width} but the model takes ${mw}`);
  }
  const height = c.inputSize?.height ?? mh;
  const width = c.inputSize?.width ?? mw;
  if (height === undefined || width === undefined) {
    errors.push('the model accepts images of any size, so the card must say which size to use ("inputSize": { "height": …, "width": … })');
  }
  if (c.channels !== undefined && mc !== undefined && c.channels !== mc) {
    errors.push(`the card says ${c.channels} channel(s) but the model takes ${mc}`);
  }
  const channels = c.channels ?? mc;
  if (channels !== 1 && channels !== 3) errors.push(`the model takes ${channels ?? 'an unknown number of'} channels; only 1 (grey) or 3 (colour) are supported`);
  const outputKind = c.outputKind ?? facts.detectedOutputKind;
  const named = labelsFor(outputKind, facts.numClasses, c.labels);
  if ('error' in named) errors.push(named.error);
  if (c.outputKind !== undefined) {
    const range = checkOutputRange(c.outputKind, facts.probe?.values ?? [], facts.probe?.n ?? 0, facts.numClasses);
    if (range) errors.push(range);
  }
  if (c.normalization !== undefined && typeof c.normalization !== 'string' && (channels === 1 || channels === 3)) {
    const r = checkNormalization(c.normalization, channels);
    if ('error' in r) errors.push(r.error);
  }
  if (errors.length > 0 || height === undefined || width === undefined || (channels !== 1 && channels !== 3)) {
    throw bad(`The model card does not fit this model: ${errors.join('; ')}.`);
  }
  const preprocessing: Preprocessing = {
    height,
    width,
    channels,
    channelOrder: c.channelOrder ?? 'rgb',
    normalization: c.normalization ?? 'zero-one',
    resize: c.resize ?? 'stretch',
  };
  if (c.invert !== undefined) preprocessing.invert = c.invert;
  return {
    ...(c.name !== undefined ? { name: c.name } : {}),
    preprocessing,
    labels: 'labels' in named ? named.labels : defaultLabels(facts.numClasses),
    outputKind,
    outputKindReason: c.outputKind !== undefined ? 'set in the model card / settings' : (facts.outputKindReason ?? 'detected'),
    numClasses: classCount(outputKind, facts.numClasses),
    ...(c.unit !== undefined ? { unit: c.unit } : {}),
    given,
    inferred,
  };
}

/** "class 0" … "class K−1". */
export function defaultLabels(k: number): string[] {
  return Array.from({ length: k }, (_, i) => `class ${i}`);
}

/**
 * A card from the UI's answers (the worker protocol's UserModelOptions shape): `preprocessing` fields map
 * to card fields; `outputKind: 'auto'` means "detect".
 */
export function cardFromAnswers(a: {
  name?: string;
  labels?: string[];
  preprocessing?: Partial<Preprocessing>;
  outputKind?: OutputKind | 'probabilities' | 'auto';
  unit?: string;
}): ModelCard {
  const c: ModelCard = {};
  const p = a.preprocessing ?? {};
  if (a.name !== undefined && a.name.trim() !== '') c.name = a.name.trim();
  if (a.labels !== undefined && a.labels.length > 0) c.labels = [...a.labels];
  if (p.height !== undefined && p.width !== undefined) c.inputSize = { height: p.height, width: p.width };
  if (p.channels !== undefined) c.channels = p.channels;
  if (p.channelOrder !== undefined) c.channelOrder = p.channelOrder;
  if (p.normalization !== undefined) c.normalization = p.normalization;
  if (p.resize !== undefined) c.resize = p.resize;
  if (p.invert !== undefined) c.invert = p.invert;
  const kind = parseOutputKind(a.outputKind);
  if (kind) c.outputKind = kind;
  if (a.unit !== undefined && a.unit.trim() !== '') c.unit = a.unit.trim();
  return c;
}
