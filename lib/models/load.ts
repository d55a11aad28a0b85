/**
 * Loading TensorFlow.js models (LayersModel and GraphModel) from local files, from a URL, or from our
 * canonical package (IndexedDB), with every check of artifacts.ts and validate.ts run on our parsed data
 * before tfjs builds the model, and the shape checks run right after. Produces the plain `ModelInfo`.
 *
 * Ownership: a `LoadedModel.model` holds tfjs variables; the caller disposes it (`model.dispose()`).
 * Every probe tensor created here is disposed here.
 */
import * as tf from '@tensorflow/tfjs';
import {
  assembleWeights,
  baseName,
  checkWeightsFinite,
  parseModelJson,
  toModelArtifacts,
  toPackage,
  PACKAGE_WEIGHTS_PATH,
  type ModelPackage,
  type ParsedModelJson,
} from './artifacts';
import { resolveUrl } from './manifest';
import { parseCardJson, parseLabelsFile, resolveCard, type ModelCard, type ResolvedCard } from './card';
import {
  checkOutputShape,
  graphNodes,
  isGraphModel,
  signatureShapes,
  structuralOutputKind,
  translateTfjsError,
  validateSignature,
  validateTopology,
  type GraphNodeDef,
  type TfModel,
} from './validate';
import { ModelError, type LayerSummary, type ManifestModel, type ModelInfo, type OutputKind, type Preprocessing } from './types';
import { classCount, detectOutputKind } from './output-kind';

/** The part of a browser File we use (Node 20's File and test doubles fit too). */
export interface FileLike {
  readonly name: string;
  /** Set by <input webkitdirectory> and folder drag-and-drop: "folder/sub/model.json". */
  readonly webkitRelativePath?: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
}

/** Preprocessing, labels and output kind fixed by the bundled manifest (instead of a user card). */
export interface ModelPreset {
  preprocessing: Preprocessing;
  labels: string[];
  outputKind: OutputKind;
}

export interface LoadOptions {
  /** Stable id; default: a random UUID. */
  id?: string;
  /** Display name; default: the card's name, the folder name, or the model file's name. */
  name?: string;
  source?: 'bundled' | 'user';
  /** Card fields from the UI; they override a card.json found among the files. */
  card?: ModelCard;
  /** Bundled models: fixed preprocessing/labels/outputKind (the card is ignored). */
  preset?: ModelPreset;
  provenance?: string;
  datasetId?: string;
  /** Ops the app registered with tf.registerOp. */
  extraOps?: readonly string[];
  /** For tests and custom transports; default: globalThis.fetch. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export interface LoadedModel {
  /** Owned by the caller: dispose with `model.dispose()`. */
  model: TfModel;
  info: ModelInfo;
  /** The preprocessing/labels in force and which of them the user gave vs we inferred. */
  card: ResolvedCard;
  /** The validated model in canonical form (for saving to IndexedDB). Drop it when not saving. */
  package: ModelPackage;
  /** Human-readable origin, e.g. "files: model.json + 2 weight files" or a URL. */
  sourceDescription: string;
  /** Non-fatal remarks (ignored card fields, labels file overridden …). */
  warnings: string[];
}

const PROBE_BATCH = 3;

