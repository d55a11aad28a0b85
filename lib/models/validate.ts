/**
 * Checks that decide whether a TensorFlow.js model can be explained here, each failing with a
 * `ModelError` a non-programmer can act on:
 * - before tfjs sees the model: unknown layer classes (against tfjs-layers' registered classes),
 *   unsupported graph ops (against tfjs-converter's op table, see graph-ops.ts);
 * - after tfjs built it: one image input [batch, h, w, c] with c ∈ {1, 3}, one [batch, classes] output;
 * - whether the outputs are already probabilities (softmax at the end) or logits.
 */
import * as tf from '@tensorflow/tfjs';
import type { ParsedModelJson } from './artifacts';
import { STRUCTURAL_GRAPH_OPS, SUPPORTED_GRAPH_OPS } from './graph-ops';
import { isRecord } from './json';
import { ModelError } from './types';
import type { FinalActivation } from './output-kind';

export type TfModel = tf.LayersModel | tf.GraphModel;

/** A node of a TensorFlow GraphDef as it appears in a graph model's modelTopology.node. */
export interface GraphNodeDef {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, unknown>;
}

export function isGraphModel(m: TfModel): m is tf.GraphModel {
  return m instanceof tf.GraphModel;
}

/** Every layer class name in a Keras model config, nested models and wrappers included. */
export function collectLayerClassNames(config: unknown): string[] {
  const out: string[] = [];
  const visit = (layer: unknown): void => {
    if (!isRecord(layer) || typeof layer.class_name !== 'string') return;
    out.push(layer.class_name);
    const cfg = layer.config;
    if (Array.isArray(cfg)) cfg.forEach(visit); // very old Sequential format: config is the layer list
    else if (isRecord(cfg)) {
      if (Array.isArray(cfg.layers)) cfg.layers.forEach(visit);
      if (isRecord(cfg.layer)) visit(cfg.layer); // TimeDistributed, Bidirectional
      if (isRecord(cfg.cell)) visit(cfg.cell); // RNN
    }
  };
  visit(config);
  return out;
}

/** Layer class names tfjs-layers can build (including classes registered by the app). */
export function registeredLayerClasses(): ReadonlySet<string> {
  return new Set(Object.keys(tf.serialization.SerializationMap.getMap().classNameMap));
}

/** Graph nodes of a graph model topology, including nodes of its function library (control flow). */
export function graphNodes(topology: Record<string, unknown>): GraphNodeDef[] {
  const nodes: GraphNodeDef[] = [];
  const take = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const n of list) if (isRecord(n) && typeof n.name === 'string' && typeof n.op === 'string') nodes.push(n as unknown as GraphNodeDef);
  };
  take(topology.node);
  const lib = topology.library;
  if (isRecord(lib) && Array.isArray(lib.function)) {
    for (const f of lib.function) if (isRecord(f)) take(f.nodeDef);
  }
  return nodes;
}

/**
 * Throws 'unknown-layer' / 'unknown-op' naming every class or op that tfjs cannot run.
 * `extraOps`: ops registered with tf.registerOp by the app (tfjs does not expose its custom op registry).
 */
export function validateTopology(parsed: ParsedModelJson, extraOps: readonly string[] = []): void {
  if (parsed.format === 'layers') {
    const topo = parsed.modelTopology;
    const config = isRecord(topo.model_config) ? topo.model_config : topo;
    const known = registeredLayerClasses();
    const names = collectLayerClassNames(config);
    if (names.length === 0) throw new ModelError('not-a-model', 'model.json describes a layers model without any layers.');
    const unknown = [...new Set(names.filter((n) => !known.has(n)))];
    if (unknown.length > 0) {
      const list = unknown.map((u) => `“${u}”`).join(', ');
      throw new ModelError(
        'unknown-layer',
        `The model uses the layer type${unknown.length > 1 ? 's' : ''} ${list}, which TensorFlow.js does not know. ` +
          'Custom layers cannot be loaded in the browser; rebuild the model from standard layers, or convert it as a graph model.',
      );
    }
    return;
  }
  const extra = new Set(extraOps);
  const unknown = [
    ...new Set(
      graphNodes(parsed.modelTopology)
        .map((n) => n.op)
        .filter((op) => !SUPPORTED_GRAPH_OPS.has(op) && !STRUCTURAL_GRAPH_OPS.has(op) && !extra.has(op)),
    ),
  ];
  if (unknown.length > 0) {
    const list = unknown.map((u) => `“${u}”`).join(', ');
    throw new ModelError(
      'unknown-op',
      `The model uses the operation${unknown.length > 1 ? 's' : ''} ${list}, which TensorFlow.js cannot run. ` +
        'Re-export the model without it, or convert it with a newer tensorflowjs_converter.',
    );
  }
}

