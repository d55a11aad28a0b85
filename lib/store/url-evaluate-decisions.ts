/**
 * The Evaluate view's decision settings in the URL (#16, #14 item 5), compact and sparse:
 *
 *   cost=1.0.20,1.2.20   cost overrides "true.decision.cost" over the 0/1 rule (a dense matrix is written as
 *                        the entries that differ from 0/1, so a 10×10 "missed X costs 20×" is 9 entries)
 *   pri=0.1,0.9          priors, one per class (any scale)
 *   mrg=0+6,2+4          merged groups
 *   rule=threshold       the rule the panels show (argmax | costOptimal | threshold)
 *   op=1:0.0476          the operating point: class index and threshold
 *   scn=1:20:0.02:Credit the scenario that set them (class, miss cost, share, name)
 *
 * Each codec refuses malformed or overlong text (the default applies); indices are checked against the
 * model's K when applied (`decisionsPatch`).
 */
import type { CostValues } from '@/lib/metrics';
import type { RuleId } from '@/lib/evaluate';
import { capped, enumCodec, IN_URL, urlKey, type Codec } from './url-codecs';
import { numberListCodec } from './url-codecs-list';
import type { CostSettings, SavedScenario } from './types';

const NUM = /^\d{1,13}(\.\d{1,6})?$/;
const MAX_OVERRIDES = 400;
const MAX_CLASSES = 1000;

type Overrides = [number, number, number][];

/** Sparse cost overrides "i.j.v" joined by ","; "" = the 0/1 rule. */
export const costOverridesCodec: Codec<Overrides> = {
  maxLength: MAX_OVERRIDES * 24,
  parse: capped(MAX_OVERRIDES * 24, (s) => {
    if (s === '') return [];
    const parts = s.split(',');
    if (parts.length > MAX_OVERRIDES) return undefined;
    const out: Overrides = [];
    for (const p of parts) {
      const m = /^(\d{1,5})\.(\d{1,5})\.(.+)$/.exec(p);
      if (!m || !NUM.test(m[3] as string)) return undefined;
      const v = Number(m[3]);
      if (!(v <= 1e12)) return undefined;
      out.push([Number(m[1]), Number(m[2]), v]);
    }
    return out;
  }),
  format: (o) => o.map(([i, j, v]) => `${i}.${j}.${Number(v.toFixed(6))}`).join(','),
};

/** Merge groups "a+b+c" joined by ",". */
export const mergeGroupsCodec: Codec<number[][]> = {
  maxLength: 4000,
  parse: capped(4000, (s) => {
    if (s === '') return [];
    const out: number[][] = [];
    for (const g of s.split(',')) {
      if (!/^\d{1,5}(\+\d{1,5})+$/.test(g)) return undefined;
      out.push(g.split('+').map(Number));
    }
    return out;
  }),
  format: (m) => m.map((g) => g.join('+')).join(','),
};

/** "class:threshold". */
export const operatingPointCodec: Codec<{ positive: number; threshold: number }> = {
  maxLength: 16,
  parse: capped(16, (s) => {
    const m = /^(\d{1,5}):(0|1|0?\.\d{1,6}|1\.0{1,6})$/.exec(s);
    return m ? { positive: Number(m[1]), threshold: Number(m[2]) } : undefined;
  }),
  format: (o) => `${o.positive}:${Number(o.threshold.toFixed(6))}`,
};

/** "class:missCost:share:name" (the name last, so it may hold ":"). */
export const scenarioCodec: Codec<SavedScenario> = {
  maxLength: 140,
  parse: capped(140, (s) => {
    const m = /^(\d{1,5}):(\d{1,7}(?:\.\d{1,6})?):(0?\.\d{1,8}):(.{1,80})$/s.exec(s);
    if (!m) return undefined;
    return { positive: Number(m[1]), missCost: Number(m[2]), prevalence: Number(m[3]), name: (m[4] as string).trim() };
  }),
  format: (x) => `${x.positive}:${Number(x.missCost.toFixed(6))}:${Number(x.prevalence.toFixed(8))}:${x.name}`,
};

