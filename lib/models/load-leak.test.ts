import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { asFiles, makeCnn, makeGraphModel, saveModel, type SavedModelFiles } from './__fixtures__/corpus';
import { loadModelFromFiles } from './load';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The CNN with its dense kernel declared [32, 6] instead of [64, 3] (same byte count, wrong shape). */
async function wrongShape(): Promise<SavedModelFiles> {
  const m = makeCnn();
  const s = await saveModel(m, 1);
  m.dispose();
  const spec = s.json.weightsManifest[0]?.weights.find((w) => w.name.includes('dense') && w.name.includes('kernel'));
  if (!spec) throw new Error('no dense kernel');
  spec.shape = [32, 6];
  return s;
}

/** The CNN with its conv kernel declared int32 (same byte count, wrong dtype). */
async function wrongDtype(): Promise<SavedModelFiles> {
  const m = makeCnn();
  const s = await saveModel(m, 1);
  m.dispose();
  const spec = s.json.weightsManifest[0]?.weights.find((w) => w.name.includes('conv') && w.name.includes('kernel'));
  if (!spec) throw new Error('no conv kernel');
  spec.dtype = 'int32';
  return s;
}

/** The graph model with w2 declared [48, 2] (same byte count; MatMul cannot run). */
function graphWrongShape(): SavedModelFiles {
  const s = makeGraphModel();
  const spec = s.json.weightsManifest[0]?.weights.find((w) => w.name === 'w2');
  if (!spec) throw new Error('no w2');
  spec.shape = [48, 2];
  return s;
}

describe('failed loads free everything', () => {
  it.each([
    ['wrong weight shape (layers)', wrongShape, /could not load the model: Shape mismatch: \[64,3\] vs\. \[32,6\]/],
    ['wrong weight dtype (layers)', wrongDtype, /dtype of the new value \(int32\)/],
    ['wrong weight shape (graph)', async () => graphWrongShape(), /inner shapes/],
  ])('%s: 5 rejected attempts leave tf.memory() at baseline', async (_name, make, fragment) => {
    const saved = await make();
    const before = tf.memory();
    const messages: string[] = [];
    for (let i = 0; i < 5; i++) {
      const err = await loadModelFromFiles(asFiles(saved)).then(
        (r) => {
          r.model.dispose();
          return null;
        },
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      messages.push((err as Error).message);
      expect(tf.memory().numTensors).toBe(before.numTensors);
      expect(tf.memory().numBytes).toBe(before.numBytes);
    }
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toMatch(fragment);
  });
});
