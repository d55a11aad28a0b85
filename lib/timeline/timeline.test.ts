import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelError, parseManifest } from '@/lib/models';
import {
  accuracyOf,
  checkpointEntry,
  checkpointName,
  checkpointModelId,
  fileSeries,
  parseCheckpoints,
  seriesPath,
  xAt,
  yAt,
  yRange,
  type ChartBox,
} from './index';

const manifestText = readFileSync(new URL('../../models/manifest.json', import.meta.url), 'utf8');

const doc = (over: Record<string, unknown> = {}) => ({
  version: 1,
  modelId: 'm',
  epochs: 4,
  evalSet: { id: 'set', count: 10 },
  validation: { count: 5, inTraining: true },
  bundledTestAccuracy: 0.8,
  checkpoints: [
    {
      label: 'epoch-4',
      epoch: 4,
      step: 8,
      modelUrl: 'checkpoints/epoch-4/model.json',
      trainLoss: 0.5,
      test: { accuracy: 0.7, count: 100 },
    },
    {
      label: 'start',
      epoch: 0,
      step: 0,
      modelUrl: 'checkpoints/start/model.json',
      trainLoss: null,
      test: { accuracy: 0.9, count: 100 },
      evalSet: { accuracy: 0.85, count: 10 },
    },
  ],
  ...over,
});

