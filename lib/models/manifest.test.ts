import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest, resolveUrl } from './manifest';
import { ModelError } from './types';

const real = readFileSync(new URL('../../models/manifest.json', import.meta.url), 'utf8');

describe('parseManifest', () => {
  it('accepts the bundled models/manifest.json and resolves its URLs against the manifest URL', () => {
    const m = parseManifest(real, 'https://app.example/models/manifest.json');
    expect(m.models.length).toBeGreaterThan(0);
    for (const model of m.models) {
      expect(model.modelUrl).toMatch(/^https:\/\/app\.example\/models\/.+\/model\.json$/);
      expect(model.preprocessing.height).toBe(model.inputShape[0]);
    }
    for (const d of m.datasets) expect(d.imagesUrl.startsWith('https://app.example/models/')).toBe(true);
  });

  it('accepts a parsed object; relative manifest URLs stay page-relative; no URL leaves them as written', () => {
    const obj = JSON.parse(real) as unknown;
    const m = parseManifest(obj, '/models/manifest.json');
    expect(m.models[0]?.modelUrl).toMatch(/^\/models\/[^/]+\/model\.json$/);
    const raw = parseManifest(obj);
    expect(raw.models[0]?.modelUrl).toMatch(/^[^/]+\/model\.json$/);
  });

  it('lists every problem with its path', () => {
    const obj = JSON.parse(real) as { models: Record<string, unknown>[]; defaults: { compare: string[] } };
    const m0 = obj.models[0] as Record<string, unknown>;
    m0.inputShape = [28, 28, 4];
    m0.outputKind = 'scores';
    delete m0.provenance;
    obj.defaults.compare = ['nope', String(m0.id)];
    let err: unknown;
    try {
      parseManifest(obj, 'https://x/manifest.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModelError);
    const msg = (err as ModelError).message;
    expect((err as ModelError).code).toBe('bad-manifest');
    expect(msg).toMatch(/models\[0\]\.inputShape\[2\]: channels must be 1 or 3/);
    expect(msg).toMatch(/models\[0\]\.outputKind/);
    expect(msg).toMatch(/models\[0\]\.provenance: missing/);
    expect(msg).toMatch(/defaults\.compare: no model "nope"/);
  });

  it('a training mix (class counts from the card) is kept in label order; a wrong one is named', () => {
    const m = parseManifest(real);
    const fashion = m.models.find((x) => x.id === 'fashion-finetuned');
    expect(fashion?.trainingMix).toHaveLength(10);
    expect(fashion?.trainingMix?.[fashion.labels.indexOf('Shirt')]).toBe(24);
    expect(m.models.find((x) => x.id === 'fashion-pretrained')?.trainingMix).toBeUndefined();
    for (const bad of [[1, 2], [-1, 1, 1, 1, 1, 1, 1, 1, 1, 1], new Array(10).fill(0), 'many']) {
      const obj = JSON.parse(real) as { models: Record<string, unknown>[] };
      const i = obj.models.findIndex((x) => x.id === 'fashion-finetuned');
      (obj.models[i] as Record<string, unknown>).trainingMix = bad;
      expect(() => parseManifest(obj)).toThrow(new RegExp(`models\\[${i}\\]\\.trainingMix`));
    }
  });

  it('malformed JSON text → malformed-json', () => {
    expect(() => parseManifest('{"version": 1,', 'https://x/m.json')).toThrow(expect.objectContaining({ code: 'malformed-json' }));
  });
});

describe('resolveUrl', () => {
  it('resolves like a browser and keeps absolute URLs', () => {
    expect(resolveUrl('a/model.json', 'https://h/models/manifest.json')).toBe('https://h/models/a/model.json');
    expect(resolveUrl('../b.bin', 'https://h/models/a/model.json')).toBe('https://h/models/b.bin');
    expect(resolveUrl('https://cdn/x.json', 'https://h/m.json')).toBe('https://cdn/x.json');
    expect(resolveUrl('a/model.json', 'models/manifest.json')).toBe('/models/a/model.json');
  });
});
