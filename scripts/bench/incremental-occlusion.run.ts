/**
 * Incremental vs plain batched occlusion (lib/explain/methods/occlusion/incremental.ts), on WASM in Node, one
 * thread, in one run: the bundled fashion-finetuned (28×28, the method's defaults), a MobileNetV2 (Keras'
 * topology, α = 1, 224×224, seeded random weights) and a VGG-style 224×224 network (seeded). Interleaved runs (plain, incremental, plain, …), medians;
 * prints the ratio plain ÷ incremental, max |Δ| over every class's map, the path the run took and the load
 * average. Not part of `npm test`:
 *
 *   npx vitest run -c scripts/bench/vitest.incremental.config.mts
 *   INCR_BENCH_REPS=3 INCR_BENCH_224='32/16,16/16' INCR_BENCH_MODELS=fashion,mobilenetv2,vgg npx vitest run -c scripts/bench/vitest.incremental.config.mts
 */
import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { now } from '@/lib/explain/common';
import { occlusion, plainOcclusion } from '@/lib/explain/methods/occlusion/run';
import type { OcclusionConfig } from '@/lib/explain/methods/occlusion/meta';
import type { ImageInput, ModelAdapter } from '@/lib/explain/types';
import { switchBackend } from '@/lib/testing/backends';
import { adapterFor } from '@/lib/testing/explain';
import { fileFetch } from '@/lib/testing/file-fetch';
import { mobileNetV2 } from './mobilenet-v2';

const REPS = Number(process.env.INCR_BENCH_REPS ?? 3);
/** Which models: fashion, mobilenetv2, vgg (a VGG-style 224 network: most of its work in early layers). */
const MODELS = (process.env.INCR_BENCH_MODELS ?? 'fashion,mobilenetv2,vgg').split(',');
/** 224×224 configs as windowSize/stride. */
const CONFIGS_224 = (process.env.INCR_BENCH_224 ?? '32/16,16/16').split(',').map((s) => {
  const [windowSize, stride] = s.split('/').map(Number);
  return { windowSize: windowSize as number, stride: stride as number, batchSize: 8 };
});

/**
 * VGG-style (Simonyan & Zisserman 2014) at a sixteenth of VGG16's widths: [conv 3×3 ×2 → max pool] at 16, 32, 64
 * channels, conv 3×3 (128) → GAP → dense; 0.5 GMAC at 224, most of it at 224 and 112 — where a patch's box is
 * small, so exact incremental inference saves most of the work (the case Nakandala et al. measured on VGG16).
 */
function vggStyle(): tf.LayersModel {
  let seed = 500;
  const conv = (filters: number) =>
    tf.layers.conv2d({
      filters,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed: seed++ }),
    });
  const layers: tf.layers.Layer[] = [];
  for (const filters of [16, 32, 64])
    layers.push(conv(filters), conv(filters), tf.layers.maxPooling2d({ poolSize: 2 }));
  layers.push(conv(128), tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: 1000 }));
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [224, 224, 3] }));
  for (const l of layers) model.add(l);
  return model;
}

/** A smooth RGB picture in [0.1, 0.9] (two soft spots on a gradient). */
function picture(size: number): ImageInput {
  const data = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let c = 0; c < 3; c++) {
        const spot = Math.exp(-((x - size * 0.3) ** 2 + (y - size * 0.4) ** 2) / (size * size * 0.02));
        const spot2 = Math.exp(-((x - size * 0.7) ** 2 + (y - size * 0.6) ** 2) / (size * size * 0.03));
        data[(y * size + x) * 3 + c] = 0.1 + 0.8 * Math.min(1, 0.3 * (x / size) + (c === 1 ? spot : spot2));
      }
  return { width: size, height: size, channels: 3, data };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const load = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' / ');

async function row(
  label: string,
  adapter: ModelAdapter,
  img: ImageInput,
  target: number,
  config: Partial<OcclusionConfig>,
) {
  const plainMs: number[] = [];
  const incMs: number[] = [];
  let delta = 0;
  let info = '';
  for (let r = 0; r < REPS; r++) {
    let t0 = now();
    const plain = await plainOcclusion.run(adapter, img, target, config);
    plainMs.push(now() - t0);
    t0 = now();
    const inc = await occlusion.run(adapter, img, target, config);
    incMs.push(now() - t0);
    plain.extras.perClass.maps.forEach((m, ci) =>
      m.forEach((v, i) => (delta = Math.max(delta, Math.abs(v - (inc.extras.perClass.maps[ci]?.[i] ?? NaN))))),
    );
    const p = inc.extras.path;
    info =
      p.kind === 'incremental'
        ? `${p.regionLayers}/${p.layers} layers on boxes, full from ${p.fullFrom ?? '-'} (${p.fullFromReason ?? ''}); est. work ${(p.estimatedWork * 100).toFixed(0)}%`
        : `plain: ${p.reason}`;
    if (r === 0) console.log(`   ${label}: ${inc.extras.windows} windows, ${inc.timings.forwardPasses} calls; ${info}`);
  }
  const [pm, im] = [median(plainMs), median(incMs)];
  console.log(
    `   ${label}: plain ${pm.toFixed(0)} ms, incremental ${im.toFixed(0)} ms → ${(pm / im).toFixed(2)}× ` +
      `(medians of ${REPS}; plain ${plainMs.map((v) => v.toFixed(0)).join(', ')}; incremental ${incMs.map((v) => v.toFixed(0)).join(', ')}); ` +
      `max |Δmap| ${delta.toExponential(1)}; load ${load()}`,
  );
}

it('incremental vs plain batched occlusion', async () => {
  await switchBackend('wasm');
  console.log(
    `incremental occlusion bench: ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, backend ${tf.getBackend()}, load ${load()}`,
  );

  if (MODELS.includes('fashion')) {
    const url = pathToFileURL(path.join(process.cwd(), 'models', 'fashion-finetuned', 'model.json')).href;
    const fashion = adapterFor(await tf.loadLayersModel(tf.io.http(url, { fetchFunc: fileFetch })), {
      outputKind: 'logits',
    });
    const bytes = readFileSync(path.join(process.cwd(), 'models', 'datasets', 'fashion-test-2k', 'images.u8'));
    const shirt: ImageInput = {
      width: 28,
      height: 28,
      channels: 1,
      data: Float32Array.from(bytes.subarray(0, 784), (b) => b / 255),
    };
    await occlusion.run(fashion, shirt, 0, {}); // warm-up
    await row('fashion-finetuned 28×28, defaults (8/4, batch 32)', fashion, shirt, 0, {});
    fashion.dispose();
  }
  const img = picture(224);
  const nets = [
    { id: 'mobilenetv2', label: 'MobileNetV2', build: () => mobileNetV2() },
    { id: 'vgg', label: 'VGG-style', build: () => vggStyle() },
  ];
  for (const net of nets.filter((n) => MODELS.includes(n.id))) {
    const adapter = adapterFor(net.build(), { preprocessing: { normalization: 'minus-one-one' } });
    await occlusion.run(adapter, img, 0, { windowSize: 112, stride: 112, batchSize: 4 }); // warm-up
    for (const config of CONFIGS_224)
      await row(
        `${net.label} 224×224, ${config.windowSize}/${config.stride}, batch ${config.batchSize}`,
        adapter,
        img,
        0,
        config,
      );
    adapter.dispose();
  }
}, 3_600_000);