describe('parseCheckpoints', () => {
  it('sorts by epoch, resolves model URLs against the file URL, keeps the scores it has', () => {
    const set = parseCheckpoints(doc(), 'https://app.example/models/m/checkpoints.json');
    expect(set.checkpoints.map((c) => c.label)).toEqual(['start', 'epoch-4']);
    expect(set.checkpoints[0]?.modelUrl).toBe('https://app.example/models/m/checkpoints/start/model.json');
    expect(set.checkpoints[0]?.evalSet).toEqual({ accuracy: 0.85, count: 10 });
    expect(set.checkpoints[1]?.evalSet).toBeUndefined();
    expect(set).toMatchObject({
      modelId: 'm',
      epochs: 4,
      evalSetId: 'set',
      validationInTraining: true,
      bundledTestAccuracy: 0.8,
      finalWeightDiff: null,
    });
    const checked = parseCheckpoints(doc({ finalMatchesBundled: { maxAbsWeightDiff: 0, checkpoint: 'epoch-4' } }), 'x');
    expect(checked.finalWeightDiff).toBe(0);
  });

  it('names every problem: no list, a bad label, a negative epoch, an accuracy above 1, a label used twice', () => {
    expect(() => parseCheckpoints({ version: 2 }, 'x')).toThrow(ModelError);
    expect(() => parseCheckpoints(doc({ checkpoints: [] }), 'https://x/c.json')).toThrow(/non-empty list/);
    const bad = doc({
      checkpoints: [
        { label: 'Epoch 1', epoch: 1, modelUrl: 'a' },
        { label: 'a', epoch: -1, modelUrl: 'a' },
        { label: 'b', epoch: 1, modelUrl: 'b', test: { accuracy: 1.5, count: 3 } },
        { label: 'b', epoch: 2, modelUrl: 'c' },
      ],
    });
    let err: unknown;
    try {
      parseCheckpoints(bad, 'https://x/c.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModelError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/checkpoints\[0\]: needs a label/);
    expect(msg).toMatch(/checkpoints\[1\]\.epoch/);
    expect(msg).toMatch(/checkpoints\[2\]\.test/);
    expect(msg).toMatch(/checkpoints\[3\]\.label: "b" is used twice/);
  });

  it("keeps the file's names, and the file's order within one epoch (the interpolated final after its epoch)", () => {
    const set = parseCheckpoints(
      doc({
        checkpoints: [
          { label: 'epoch-4', name: 'epoch 4 (before interpolation)', epoch: 4, step: 8, modelUrl: 'e/model.json' },
          { label: 'final', name: 'final: α = 0.25 toward pretrained', epoch: 4, step: 8, modelUrl: 'f/model.json' },
          { label: 'start', epoch: 0, modelUrl: 's/model.json' },
        ],
      }),
      'https://app.example/models/m/checkpoints.json',
    );
    expect(set.checkpoints.map((c) => c.label)).toEqual(['start', 'epoch-4', 'final']);
    expect(set.checkpoints.map(checkpointName)).toEqual([
      'start',
      'epoch 4 (before interpolation)',
      'final: α = 0.25 toward pretrained',
    ]);
    expect(checkpointName({ label: 'epoch-2', epoch: 2 })).toBe('epoch 2');
  });

  it('the bundled checkpoints file (when present) parses, starts at epoch 0 and ends at the run length', () => {
    const manifest = parseManifest(manifestText, 'https://app.example/models/manifest.json');
    const withTimeline = manifest.models.filter((m) => m.checkpointsUrl);
    for (const m of withTimeline) {
      const url = m.checkpointsUrl as string;
      expect(url).toMatch(/^https:\/\/app\.example\/models\/.+\/checkpoints\.json$/);
      const rel = url.replace('https://app.example/models/', '../../models/');
      const set = parseCheckpoints(JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')), url);
      expect(set.checkpoints[0]?.epoch).toBe(0);
      expect(set.checkpoints.at(-1)?.epoch).toBe(set.epochs);
    }
  });
});

describe('checkpointEntry', () => {
  it("keeps the parent's labels, preprocessing and output kind, with its own id and weights", () => {
    const manifest = parseManifest(manifestText, 'https://app.example/models/manifest.json');
    const parent = manifest.models[0];
    if (!parent) throw new Error('no bundled model');
    const set = parseCheckpoints(doc(), 'https://app.example/models/m/checkpoints.json');
    const cp = set.checkpoints[1];
    if (!cp) throw new Error('no checkpoint');
    const e = checkpointEntry(parent, cp);
    expect(e.id).toBe(checkpointModelId(parent.id, 'epoch-4'));
    expect(e.id).not.toBe(parent.id);
    expect(e.modelUrl).toBe('https://app.example/models/m/checkpoints/epoch-4/model.json');
    expect(e.labels).toEqual(parent.labels);
    expect(e.preprocessing).toEqual(parent.preprocessing);
    expect(e.outputKind).toEqual(parent.outputKind);
    expect(e.name).toMatch(/epoch 4$/);
    expect(e.checkpointsUrl).toBeUndefined();
    expect(e.cardUrl).toBeUndefined();
  });
});

describe('parseManifest: checkpointsUrl', () => {
  it('is optional, resolved like the other URLs, and must be text when given', () => {
    const obj = JSON.parse(manifestText) as { models: Record<string, unknown>[] };
    const m0 = obj.models[0] as Record<string, unknown>;
    m0.checkpointsUrl = 'x/checkpoints.json';
    expect(parseManifest(obj, 'https://a.example/models/manifest.json').models[0]?.checkpointsUrl).toBe(
      'https://a.example/models/x/checkpoints.json',
    );
    m0.checkpointsUrl = 3;
    expect(() => parseManifest(obj)).toThrow(/checkpointsUrl: must be non-empty text/);
  });
});

describe('accuracyOf', () => {
  it('counts argmax hits (ties to the lowest index) against a hand-made answer', () => {
    // rows: argmax 1 (label 1 ✓), tie 0/2 → 0 (label 2 ✗), argmax 2 (label 2 ✓), argmax 0 (label 5: not a class ✗)
    const probs = Float32Array.from([0.1, 0.8, 0.1, 0.4, 0.2, 0.4, 0, 0.3, 0.7, 0.9, 0.05, 0.05]);
    expect(accuracyOf(probs, Int32Array.from([1, 2, 2, 5]), 3)).toBe(0.5);
    expect(accuracyOf(new Float32Array(0), new Int32Array(0), 3)).toBe(0);
    expect(() => accuracyOf(probs, Int32Array.from([1, 2]), 3)).toThrow(/12 posteriors for 2 labels/);
  });
});

describe('chart geometry', () => {
  const box: ChartBox = { width: 200, height: 100, pad: 30 };
  it('y range: a 0.05 grid around the values, at least 0.1 wide, inside [0, 1]', () => {
    const s = (values: number[]) => [{ id: 'a', label: 'a', points: values.map((value, index) => ({ index, value })) }];
    expect(yRange(s([0.49, 0.8737, 0.8909]))).toEqual([0.45, 0.9]);
    expect(yRange(s([0.97, 0.99]))).toEqual([0.9, 1]);
    expect(yRange(s([0.5]))).toEqual([0.45, 0.55]);
    expect(yRange([])).toEqual([0, 1]);
  });

  it('x spreads the checkpoints evenly from the left pad to the right edge; y maps lo to the bottom, hi to the top', () => {
    expect(xAt(0, 6, box)).toBe(30);
    expect(xAt(5, 6, box)).toBe(190);
    expect(xAt(0, 1, box)).toBe(110);
    expect(yAt(0.5, [0.5, 1], box)).toBe(70);
    expect(yAt(1, [0.5, 1], box)).toBe(10);
    expect(yAt(2, [0.5, 1], box)).toBe(10); // clamped
    expect(
      seriesPath(
        [
          { index: 0, value: 0.5 },
          { index: 1, value: 1 },
        ],
        2,
        [0.5, 1],
        box,
      ),
    ).toBe('M30.0,70.0 L190.0,10.0');
    expect(seriesPath([], 2, [0, 1], box)).toBe('');
  });

  it('file series: one per score the file has, points at the checkpoints that have it', () => {
    const set = parseCheckpoints(doc(), 'https://x/c.json');
    const series = fileSeries(set.checkpoints, { evalSet: 'E', test: 'T', validation: 'V' }, [
      'evalSet',
      'test',
      'validation',
    ]);
    expect(series.map((s) => s.id)).toEqual(['evalSet', 'test']);
    expect(series[0]?.points).toEqual([{ index: 0, value: 0.85 }]);
    expect(series[1]?.points).toEqual([
      { index: 0, value: 0.9 },
      { index: 1, value: 0.7 },
    ]);
  });
});
