import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createStore, set } from 'idb-keyval';
import { checkImageBytes } from '@/lib/images';
import { parseLabelledFiles } from '@/lib/datasets';
import { parseCostFile } from '@/lib/evaluate';
import { normalizePriors } from '@/lib/metrics';
import { loadAnyModelFromFiles } from '@/lib/models/formats';
import { downloadModelFiles } from '@/lib/models/url-download';
import { parseCardJson } from '@/lib/models/card';
import { createModelStore } from '@/lib/models/store-idb';
import type { FileLike } from '@/lib/models/load';
import { MAX_QUERY_LENGTH, readView, writeView } from '@/lib/store/url-state';
import { costSettingsCodec } from '@/lib/store/cost-settings';
import { BAD_INPUTS, CORPUS_LABELS, HUGE_LABELS, type BadFile, type BadInput } from './bad-inputs';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const asFileLike = (f: BadFile): FileLike => ({
  name: f.name,
  size: f.bytes.byteLength,
  arrayBuffer: () => Promise.resolve(f.bytes.slice().buffer),
  text: () => Promise.resolve(new TextDecoder().decode(f.bytes)),
});

const files = (c: BadInput): BadFile[] => {
  const v = c.make();
  if (typeof v === 'string') throw new Error(`${c.id}: expected files`);
  return v;
};
const textOf = (c: BadInput): string => {
  const v = c.make();
  if (typeof v !== 'string') throw new Error(`${c.id}: expected text`);
  return v;
};

/** The message the app gives for `p`: the error's message, or a note that nothing was refused. */
async function messageOf(p: () => unknown): Promise<string> {
  try {
    const r = await p();
    if (r && typeof r === 'object' && 'model' in r) (r as { model?: { dispose?: () => void } }).model?.dispose?.();
    return `accepted: ${JSON.stringify(r)?.slice(0, 200)}`;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const CLOSING = "Failed to execute 'transaction' on 'IDBDatabase': The database connection is closing.";

/** Runs a case through the real parsing function of its kind; returns what the app says. */
async function run(c: BadInput): Promise<string> {
  switch (c.kind) {
    case 'image': {
      const f = files(c)[0];
      if (!f) throw new Error('no file');
      return messageOf(() => checkImageBytes(f.bytes));
    }
    case 'model':
      return messageOf(() => loadAnyModelFromFiles(files(c).map(asFileLike)));
    case 'model-url':
      return messageOf(() =>
        downloadModelFiles(textOf(c), {
          base: 'https://app.example/',
          fetch: (u) => (String(u).startsWith('data:') ? fetch(u) : Promise.reject(new TypeError('offline'))),
        }),
      );
    case 'card':
      return messageOf(() => parseCardJson(textOf(c)));
    case 'labelled-set': {
      const { report } = parseLabelledFiles(
        files(c).map((f) => ({ path: f.name, bytes: f.bytes })),
        CORPUS_LABELS,
      );
      return JSON.stringify(report);
    }
    case 'cost': {
      const f = files(c)[0];
      if (!f) throw new Error('no file');
      const labels = c.id === 'cost-k-100000' ? HUGE_LABELS : CORPUS_LABELS;
      return messageOf(() => parseCostFile(f.name, new TextDecoder().decode(f.bytes), labels));
    }
    case 'priors': {
      const values = (JSON.parse(textOf(c)) as (number | null)[]).map((v) => v ?? NaN);
      return messageOf(() => normalizePriors(values, CORPUS_LABELS.length, 'class priors'));
    }
    case 'url-state': {
      const q = textOf(c);
      if (c.id === 'url-40kb-foreign')
        return writeView('explain', { model: 'm' }, q).length <= MAX_QUERY_LENGTH ? 'fits' : 'too long';
      const explain = readView('explain', q);
      const app = readView('app', q);
      return explain.model === null && app.backend === null
        ? 'refused'
        : `accepted: ${String(explain.model).slice(0, 20)}`;
    }
    case 'storage': {
      const t = textOf(c);
      if (t === 'idb-broken') {
        const fail = () => Promise.reject(new DOMException(CLOSING, 'InvalidStateError'));
        const store = createModelStore({
          kv: { get: fail, getMany: fail, setMany: fail, keys: fail, update: fail, delMany: fail },
        });
        return messageOf(() => store.list());
      }
      if (t === 'idb-damaged') {
        const dbName = 'corpus-damaged';
        await set(
          'meta:m1',
          { schema: 1, id: 'm1', name: 'Pets', createdAt: '', source: '', format: 'tflite' },
          createStore(dbName, 'models'),
        );
        return messageOf(() => createModelStore({ dbName, storeName: 'models' }).load('m1'));
      }
      const parsed = costSettingsCodec.parse(t);
      if (parsed === undefined) return 'refused';
      return Object.keys(parsed).length === 0 ? 'dropped' : 'kept';
    }
  }
}

describe('the bad-input corpus', () => {
  it('has at least 60 cases, unique ids, every kind, and its user-facing ones', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(BAD_INPUTS.map((c) => c.id)).size).toBe(BAD_INPUTS.length);
    const kinds = new Set(BAD_INPUTS.map((c) => c.kind));
    for (const k of ['image', 'model', 'model-url', 'card', 'labelled-set', 'cost', 'priors', 'url-state', 'storage'])
      expect(kinds.has(k as BadInput['kind']), k).toBe(true);
    expect(BAD_INPUTS.filter((c) => c.userFacing).length).toBeGreaterThanOrEqual(15);
  });

  it.each(BAD_INPUTS.map((c) => [c.id, c] as const))('%s: the specific message', async (_id, c) => {
    const message = await run(c);
    expect(message, `${c.id} (${c.how}) said: ${message.slice(0, 300)}`).toMatch(c.expect);
    expect(message.startsWith('accepted'), `${c.id} was accepted`).toBe(false);
  });

  it('the model cases leave no tensor behind (run twice)', async () => {
    const models = BAD_INPUTS.filter((c) => c.kind === 'model');
    const before = tf.memory().numTensors;
    for (let round = 0; round < 2; round++) for (const c of models) await run(c);
    expect(tf.memory().numTensors).toBe(before);
  });
});
