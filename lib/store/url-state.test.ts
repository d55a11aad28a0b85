import { describe, expect, it } from 'vitest';
import { METHOD_IDS } from '@/lib/explain/catalog';
import { defaultCostSettings, labelSetKey } from './cost-settings';
import {
  classCodec,
  configCodec,
  enumCodec,
  idCodec,
  MAX_CONFIG_LENGTH,
  MAX_ID_LENGTH,
  MAX_PREFIX_ENTRIES,
  methodCodec,
  ownsParam,
  prefixValueCodec,
  readView,
  sampleCodec,
  URL_STATE,
  writeView,
  type Codec,
  type ViewId,
} from './url-state';

/** Links as the three URL writers produced them before the table (printed from the old code). */
const LEGACY = {
  explainFull:
    '?backend=wasm&model=fashion-finetuned&sample=fashion-test-2k%3A17&method=occlusion&class=3&view=grid&p.stride=2&p.windowSize=4',
  explainUser: '?model=user%3Aabc+def&method=integrated-gradients&view=batch&p.baseline=white',
  explainFromEvaluate: '?model=fashion-finetuned&class=0',
  compareFull:
    'a=fashion-scratch&b=user%3A9+x&method=smoothgrad&cfg=%7B%22numSamples%22%3A16%2C%22noiseStdFraction%22%3A0.15%2C%22absolute%22%3Atrue%7D&target=7&set=fashion-test-2k&rule=costOptimal',
  compareShort: 'a=fashion-scratch&b=fashion-finetuned&method=saliency',
  evaluate: 'model=fashion-scratch&dataset=fashion-test-2k',
};

function roundTrips<T>(codec: Codec<T>, values: T[]) {
  for (const v of values) expect(codec.parse(codec.format(v))).toEqual(v);
}

describe('codecs', () => {
  it('id: round trip; empty, control characters and overlong refused', () => {
    roundTrips(idCodec, ['fashion-scratch', 'user:abc def', 'é/ü?&=', 'x'.repeat(MAX_ID_LENGTH)]);
    expect(idCodec.parse('')).toBeUndefined();
    expect(idCodec.parse('a\u0000b')).toBeUndefined();
    expect(idCodec.parse('x'.repeat(MAX_ID_LENGTH + 1))).toBeUndefined();
  });
  it('class: 0…99999 only', () => {
    roundTrips(classCodec, [0, 9, 99999]);
    for (const bad of ['-1', '2.5', '1e3', ' 3', 'three', '']) expect(classCodec.parse(bad)).toBeUndefined();
    expect(classCodec.parse('123456')).toBeUndefined();
  });
  it('method: every registered id; unknown and overlong refused', () => {
    expect(METHOD_IDS.length).toBeGreaterThan(0);
    roundTrips(methodCodec, [...METHOD_IDS]);
    expect(methodCodec.parse('magic')).toBeUndefined();
    expect(methodCodec.parse(`${METHOD_IDS[0]}${'x'.repeat(80)}`)).toBeUndefined();
  });
  it('enum: listed values only', () => {
    const c = enumCodec(['argmax', 'costOptimal'] as const);
    roundTrips(c, ['argmax', 'costOptimal']);
    expect(c.parse('vote')).toBeUndefined();
    expect(c.parse('argmax'.repeat(5))).toBeUndefined();
  });
  it('sample: ids with colons, non-negative integer index; malformed and overlong refused', () => {
    roundTrips(sampleCodec, [
      { datasetId: 'fashion-test-2k', index: 17 },
      { datasetId: 'ds:with:colons', index: 0 },
    ]);
    for (const bad of ['nocolon', ':3', 'ds:', 'ds:1.5', 'ds:-1', 'ds:12345678'])
      expect(sampleCodec.parse(bad)).toBeUndefined();
    expect(sampleCodec.parse(`${'d'.repeat(MAX_ID_LENGTH + 1)}:1`)).toBeUndefined();
  });
  it('config: JSON object of primitives; others dropped; arrays, garbage and overlong refused', () => {
    roundTrips(configCodec, [{ steps: 32, baseline: 'white', absolute: true }]);
    expect(configCodec.format({})).toBe('');
    expect(configCodec.parse('{"steps":8,"x":{"y":1},"n":null}')).toEqual({ steps: 8 });
    for (const bad of ['[1,2]', '{broken', '"text"', 'null', '3']) expect(configCodec.parse(bad)).toBeUndefined();
    const long = JSON.stringify({ s: 'x'.repeat(MAX_CONFIG_LENGTH) });
    expect(configCodec.parse(long)).toBeUndefined();
  });
  it('prefix values: any text up to the cap', () => {
    roundTrips(prefixValueCodec, ['2', '', 'conv2d_1']);
    expect(prefixValueCodec.parse('x'.repeat(201))).toBeUndefined();
  });
  it('cost settings (persisted, not in the URL): round trip; bad entries dropped; garbage refused', () => {
    const codec = URL_STATE.app.costSettings.codec;
    const v = { [labelSetKey(['a', 'b'])]: { ...defaultCostSettings(2), priors: [0.5, 0.5] } };
    roundTrips(codec, [v]);
    expect(codec.parse('{not json')).toBeUndefined();
    expect(
      codec.parse(JSON.stringify({ [labelSetKey(['a'])]: { matrix: [[0, 1]], priors: null, merges: [] } })),
    ).toEqual({});
    expect(URL_STATE.app.costSettings).toMatchObject({ url: 'none', persist: true, param: 'why.costSettings.v1' });
  });
});

