/**
 * Loading a `.onnx` file (as `torch.onnx.export` writes it, opsets 11–18, optional external-data files
 * beside it, optional card.json / labels.txt) into an {@link OnnxAdapter} and its plain `ModelInfo`.
 *
 * Ownership: the returned adapter owns every tensor of the model; the caller disposes it
 * (`adapter.dispose()`). Probe tensors are disposed here.
 */
import * as tf from '@tensorflow/tfjs';
import { resolveCard, type ModelCard, type ResolvedCard } from '../card';
import { readSidecars } from '../sidecars';
import type { FileLike } from '../load';
import { ModelError, type LayerSummary, type ModelInfo } from '../types';
import { detectOutputKind, type FinalActivation } from '../output-kind';
import { OnnxAdapter } from './adapter';
import { buildPlan, disposePlan, type OnnxPlan, type Step } from './convert';
import { BATCH } from './fold';
import { storedDims } from './layout';
import { decodeModel, defaultOpset, type ModelProto } from './proto';

export interface OnnxLoadOptions {
  id?: string;
  name?: string;
  source?: 'bundled' | 'user';
  /** Card fields from the UI; they override a card.json found among the files. */
  card?: ModelCard;
  provenance?: string;
  datasetId?: string;
}

export interface LoadedOnnxModel {
  /** Owned by the caller: `adapter.dispose()`. */
  adapter: OnnxAdapter;
  info: ModelInfo;
  card: ResolvedCard;
  /** e.g. "ONNX opset 13 (pytorch 1.13.0), resnet18.onnx + resnet18.onnx.data" */
  sourceDescription: string;
  warnings: string[];
  opset: number;
}

const PROBE_BATCH = 3;

const base = (p: string): string => p.split(/[\\/]/).pop() ?? p;

/** Ops that pass a softmax through unchanged (for structural output-kind detection). */
const PASSTHROUGH = new Set(['Identity', 'Dropout', 'Flatten', 'Reshape', 'Squeeze', 'Cast']);
/** Ops whose spatial outputs are good Grad-CAM layers (activations first; see spatialCandidates). */
const ACTIVATION_OPS = new Set(['Relu', 'Clip', 'HardSwish', 'LeakyRelu', 'Elu', 'Selu', 'PRelu', 'Gelu']);
const SPATIAL_OPS = new Set([...ACTIVATION_OPS, 'Conv', 'BatchNormalization', 'Add', 'Mul', 'Concat', 'MaxPool', 'AveragePool', 'Sigmoid']);

function structuralKind(plan: OnnxPlan): FinalActivation | undefined {
  const byOut = new Map<string, Step>();
  for (const s of plan.steps) for (const o of s.outputs) byOut.set(o, s);
  let name: string | undefined = plan.outputName;
  for (let hops = 0; name !== undefined && hops < 8; hops++) {
    const s = byOut.get(name);
    if (!s) return undefined;
    if (s.op === 'Softmax') return 'softmax';
    if (s.op === 'LogSoftmax') return 'log-softmax';
    if (s.op === 'Sigmoid') return 'sigmoid';
    if (!PASSTHROUGH.has(s.op)) return undefined;
    name = s.inputs.find((i) => i !== undefined);
  }
  return undefined;
}

function isSpatialShape(shape: readonly number[]): boolean {
  return shape.length === 4 && (shape[2] ?? 0) > 1 && (shape[3] ?? 0) > 1;
}

/** SiLU / Swish: Mul(x, Sigmoid(x)) counts as an activation. */
function isSwish(s: Step, byOut: Map<string, Step>): boolean {
  if (s.op !== 'Mul') return false;
  const [p, q] = s.inputs;
  const sp = p ? byOut.get(p) : undefined;
  const sq = q ? byOut.get(q) : undefined;
  return (sp?.op === 'Sigmoid' && sp.inputs[0] === q) || (sq?.op === 'Sigmoid' && sq.inputs[0] === p);
}

/** Layer summary (stored NHWC shapes, batch as null) and Grad-CAM candidates (default: the last one). */
export function summarize(plan: OnnxPlan): { layers: LayerSummary[]; spatialLayers: string[] } {
  const byOut = new Map<string, Step>();
  for (const s of plan.steps) for (const o of s.outputs) byOut.set(o, s);
  const layers: LayerSummary[] = plan.steps.map((s) => {
    const shape = s.shapes[0] ?? [];
    return {
      name: s.name,
      className: s.op,
      outputShape: storedDims(shape).map((d) => (d === BATCH ? null : d)),
      params: s.params,
      spatial: isSpatialShape(shape),
    };
  });
  const spatial = plan.steps.filter((s) => isSpatialShape(s.shapes[0] ?? []) && SPATIAL_OPS.has(s.op));
  const act = spatial.filter((s) => ACTIVATION_OPS.has(s.op) || isSwish(s, byOut));
  const conv = spatial.filter((s) => s.op === 'Conv');
  const chosen = act.length > 0 ? act : conv.length > 0 ? conv : spatial;
  return { layers, spatialLayers: chosen.map((s) => s.name) };
}

