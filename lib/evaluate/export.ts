/**
 * Export builders for the Evaluate view: CSV and JSON text from an `Analysis` (lib/metrics/analysis).
 * Pure functions (no DOM); the view turns the text into a download.
 *
 * Conventions: rates are written as plain decimals in [0, 1] with up to 6 decimals, an undefined rate
 * (null) as an empty CSV cell / JSON null; class names are quoted per RFC 4180 where needed, and every CSV cell
 * is neutralised against spreadsheet formula injection (toCsv: a class named `=HYPERLINK(…)` is written
 * `'=HYPERLINK(…)`).
 */
import { isSparseCost, type Analysis, type CostValues, type RuleResult, toCsv } from '@/lib/metrics';

export type RuleId = 'argmax' | 'costOptimal' | 'threshold';

export const RULE_LABELS: Record<RuleId, string> = {
  argmax: 'argmax (most probable class)',
  costOptimal: 'minimum expected cost',
  threshold: 'threshold on one class',
};

/** The rule's result; the threshold rule falls back to the argmax when no operating point is set. */
export function ruleOf(a: Analysis, rule: RuleId): RuleResult {
  return rule === 'threshold' ? (a.threshold ?? a.argmax) : a[rule];
}

/** The rule the panels show: 'threshold' only while an operating point is set. */
export function effectiveRule(a: Analysis | null, rule: RuleId): RuleId {
  return rule === 'threshold' && !a?.threshold ? 'argmax' : rule;
}

/** Rounds to 6 decimals (large values, up to 1e308, as they are); null or non-finite → ''. */
export function num(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  return Math.abs(v) >= 1e9 ? String(v) : String(Math.round(v * 1e6) / 1e6);
}

/**
 * Mean expected cost R(dₙ|xₙ) per true class, length k (null for a class with no images).
 * @param labels [N] merged labels
 */
export function expectedCostByClass(rule: RuleResult, labels: Int32Array, k: number): (number | null)[] {
  const sum = new Float64Array(k);
  const cnt = new Int32Array(k);
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i] as number;
    sum[t] = (sum[t] as number) + (rule.expectedCostPerImage[i] as number);
    cnt[t] = (cnt[t] as number) + 1;
  }
  return Array.from({ length: k }, (_, c) =>
    (cnt[c] as number) === 0 ? null : (sum[c] as number) / (cnt[c] as number),
  );
}

/** Per-class table: class, support, predicted, TP, FP, FN, precision, recall, F1, realised cost, mean expected cost. */
export function perClassCsv(a: Analysis, rule: RuleId): string {
  const r = ruleOf(a, rule);
  const exp = expectedCostByClass(r, a.labels, a.k);
  const rows = r.perClass.map((m) => {
    const c = r.cost.perClass[m.index];
    return [
      a.classNames[m.index] ?? String(m.index),
      String(m.support),
      String(m.predicted),
      String(m.tp),
      String(m.fp),
      String(m.fn),
      num(m.precision),
      num(m.recall),
      num(m.f1),
      num(c?.total),
      num(c?.mean),
      num(exp[m.index]),
    ];
  });
  return toCsv([
    [
      'class',
      'support',
      'predicted',
      'tp',
      'fp',
      'fn',
      'precision',
      'recall',
      'f1',
      'realised_cost_total',
      'realised_cost_mean',
      'expected_cost_mean',
    ],
    ...rows,
    [
      '(overall)',
      String(a.labels.length),
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      num(r.cost.total),
      num(r.cost.mean),
      num(r.meanExpectedCost),
    ],
  ]);
}

/** Confusion matrix as CSV: corner cell `true\predicted`, header of class names, one row per true class. */
export function confusionCsv(a: Analysis, rule: RuleId): string {
  const cm = ruleOf(a, rule).confusion;
  return toCsv([
    ['true\\predicted', ...a.classNames],
    ...a.classNames.map((name, t) => [
      name,
      ...Array.from({ length: a.k }, (_, p) => String(cm.counts[t * a.k + p] as number)),
    ]),
  ]);
}

/**
 * One row per image: index, name (when given), true class, both decisions, the realised and expected cost
 * of each, and the k posteriors (after prior shift and merges).
 * @param names optional [N] image names (file paths of a user set)
 */
export function predictionsCsv(a: Analysis, names?: readonly string[]): string {
  const header = [
    'index',
    'name',
    'true',
    'argmax',
    'cost_optimal',
    'argmax_cost',
    'cost_optimal_cost',
    'argmax_expected_cost',
    'cost_optimal_expected_cost',
    ...a.classNames.map((c) => `p(${c})`),
  ];
  const rows: string[][] = [header];
  for (let i = 0; i < a.labels.length; i++) {
    const t = a.labels[i] as number;
    const d1 = a.argmax.decisions[i] as number;
    const d2 = a.costOptimal.decisions[i] as number;
    rows.push([
      String(i),
      names?.[i] ?? '',
      a.classNames[t] ?? String(t),
      a.classNames[d1] ?? String(d1),
      a.classNames[d2] ?? String(d2),
      num(a.argmax.cost.perImage[i]),
      num(a.costOptimal.cost.perImage[i]),
      num(a.argmax.expectedCostPerImage[i]),
      num(a.costOptimal.expectedCostPerImage[i]),
      ...Array.from({ length: a.k }, (_, j) => num(a.probs[i * a.k + j])),
    ]);
  }
  return toCsv(rows);
}

function ruleJson(a: Analysis, r: RuleResult) {
  const exp = expectedCostByClass(r, a.labels, a.k);
  return {
    accuracy: r.summary.accuracy,
    balancedAccuracy: r.summary.balancedAccuracy,
    macroF1: r.summary.macroF1,
    totalCost: r.cost.total,
    meanCost: r.cost.mean,
    meanExpectedCost: r.meanExpectedCost,
    confusion: a.classNames.map((_, t) => Array.from(r.confusion.counts.subarray(t * a.k, t * a.k + a.k))),
    perClass: r.perClass.map((m) => ({
      class: a.classNames[m.index],
      support: m.support,
      predicted: m.predicted,
      precision: m.precision,
      recall: m.recall,
      f1: m.f1,
      totalCost: r.cost.perClass[m.index]?.total ?? 0,
      meanExpectedCost: exp[m.index] ?? null,
    })),
  };
}

/**
 * Everything as one JSON document: the context (model, dataset, settings), the merged class names and cost
 * matrix, both rules' metrics and confusion matrices, and calibration.
 */
export function analysisJson(
  a: Analysis,
  context: {
    model: string;
    dataset: string;
    settings: { matrix: CostValues; priors: number[] | null; merges: number[][] };
  },
): string {
  return JSON.stringify(
    {
      model: context.model,
      dataset: context.dataset,
      n: a.labels.length,
      settings: context.settings,
      classes: a.classNames,
      costMatrix: isSparseCost(a.cost) ? { rule: '0/1', overrides: a.cost.overrides } : a.cost.matrix,
      argmax: ruleJson(a, a.argmax),
      costOptimal: ruleJson(a, a.costOptimal),
      ...(a.threshold && a.operatingPoint
        ? {
            operatingPoint: { ...a.operatingPoint, class: a.classNames[a.operatingPoint.positive] },
            threshold: ruleJson(a, a.threshold),
          }
        : {}),
      calibration: {
        ece: a.calibration.ece,
        mce: a.calibration.mce,
        accuracy: a.calibration.accuracy,
        meanConfidence: a.calibration.meanConfidence,
        bins: a.calibration.bins,
      },
    },
    null,
    2,
  );
}
