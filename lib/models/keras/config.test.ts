/** Keras 3 / Keras 2 config → tfjs topology: the dialect differences, one by one, on hand-written configs. */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ModelError } from '@/lib/models/types';
import { registeredLayerClasses } from '@/lib/models/validate';
import { convertKerasConfig, SUPPORTED_LAYERS } from './config';
import { toSnakeCase } from './read';

const policy = (name: string) => ({ module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null });
const kt = (layer: string, shape: (number | null)[]) => ({ class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] } });

/** A Keras 3 functional config: input → conv → (conv, identity) → add → gap → dense. */
function functional3(extra: { convCfg?: Record<string, unknown>; act?: unknown; dtype?: unknown } = {}) {
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: 'f',
      trainable: true,
      layers: [
        { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 8, 8, 3], dtype: 'float32', sparse: false, ragged: false, name: 'img', optional: false }, registered_name: null, name: 'img', inbound_nodes: [] },
        {
          module: 'keras.layers',
          class_name: 'Conv2D',
          config: {
            name: 'c1',
            trainable: true,
            dtype: extra.dtype ?? policy('float32'),
            filters: 4,
            kernel_size: [3, 3],
            strides: [1, 1],
            padding: 'same',
            data_format: 'channels_last',
            dilation_rate: [1, 1],
            groups: 1,
            activation: 'act' in extra ? extra.act : 'relu',
            use_bias: true,
            kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
            kernel_regularizer: null,
            ...extra.convCfg,
          },
          name: 'c1',
          inbound_nodes: [{ args: [kt('img', [null, 8, 8, 3])], kwargs: {} }],
        },
        {
          module: 'keras.layers',
          class_name: 'Conv2D',
          config: { name: 'c2', dtype: policy('float32'), filters: 4, kernel_size: [1, 1], strides: [1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: 'linear', use_bias: false },
          name: 'c2',
          inbound_nodes: [{ args: [kt('c1', [null, 8, 8, 4])], kwargs: {} }],
        },
        { module: 'keras.layers', class_name: 'Add', config: { name: 'add', dtype: policy('float32') }, name: 'add', inbound_nodes: [{ args: [[kt('c1', [null, 8, 8, 4]), kt('c2', [null, 8, 8, 4])]], kwargs: {} }] },
        { module: 'keras.layers', class_name: 'GlobalAveragePooling2D', config: { name: 'gap', data_format: 'channels_last', keepdims: false }, name: 'gap', inbound_nodes: [{ args: [kt('add', [null, 8, 8, 4])], kwargs: {} }] },
        { module: 'keras.layers', class_name: 'Dense', config: { name: 'out', units: 2, activation: 'softmax', use_bias: true, quantization_config: null }, name: 'out', inbound_nodes: [{ args: [kt('gap', [null, 4])], kwargs: {} }] },
      ],
      input_layers: ['img', 0, 0],
      output_layers: ['out', 0, 0],
    },
    registered_name: 'Functional',
    build_config: { input_shape: null },
    compile_config: { loss: 'x' },
  };
}

type Layer = { class_name: string; name?: string; config: Record<string, unknown>; inbound_nodes?: unknown };
const layersOf = (t: Record<string, unknown>): Layer[] => (t.config as { layers: Layer[] }).layers;

function expectModelError(f: () => unknown, code: string, ...fragments: RegExp[]): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ModelError);
  expect((err as ModelError).code).toBe(code);
  for (const r of fragments) expect((err as ModelError).message).toMatch(r);
}

