#!/usr/bin/env node
/**
 * Parity check: run an exported TF.js LayersModel (model.json + .bin shards, loaded from disk through
 * tf.io.fromMemory) on the images the Python side evaluated, on the tfjs CPU backend, and compare with the
 * PyTorch logits.
 *
 * Usage: node scripts/train/parity.mjs --model <dir with model.json> --ref <dir> [--limit N] [--tol 1e-4]
 *   <ref>/reference.json  { count, height, width, channels, numClasses }
 *   <ref>/images.u8       uint8 [count, height, width, channels]; the model sees p = v / 255
 *   <ref>/logits.f32      float32 little-endian [count, numClasses] from PyTorch (eval mode)
 *
 * Passes when every argmax agrees and max |logit diff| < tol. Prints one JSON line with the numbers
 * (prefix "PARITY ") and exits 1 on failure, 2 on a usage/loading error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadLayersModelFromDir } from './tfjs-io.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

async function main() {
  const modelDir = arg('model');
  const refDir = arg('ref');
  const tol = Number(arg('tol', '1e-4'));
  if (!modelDir || !refDir) {
    console.error('usage: node scripts/train/parity.mjs --model <dir> --ref <dir> [--limit N] [--tol 1e-4]');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  const ref = JSON.parse(readFileSync(join(refDir, 'reference.json'), 'utf8'));
  const limit = Math.min(Number(arg('limit', String(ref.count))), ref.count);
  const { height: h, width: w, channels: c, numClasses: k } = ref;
  const imgBuf = readFileSync(join(refDir, 'images.u8'));
  const logBuf = readFileSync(join(refDir, 'logits.f32'));
  if (imgBuf.length !== ref.count * h * w * c || logBuf.length !== ref.count * k * 4) {
    console.error(`parity: reference files do not match reference.json (${imgBuf.length}, ${logBuf.length} bytes)`);
    process.exit(2);
  }
  const refLogits = new Float32Array(logBuf.buffer.slice(logBuf.byteOffset, logBuf.byteOffset + logBuf.length));

  const t0 = Date.now();
  const model = await loadLayersModelFromDir(modelDir);
  const inShape = model.inputs[0].shape;
  const outShape = model.outputs[0].shape;
  const batch = 250;
  let maxDiff = 0;
  let argmaxMismatch = 0;
  let correctTfjs = 0;
  const predTfjs = new Int32Array(limit);
  for (let start = 0; start < limit; start += batch) {
    const n = Math.min(batch, limit - start);
    const pixels = new Float32Array(n * h * w * c);
    for (let i = 0; i < pixels.length; i++) pixels[i] = imgBuf[start * h * w * c + i] / 255;
    const out = tf.tidy(() => model.predict(tf.tensor4d(pixels, [n, h, w, c])));
    const got = await out.data();
    out.dispose();
    for (let i = 0; i < n; i++) {
      let bestA = 0;
      let bestB = 0;
      for (let j = 0; j < k; j++) {
        const a = got[i * k + j];
        const b = refLogits[(start + i) * k + j];
        const d = Math.abs(a - b);
        if (!(d <= maxDiff)) maxDiff = Number.isNaN(d) ? Infinity : Math.max(maxDiff, d);
        if (a > got[i * k + bestA]) bestA = j;
        if (b > refLogits[(start + i) * k + bestB]) bestB = j;
      }
      if (bestA !== bestB) argmaxMismatch++;
      predTfjs[start + i] = bestA;
    }
  }
  let labels = null;
  try {
    labels = readFileSync(join(refDir, 'labels.u8'));
  } catch {
    labels = null;
  }
  if (labels) {
    for (let i = 0; i < limit; i++) if (predTfjs[i] === labels[i]) correctTfjs++;
  }
  const pass =
    argmaxMismatch === 0 &&
    maxDiff < tol &&
    JSON.stringify(inShape) === JSON.stringify([null, h, w, c]) &&
    JSON.stringify(outShape) === JSON.stringify([null, k]);
  const result = {
    model: modelDir,
    images: limit,
    inputShape: inShape,
    outputShape: outShape,
    argmaxMismatches: argmaxMismatch,
    maxAbsLogitDiff: maxDiff,
    tolerance: tol,
    accuracy: labels ? correctTfjs / limit : null,
    backend: tf.getBackend(),
    seconds: (Date.now() - t0) / 1000,
    pass,
  };
  console.log(`PARITY ${JSON.stringify(result)}`);
  model.dispose();
  process.exit(pass ? 0 : 1);
}

main().catch((err) => {
  console.error(`parity: ${err && err.stack ? err.stack : err}`);
  process.exit(2);
});
