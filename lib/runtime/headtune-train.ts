/**
 * The tfjs half of in-browser head fine-tuning (the pure half is lib/train): where a LayersModel can be
 * cut, the frozen body's features, a new dense head trained on them (Adam on the head's kernel and bias
 * only: no convolution weight gradients), and body + head saved as one LayersModel package.
 * Worker-only; every function disposes what it creates (leak-tested).
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '@/lib/random';
import {
  epochOrder,
  inverseFrequencyWeights,
  scoreLogits,
  type CurvePoint,
  type CutPoint,
  type HeadTuneOptions,
} from '@/lib/train';
import { normalizeTensor } from '@/lib/models/adapter';
import { PACKAGE_WEIGHTS_PATH, type ModelPackage } from '@/lib/models/artifacts';
import type { ImageInput } from '@/lib/models/adapter-types';
import type { Preprocessing } from '@/lib/models/types';

const aborted = () => new DOMException('Cancelled', 'AbortError');
const yieldToMessages = () => new Promise<void>((r) => setTimeout(r, 0));

/** Output feature length of a layer whose output is [null, D]; null for any other shape. */
function flatUnits(layer: tf.layers.Layer): number | null {
  const s = layer.outputShape;
  if (!Array.isArray(s) || s.length !== 2 || Array.isArray(s[0])) return null;
  const d = s[1];
  return typeof d === 'number' && d > 0 ? d : null;
}

/**
 * Layers a body can be cut at (flat outputs [null, D], the output layer excluded), in model order, and the
 * default: the input of the model's last Dense layer (the penultimate features), else the last cut point.
 * Throws in words when the model has none (e.g. a fully convolutional output).
 */
export function cutPoints(model: tf.LayersModel): { points: CutPoint[]; defaultCut: string } {
  const layers = model.layers;
  const outputLayer = layers[layers.length - 1];
  const points: CutPoint[] = [];
  for (const l of layers) {
    const units = l === outputLayer ? null : flatUnits(l);
    if (units !== null) points.push({ name: l.name, units, className: l.getClassName() });
  }
  if (points.length === 0)
    throw new Error('This model has no layer with flat features (a vector per image) to put a new head on.');
  const lastDense = [...layers].reverse().find((l) => l.getClassName() === 'Dense');
  const feeding = lastDense?.inboundNodes[0]?.inboundLayers[0]?.name;
  const defaultCut = points.find((p) => p.name === feeding)?.name ?? (points[points.length - 1] as CutPoint).name;
  return { points, defaultCut };
}

/**
 * Features of `n` images through `model` cut at `cut`: float32 [n × D], row-major. `inputAt(i)` gives image
 * i as the model sees it before normalisation (HWC, p ∈ [0, 1]); `pre` normalises as the adapter does.
 * One tidy per batch; `signal` is checked between batches.
 */
export async function extractFeatures(
  model: tf.LayersModel,
  cut: string,
  pre: Preprocessing,
  n: number,
  inputAt: (i: number) => ImageInput,
  opts: { batchSize?: number; signal?: AbortSignal; onProgress?: (done: number) => void } = {},
): Promise<{ features: Float32Array; units: number }> {
  const layer = model.getLayer(cut);
  const units = flatUnits(layer);
  if (units === null) throw new Error(`Layer “${cut}” does not give a flat feature vector per image.`);
  const body = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
  const features = new Float32Array(n * units);
  const bs = Math.max(1, opts.batchSize ?? 64);
  const { height: h, width: w, channels: c } = pre;
  for (let start = 0; start < n; start += bs) {
    if (opts.signal?.aborted) throw aborted();
    const m = Math.min(bs, n - start);
    const batch = new Float32Array(m * h * w * c);
    for (let j = 0; j < m; j++) batch.set(inputAt(start + j).data, j * h * w * c);
    const out = tf.tidy(() => body.predict(normalizeTensor(tf.tensor4d(batch, [m, h, w, c]), pre)) as tf.Tensor);
    try {
      features.set(await out.data(), start * units);
    } finally {
      out.dispose();
    }
    opts.onProgress?.(start + m);
    await yieldToMessages();
  }
  return { features, units };
}

export interface HeadFit {
  /** Dense kernel [D × K] and bias [K] (row-major), the head's logits = x·W + b. */
  kernel: Float32Array;
  bias: Float32Array;
  curve: CurvePoint[];
  /** Held-out recall per class after the last epoch (null: no held-out image of that class). */
  heldOutRecall: (number | null)[];
  /** Wall time of the epochs (the per-epoch scoring included). */
  trainMs: number;
  /** Examples the optimiser saw (all epochs). */
  examplesSeen: number;
}

/** Logits of rows `rows` of `x` [n × D] through (W, b), as plain numbers [rows × K]. */
function logitsOf(x: tf.Tensor2D, w: tf.Variable, b: tf.Variable, rows: number[]): Float32Array {
  if (rows.length === 0) return new Float32Array(0);
  const logits = tf.tidy(() => tf.gather(x, rows).matMul(w).add(b));
  try {
    return Float32Array.from(logits.dataSync()); // read outside the tidy, copied before the tensor goes
  } finally {
    logits.dispose();
  }
}

/**
 * Trains a dense head (logits, K classes) on fixed features [n × d] with labels [n] in [0, K): Adam,
 * softmax cross entropy with optional inverse-frequency class weights (over `split.train`), optional
 * class-balanced oversampling, L2 on the kernel. After every epoch the (unweighted) loss and accuracy of the
 * training and held-out splits go to `onEpoch`. Cancels (AbortError) between batches.
 */
