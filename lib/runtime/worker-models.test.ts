/**
 * The worker's model registry with user files of every format (Node, tfjs CPU, fake IndexedDB): ONNX and
 * Keras load with progress, get the right adapter, are saved, come back in a fresh registry (a reload),
 * can be re-set, renamed and removed; the tensor count returns to its baseline, twice.
 */
import 'fake-indexeddb/auto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { switchBackend } from '@/lib/testing/backends';
import { readFixtureBytes } from '@/lib/models/keras/__fixtures__/fixtures';
import { WorkerModels } from './worker-models';
import type { ModelLoadStage } from './protocol';

const ONNX = fileURLToPath(new URL('../models/onnx/__fixtures__/opset18-reducemean.onnx', import.meta.url));

beforeAll(() => switchBackend('cpu'));

const onnxFile = (): File => new File([new Uint8Array(fs.readFileSync(ONNX))], path.basename(ONNX));
const kerasFile = (): File => new File([readFixtureBytes('small-cnn.keras').slice()], 'small-cnn.keras');

function scores(models: WorkerModels, id: string): number[] {
  const { adapter, info } = models.get(id);
  const [h, w, c] = info.inputShape;
  return tf.tidy(() =>
    Array.from(adapter.scores(tf.randomUniform([1, h, w, c], 0, 1, 'float32', 3) as tf.Tensor4D).dataSync()),
  );
}

describe('WorkerModels: user models of every format', () => {
  it('ONNX and .keras: progress, format label, save, reload in a fresh registry, re-set, rename, remove; no leaks (twice)', async () => {
    for (let round = 0; round < 2; round++) {
      const before = tf.memory().numTensors;
      const models = new WorkerModels();
      for (const [file, label, format] of [
        [onnxFile(), 'ONNX (opset 18)', 'onnx'],
        [kerasFile(), 'Keras 3 .keras', 'layers'],
      ] as const) {
        const progress: [number, ModelLoadStage][] = [];
        const r = await models.loadFromFiles([file], {}, (f, s) => progress.push([f, s]));
        expect(r.info).toMatchObject({ format, formatLabel: label });
        expect(progress.at(-1)).toEqual([1, 'inspect']);
        const first = scores(models, r.info.id);
        expect(first.every(Number.isFinite)).toBe(true);
        expect(first.length).toBe(r.info.numClasses);

        const saved = (await models.listSaved()).find((m) => m.id === r.info.id);
        expect(saved).toMatchObject({ format, formatLabel: label });

        const fresh = new WorkerModels(); // what a page reload gives
        const info = await fresh.loadSaved(r.info.id);
        expect(info).toMatchObject({ format, formatLabel: label, name: r.info.name });
        expect(scores(fresh, r.info.id)).toEqual(first);

        const labels = Array.from({ length: r.info.numClasses }, (_, i) => `k${i}`);
        const updated = await fresh.updateSaved(r.info.id, { labels });
        expect(updated.info).toMatchObject({ labels, formatLabel: label });
        expect(scores(fresh, r.info.id)).toEqual(first);

        await fresh.renameSaved(r.info.id, 'Renamed');
        expect((await fresh.listSaved()).find((m) => m.id === r.info.id)?.name).toBe('Renamed');
        await fresh.removeSaved(r.info.id);
        models.unload(r.info.id);
        expect((await models.listSaved()).some((m) => m.id === r.info.id)).toBe(false);
        await expect(new WorkerModels().loadSaved(r.info.id)).rejects.toMatchObject({ code: 'not-found' });
      }
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('a foreign file is refused in words and nothing is saved', async () => {
    const models = new WorkerModels();
    const n = (await models.listSaved()).length;
    await expect(
      models.loadFromFiles([new File([Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0])], 'cat.jpg')], {}),
    ).rejects.toThrow(/cat\.jpg is an image, not a model/);
    expect((await models.listSaved()).length).toBe(n);
  });
});