function newId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `m-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Bytes → text (UTF-8), for model.json read from a package or a fetch. */
function utf8(buf: ArrayBuffer): string {
  return new TextDecoder('utf-8').decode(buf);
}

function parseModelText(text: string, fileName: string): ParsedModelJson {
  if (/^\s*</.test(text)) {
    throw new ModelError('not-a-model', `${fileName} is a web page (HTML), not a TensorFlow.js model.json. Check the address or the file.`);
  }
  return parseModelJson(text, fileName);
}

// ---------------------------------------------------------------------------------------------------
// Inspection: shapes, probe, summary, ModelInfo

interface InspectOptions {
  id: string;
  name: string;
  source: 'bundled' | 'user';
  card?: ModelCard;
  preset?: ModelPreset;
  /** Graph models: the topology nodes and weight specs (for the summary and Grad-CAM candidates). */
  parsed?: ParsedModelJson;
  provenance?: string;
  datasetId?: string;
}

/** Options of `buildModelInfo`: who the model is and what the user/manifest says about it. */
export type BuildInfoOptions = InspectOptions;

/** Runs `model` on a [n, h, w, c] uniform-random batch (seeded) and returns the scores as plain data. */
async function probeScores(model: TfModel, h: number, w: number, c: number): Promise<{ shape: number[]; values: Float32Array }> {
  const x = tf.randomUniform([PROBE_BATCH, h, w, c], 0, 1, 'float32', 42);
  let out: tf.Tensor;
  try {
    let y: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap;
    try {
      y = tf.tidy(() => model.predict(x) as tf.Tensor);
    } catch (e) {
      // Graph models with control flow (If/While …) only run with executeAsync.
      if (!isGraphModel(model) || !/executeAsync/.test(e instanceof Error ? e.message : '')) throw e;
      y = await model.executeAsync(x);
    }
    if (Array.isArray(y) || !(y instanceof tf.Tensor)) {
      tf.dispose(y as tf.Tensor[]);
      throw new ModelError('bad-output', 'The model gives several outputs; a classifier has one output with a score per class.');
    }
    out = y;
  } finally {
    x.dispose();
  }
  try {
    return { shape: out.shape, values: (await out.data()) as Float32Array };
  } finally {
    out.dispose();
  }
}

const ACTIVATION_OPS = new Set(['Relu', 'Relu6', 'Elu', 'Selu', 'LeakyRelu', 'Prelu', 'Tanh', 'Sigmoid', 'Softplus']);
const CONV_OPS = new Set(['Conv2D', 'DepthwiseConv2dNative', '_FusedConv2D', 'FusedDepthwiseConv2dNative', 'BiasAdd']);
const SPATIAL_CANDIDATE_OPS = new Set([
  ...ACTIVATION_OPS,
  ...CONV_OPS,
  'Add',
  'AddV2',
  'FusedBatchNorm',
  'FusedBatchNormV2',
  'FusedBatchNormV3',
  'MaxPool',
  'AvgPool',
  'Mul',
]);
/** Keras layers that only pool/pad/drop: not a good default for Grad-CAM when they close the conv stack. */
const TRAILING_SKIP_LAYERS = new Set([
  'MaxPooling2D',
  'AveragePooling2D',
  'Dropout',
  'SpatialDropout2D',
  'GaussianNoise',
  'GaussianDropout',
  'ZeroPadding2D',
  'Cropping2D',
]);

function decodeAttrStrings(attr: unknown): string[] {
  const list = (attr as { list?: { s?: unknown } } | undefined)?.list?.s;
  if (!Array.isArray(list)) return [];
  return list.map((s) => {
    if (typeof s !== 'string') return '';
    try {
      return atob(s);
    } catch {
      return s;
    }
  });
}

/** A fused conv whose fused_ops include an activation counts as an activation node. */
function isActivationNode(n: GraphNodeDef): boolean {
  if (ACTIVATION_OPS.has(n.op)) return true;
  if (n.op === '_FusedConv2D' || n.op === 'FusedDepthwiseConv2dNative') {
    return decodeAttrStrings(n.attr?.fused_ops).some((s) => ACTIVATION_OPS.has(s));
  }
  return false;
}

const cleanInput = (s: string): string => s.replace(/^\^/, '').split(':')[0] ?? s;

/** Kahn's topological order of the main graph's nodes (ties in file order). */
function topoOrder(nodes: readonly GraphNodeDef[]): GraphNodeDef[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const indeg = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const n of nodes) {
    const ins = (n.input ?? []).map(cleanInput).filter((i) => byName.has(i));
    indeg.set(n.name, ins.length);
    for (const i of ins) children.set(i, [...(children.get(i) ?? []), n.name]);
  }
  const queue = nodes.filter((n) => indeg.get(n.name) === 0).map((n) => n.name);
  const out: GraphNodeDef[] = [];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    const node = byName.get(name);
    if (node) out.push(node);
    for (const c of children.get(name) ?? []) {
      const d = (indeg.get(c) ?? 1) - 1;
      indeg.set(c, d);
      if (d === 0) queue.push(c);
    }
  }
  // Cycles (control flow) — append the rest in file order.
  if (out.length < nodes.length) for (const n of nodes) if (!out.includes(n)) out.push(n);
  return out;
}

/** Executes the graph to `names` on a probe batch; returns each node's shape (batch as null) or undefined. */
async function graphNodeShapes(model: tf.GraphModel, names: string[], h: number, w: number, c: number): Promise<Map<string, (number | null)[]>> {
  const shapes = new Map<string, (number | null)[]>();
  if (names.length === 0) return shapes;
  const record = (ts: tf.Tensor[]): void => {
    ts.forEach((t, i) => {
      const name = names[i];
      if (name !== undefined) shapes.set(name, t.shape.map((d, k) => (k === 0 && d === PROBE_BATCH && t.rank >= 2 ? null : d)));
    });
  };
  const x = tf.randomUniform([PROBE_BATCH, h, w, c], 0, 1, 'float32', 7);
  try {
    let outs: tf.Tensor[] | undefined;
    try {
      outs = tf.tidy(() => {
        const r = model.execute(x, names);
        return Array.isArray(r) ? r : [r];
      });
    } catch {
      try {
        const r = await model.executeAsync(x, names);
        outs = Array.isArray(r) ? r : [r];
      } catch {
        outs = undefined; // shapes stay unknown; the summary shows them as []
      }
    }
    if (outs) {
      record(outs);
      tf.dispose(outs);
    }
  } finally {
    x.dispose();
  }
  return shapes;
}

function isSpatial(shape: readonly (number | null)[] | undefined): boolean {
  return !!shape && shape.length === 4 && (shape[1] ?? 0) > 1 && (shape[2] ?? 0) > 1;
}

function layersSummary(model: tf.LayersModel): { layers: LayerSummary[]; spatialLayers: string[] } {
  const layers: LayerSummary[] = model.layers.map((l) => {
    const raw = l.outputShape;
    const shape = (Array.isArray(raw[0]) ? raw[0] : raw) as (number | null)[];
    const className = l.getClassName();
    return {
      name: l.name,
      className,
      outputShape: [...shape],
      params: l.countParams(),
      spatial: className !== 'InputLayer' && isSpatial(shape),
    };
  });
  const spatial = layers.filter((l) => l.spatial);
  while (spatial.length > 1 && TRAILING_SKIP_LAYERS.has(spatial[spatial.length - 1]?.className ?? '')) spatial.pop();
  return { layers, spatialLayers: spatial.map((l) => l.name) };
}

async function graphSummary(
  model: tf.GraphModel,
  parsed: ParsedModelJson | undefined,
  h: number,
  w: number,
  c: number,
): Promise<{ layers: LayerSummary[]; spatialLayers: string[]; paramCount: number }> {
  const specs = parsed?.weightSpecs ?? [];
  const size = new Map(specs.map((s) => [s.name, s.shape.reduce((a, b) => a * b, 1)]));
  const paramCount = specs.filter((s) => s.dtype === 'float32').reduce((a, s) => a + (size.get(s.name) ?? 0), 0);
  if (!parsed) return { layers: [], spatialLayers: [], paramCount };
  const main = Array.isArray(parsed.modelTopology.node) ? graphNodes({ node: parsed.modelTopology.node }) : [];
  const ordered = topoOrder(main).filter((n) => n.op !== 'Const' && !n.op.startsWith('Placeholder') && n.op !== 'NoOp');
  const shapes = await graphNodeShapes(model, ordered.map((n) => n.name), h, w, c);
  const layers: LayerSummary[] = ordered.map((n) => {
    const shape = shapes.get(n.name) ?? [];
    const params = (n.input ?? []).map(cleanInput).reduce((a, i) => a + (specs.some((s) => s.name === i && s.dtype === 'float32') ? (size.get(i) ?? 0) : 0), 0);
    return { name: n.name, className: n.op, outputShape: shape, params, spatial: isSpatial(shape) };
  });
  const spatialNodes = ordered.filter((n) => isSpatial(shapes.get(n.name)) && SPATIAL_CANDIDATE_OPS.has(n.op));
  const act = spatialNodes.filter(isActivationNode);
  const conv = spatialNodes.filter((n) => CONV_OPS.has(n.op));
  const chosen = act.length > 0 ? act : conv.length > 0 ? conv : spatialNodes;
  return { layers, spatialLayers: chosen.map((n) => n.name), paramCount };
}

/**
 * Inspects a loaded model: signature checks, a probe run (output shape for graph models; output kind when
 * the structure does not say), card/preset resolution, layer summary, Grad-CAM candidates.
 * Throws ModelError ('multiple-inputs', 'not-image-input', 'bad-output', 'bad-card', 'bad-manifest').
 */
export async function inspectModel(model: TfModel, opts: InspectOptions): Promise<{ info: ModelInfo; card: ResolvedCard }> {
  const sig = signatureShapes(model);
  validateSignature(sig);
  const declared = sig.inputShape ?? [null, null, null, null];
  const pre = opts.preset?.preprocessing;
  const h = pre?.height ?? opts.card?.inputSize?.height ?? declared[1] ?? undefined;
  const w = pre?.width ?? opts.card?.inputSize?.width ?? declared[2] ?? undefined;
  const c = pre?.channels ?? opts.card?.channels ?? declared[3] ?? undefined;
  if (h == null || w == null || c == null) {
    throw new ModelError(
      'not-image-input',
      `The model accepts images of any ${h == null || w == null ? 'size' : 'channel count'} (input ${JSON.stringify(declared)}); ` +
        'tell us the input size and channels in the model card ("inputSize", "channels").',
    );
  }
  if (c !== 1 && c !== 3) throw new ModelError('not-image-input', `The model takes ${c} channels per pixel; only 1 (grey) or 3 (colour) are supported.`);
  const nodes = isGraphModel(model) && opts.parsed ? graphNodes(opts.parsed.modelTopology) : undefined;
  const structural = structuralOutputKind(model, nodes);

  let probe: { shape: number[]; values: Float32Array };
  try {
    probe = await probeScores(model, h, w, c);
  } catch (e) {
    throw translateTfjsError(e);
  }
  const outShape = probe.shape.map((d, i) => (i === 0 ? null : d));
  checkOutputShape(outShape);
  const k = probe.shape[1] ?? 0;
  const detected = detectOutputKind(structural, probe.values, PROBE_BATCH, k);

  let resolved: ResolvedCard;
  if (opts.preset) {
    const p = opts.preset;
    const problems: string[] = [];
    if (p.labels.length !== classCount(p.outputKind, k)) problems.push(`${p.labels.length} labels for ${k} model outputs`);
    const d = declared;
    if ((d[1] != null && d[1] !== p.preprocessing.height) || (d[2] != null && d[2] !== p.preprocessing.width) || (d[3] != null && d[3] !== p.preprocessing.channels)) {
      problems.push(`input ${p.preprocessing.height}×${p.preprocessing.width}×${p.preprocessing.channels} but the model takes ${JSON.stringify(d.slice(1))}`);
    }
    if (problems.length > 0) throw new ModelError('bad-manifest', `The manifest entry for “${opts.name}” does not match the model: ${problems.join('; ')}.`);
    resolved = {
      name: opts.name,
      preprocessing: { ...p.preprocessing },
      labels: [...p.labels],
      outputKind: p.outputKind,
      outputKindReason: 'set in the manifest',
      numClasses: classCount(p.outputKind, k),
      given: ['name', 'labels', 'inputSize', 'channels', 'channelOrder', 'normalization', 'resize', 'outputKind', 'invert'],
      inferred: [],
    };
  } else {
    resolved = resolveCard(opts.card, {
      inputShape: declared,
      numClasses: k,
      detectedOutputKind: detected.kind,
      outputKindReason: detected.reason,
      probe: { values: probe.values, n: PROBE_BATCH },
    });
  }

  let layers: LayerSummary[];
  let spatialLayers: string[];
  let paramCount: number;
  if (isGraphModel(model)) {
    ({ layers, spatialLayers, paramCount } = await graphSummary(model, opts.parsed, h, w, c));
  } else {
    ({ layers, spatialLayers } = layersSummary(model));
    paramCount = model.countParams();
  }
  const info: ModelInfo = {
    id: opts.id,
    name: opts.name,
    source: opts.source,
    format: isGraphModel(model) ? 'graph' : 'layers',
    inputShape: [resolved.preprocessing.height, resolved.preprocessing.width, resolved.preprocessing.channels],
    outputShape: outShape,
    numClasses: resolved.numClasses,
    labels: resolved.labels,
    outputKind: resolved.outputKind,
    outputKindReason: resolved.outputKindReason,
    ...(resolved.unit !== undefined ? { unit: resolved.unit } : {}),
    preprocessing: resolved.preprocessing,
    paramCount,
    layers,
    spatialLayers,
  };
  if (opts.datasetId !== undefined) info.datasetId = opts.datasetId;
  if (opts.provenance !== undefined) info.provenance = opts.provenance;
  return { info, card: resolved };
}

/**
 * The plain `ModelInfo` of a loaded model (see `inspectModel`). For graph models pass `opts.parsed` (the
 * parsed model.json) to get the node summary and Grad-CAM candidates.
 */
export async function buildModelInfo(model: TfModel, opts: BuildInfoOptions): Promise<ModelInfo> {
  return (await inspectModel(model, opts)).info;
}

// ---------------------------------------------------------------------------------------------------
// Loading

/**
 * tf.loadLayersModel with the weights set by us, so that a rejected model frees everything: tfjs's own
 * loader leaks the model's variables and the decoded weights when `loadWeights` throws (wrong weight
 * shape or dtype: 2× the weight size per attempt). The model is built from the topology alone, the
 * weights are decoded and assigned; the decoded tensors are always disposed, the model on failure.
 */
async function buildLayersModel(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  const { weightData, weightSpecs, ...topologyOnly } = artifacts;
  const model = await tf.loadLayersModel({ load: () => Promise.resolve(topologyOnly) }, { strict: true });
  if (!weightData || !weightSpecs) return model;
  let named: tf.NamedTensorMap = {};
  try {
    named = tf.io.decodeWeights(weightData, weightSpecs);
    model.loadWeights(named, true);
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(named));
  }
}

/** Validates parsed artifacts + weights, builds the tfjs model and inspects it. Disposes it on failure. */
async function instantiate(
  parsed: ParsedModelJson,
  weightData: ArrayBuffer,
  opts: LoadOptions,
  defaults: { name: string; sourceDescription: string; card?: ModelCard; warnings?: string[] },
): Promise<LoadedModel> {
  validateTopology(parsed, opts.extraOps);
  checkWeightsFinite(parsed.weightSpecs, weightData);
  const artifacts = toModelArtifacts(parsed, weightData);
  let model: TfModel;
  try {
    model = parsed.format === 'layers' ? await buildLayersModel(artifacts) : await tf.loadGraphModel({ load: () => Promise.resolve(artifacts) });
  } catch (e) {
    throw translateTfjsError(e);
  }
  try {
    const card = opts.card || defaults.card ? { ...defaults.card, ...opts.card } : undefined;
    const name = opts.name ?? card?.name ?? defaults.name;
    const inspectOpts: InspectOptions = { id: opts.id ?? newId(), name, source: opts.source ?? 'user', parsed };
    if (card) inspectOpts.card = card;
    if (opts.preset) inspectOpts.preset = opts.preset;
    if (opts.provenance !== undefined) inspectOpts.provenance = opts.provenance;
    if (opts.datasetId !== undefined) inspectOpts.datasetId = opts.datasetId;
    const { info, card: resolved } = await inspectModel(model, inspectOpts);
    return {
      model,
      info,
      card: resolved,
      package: toPackage(parsed, weightData),
      sourceDescription: defaults.sourceDescription,
      warnings: defaults.warnings ?? [],
    };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** Loads our canonical package (model.json with one "weights.bin" group + its bytes). */
export async function loadModelFromPackage(
  pkg: ModelPackage,
  opts: LoadOptions & { sourceDescription?: string } = {},
): Promise<LoadedModel> {
  const parsed = parseModelText(pkg.modelJson, 'The saved model.json');
  const weightData = await assembleWeights(parsed, (p) => Promise.resolve(baseName(p) === PACKAGE_WEIGHTS_PATH ? pkg.weightData : undefined));
  return instantiate(parsed, weightData, opts, { name: opts.name ?? 'Saved model', sourceDescription: opts.sourceDescription ?? 'saved in this browser' });
}

const dirOf = (f: FileLike): string => {
  const rel = f.webkitRelativePath || f.name;
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
};

const CARD_NAME = /^(card|model[-_.]?card)\.json$|\.card\.json$/i;
const LABELS_NAME = /^(labels|classes|class[-_]names)\.(txt|json)$/i;

/**
 * TensorFlow.js only. User files of any format (ONNX, Keras, TF.js) go through `loadAnyModelFromFiles`
 * in formats.ts, which decides the format and calls this for TF.js.
 *
 * Loads a model from local files: model.json and its weight shards (matched by base name; when a folder
 * holds several files of that name, the one beside model.json wins), or all files of a folder
 * (webkitRelativePath). A card.json and labels.txt/labels.json among the files are used as the card
 * (fields in `opts.card` override them).
 */
export async function loadModelFromFiles(files: readonly FileLike[], opts: LoadOptions = {}): Promise<LoadedModel> {
  if (files.length === 0) throw new ModelError('not-a-model', 'No files were selected.');
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json') && !CARD_NAME.test(f.name) && !LABELS_NAME.test(f.name));
  let candidates = jsons.filter((f) => f.name.toLowerCase() === 'model.json');
  if (candidates.length === 0) candidates = jsons;
  if (candidates.length === 0) {
    const names = files.slice(0, 6).map((f) => f.name).join(', ');
    throw new ModelError(
      'not-a-model',
      `None of the selected files is a model.json (found: ${names}${files.length > 6 ? ', …' : ''}). Select model.json together with its .bin weight files.`,
    );
  }
  // A model folder may hold more models below it (e.g. checkpoints/epoch-1/model.json): the one at the top wins.
  if (candidates.length > 1) {
    const depth = (f: FileLike) => (f.webkitRelativePath || f.name).split('/').length;
    const top = Math.min(...candidates.map(depth));
    const shallowest = candidates.filter((f) => depth(f) === top);
    if (shallowest.length === 1) candidates = shallowest;
  }
  if (candidates.length > 1 && candidates.every((f) => f.name.toLowerCase() === 'model.json')) {
    throw new ModelError(
      'load-failed',
      `The selection holds ${candidates.length} model.json files (${candidates.map((f) => f.webkitRelativePath || f.name).join(', ')}). Select one model's folder.`,
    );
  }
  // Several other .json files: take the first that parses as a model.
  let parsed: ParsedModelJson | undefined;
  let modelFile: FileLike | undefined;
  let firstError: unknown;
  for (const f of candidates) {
    try {
      parsed = parseModelText(await f.text(), f.name);
      modelFile = f;
      break;
    } catch (e) {
      firstError ??= e;
    }
  }
  if (!parsed || !modelFile) throw firstError instanceof Error ? firstError : new ModelError('not-a-model', 'No model.json found.');
  const mf = modelFile;
  const modelDir = dirOf(mf);

  const byBase = new Map<string, FileLike[]>();
  for (const f of files) byBase.set(f.name, [...(byBase.get(f.name) ?? []), f]);
  const read = async (path: string): Promise<ArrayBuffer | undefined> => {
    const list = byBase.get(baseName(path));
    if (!list || list.length === 0) return undefined;
    const f = list.find((x) => dirOf(x) === modelDir) ?? list[0];
    return f?.arrayBuffer();
  };
  const weightData = await assembleWeights(parsed, read);

  const warnings: string[] = [];
  let card: ModelCard | undefined;
  const cardFile = files.find((f) => CARD_NAME.test(f.name) && dirOf(f) === modelDir) ?? files.find((f) => CARD_NAME.test(f.name));
  if (cardFile) {
    const r = parseCardJson(await cardFile.text(), cardFile.name);
    card = r.card;
    warnings.push(...r.warnings);
  }
  const labelsFile = files.find((f) => LABELS_NAME.test(f.name) && dirOf(f) === modelDir) ?? files.find((f) => LABELS_NAME.test(f.name));
  if (labelsFile) {
    const labels = parseLabelsFile(await labelsFile.text(), labelsFile.name);
    if (card?.labels) warnings.push(`${labelsFile.name} was ignored: ${cardFile?.name ?? 'the card'} already lists the labels.`);
    else card = { ...card, labels };
  }
  const shardCount = parsed.groups.reduce((s, g) => s + g.paths.length, 0);
  const folder = (mf.webkitRelativePath ?? '').split('/')[0];
  const defaultName = folder && folder !== mf.webkitRelativePath ? folder : mf.name.replace(/\.json$/i, '') === 'model' ? 'My model' : mf.name.replace(/\.json$/i, '');
  const sourceDescription = modelDir
    ? `folder “${modelDir}” (${mf.name} + ${shardCount} weight file${shardCount === 1 ? '' : 's'})`
    : `files: ${mf.name} + ${shardCount} weight file${shardCount === 1 ? '' : 's'}`;
  const defaults: { name: string; sourceDescription: string; card?: ModelCard; warnings: string[] } = { name: defaultName, sourceDescription, warnings };
  if (card) defaults.card = card;
  return instantiate(parsed, weightData, opts, defaults);
}