export async function fitHead(
  features: Float32Array,
  d: number,
  labels: Int32Array,
  k: number,
  split: { train: number[]; heldOut: number[] },
  o: HeadTuneOptions,
  hooks: { signal?: AbortSignal; onEpoch?: (p: CurvePoint) => void } = {},
): Promise<HeadFit> {
  const n = labels.length;
  if (features.length !== n * d) throw new Error(`features hold ${features.length} values, expected ${n} × ${d}`);
  if (split.train.length === 0) throw new Error('No training image is left after the held-out split.');
  const rand = mulberry32(o.seed + 17);
  const limit = Math.sqrt(6 / (d + k)); // Glorot uniform
  const init = Float32Array.from({ length: d * k }, () => (rand() * 2 - 1) * limit);
  const trainLabels = split.train.map((i) => labels[i] as number);
  const cw = o.classWeights ? inverseFrequencyWeights(trainLabels, k) : new Float32Array(k).fill(1);
  const x = tf.tensor2d(features, [n, d]);
  // tidy releases the initial values; variables outlive it (disposed in `finally`)
  const w = tf.tidy(() => tf.variable(tf.tensor2d(init, [d, k]), true));
  const b = tf.tidy(() => tf.variable(tf.zeros([k]), true));
  const weightCol = tf.tensor2d(cw, [k, 1]);
  const optimizer = tf.train.adam(o.learningRate);
  const curve: CurvePoint[] = [];
  const t0 = performance.now();
  let examplesSeen = 0;
  let heldOutRecall: (number | null)[] = new Array<number | null>(k).fill(null);
  const score = (rows: number[]) =>
    scoreLogits(
      logitsOf(x, w, b, rows),
      rows.map((i) => labels[i] as number),
      k,
    );
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const order = epochOrder(split.train, labels, k, o.oversample, rand);
      for (let s = 0; s < order.length; s += o.batchSize) {
        if (hooks.signal?.aborted) throw aborted();
        const idx = order.slice(s, s + o.batchSize);
        tf.tidy(() => {
          const xb = tf.gather(x, idx);
          const yb = tf
            .oneHot(
              tf.tensor1d(
                idx.map((i) => labels[i] as number),
                'int32',
              ),
              k,
            )
            .toFloat();
          const wb = yb.matMul(weightCol).reshape([idx.length]);
          optimizer.minimize(
            () => {
              const nll = tf.neg(tf.sum(tf.mul(yb, tf.logSoftmax(xb.matMul(w).add(b))), 1));
              const data = tf.div(tf.sum(tf.mul(wb, nll)), tf.maximum(tf.sum(wb), 1e-12));
              return data.add(tf.mul(o.weightDecay, tf.sum(tf.square(w)))) as tf.Scalar;
            },
            false,
            [w, b],
          );
        });
        examplesSeen += idx.length;
        if ((s / o.batchSize) % 16 === 15) await yieldToMessages();
      }
      const tr = score(split.train);
      const ho = split.heldOut.length > 0 ? score(split.heldOut) : null;
      if (ho) heldOutRecall = ho.recall;
      const point: CurvePoint = {
        epoch,
        trainLoss: tr.loss,
        trainAccuracy: tr.accuracy,
        heldOutLoss: ho ? ho.loss : null,
        heldOutAccuracy: ho ? ho.accuracy : null,
      };
      curve.push(point);
      hooks.onEpoch?.(point);
      await yieldToMessages();
    }
    return {
      kernel: new Float32Array(w.dataSync()),
      bias: new Float32Array(b.dataSync()),
      curve,
      heldOutRecall,
      trainMs: performance.now() - t0,
      examplesSeen,
    };
  } finally {
    optimizer.dispose();
    tf.dispose([x, w, b, weightCol]);
  }
}

/**
 * Body (`model` up to `cut`) + a new Dense head (kernel [D × K], bias [K]; logits) as one LayersModel
 * package (model.json with one "weights.bin" group + its bytes). Takes ownership of `model`: it is disposed
 * here, with the head layer.
 */
export async function saveWithHead(
  model: tf.LayersModel,
  cut: string,
  kernel: Float32Array,
  bias: Float32Array,
): Promise<ModelPackage> {
  const k = bias.length;
  const names = new Set(model.layers.map((l) => l.name));
  let name = 'finetuned_head';
  for (let i = 2; names.has(name); i++) name = `finetuned_head_${i}`;
  const head = tf.layers.dense({ units: k, name });
  try {
    const out = head.apply(model.getLayer(cut).output) as tf.SymbolicTensor;
    const joined = tf.model({ inputs: model.inputs, outputs: out, name: `${model.name}_with_new_head` });
    const d = kernel.length / k;
    const values = [tf.tensor2d(kernel, [d, k]), tf.tensor1d(bias)];
    head.setWeights(values);
    tf.dispose(values);
    // the model.json parts as tfjs's own save writes them: the topology and the weights by their original names
    const { data, specs } = await tf.io.encodeWeights(
      joined.weights.map((v) => ({ name: v.originalName, tensor: v.read() })),
    );
    const json = {
      format: 'layers-model',
      generatedBy: 'Why? in-browser head fine-tuning',
      convertedBy: null,
      modelTopology: joined.toJSON(null, false),
      weightsManifest: [{ paths: [PACKAGE_WEIGHTS_PATH], weights: specs }],
    };
    return { modelJson: JSON.stringify(json), weightData: tf.io.CompositeArrayBuffer.join(data) };
  } finally {
    model.dispose();
    head.dispose();
  }
}