/** Turns a tfjs loading/execution error into a ModelError (unknown layer/op/initializer, or load-failed). */
export function translateTfjsError(e: unknown): ModelError {
  if (e instanceof ModelError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  const layer = /Unknown layer: ([\w.-]+)/.exec(msg);
  if (layer) {
    return new ModelError('unknown-layer', `The model uses the layer type “${layer[1]}”, which TensorFlow.js does not know.`);
  }
  const op = /Unknown op '([^']+)'|Op is not supported: ([\w.-]+)|Custom op ([\w.-]+) is not registered/.exec(msg);
  if (op) {
    return new ModelError('unknown-op', `The model uses the operation “${op[1] ?? op[2] ?? op[3]}”, which TensorFlow.js cannot run.`);
  }
  const other = /Unknown (\w+): ([\w.-]+)/.exec(msg);
  if (other) {
    return new ModelError('unknown-layer', `The model uses a ${other[1]} called “${other[2]}”, which TensorFlow.js does not know.`);
  }
  return new ModelError('load-failed', `TensorFlow.js could not load the model: ${msg}`);
}

function fmtShape(shape: readonly (number | null | undefined)[] | undefined): string {
  if (!shape) return 'unknown';
  return `[${shape.map((d) => (d === null || d === undefined || d < 0 ? '?' : String(d))).join(', ')}]`;
}

/** A model's declared input and output shapes (unknown dims as null). */
export interface ModelSignatureShapes {
  inputNames: string[];
  /** undefined when the model does not declare its input shape. */
  inputShape: (number | null)[] | undefined;
  outputNames: string[];
  /** undefined when the model does not declare its output shape (graph models). */
  outputShape: (number | null)[] | undefined;
}

const norm = (s: readonly (number | null | undefined)[] | undefined): (number | null)[] | undefined =>
  s?.map((d) => (typeof d === 'number' && d >= 0 ? d : null));

export function signatureShapes(model: TfModel): ModelSignatureShapes {
  if (isGraphModel(model)) {
    return {
      inputNames: model.inputs.map((i) => i.name),
      inputShape: norm(model.inputs[0]?.shape),
      outputNames: model.outputs.map((o) => o.name),
      outputShape: norm(model.outputs[0]?.shape),
    };
  }
  return {
    inputNames: model.inputs.map((i) => i.name),
    inputShape: norm(model.inputs[0]?.shape),
    outputNames: model.outputs.map((o) => o.name),
    outputShape: norm(model.outputs[0]?.shape),
  };
}

/**
 * Checks inputs/outputs: exactly one input of shape [batch, h, w, c], c ∈ {1, 3} (unknown h, w, c are
 * allowed here; the card must then supply them), exactly one output, of rank 2 when declared.
 * Throws 'multiple-inputs', 'not-image-input' or 'bad-output'.
 */
