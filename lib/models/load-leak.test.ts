import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { asFiles, makeCnn, makeGraphModel, saveModel, type SavedModelFiles } from './__fixtures__/corpus';
import { loadModelFromFiles } from './load';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The saved CNN with the first weight spec whose name has both `parts` changed by `edit`. */
async function mutated(parts: [string, string], edit: (w: tf.io.WeightsManifestEntry) => void): Promise<SavedModelFiles> {
  const m = makeCnn();
  const s = await saveModel(m, 1);
  m.dispose();
  const spec = s.json.weightsManifest[0]?.weights.find((w) => parts.every((p) => w.name.includes(p)));
  if (!spec) throw new Error(`no weight named ${parts.join('/')}`);
  edit(spec);
  return s;
}
/** Dense kernel declared [32, 6] instead of [64, 3] (same byte count, wrong shape). */
const wrongShape = () => mutated(['dense', 'kernel'], (w) => (w.shape = [32, 6]));
/** Conv kernel declared int32 (same byte count, wrong dtype). */
const wrongDtype = () => mutated(['conv', 'kernel'], (w) => (w.dtype = 'int32'));

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