/** External-data locations the initializers name. */
function externalLocations(m: ModelProto): string[] {
  const set = new Set<string>();
  for (const t of m.graph?.initializer ?? []) {
    if (t.dataLocation !== 1) continue;
    const loc = t.externalData.find((e) => e.key === 'location')?.value;
    if (loc) set.add(loc);
  }
  return [...set];
}

function newId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID ? c.randomUUID() : `onnx-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

async function probe(adapter: OnnxAdapter, h: number, w: number, c: number): Promise<Float32Array> {
  const x = tf.randomUniform([PROBE_BATCH, h, w, c], 0, 1, 'float32', 42) as tf.Tensor4D;
  const y = tf.tidy(() => adapter.runModelSpace(x));
  x.dispose();
  try {
    return (await y.data()) as Float32Array;
  } finally {
    y.dispose();
  }
}

/**
 * Loads an ONNX classifier from local files: exactly one `.onnx`, the external-data files it names (by
 * base name), optionally card.json and labels.txt/labels.json (fields in `opts.card` override them).
 * Throws ModelError: 'not-a-model', 'missing-weights', 'short-weights', 'multiple-inputs',
 * 'not-image-input', 'unknown-op' (names the op and the node), 'bad-output', 'bad-card'.
 */
export async function loadOnnxModel(files: readonly FileLike[], opts: OnnxLoadOptions = {}): Promise<LoadedOnnxModel> {
  const onnxFiles = files.filter((f) => f.name.toLowerCase().endsWith('.onnx'));
  if (onnxFiles.length === 0) throw new ModelError('not-a-model', 'None of the selected files is an .onnx model.');
  if (onnxFiles.length > 1) throw new ModelError('load-failed', `The selection holds ${onnxFiles.length} .onnx files (${onnxFiles.map((f) => f.name).join(', ')}); select one model.`);
  const file = onnxFiles[0] as FileLike;
  const model = decodeModel(new Uint8Array(await file.arrayBuffer()), file.name);
  const byName = new Map(files.map((f) => [f.name, f]));
  const external = new Map<string, Uint8Array>();
  for (const loc of externalLocations(model)) {
    const f = byName.get(base(loc));
    if (f) external.set(loc, new Uint8Array(await f.arrayBuffer()));
  }
  const read = (location: string, offset: number, length: number | undefined): Uint8Array | undefined => {
    const bytes = external.get(location);
    if (!bytes) return undefined;
    return bytes.subarray(offset, length === undefined ? undefined : offset + length);
  };

  const { card, warnings } = await readSidecars(files, opts.card);

  const plan = buildPlan(model, read);
  const [c, h, w] = plan.inputChw;
  const name = opts.name ?? card?.name ?? file.name.replace(/\.onnx$/i, '');
  const info: ModelInfo = {
    id: opts.id ?? newId(),
    name,
    source: opts.source ?? 'user',
    format: 'onnx',
    inputShape: [h, w, c],
    outputShape: [null, plan.numClasses],
    numClasses: plan.numClasses,
    labels: [],
    // Raw outputs until the kind is resolved (the probe reads them unchanged).
    outputKind: 'regression',
    preprocessing: { height: h, width: w, channels: c as 1 | 3, channelOrder: 'rgb', normalization: 'zero-one', resize: 'stretch' },
    paramCount: plan.paramCount,
    layers: [],
    spatialLayers: [],
  };
  const adapter = new OnnxAdapter(plan, info);
  try {
    const scores = await probe(adapter, h, w, c);
    const detected = detectOutputKind(structuralKind(plan), scores, PROBE_BATCH, plan.numClasses);
    if (!scores.every(Number.isFinite)) warnings.push('The model gives non-finite scores on random images; check its weights.');
    const resolved = resolveCard(card, {
      inputShape: [null, h, w, c],
      numClasses: plan.numClasses,
      detectedOutputKind: detected.kind,
      outputKindReason: detected.reason,
      probe: { values: scores, n: PROBE_BATCH },
    });
    const { layers, spatialLayers } = summarize(plan);
    info.labels = resolved.labels;
    info.outputKind = resolved.outputKind;
    info.outputKindReason = resolved.outputKindReason;
    info.numClasses = resolved.numClasses;
    if (resolved.unit !== undefined) info.unit = resolved.unit;
    info.preprocessing = resolved.preprocessing;
    info.layers = layers;
    info.spatialLayers = spatialLayers;
    if (resolved.name && !opts.name) info.name = resolved.name;
    if (opts.provenance !== undefined) info.provenance = opts.provenance;
    if (opts.datasetId !== undefined) info.datasetId = opts.datasetId;
    const ext = [...external.keys()];
    return {
      adapter,
      info,
      card: resolved,
      sourceDescription: `ONNX opset ${defaultOpset(model)}${plan.producer ? ` (${plan.producer})` : ''}: ${[file.name, ...ext].join(' + ')}`,
      warnings,
      opset: plan.opset,
    };
  } catch (e) {
    adapter.dispose();
    disposePlan(plan);
    throw e;
  }
}