export function validateSignature(sig: ModelSignatureShapes): void {
  if (sig.inputNames.length !== 1) {
    throw new ModelError(
      'multiple-inputs',
      `The model takes ${sig.inputNames.length} inputs (${sig.inputNames.join(', ')}); this dashboard explains models that take exactly one image.`,
    );
  }
  const s = sig.inputShape;
  if (s !== undefined) {
    if (s.length !== 4) {
      throw new ModelError(
        'not-image-input',
        `The model's input has shape ${fmtShape(s)} (${s.length} dimension${s.length === 1 ? '' : 's'}), so it does not take images. ` +
          'An image model takes [batch, height, width, channels] with 1 (grey) or 3 (colour) channels.',
      );
    }
    const c = s[3];
    if (c !== null && c !== undefined && c !== 1 && c !== 3) {
      throw new ModelError(
        'not-image-input',
        `The model's input has shape ${fmtShape(s)}: ${c} channels per pixel. Only grey (1) or colour (3) images are supported.`,
      );
    }
  }
  if (sig.outputNames.length !== 1) {
    throw new ModelError(
      'bad-output',
      `The model has ${sig.outputNames.length} outputs (${sig.outputNames.join(', ')}); a classifier has one output with a score per class.`,
    );
  }
  checkOutputShape(sig.outputShape);
}

/** Throws 'bad-output' unless `shape` (if known) is [batch, classes] with classes ≥ 1. */
export function checkOutputShape(shape: readonly (number | null)[] | undefined): void {
  if (shape === undefined) return;
  if (shape.length !== 2 || shape[1] === 0) {
    throw new ModelError(
      'bad-output',
      `The model's output has shape ${fmtShape(shape)}; a classifier gives one row of class scores per image: [batch, classes]. ` +
        (shape.length > 2 ? 'This looks like a feature map or segmentation output.' : ''),
    );
  }
}

const PASSTHROUGH_OPS = new Set(['Identity', 'IdentityN', 'Reshape', 'Squeeze', 'StopGradient', 'EnsureShape']);

/**
 * The model's final activation, from its structure (output-kind.ts turns it into an output kind).
 * LayersModel: the output layer is a Softmax layer, an Activation, or any layer with an `activation`
 * ('softmax', 'sigmoid', 'linear'). GraphModel: the output node is Softmax / LogSoftmax / Sigmoid, possibly
 * behind Identity/Reshape/Squeeze. Returns undefined when the structure does not say (→ probe).
 */
export function structuralOutputKind(model: TfModel, nodes?: readonly GraphNodeDef[]): FinalActivation | undefined {
  if (isGraphModel(model)) {
    if (!nodes) return undefined;
    const byName = new Map(nodes.map((n) => [n.name, n]));
    // `outputs` names the graph node ("Identity"); `outputNodes` may be a signature key ("activation_4").
    let name = (model.outputs[0]?.name ?? model.outputNodes[0])?.split(':')[0];
    for (let hops = 0; name !== undefined && hops < 8; hops++) {
      const node = byName.get(name);
      if (!node) return undefined;
      const final = GRAPH_FINAL_OPS[node.op];
      if (final) return final;
      if (!PASSTHROUGH_OPS.has(node.op)) return undefined;
      name = node.input?.[0]?.replace(/^\^/, '').split(':')[0];
    }
    return undefined;
  }
  const out = model.outputs[0]?.sourceLayer;
  if (!out) return undefined;
  if (out.getClassName() === 'Softmax') return 'softmax';
  const act = (out.getConfig() as { activation?: unknown }).activation;
  if (act === 'softmax' || act === 'sigmoid' || act === 'linear') return act;
  return undefined;
}

const GRAPH_FINAL_OPS: Readonly<Record<string, FinalActivation>> = { Softmax: 'softmax', LogSoftmax: 'log-softmax', Sigmoid: 'sigmoid' };

/**
 * Probe: are rows of `scores` [n, K] probability distributions (all ≥ −1e-6 and each row sums to 1 ± tol)?
 * Plain arrays; `scores` row-major.
 */
export function rowsLookLikeProbabilities(scores: Float32Array, n: number, k: number, tol = 1e-3): boolean {
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const v = scores[i * k + j] as number;
      if (!(v >= -1e-6)) return false;
      sum += v;
    }
    if (Math.abs(sum - 1) > tol) return false;
  }
  return true;
}
