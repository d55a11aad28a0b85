/**
 * Keras model configs (Keras 3 `config.json` / `model_config`, and Keras 2 `model_config`) → the
 * Keras-2-style topology JSON that tfjs-layers 4.22 deserialises (`tf.models.modelFromJSON`).
 *
 * What changes between the two dialects, and what we do:
 * - class names and `module` / `registered_name`: Keras 3 writes `{module, class_name, config,
 *   registered_name}`; tfjs only reads `class_name` + `config`. Only the layer classes in
 *   {@link SUPPORTED_LAYERS} are converted; any other class is refused with its class and layer name.
 * - dtype policies: `{"class_name": "DTypePolicy", "config": {"name": "float32"}}` → `"float32"`.
 *   Mixed policies (`mixed_float16`, `mixed_bfloat16`) keep float32 variables: we compute in float32
 *   and say so in a warning. Pure float16 weights cannot be read (h5wasm has no float16 reader).
 * - `batch_shape` (Keras 3 InputLayer) → `batch_input_shape`.
 * - functional `inbound_nodes`: Keras 3 `[{args: [..__keras_tensor__..], kwargs}]` → Keras 2
 *   `[[[layer, node_index, tensor_index, {}] …]]`; `input_layers` / `output_layers` given as one
 *   triple become a list of triples.
 * - Sequential: Keras 3 lists its InputLayer as the first layer; tfjs wants `batch_input_shape` on the
 *   first real layer, so the InputLayer is folded into it.
 * - initialisers, regularisers and constraints are dropped (weights are loaded; nothing is trained).
 * - activations: names are mapped to tfjs' (`silu` → `swish`); activations whose Keras 3 definition
 *   differs from tfjs' (`hard_sigmoid`, `hard_silu`, …) are refused rather than computed wrongly.
 *
 * Pure data in, pure data out: no tfjs, no I/O.
 */
import { isRecord } from '../json';
import { ModelError } from '../types';

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

/** Keras activation name → tfjs activation name (only those whose maths agree). */
const ACTIVATIONS: Readonly<Record<string, string>> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  softplus: 'softplus',
  softsign: 'softsign',
  elu: 'elu',
  selu: 'selu',
  swish: 'swish',
  silu: 'swish',
  mish: 'mish',
  // Keras 3's gelu defaults to the exact (erf) form, as does tfjs' 'gelu' ('gelu_new' is the tanh one).
  gelu: 'gelu',
};

/** Keys of a layer config that carry training-only state (dropped). */
const TRAINING_KEY = /(_initializer|_regularizer|_constraint)$|^(activity_regularizer|trainable|seed|noise_shape|renorm_clipping|renorm_momentum|synchronized|quantization_config|shared_object_id)$/;

/** The initialiser keys tfjs-layers reads per class (see build: they are set to zeros). */
const INITIALIZER_KEYS: Readonly<Record<string, readonly string[]>> = {
  Conv2D: ['kernel_initializer', 'bias_initializer'],
  Dense: ['kernel_initializer', 'bias_initializer'],
  DepthwiseConv2D: ['depthwise_initializer', 'bias_initializer'],
  SeparableConv2D: ['depthwise_initializer', 'pointwise_initializer', 'bias_initializer'],
  BatchNormalization: ['beta_initializer', 'gamma_initializer', 'moving_mean_initializer', 'moving_variance_initializer'],
  LayerNormalization: ['beta_initializer', 'gamma_initializer'],
  PReLU: ['alpha_initializer'],
};

/** How one layer class converts: the config keys tfjs takes, and checks on the rest. */
interface LayerRule {
  /** Keys copied as they are (after dtype/activation normalisation). */
  keep: readonly string[];
  /** Keys that must have one of these values (else the feature is unsupported). */
  require?: Readonly<Record<string, readonly unknown[]>>;
  /** Keys renamed from Keras 3 to tfjs. */
  rename?: Readonly<Record<string, string>>;
  /** The tfjs class to build instead (same inference maths), e.g. SpatialDropout2D → Dropout. */
  as?: string;
}

const CONV_KEYS = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'activation', 'use_bias'] as const;
const POOL_KEYS = ['pool_size', 'strides', 'padding', 'data_format'] as const;
const CHANNELS_LAST = { data_format: ['channels_last', undefined, null] } as const;