const RULES: readonly RuleId[] = ['argmax', 'costOptimal', 'threshold'];

const row = <T>(param: string, codec: Codec<T>, doc: string) =>
  urlKey<T | null>({ view: 'evaluate', param, codec: codec as Codec<T | null>, default: null, ...IN_URL, doc });

/** The rows for EVALUATE_URL (url-evaluate.ts). */
export const DECISIONS_URL = {
  cost: row('cost', costOverridesCodec, 'cost overrides over the 0/1 rule, "true.decision.cost"'),
  priors: row('pri', numberListCodec({ min: 0, max: 1e6, maxItems: MAX_CLASSES, decimals: 6 }), 'class priors'),
  merges: row('mrg', mergeGroupsCodec, 'merged class groups "a+b"'),
  rule: row('rule', enumCodec(RULES), 'decision rule shown (argmax, costOptimal, threshold)'),
  op: row('op', operatingPointCodec, 'operating point "class:threshold"'),
  scenario: row('scn', scenarioCodec, 'scenario "class:missCost:share:name"'),
} as const;

/** What the URL holds of the decision settings (null = not given). */
export interface DecisionsUrlState {
  cost: Overrides | null;
  priors: number[] | null;
  merges: number[][] | null;
  rule: RuleId | null;
  op: { positive: number; threshold: number } | null;
  scenario: SavedScenario | null;
}

/** Entries of a dense matrix that differ from the 0/1 rule, or the overrides of a sparse one (last wins). */
export function sparseOverrides(m: CostValues): Overrides {
  if (!Array.isArray(m)) {
    const last = new Map<string, [number, number, number]>();
    for (const [i, j, v] of m.overrides) last.set(`${i}.${j}`, [i, j, v]);
    return [...last.values()].filter(([i, j, v]) => v !== (i === j ? 0 : 1));
  }
  const out: Overrides = [];
  m.forEach((r, i) => r.forEach((v, j) => v !== (i === j ? 0 : 1) && out.push([i, j, v])));
  return out;
}

/** The URL values for the current settings and rule (defaults left out). */
export function decisionsUrlState(s: CostSettings, rule: RuleId, scenario: SavedScenario | null): DecisionsUrlState {
  const cost = sparseOverrides(s.matrix);
  return {
    cost: cost.length > 0 ? cost : null,
    priors: s.priors,
    merges: s.merges.length > 0 ? s.merges : null,
    rule: rule === 'argmax' ? null : rule,
    op: s.operatingPoint ?? null,
    scenario,
  };
}

/**
 * The settings patch a URL asks for, checked against K classes: parts whose indices or lengths do not fit
 * are left out and named in `refused`. Null when the URL holds no decision settings.
 */
export function decisionsPatch(
  u: DecisionsUrlState,
  k: number,
  saved: readonly SavedScenario[],
): { patch: Partial<CostSettings>; refused: string[] } | null {
  if (!u.cost && !u.priors && !u.merges && !u.op && !u.scenario) return null;
  const fits = (i: number) => i < k;
  const patch: Partial<CostSettings> = {};
  const refused: string[] = [];
  if (u.cost) {
    if (u.cost.every(([i, j]) => fits(i) && fits(j))) patch.matrix = { overrides: u.cost };
    else refused.push('cost');
  }
  if (u.priors) {
    if (u.priors.length === k && u.priors.some((p) => p > 0)) patch.priors = u.priors;
    else refused.push('pri');
  }
  if (u.merges) {
    if (u.merges.every((g) => g.every(fits))) patch.merges = u.merges;
    else refused.push('mrg');
  }
  if (u.op) {
    if (fits(u.op.positive)) patch.operatingPoint = u.op;
    else refused.push('op');
  }
  if (u.scenario) {
    if (fits(u.scenario.positive) && u.scenario.name !== '')
      patch.scenarios = [...saved.filter((x) => x.name !== u.scenario?.name), u.scenario];
    else refused.push('scn');
  }
  return { patch, refused };
}