function isCrossOrigin(url: string): { cross: boolean; origin: string } {
  const page = (globalThis as { location?: { href?: string; origin?: string } }).location;
  try {
    const u = new URL(url, page?.href);
    return { cross: page?.origin === undefined || u.origin !== page.origin, origin: u.origin };
  } catch {
    return { cross: false, origin: url };
  }
}

/**
 * GET `url` as bytes. Returns undefined on 404 when `allow404`. A TypeError from fetch (the browser hides
 * the reason) of a cross-origin URL is reported as CORS; otherwise as a network failure.
 */
export async function fetchBytes(url: string, what: string, fetchFn: typeof fetch, signal: AbortSignal | undefined, allow404: boolean): Promise<ArrayBuffer | undefined> {
  let res: Response;
  try {
    res = await fetchFn(url, signal ? { signal } : {});
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') throw e;
    const { cross, origin } = isCrossOrigin(url);
    if (cross) {
      throw new ModelError(
        'cors',
        `Could not read ${what} from ${url}: the server at ${origin} does not allow this page to read the file (CORS), or it cannot be reached. ` +
          'Download the model files and load them from your computer instead, or ask the server owner to allow cross-origin access.',
      );
    }
    throw new ModelError('network', `Could not download ${what} from ${url}: the connection failed. Check your network and try again.`);
  }
  if (res.status === 404) {
    if (allow404) return undefined;
    throw new ModelError('not-found', `Nothing was found at ${url} (404 not found). Check the address of ${what}.`);
  }
  if (!res.ok) {
    throw new ModelError('network', `The server answered “${res.status} ${res.statusText}” for ${url} while downloading ${what}.`);
  }
  return res.arrayBuffer();
}