describe('convertKerasConfig', () => {
  const zeros = { class_name: 'Zeros', config: {} };
  it('Keras 3 functional: inbound nodes, input/output triples, batch_shape, dtype policies, training-only keys dropped', () => {
    const { topology, warnings } = convertKerasConfig(functional3(), '3.15.1');
    expect(warnings).toEqual([]);
    expect(topology.class_name).toBe('Functional');
    const cfg = topology.config as Record<string, unknown>;
    expect(cfg.input_layers).toEqual([['img', 0, 0]]);
    expect(cfg.output_layers).toEqual([['out', 0, 0]]);
    const [inp, c1, , add] = layersOf(topology);
    expect(inp?.config).toEqual({ name: 'img', dtype: 'float32', batch_input_shape: [null, 8, 8, 3], sparse: false });
    expect(c1?.config).toEqual({ name: 'c1', dtype: 'float32', filters: 4, kernel_size: [3, 3], strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], activation: 'relu', use_bias: true, kernel_initializer: zeros, bias_initializer: zeros });
    expect(c1?.inbound_nodes).toEqual([[['img', 0, 0, {}]]]);
    expect(add?.inbound_nodes).toEqual([[['c1', 0, 0, {}], ['c2', 0, 0, {}]]]);
    expect(JSON.stringify(topology)).not.toMatch(/module|registered_name|GlorotUniform|regularizer|compile_config/);
    // Variables are built with zeros (the file's weights overwrite them; random init is slow).
    expect(layersOf(topology).flatMap((l) => Object.entries(l.config).filter(([k]) => k.endsWith('_initializer')).map(([, v]) => v))).toEqual(Array(6).fill(zeros)); // c1, c2, out: kernel + bias each
  });

  it('the converted topology builds in tfjs with the expected weights', async () => {
    const { topology } = convertKerasConfig(functional3());
    const m = await tf.models.modelFromJSON({ modelTopology: topology } as unknown as tf.io.ModelJSON);
    try {
      expect(m.inputs[0]?.shape).toEqual([null, 8, 8, 3]);
      expect(m.outputs[0]?.shape).toEqual([null, 2]);
      expect(m.weights.map((w) => [w.originalName, w.shape])).toEqual([
        ['c1/kernel', [3, 3, 3, 4]],
        ['c1/bias', [4]],
        ['c2/kernel', [1, 1, 4, 4]],
        ['out/kernel', [4, 2]],
        ['out/bias', [2]],
      ]);
    } finally {
      m.dispose();
    }
  });

  it('Keras 2 configs (nested-list inbound nodes, batch_input_shape, dtype strings) pass through', () => {
    const k2 = {
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 4, 4, 1], dtype: 'float32', sparse: false, ragged: false, name: 'x' }, name: 'x', inbound_nodes: [] },
          { class_name: 'Flatten', config: { name: 'f', trainable: true, dtype: 'float32', data_format: 'channels_last' }, name: 'f', inbound_nodes: [[['x', 0, 0, {}]]] },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['f', 0, 0]],
      },
    };
    const layers = layersOf(convertKerasConfig(k2).topology);
    expect(layers[0]?.config.batch_input_shape).toEqual([null, 4, 4, 1]);
    expect(layers[1]?.config).toEqual({ name: 'f', dtype: 'float32', data_format: 'channels_last' });
    expect(layers[1]?.inbound_nodes).toEqual([[['x', 0, 0, {}]]]);
  });

  it('Keras 3 Sequential: the InputLayer entry becomes batch_input_shape of the first layer', () => {
    const seq = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { class_name: 'InputLayer', config: { batch_shape: [null, 5, 5, 1], dtype: 'float32', name: 'input_layer' } },
          { class_name: 'Flatten', config: { name: 'flat', dtype: policy('float32') } },
          { class_name: 'Dense', config: { name: 'd', units: 3, activation: 'linear' } },
        ],
        build_input_shape: [null, 5, 5, 1],
      },
    };
    const { topology } = convertKerasConfig(seq);
    const layers = layersOf(topology);
    expect(layers.map((l) => l.class_name)).toEqual(['Flatten', 'Dense']);
    expect(layers[0]?.config.batch_input_shape).toEqual([null, 5, 5, 1]);
    expect(layers[1]?.config.batch_input_shape).toBeUndefined();
  });

  it('activations: names mapped (silu → swish), serialised functions read, mismatching maths refused', () => {
    const act = (a: unknown) => layersOf(convertKerasConfig(functional3({ act: a })).topology)[1]?.config.activation;
    expect(act('silu')).toBe('swish');
    expect(act({ module: 'keras.activations', class_name: 'function', config: 'relu6', registered_name: 'function' })).toBe('relu6');
    expect(act(null)).toBe('linear');
    expect(act('gelu')).toBe('gelu');
    for (const bad of ['hard_sigmoid', 'hard_silu', 'leaky_relu']) {
      expectModelError(() => act(bad), 'unknown-layer', /layer “c1” \(Conv2D\)/, new RegExp(`“${bad}”`));
    }
  });

  it('mixed precision runs in float32 with a warning; unknown dtypes are refused', () => {
    const { warnings } = convertKerasConfig(functional3({ dtype: policy('mixed_float16') }));
    expect(warnings).toEqual([expect.stringMatching(/“mixed_float16” precision policy; it runs here in float32/)]);
    expectModelError(() => convertKerasConfig(functional3({ dtype: policy('uint8') })), 'unknown-layer', /“uint8”/);
  });

  it('settings that would change the maths are refused or reported', () => {
    expectModelError(() => convertKerasConfig(functional3({ convCfg: { groups: 2 } })), 'unknown-layer', /sets groups = 2/);
    expectModelError(() => convertKerasConfig(functional3({ convCfg: { data_format: 'channels_first' } })), 'unknown-layer', /sets data_format = "channels_first"/);
    const { warnings } = convertKerasConfig(functional3({ convCfg: { lora_rank: 4 } }));
    expect(warnings).toEqual([expect.stringMatching(/layer “c1” \(Conv2D\): the setting “lora_rank” \(4\) is not used/)]);
  });

  it('LeakyReLU: Keras 3 negative_slope becomes tfjs alpha', () => {
    const cfg = functional3();
    cfg.config.layers.push({ module: 'keras.layers', class_name: 'LeakyReLU', config: { name: 'lr', negative_slope: 0.2 } as never, name: 'lr', inbound_nodes: [{ args: [kt('out', [null, 2])], kwargs: {} }] } as never);
    const lr = layersOf(convertKerasConfig(cfg).topology).find((l) => l.class_name === 'LeakyReLU');
    expect(lr?.config).toEqual({ name: 'lr', alpha: 0.2 });
  });

  it('not a config, a subclassed model, a tensor passed as a keyword argument', () => {
    expectModelError(() => convertKerasConfig([1, 2]), 'not-a-model', /not a \{"class_name", "config"\} object/);
    expectModelError(() => convertKerasConfig({ class_name: 'MyModel', config: {} }), 'unknown-layer', /“MyModel” model/);
    const cfg = functional3();
    (cfg.config.layers[3] as { inbound_nodes: unknown }).inbound_nodes = [{ args: [kt('c1', [null, 8, 8, 4])], kwargs: { other: kt('c2', [null, 8, 8, 4]) } }];
    expectModelError(() => convertKerasConfig(cfg), 'unknown-layer', /layer “add” \(Add\) takes a tensor through its “other” argument/);
  });

  it('Keras 3 operation nodes (x + 3.0, keras.ops) are refused, never read as the layer of the same name', () => {
    const cfg = functional3();
    const add = cfg.config.layers[3] as Record<string, unknown>;
    add.module = 'keras.src.ops.numpy';
    add.inbound_nodes = [{ args: [kt('c1', [null, 8, 8, 4]), 3.0], kwargs: {} }];
    expectModelError(() => convertKerasConfig(cfg), 'unknown-layer', /operation “Add” \(keras\.src\.ops\.numpy\) directly to tensors at “add”/);
    add.module = 'keras.layers';
    expectModelError(() => convertKerasConfig(cfg), 'unknown-layer', /layer “add” \(Add\) is called with the constant 3 as an input/);
  });
});

describe('the supported layer table', () => {
  it('every supported class is a registered tfjs-layers class', () => {
    const known = registeredLayerClasses();
    const missing = Object.entries(SUPPORTED_LAYERS)
      .map(([c, rule]) => rule.as ?? c)
      .filter((c) => !known.has(c));
    expect(Object.keys(SUPPORTED_LAYERS).length).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});

describe('toSnakeCase (Keras naming.to_snake_case)', () => {
  it('matches the group names Keras 3 writes', () => {
    expect(['Conv2D', 'BatchNormalization', 'ReLU', 'DepthwiseConv2D', 'SeparableConv2D', 'GlobalAveragePooling2D', 'InputLayer', 'ZeroPadding2D', 'Dense'].map(toSnakeCase)).toEqual([
      'conv2d',
      'batch_normalization',
      're_lu',
      'depthwise_conv2d',
      'separable_conv2d',
      'global_average_pooling2d',
      'input_layer',
      'zero_padding2d',
      'dense',
    ]);
  });
});