describe('the table', () => {
  it('every key has a codec whose default survives a round trip, and no two keys of a view share a parameter', () => {
    const views = Object.keys(URL_STATE) as ViewId[];
    expect(views).toEqual(['app', 'explain', 'compare', 'evaluate']);
    for (const view of views) {
      const params = Object.values(URL_STATE[view]).map((k) => k.param);
      expect(new Set(params).size).toBe(params.length);
      for (const k of Object.values(URL_STATE[view])) {
        expect(k.view).toBe(view);
        expect(k.codec.maxLength).toBeGreaterThan(0);
        if (k.default !== null && k.default !== undefined && !('prefix' in k)) {
          const text = (k.codec as Codec<unknown>).format(k.default);
          if (text !== '') expect((k.codec as Codec<unknown>).parse(text)).toEqual(k.default);
        }
      }
    }
  });
  it('garbage in every parameter gives every default', () => {
    for (const view of ['explain', 'compare', 'evaluate'] as const) {
      const garbage = new URLSearchParams();
      for (const k of Object.values(URL_STATE[view]))
        garbage.set(k.prefix ? `${k.param}${'n'.repeat(80)}` : k.param, '\u0001'.repeat(3000));
      const got = readView(view, garbage) as Record<string, unknown>;
      const want = Object.fromEntries(Object.entries(URL_STATE[view]).map(([f, k]) => [f, k.default]));
      expect(got).toEqual(want);
    }
  });
  it('a view owns only its keys; backend is read everywhere and never written', () => {
    expect(ownsParam('explain', 'p.stride')).toBe(true);
    expect(ownsParam('explain', 'backend')).toBe(false);
    expect(ownsParam('compare', 'cfg')).toBe(true);
    expect(readView('app', '?backend=wasm&model=x').backend).toBe('wasm');
    expect(readView('app', '?backend=metal').backend).toBeNull();
    expect(writeView('app', { backend: 'cpu' }, 'model=m')).toBe('model=m');
  });
  it('prefix keys are capped in count and name length', () => {
    const q = new URLSearchParams();
    for (let i = 0; i < MAX_PREFIX_ENTRIES + 5; i++) q.set(`p.k${i}`, String(i));
    q.set(`p.${'n'.repeat(65)}`, '1');
    const params = readView('explain', q).params;
    expect(Object.keys(params)).toHaveLength(MAX_PREFIX_ENTRIES);
    expect(params.k0).toBe('0');
  });
});

describe('links made before the table still open, and are written the same way', () => {
  it('Explain', () => {
    const full = readView('explain', LEGACY.explainFull);
    expect(full).toEqual({
      ...readView('explain', ''),
      model: 'fashion-finetuned',
      sample: { datasetId: 'fashion-test-2k', index: 17 },
      method: 'occlusion',
      target: 3,
      tab: 'grid',
      params: { stride: '2', windowSize: '4' },
    });
    expect(`?${writeView('explain', full, '?backend=wasm')}`).toBe(LEGACY.explainFull);
    const user = readView('explain', LEGACY.explainUser);
    expect(user).toMatchObject({
      model: 'user:abc def',
      method: 'integrated-gradients',
      tab: 'batch',
      target: null,
      params: { baseline: 'white' },
    });
    expect(`?${writeView('explain', user)}`).toBe(LEGACY.explainUser);
    const fromEvaluate = readView('explain', LEGACY.explainFromEvaluate);
    expect(fromEvaluate).toMatchObject({ model: 'fashion-finetuned', target: 0, tab: 'single', method: null });
    expect(`?${writeView('explain', fromEvaluate)}`).toBe(LEGACY.explainFromEvaluate);
  });
  it('Compare', () => {
    const full = readView('compare', LEGACY.compareFull);
    expect(full).toEqual({
      a: 'fashion-scratch',
      b: 'user:9 x',
      method: 'smoothgrad',
      config: { numSamples: 16, noiseStdFraction: 0.15, absolute: true },
      target: 7,
      set: 'fashion-test-2k',
      rule: 'costOptimal',
    });
    expect(writeView('compare', full)).toBe(LEGACY.compareFull);
    const short = readView('compare', `?${LEGACY.compareShort}`);
    expect(writeView('compare', short)).toBe(LEGACY.compareShort);
  });
  it('Evaluate', () => {
    const s = readView('evaluate', LEGACY.evaluate);
    const none = { cost: null, priors: null, merges: null, rule: null, op: null, scenario: null };
    expect(s).toEqual({ model: 'fashion-scratch', dataset: 'fashion-test-2k', ...none });
    expect(writeView('evaluate', s, '?backend=cpu')).toBe(`backend=cpu&${LEGACY.evaluate}`);
    expect(readView('evaluate', '?model=&dataset=')).toEqual({ model: null, dataset: null, ...none });
  });
});