/**
 * The layer classes we convert, with the Keras 3 config keys tfjs-layers understands. Merge layers,
 * pooling, padding and the rest behave identically in tfjs; conv/dense layers are then evaluated by our
 * layer interpreter (lib/models/layer-graph.ts).
 */
export const SUPPORTED_LAYERS: Readonly<Record<string, LayerRule>> = {
  InputLayer: { keep: ['batch_input_shape', 'dtype', 'sparse'], require: { sparse: [false, undefined, null], ragged: [false, undefined, null] } },
  Conv2D: { keep: CONV_KEYS, require: { groups: [1, undefined, null], ...CHANNELS_LAST } },
  DepthwiseConv2D: {
    keep: ['kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'depth_multiplier', 'activation', 'use_bias'],
    require: CHANNELS_LAST,
  },
  SeparableConv2D: { keep: [...CONV_KEYS, 'depth_multiplier'], require: CHANNELS_LAST },
  Dense: { keep: ['units', 'activation', 'use_bias'], require: { lora_rank: [null, undefined, 0] } },
  BatchNormalization: { keep: ['axis', 'momentum', 'epsilon', 'center', 'scale'], require: { renorm: [false, undefined, null], axis: [-1, 3, [-1], [3]] } },
  LayerNormalization: { keep: ['axis', 'epsilon', 'center', 'scale'], require: { rms_scaling: [false, undefined, null] } },
  Activation: { keep: ['activation'] },
  ReLU: { keep: ['max_value'], require: { negative_slope: [0, undefined, null], threshold: [0, undefined, null] } },
  LeakyReLU: { keep: ['alpha'], rename: { negative_slope: 'alpha' } },
  ELU: { keep: ['alpha'] },
  Softmax: { keep: ['axis'] },
  PReLU: { keep: ['shared_axes'] },
  MaxPooling2D: { keep: POOL_KEYS, require: CHANNELS_LAST },
  AveragePooling2D: { keep: POOL_KEYS, require: CHANNELS_LAST },
  GlobalAveragePooling2D: { keep: ['data_format'], require: { keepdims: [false, undefined, null], ...CHANNELS_LAST } },
  GlobalMaxPooling2D: { keep: ['data_format'], require: { keepdims: [false, undefined, null], ...CHANNELS_LAST } },
  ZeroPadding2D: { keep: ['padding', 'data_format'], require: CHANNELS_LAST },
  Cropping2D: { keep: ['cropping', 'data_format'], require: CHANNELS_LAST },
  UpSampling2D: { keep: ['size', 'data_format', 'interpolation'], require: CHANNELS_LAST },
  Flatten: { keep: ['data_format'] },
  Reshape: { keep: ['target_shape'] },
  Permute: { keep: ['dims'] },
  Dropout: { keep: ['rate'] },
  // Identity at inference, like Dropout (tfjs has no SpatialDropout2D).
  SpatialDropout2D: { keep: ['rate'], as: 'Dropout' },
  GaussianNoise: { keep: ['stddev'] },
  GaussianDropout: { keep: ['rate'] },
  Add: { keep: [] },
  Multiply: { keep: [] },
  Average: { keep: [] },
  Maximum: { keep: [] },
  Minimum: { keep: [] },
  Concatenate: { keep: ['axis'] },
  Rescaling: { keep: ['scale', 'offset'] },
};

/** Model classes (containers) we convert; nested models included. */
const MODEL_CLASSES = new Set(['Functional', 'Model', 'Sequential']);

/** Result of converting one model config. */
export interface ConvertedConfig {
  /** The tfjs `modelTopology` ({class_name, config, keras_version, backend}). */
  topology: Json;
  /** Non-fatal remarks (mixed precision, dropped training-only settings with effect …). */
  warnings: string[];
}

const describeLayer = (cls: string, name: string): string => `layer “${name}” (${cls})`;

function unsupported(what: string): never {
  throw new ModelError('unknown-layer', `${what}. Supported layers: ${Object.keys(SUPPORTED_LAYERS).join(', ')}; and nested Functional/Sequential models.`);
}

/** `{"class_name": "DTypePolicy", "config": {"name": "float32"}}` or "float32" → "float32" (+ warning). */
function convertDtype(v: unknown, where: string, warnings: string[]): string | undefined {
  if (v === undefined || v === null) return undefined;
  let name: unknown = v;
  if (isRecord(v)) name = isRecord(v.config) ? v.config.name : v.name;
  if (typeof name !== 'string') throw new ModelError('not-a-model', `The dtype of ${where} is not readable: ${JSON.stringify(v)}.`);
  if (name === 'float32') return 'float32';
  if (/^mixed_(b?float16)$/.test(name) || name === 'float16' || name === 'bfloat16' || name === 'float64') {
    const msg = `The model was saved with the “${name}” precision policy; it runs here in float32 (outputs can differ slightly from Keras).`;
    if (!warnings.includes(msg)) warnings.push(msg);
    return 'float32';
  }
  if (name === 'int32' || name === 'bool') return name;
  throw new ModelError('unknown-layer', `${where} uses the data type “${name}”, which TensorFlow.js cannot run.`);
}

/** Keras 3 activation (string or serialised function) → tfjs activation name. */
function convertActivation(v: unknown, where: string): string {
  let name: unknown = v;
  if (isRecord(v)) name = typeof v.config === 'string' ? v.config : isRecord(v.config) ? v.config.name : v.class_name;
  if (name === undefined || name === null) return 'linear';
  if (typeof name !== 'string') throw new ModelError('unknown-layer', `The activation of ${where} is not readable: ${JSON.stringify(v)}.`);
  const mapped = ACTIVATIONS[name];
  if (!mapped) {
    throw new ModelError(
      'unknown-layer',
      `${where} uses the activation “${name}”, which we cannot compute exactly as Keras does. Supported activations: ${Object.keys(ACTIVATIONS).join(', ')}.`,
    );
  }
  return mapped;
}

/** Keras 3 `batch_shape` / Keras 2 `batch_input_shape` → [null, ...dims]. */
function batchShape(cfg: Json): unknown[] | undefined {
  const s = cfg.batch_shape ?? cfg.batch_input_shape;
  if (Array.isArray(s)) return [...s];
  if (Array.isArray(cfg.input_shape)) return [null, ...(cfg.input_shape as unknown[])];
  return undefined;
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** One (non-container) layer's config → tfjs config. */
function convertLayerConfig(cls: string, name: string, cfg: Json, warnings: string[]): Json {
  const rule = SUPPORTED_LAYERS[cls];
  const where = describeLayer(cls, name);
  if (!rule) unsupported(`The model uses ${where}, a layer type we cannot convert`);
  for (const [key, allowed] of Object.entries(rule.require ?? {})) {
    const v = cfg[key];
    if (!allowed.some((a) => sameValue(a, v) || (a === undefined && v === undefined))) {
      unsupported(`${where} sets ${key} = ${JSON.stringify(v)}, which TensorFlow.js layers do not support`);
    }
  }
  const out: Json = { name };
  const dtype = convertDtype(cfg.dtype, where, warnings);
  if (dtype) out.dtype = dtype;
  for (const [from, to] of Object.entries(rule.rename ?? {})) if (cfg[from] !== undefined && cfg[to] === undefined) cfg = { ...cfg, [to]: cfg[from] };
  for (const key of rule.keep) {
    if (key === 'batch_input_shape') {
      const s = batchShape(cfg);
      if (s) out.batch_input_shape = s;
      continue;
    }
    if (key === 'dtype') continue;
    if (key === 'activation') {
      out.activation = convertActivation(cfg.activation, where);
      continue;
    }
    if (cfg[key] !== undefined) out[key] = cfg[key];
  }
  if (cls === 'BatchNormalization' && Array.isArray(out.axis)) out.axis = out.axis[0];
  // Every weight is overwritten by the file's: build the variables with zeros (tfjs' default random
  // initialisers cost seconds for large models) — including weights Keras had no initialiser key for.
  for (const key of INITIALIZER_KEYS[cls] ?? []) out[key] = { class_name: 'Zeros', config: {} };
  // Any other setting we do not know must not silently change the maths.
  const known = new Set<string>([...rule.keep, ...Object.keys(rule.require ?? {}), ...Object.keys(rule.rename ?? {}), 'name', 'dtype', 'batch_shape', 'batch_input_shape', 'input_shape', 'ragged', 'optional', 'sparse']);
  for (const key of Object.keys(cfg)) {
    if (known.has(key) || TRAINING_KEY.test(key)) continue;
    const v = cfg[key];
    if (v === null || v === undefined || v === false) continue;
    warnings.push(`${where}: the setting “${key}” (${JSON.stringify(v).slice(0, 60)}) is not used by TensorFlow.js and was ignored.`);
  }
  return out;
}

/** All Keras tensors (`__keras_tensor__`) in a Keras 3 call's args, in order, as [layer, node, tensor]. */
function kerasTensors(v: unknown, out: [string, number, number][], constants: unknown[] = []): void {
  if (Array.isArray(v)) {
    for (const x of v) kerasTensors(x, out, constants);
    return;
  }
  if (!isRecord(v)) {
    if (v !== null && v !== undefined) constants.push(v);
    return;
  }
  if (v.class_name === '__keras_tensor__' && isRecord(v.config) && Array.isArray(v.config.keras_history)) {
    const [l, n, t] = v.config.keras_history as unknown[];
    if (typeof l !== 'string' || typeof n !== 'number' || typeof t !== 'number') throw new ModelError('not-a-model', `A layer input refers to an unreadable tensor ${JSON.stringify(v.config.keras_history)}.`);
    out.push([l, n, t]);
  } else constants.push(v);
}

/** Keras 3 `inbound_nodes` (objects) or Keras 2 (nested lists) → Keras 2 nested lists. */
function convertInboundNodes(nodes: unknown, where: string): unknown[] {
  if (!Array.isArray(nodes)) return [];
  return nodes.map((node) => {
    if (Array.isArray(node)) return node; // Keras 2: [[name, node, tensor, kwargs], ...]
    if (!isRecord(node)) throw new ModelError('not-a-model', `${where} has an unreadable input description.`);
    const tensors: [string, number, number][] = [];
    const constants: unknown[] = [];
    kerasTensors(node.args, tensors, constants);
    if (constants.length > 0) {
      unsupported(`${where} is called with the constant ${JSON.stringify(constants[0]).slice(0, 40)} as an input (as in x + 3.0), which we cannot convert`);
    }
    const kw = isRecord(node.kwargs) ? node.kwargs : {};
    for (const [k, v] of Object.entries(kw)) {
      const inKw: [string, number, number][] = [];
      kerasTensors(v, inKw);
      if (inKw.length > 0) unsupported(`${where} takes a tensor through its “${k}” argument, which we cannot convert`);
    }
    if (tensors.length === 0) throw new ModelError('not-a-model', `${where} is called without an input tensor.`);
    return tensors.map(([l, n, t]) => [l, n, t, {}]);
  });
}

/** `["x", 0, 0]` or `[["x", 0, 0], ...]` → `[["x", 0, 0], ...]`. */
function tripleList(v: unknown): unknown[] {
  if (!Array.isArray(v)) return [];
  if (v.length === 3 && typeof v[0] === 'string') return [v];
  return v;
}

function layerName(layer: Json, i: number): string {
  const cfg = isRecord(layer.config) ? layer.config : {};
  const n = layer.name ?? cfg.name;
  return typeof n === 'string' ? n : `layer ${i + 1}`;
}

/** Converts one model (top-level or nested) `{class_name, config}` object. */
function convertModel(model: Json, warnings: string[], where: string): Json {
  const cls = model.class_name;
  const cfg = model.config;
  if (typeof cls !== 'string' || !MODEL_CLASSES.has(cls)) {
    unsupported(`${where} is a “${String(cls)}” model; we read Sequential and Functional models (subclassed models cannot be rebuilt from their config)`);
  }
  const layersRaw: unknown = Array.isArray(cfg) ? cfg : isRecord(cfg) ? cfg.layers : undefined;
  if (!Array.isArray(layersRaw)) throw new ModelError('not-a-model', `${where} has no list of layers.`);
  const name = isRecord(cfg) && typeof cfg.name === 'string' ? cfg.name : 'model';
  const layers = layersRaw.map((l, i) => {
    if (!isRecord(l) || typeof l.class_name !== 'string') throw new ModelError('not-a-model', `Layer ${i + 1} of ${where} has no class_name.`);
    return l;
  });

  if (cls === 'Sequential') {
    const out: Json[] = [];
    let pendingShape: unknown[] | undefined;
    let pendingDtype: string | undefined;
    if (isRecord(cfg) && Array.isArray(cfg.build_input_shape)) pendingShape = [...(cfg.build_input_shape as unknown[])];
    layers.forEach((l, i) => {
      const lname = layerName(l, i);
      const lc = isRecord(l.config) ? l.config : {};
      if (l.class_name === 'InputLayer') {
        pendingShape = batchShape(lc) ?? pendingShape;
        pendingDtype = convertDtype(lc.dtype, describeLayer('InputLayer', lname), warnings);
        return;
      }
      const conv = convertAny(l, lname, warnings);
      const c = conv.config as Json;
      if (out.length === 0 && pendingShape && c.batch_input_shape === undefined && !MODEL_CLASSES.has(conv.class_name as string)) {
        c.batch_input_shape = pendingShape;
        if (pendingDtype) c.dtype = pendingDtype;
      }
      const own = batchShape(lc);
      if (out.length === 0 && own && !c.batch_input_shape && !MODEL_CLASSES.has(conv.class_name as string)) c.batch_input_shape = own;
      out.push(conv);
    });
    return { class_name: 'Sequential', config: { name, layers: out } };
  }

  const out = layers.map((l, i) => {
    const lname = layerName(l, i);
    const conv = convertAny(l, lname, warnings);
    return { ...conv, name: lname, inbound_nodes: convertInboundNodes(l.inbound_nodes, describeLayer(l.class_name as string, lname)) };
  });
  const c = isRecord(cfg) ? cfg : {};
  return {
    class_name: 'Functional',
    config: { name, layers: out, input_layers: tripleList(c.input_layers), output_layers: tripleList(c.output_layers) },
  };
}

/** Converts a layer entry (plain layer or nested model) → `{class_name, config}`. */
function convertAny(layer: Json, name: string, warnings: string[]): Json {
  const cls = layer.class_name as string;
  if (typeof layer.module === 'string' && /(^|\.)ops(\.|$)/.test(layer.module)) {
    // Keras 3 records `x + 3.0` or `keras.ops.*` calls on symbolic tensors as operation nodes that share
    // class names with layers ("Add", "Multiply"): never mistake them for the layers.
    unsupported(`The model applies the operation “${cls}” (${layer.module}) directly to tensors at “${name}” (as in x + 3.0 or keras.ops calls), which we cannot convert`);
  }
  if (MODEL_CLASSES.has(cls)) return convertModel(layer, warnings, `the nested model “${name}”`);
  const cfg = isRecord(layer.config) ? layer.config : {};
  return { class_name: SUPPORTED_LAYERS[cls]?.as ?? cls, config: convertLayerConfig(cls, name, cfg, warnings) };
}

/**
 * Converts a Keras model config (parsed `config.json` of a `.keras` file, or the `model_config`
 * attribute of a legacy `.h5`) to a tfjs-layers `modelTopology`.
 *
 * @param config the parsed JSON: `{class_name, config, module?, registered_name?, build_config?, compile_config?}`
 * @param kerasVersion for the topology's `keras_version` field (informational)
 * @throws ModelError 'unknown-layer' naming the layer class and layer for anything we cannot convert;
 *   'not-a-model' when the JSON is not a Keras model config.
 */
export function convertKerasConfig(config: unknown, kerasVersion = 'unknown'): ConvertedConfig {
  if (!isRecord(config) || typeof config.class_name !== 'string' || config.config === undefined) {
    throw new ModelError('not-a-model', 'The Keras model configuration is not a {"class_name", "config"} object.');
  }
  const warnings: string[] = [];
  const model = convertModel(config, warnings, 'the model');
  return { topology: { ...model, keras_version: `Keras ${kerasVersion} (converted in the browser)`, backend: 'tensorflow.js' }, warnings };
}
