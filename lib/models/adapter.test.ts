import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ExplainError } from '@/lib/explain/types';
import { TEST_BACKENDS, switchBackend } from '@/lib/testing/backends';
import { infoFor, linearModel, seededImage, skipModel, smallCnn } from '@/lib/testing/models';
import { tinyGraphAsLayers, tinyGraphModel } from '@/lib/testing/graph-model';
import { createGraphAdapter, createLayersAdapter, graphGradientBlockers, resolveNormalization } from './adapter';
import { depthwiseConv2dPortable } from './layer-graph';

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i] as number)));
}

describe('resolveNormalization', () => {
  it('maps presets to numbers', () => {
    expect(resolveNormalization('zero-one')).toEqual({ scale: 1, mean: [0], std: [1] });
    expect(resolveNormalization('minus-one-one')).toEqual({ scale: 1, mean: [0.5], std: [0.5] });
    expect(resolveNormalization('zero-255')).toEqual({ scale: 255, mean: [0], std: [1] });
    expect(resolveNormalization('imagenet')).toEqual({ scale: 1, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    expect(resolveNormalization('caffe-bgr')).toEqual({ scale: 255, mean: [103.939, 116.779, 123.68], std: [1] });
    const custom = { scale: 2, mean: [1], std: [3] };
    expect(resolveNormalization(custom)).toEqual(custom);
  });
});

describe.each(TEST_BACKENDS)('adapter on %s', (backend) => {
  beforeAll(async () => switchBackend(backend));

  it('gradient of a linear model through imagenet normalisation = W / std (pixel space)', async () => {
    const [h, w, c, k] = [2, 2, 3, 2];
    const W = new Float32Array(h * w * c * k).map((_, i) => ((i * 7) % 11) / 10 - 0.5);
    const adapter = createLayersAdapter(linearModel(h, w, c, k, W), infoFor(linearModel(h, w, c, k, W), { preprocessing: { normalization: 'imagenet' } }));
    const img = seededImage(h, w, c);
    const { g, s } = tf.tidy(() => {
      const r = adapter.inputGradients(tf.tensor4d(img.data, [1, h, w, c]), 1);
      return { g: r.grads, s: r.scores };
    });
    const grads = await g.data();
    const scores = await s.data();
    tf.dispose([g, s]);
    const std = [0.229, 0.224, 0.225];
    const mean = [0.485, 0.456, 0.406];
    const expected = new Float32Array(h * w * c);
    let logit1 = 0;
    for (let i = 0; i < h * w * c; i++) {
      expected[i] = (W[i * k + 1] as number) / (std[i % c] as number);
      logit1 += (((img.data[i] as number) - (mean[i % c] as number)) / (std[i % c] as number)) * (W[i * k + 1] as number);
    }
    close(grads, expected, 1e-4);
    expect(scores[1]).toBeCloseTo(logit1, 4);
    adapter.dispose();
  });

  it('caffe-bgr reverses channels and scales by 255: gradient of pixel (r,g,b) picks weights of (b,g,r)', async () => {
    // One pixel, 3 channels, 1 class: logit = Σ_j W[j] · model_input[j], model_input = 255·p[2-j] − mean[j].
    const W = new Float32Array([1, 2, 3]);
    const model = linearModel(1, 1, 3, 1, W);
    const adapter = createLayersAdapter(model, infoFor(model, { preprocessing: { normalization: 'caffe-bgr' } }));
    const g = tf.tidy(() => adapter.inputGradients(tf.tensor4d([0.2, 0.4, 0.6], [1, 1, 1, 3]), 0).grads);
    close(await g.data(), [3 * 255, 2 * 255, 1 * 255], 1e-5);
    const s = tf.tidy(() => adapter.scores(tf.tensor4d([0.2, 0.4, 0.6], [1, 1, 1, 3])));
    expect((await s.data())[0]).toBeCloseTo(1 * (0.6 * 255 - 103.939) + 2 * (0.4 * 255 - 116.779) + 3 * (0.2 * 255 - 123.68), 2);
    tf.dispose([g, s]);
    adapter.dispose();
  });

  it('our layer-graph forward equals model.predict (sequential, functional with skip + depthwise)', async () => {
    for (const make of [() => smallCnn(3), () => skipModel(4)]) {
      const model = make();
      const img = seededImage(8, 8, 3, 11);
      const ref = tf.tidy(() => model.predict(tf.tensor4d(img.data, [1, 8, 8, 3])) as tf.Tensor);
      const expected = await ref.data();
      ref.dispose();
      const adapter = createLayersAdapter(model, infoFor(model));
      const s = tf.tidy(() => adapter.scores(tf.tensor4d(img.data, [1, 8, 8, 3])));
      close(await s.data(), expected, 1e-4);
      s.dispose();
      adapter.dispose();
    }
  });

  it('input gradients work through conv (linear activation) + depthwise and match finite differences', async () => {
    const model = skipModel(5);
    const adapter = createLayersAdapter(model, infoFor(model));
    const img = seededImage(8, 8, 3, 3);
    const g = tf.tidy(() => adapter.inputGradients(tf.tensor4d(img.data, [1, 8, 8, 3]), 2).grads);
    const grads = await g.data();
    g.dispose();
    const eps = 1e-2;
    for (const idx of [0, 17, 100, 191]) {
      const plus = Float32Array.from(img.data);
      const minus = Float32Array.from(img.data);
      plus[idx] = (plus[idx] as number) + eps;
      minus[idx] = (minus[idx] as number) - eps;
      const d = tf.tidy(() => {
        const sp = adapter.scores(tf.tensor4d(plus, [1, 8, 8, 3]));
        const sm = adapter.scores(tf.tensor4d(minus, [1, 8, 8, 3]));
        return tf.div(tf.sub(sp, sm), 2 * eps);
      });
      const fd = (await d.data())[2] as number;
      d.dispose();
      expect(Math.abs(fd - (grads[idx] as number))).toBeLessThan(2e-3 + 0.02 * Math.abs(fd));
    }
    adapter.dispose();
  });

  it('layer gradients at a layer before a skip connection equal autodiff of a prefix/suffix split', async () => {
    const model = skipModel(6);
    const adapter = createLayersAdapter(model, infoFor(model));
    const img = seededImage(8, 8, 3, 5);
    const r = tf.tidy(() => {
      const o = adapter.layerGradients(tf.tensor4d(img.data, [1, 8, 8, 3]), 'conv_a', 1);
      return [o.activations, o.grads, o.scores];
    });
    const [act, grads] = r as [tf.Tensor, tf.Tensor, tf.Tensor];
    expect(act.shape).toEqual([1, 8, 8, 4]);
    expect(grads.shape).toEqual([1, 8, 8, 4]);
    // Reference: the suffix of the network as a second functional model that reuses the same layers on
    // a new input (A feeds both conv_b and the Add), differentiated by finite differences of predict().
    const aIn = tf.input({ shape: [8, 8, 4] });
    const b = model.getLayer('conv_b').apply(aIn) as tf.SymbolicTensor;
    const sum = model.getLayer('add').apply([aIn, b]) as tf.SymbolicTensor;
    let t = model.getLayer('relu').apply(sum) as tf.SymbolicTensor;
    for (const name of ['dw', 'gap', 'logits']) t = model.getLayer(name).apply(t) as tf.SymbolicTensor;
    const suffix = tf.model({ inputs: aIn, outputs: t });
    const aData = await act.data();
    const gData = await grads.data();
    const eps = 1e-3;
    for (const idx of [3, 77, 130, 255]) {
      const plus = Float32Array.from(aData);
      const minus = Float32Array.from(aData);
      plus[idx] = (plus[idx] as number) + eps;
      minus[idx] = (minus[idx] as number) - eps;
      const d = tf.tidy(() => {
        const sp = suffix.predict(tf.tensor4d(plus, [1, 8, 8, 4])) as tf.Tensor;
        const sm = suffix.predict(tf.tensor4d(minus, [1, 8, 8, 4])) as tf.Tensor;
        return tf.div(tf.sub(sp, sm), 2 * eps);
      });
      const fd = (await d.data())[1] as number;
      d.dispose();
      expect(Math.abs(fd - (gData[idx] as number))).toBeLessThan(2e-3 + 0.02 * Math.abs(fd));
    }
    // The original model still evaluates the same after its layers gained a second inbound node.
    const s2 = tf.tidy(() => adapter.scores(tf.tensor4d(img.data, [1, 8, 8, 3])));
    close(await s2.data(), await (r[2] as tf.Tensor).data(), 1e-5);
    s2.dispose();
    tf.dispose(r);
    adapter.dispose();
  });

  it('counts calls and images', () => {
    const model = smallCnn(1);
    const adapter = createLayersAdapter(model, infoFor(model));
    tf.tidy(() => {
      adapter.scores(tf.zeros([3, 8, 8, 3]));
      adapter.probabilities(tf.zeros([2, 8, 8, 3]));
      adapter.inputGradients(tf.zeros([1, 8, 8, 3]), 0);
      adapter.layerGradients(tf.zeros([4, 8, 8, 3]), 'conv2', 0);
    });
    expect(adapter.counters).toEqual({ calls: 4, images: 10 });
    adapter.resetCounters();
    expect(adapter.counters).toEqual({ calls: 0, images: 0 });
    adapter.dispose();
  });

  it('rejects bad targets and unknown layers with ExplainError', () => {
    const model = smallCnn(1);
    const adapter = createLayersAdapter(model, infoFor(model));
    expect(() => tf.tidy(() => adapter.inputGradients(tf.zeros([1, 8, 8, 3]), 3))).toThrow(ExplainError);
    expect(() => tf.tidy(() => adapter.layerGradients(tf.zeros([1, 8, 8, 3]), 'nope', 0))).toThrow(/not a layer/);
    adapter.dispose();
  });

  it('does not leak tensors (two rounds of every call)', () => {
    const model = skipModel(1);
    const adapter = createLayersAdapter(model, infoFor(model));
    const round = () =>
      tf.tidy(() => {
        adapter.scores(tf.zeros([1, 8, 8, 3]));
        adapter.probabilities(tf.zeros([1, 8, 8, 3]));
        adapter.inputGradients(tf.ones([2, 8, 8, 3]), 1);
        adapter.layerGradients(tf.ones([2, 8, 8, 3]), 'add', 1);
      });
    round();
    const before = tf.memory().numTensors;
    round();
    round();
    expect(tf.memory().numTensors).toBe(before);
    adapter.dispose();
  });

  it('portable depthwise gradient equals the CPU-native one (strides 1 and 2, same/valid, multiplier 2)', async () => {
    const x = tf.tensor4d(seededImage(7, 6, 3, 9).data, [1, 7, 6, 3]);
    for (const [stride, pad, mult] of [
      [1, 'same', 1],
      [2, 'same', 1],
      [2, 'valid', 2],
      [1, 'valid', 2],
    ] as const) {
      const f = tf.tensor4d(seededImage(3, 3, 3 * mult, 4).data, [3, 3, 3, mult]);
      const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(depthwiseConv2dPortable(xx as tf.Tensor4D, f, [stride, stride], pad), 1.5)))(x);
      // Reference: the same quantity through the block-diagonal regular conv (Conv2DBackpropInput exists everywhere).
      const ref = tf.tidy(() => {
        const fd = f.arraySync();
        const block = new Float32Array(3 * 3 * 3 * 3 * mult);
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 3; j++)
            for (let c = 0; c < 3; c++)
              for (let m = 0; m < mult; m++) block[((i * 3 + j) * 3 + c) * 3 * mult + c * mult + m] = fd[i]![j]![c]![m]!;
        const fb = tf.tensor4d(block, [3, 3, 3, 3 * mult]);
        return tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, fb, stride, pad), 1.5)))(x);
      });
      close(await g.data(), await ref.data(), 1e-4);
      tf.dispose([f, g, ref]);
    }
    x.dispose();
  });
});

