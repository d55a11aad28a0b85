#!/usr/bin/env node
/**
 * Structural checks of a training output directory (models/ or a --quick temp dir):
 *  - manifest.json has exactly the fields of `Manifest` in lib/models/types.ts (and the right types);
 *  - every model loads in tfjs (CPU backend, from disk via tf.io.fromMemory) with input [null,H,W,1] and
 *    output [null,K], K = labels.length, and its last layer has no softmax (outputKind "logits");
 *  - card.json has the expected fields (architecture, data, options, seed, training time, evaluation with
 *    accuracy / per-class precision-recall-support / confusion matrix / ECE-15, parity), card.md and
 *    labels.json exist and agree;
 *  - every dataset's files have the sizes the manifest declares and labels are in range.
 * Prints one line per check ("ok ..." / "FAIL ...") and a final "N passed, M failed"; exit 1 on any failure.
 *
 * Usage: node scripts/train/check-output.mjs <dir>
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadLayersModelFromDir } from './tfjs-io.mjs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/train/check-output.mjs <dir>');
  process.exit(2);
}
let passed = 0;
let failed = 0;
function check(name, cond, detail = '') {
  if (cond) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}${detail ? `: ${detail}` : ''}`);
  }
}
const isStr = (v) => typeof v === 'string' && v.length > 0;
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
const sameKeys = (obj, required, optional = []) => {
  const keys = Object.keys(obj);
  return required.every((k) => keys.includes(k)) && keys.every((k) => required.includes(k) || optional.includes(k));
};

function checkPreprocessing(p, where) {
  check(
    `${where} preprocessing keys`,
    sameKeys(p, ['height', 'width', 'channels', 'channelOrder', 'normalization', 'resize'], ['invert']),
    JSON.stringify(Object.keys(p)),
  );
  const n = p.normalization;
  const ok =
    typeof n === 'string'
      ? ['zero-one', 'minus-one-one', 'zero-255', 'imagenet', 'caffe-bgr'].includes(n)
      : sameKeys(n, ['scale', 'mean', 'std']) &&
        isNum(n.scale) &&
        n.mean.every(isNum) &&
        n.std.every((s) => isNum(s) && s > 0);
  check(`${where} normalization valid`, ok, JSON.stringify(n));
  check(
    `${where} channels/order/resize`,
    [1, 3].includes(p.channels) &&
      ['rgb', 'bgr'].includes(p.channelOrder) &&
      ['stretch', 'center-crop', 'pad'].includes(p.resize),
  );
}

async function main() {
  await tf.setBackend('cpu');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  check('manifest keys', sameKeys(manifest, ['version', 'models', 'datasets', 'defaults']) && manifest.version === 1);
  const modelIds = manifest.models.map((m) => m.id);
  const datasetIds = manifest.datasets.map((d) => d.id);
  check(
    'manifest defaults',
    sameKeys(manifest.defaults, ['explain', 'compare']) &&
      modelIds.includes(manifest.defaults.explain) &&
      manifest.defaults.compare.length === 2 &&
      manifest.defaults.compare.every((id) => modelIds.includes(id)),
    JSON.stringify(manifest.defaults),
  );

  for (const d of manifest.datasets) {
    const w = `dataset ${d.id}`;
    check(
      `${w} keys`,
      sameKeys(
        d,
        ['id', 'name', 'imagesUrl', 'labelsUrl', 'count', 'height', 'width', 'channels', 'labels', 'provenance'],
        ['sourceIndicesUrl'],
      ),
    );
    const imgs = readFileSync(join(dir, d.imagesUrl));
    const labels = readFileSync(join(dir, d.labelsUrl));
    check(
      `${w} file sizes`,
      imgs.length === d.count * d.height * d.width * d.channels && labels.length === d.count,
      `${imgs.length} / ${labels.length}`,
    );
    check(
      `${w} labels in range`,
      labels.every((l) => l < d.labels.length),
    );
    if (d.sourceIndicesUrl) {
      const idx = JSON.parse(readFileSync(join(dir, d.sourceIndicesUrl), 'utf8'));
      check(`${w} source indices unique`, idx.length === d.count && new Set(idx).size === d.count);
    }
  }

  for (const m of manifest.models) {
    const w = `model ${m.id}`;
    check(
      `${w} keys`,
      sameKeys(
        m,
        [
          'id',
          'name',
          'version',
          'task',
          'format',
          'modelUrl',
          'inputShape',
          'preprocessing',
          'labels',
          'outputKind',
          'provenance',
        ],
        ['cardUrl', 'cardJsonUrl', 'datasetId', 'description', 'trainingMix', 'checkpointsUrl'],
      ),
    );
    if (m.trainingMix !== undefined)
      check(
        `${w} trainingMix: one count >= 0 per label`,
        Array.isArray(m.trainingMix) &&
          m.trainingMix.length === m.labels.length &&
          m.trainingMix.every((v) => Number.isInteger(v) && v >= 0) &&
          m.trainingMix.some((v) => v > 0),
      );
    check(
      `${w} fixed fields`,
      m.task === 'image-classification' &&
        m.format === 'layers' &&
        m.outputKind === 'logits' &&
        isStr(m.version) &&
        isStr(m.provenance) &&
        m.labels.every(isStr),
    );
    check(`${w} datasetId known`, m.datasetId === undefined || datasetIds.includes(m.datasetId), m.datasetId);
    checkPreprocessing(m.preprocessing, w);
    const modelDir = join(dir, m.modelUrl.replace(/\/model\.json$/, ''));
    const before = tf.memory().numTensors;
    const model = await loadLayersModelFromDir(modelDir);
    const [h, wd, c] = m.inputShape;
    check(
      `${w} tfjs input shape`,
      JSON.stringify(model.inputs[0].shape) === JSON.stringify([null, h, wd, c]),
      JSON.stringify(model.inputs[0].shape),
    );
    check(
      `${w} tfjs output shape`,
      JSON.stringify(model.outputs[0].shape) === JSON.stringify([null, m.labels.length]),
      JSON.stringify(model.outputs[0].shape),
    );
    const last = model.layers[model.layers.length - 1];
    const act = last.getConfig().activation;
    check(`${w} outputs logits (no softmax)`, act === undefined || act === 'linear', String(act));
    const y = tf.tidy(() => model.predict(tf.zeros([2, h, wd, c])));
    const vals = await y.data();
    y.dispose();
    check(`${w} predicts finite logits`, vals.every(Number.isFinite));
    model.dispose();
    check(`${w} no tensor leak`, tf.memory().numTensors === before, `${before} -> ${tf.memory().numTensors}`);

    const labels = JSON.parse(readFileSync(join(modelDir, 'labels.json'), 'utf8'));
    check(`${w} labels.json matches`, JSON.stringify(labels) === JSON.stringify(m.labels));
    check(`${w} card.md exists`, m.cardUrl !== undefined && existsSync(join(dir, m.cardUrl)));
    const card = JSON.parse(readFileSync(join(dir, m.cardJsonUrl), 'utf8'));
    const ev = card.evaluation ?? {};
    check(
      `${w} card evaluation`,
      isNum(ev.accuracy) &&
        isNum(ev.ece15) &&
        ev.split === 'official test' &&
        Array.isArray(ev.confusionMatrix) &&
        ev.confusionMatrix.length === m.labels.length &&
        ev.perClass.length === m.labels.length &&
        ev.perClass.every((p) => isNum(p.precision) && isNum(p.recall) && Number.isInteger(p.support)),
    );
    const cmTotal = ev.confusionMatrix.flat().reduce((a, b) => a + b, 0);
    check(`${w} confusion matrix sums to count`, cmTotal === ev.count, `${cmTotal} vs ${ev.count}`);
    check(`${w} card architecture`, Number.isInteger(card.architecture?.params) && card.architecture.layers.length > 0);
    check(
      `${w} card data provenance`,
      isStr(card.dataset?.package) && isStr(card.dataset?.files?.train_images) && card.data?.train?.count > 0,
    );
    check(
      `${w} card options + seed + time`,
      Number.isInteger(card.options?.seed) && isNum(card.training?.seconds) && isStr(card.determinism),
    );
    if (m.id.startsWith('fashion')) {
      const c2 = card.data.cleanLabels;
      check(
        `${w} card clean budget + rare classes`,
        Number.isInteger(c2?.count) && Array.isArray(c2.rareClasses) && isNum(c2.rareFraction),
      );
    }
    if (m.id === 'fashion-finetuned' || m.id === 'fashion-pretrained') {
      const wl = card.data.weakLabels;
      check(
        `${w} card weak labels`,
        isNum(wl?.rate) && isStr(wl.kind) && Array.isArray(wl.groups) && wl.transitionMatrix.length === m.labels.length,
      );
    }
    if (card.parity) check(`${w} card parity passed`, card.parity.pass === true, JSON.stringify(card.parity));
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.log(`FAIL crashed: ${err && err.stack ? err.stack : err}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