/**
 * Loads a model.json from a URL and its shards from URLs relative to it. Optionally also fetches a card
 * (`cardUrl`). Errors: 'cors', 'network', 'not-found', plus every validation error.
 */
export async function loadModelFromUrl(url: string, opts: LoadOptions & { cardUrl?: string } = {}): Promise<LoadedModel> {
  const fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const file = baseName(url) || 'model.json';
  const bytes = await fetchBytes(url, file, fetchFn, opts.signal, false);
  const parsed = parseModelText(utf8(bytes ?? new ArrayBuffer(0)), file);
  const base = new URL(url, (globalThis as { location?: { href?: string } }).location?.href);
  const weightData = await assembleWeights(parsed, (p) => fetchBytes(new URL(p, base).href, `the weight file “${baseName(p)}”`, fetchFn, opts.signal, true));
  let card: ModelCard | undefined;
  const warnings: string[] = [];
  if (opts.cardUrl) {
    const cb = await fetchBytes(opts.cardUrl, 'the model card', fetchFn, opts.signal, false);
    const r = parseCardJson(utf8(cb ?? new ArrayBuffer(0)), baseName(opts.cardUrl));
    card = r.card;
    warnings.push(...r.warnings);
  }
  const dir = base.pathname.split('/').slice(-2, -1)[0];
  const defaults: { name: string; sourceDescription: string; card?: ModelCard; warnings: string[] } = {
    name: dir ? decodeURIComponent(dir) : file,
    sourceDescription: base.href,
    warnings,
  };
  if (card) defaults.card = card;
  return instantiate(parsed, weightData, opts, defaults);
}

/**
 * Loads one bundled model of the manifest. `manifestUrl` resolves a relative `entry.modelUrl` (omit it
 * when parseManifest already resolved the URLs). The manifest's preprocessing/labels/outputKind are used
 * and checked against the model ('bad-manifest' when they disagree).
 */
export function loadManifestModel(
  entry: ManifestModel,
  manifestUrl?: string,
  opts: Pick<LoadOptions, 'fetch' | 'signal' | 'extraOps'> = {},
): Promise<LoadedModel> {
  const o: LoadOptions = {
    ...opts,
    id: entry.id,
    name: entry.name,
    source: 'bundled',
    preset: { preprocessing: entry.preprocessing, labels: entry.labels, outputKind: entry.outputKind },
    provenance: entry.provenance,
  };
  if (entry.datasetId !== undefined) o.datasetId = entry.datasetId;
  return loadModelFromUrl(resolveUrl(entry.modelUrl, manifestUrl), o);
}