describe('graph model adapter', () => {
  afterAll(async () => switchBackend('cpu'));

  it.each(TEST_BACKENDS)('unfused graph (Conv2D/BiasAdd/Relu/MatMul) matches the equivalent LayersModel on %s', async (backend) => {
    await switchBackend(backend);
    const g = await tinyGraphModel();
    const layers = tinyGraphAsLayers(g);
    const gi = { ...infoFor(layers), format: 'graph' as const, spatialLayers: ['relu1'] };
    const ga = createGraphAdapter(g.model, gi);
    const la = createLayersAdapter(layers, infoFor(layers));
    const img = seededImage(4, 4, 1, 21);
    const x = () => tf.tensor4d(img.data, [1, 4, 4, 1]);
    const [gs, ls, gg, lg, gl, ll] = tf.tidy(() => [
      ga.scores(x()),
      la.scores(x()),
      ga.inputGradients(x(), 2).grads,
      la.inputGradients(x(), 2).grads,
      ga.layerGradients(x(), 'relu1', 2).grads,
      la.layerGradients(x(), 'relu1', 2).grads,
    ]) as tf.Tensor[];
    close(await gs!.data(), await ls!.data(), 1e-5);
    close(await gg!.data(), await lg!.data(), 1e-4);
    close(await gl!.data(), await ll!.data(), 1e-4);
    tf.dispose([gs!, ls!, gg!, lg!, gl!, ll!]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      ga.inputGradients(x(), 0);
      ga.layerGradients(x(), 'relu1', 0);
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(ga.gradientBlockers).toEqual([]);
    ga.dispose();
    la.dispose();
  });

  it('fused conv with linear activation: input and layer gradients on WASM equal the CPU ones (app gradients installed)', async () => {
    await switchBackend('cpu');
    const g = await tinyGraphModel({ fused: true, fusedRelu: false });
    const info = { ...infoFor(tinyGraphAsLayers(g)), format: 'graph' as const, spatialLayers: ['relu1'] };
    const adapter = createGraphAdapter(g.model, info);
    const x = () => tf.tensor4d(Float32Array.from({ length: 16 }, (_, i) => Math.sin(i + 1)), [1, 4, 4, 1]);
    const run = () =>
      tf.tidy(() => {
        const xi = x();
        const ig = adapter.inputGradients(xi, 0).grads.dataSync();
        const lg = adapter.layerGradients(xi, 'relu1', 2).grads.dataSync();
        return { ig, lg };
      });
    const cpu = run();
    // Without the app's gradients, a bare tfjs on WASM would need the missing filter-gradient kernel.
    expect(graphGradientBlockers(g.model, 'wasm', false)).toEqual(['Conv2DBackpropFilter']);
    expect(graphGradientBlockers(g.model, 'cpu', false)).toEqual([]);
    await switchBackend('wasm');
    expect(adapter.gradientBlockers).toEqual([]);
    const before = tf.memory().numTensors;
    const wasm = run();
    run();
    expect(tf.memory().numTensors).toBe(before);
    close(wasm.ig, cpu.ig, 1e-4);
    close(wasm.lg, cpu.lg, 1e-4);
    expect(Math.max(...Array.from(cpu.ig, Math.abs))).toBeGreaterThan(0);
    adapter.dispose();
  });
});
