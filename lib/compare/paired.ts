/**
 * Glue between two `analyse` results (lib/metrics/analysis.ts) of two models on the SAME labelled images
 * and what the Compare view shows: metric deltas (B − A), the confusion-matrix difference, McNemar's test
 * on the chosen decision rule, and the regressions (A right, B wrong) / fixes (A wrong, B right) lists.
 *
 * A is the reference (the version in use), B the candidate (the new version). Pure functions, plain arrays.
 */
import {
  MetricsError,
  pairedComparison,
  summaryDelta,
  type Analysis,
  type ClassificationSummary,
  type McNemarResult,
  type PairedComparison,
  type RuleResult,
  type SummaryDelta,
} from '@/lib/metrics';

export type DecisionRule = 'argmax' | 'costOptimal';

export const DECISION_RULES: readonly { value: DecisionRule; label: string }[] = [
  { value: 'argmax', label: 'Most likely class' },
  { value: 'costOptimal', label: 'Lowest expected cost' },
];

/** A name the app made up for an unlabelled class ("class 3", see lib/models/card.ts): it names nothing. */
export function isPlaceholderLabel(name: string): boolean {
  return /^class \d+$/i.test(name.trim());
}

/**
 * True when both models name the same classes in the same order (a set comparison needs this). Placeholder
 * names never match: two unlabelled models' "class 1" are not known to be the same class.
 */
export function sameClasses(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i] && !isPlaceholderLabel(name));
}

/**
 * B's index for A's class `cls`: the same index when the class lists are equal, else the class of the same
 * name in B (trimmed, case-insensitive), else null (B does not know this class — or A's class has only a
 * placeholder name, which pairs with nothing).
 */
export function classInB(labelsA: readonly string[], labelsB: readonly string[], cls: number): number | null {
  if (!Number.isInteger(cls) || cls < 0 || cls >= labelsA.length) return null;
  if (isPlaceholderLabel(labelsA[cls] as string)) return null;
  if (sameClasses(labelsA, labelsB)) return cls;
  const name = (labelsA[cls] as string).trim().toLowerCase();
  const j = labelsB.findIndex((l) => l.trim().toLowerCase() === name);
  return j < 0 ? null : j;
}

export interface ValueDelta {
  a: number | null;
  b: number | null;
  /** b − a; null when either is null. */
  delta: number | null;
}

const vd = (a: number | null, b: number | null): ValueDelta => ({
  a,
  b,
  delta: a === null || b === null ? null : b - a,
});

export interface SetComparison {
  rule: DecisionRule;
  k: number;
  classNames: string[];
  a: RuleResult;
  b: RuleResult;
  /** Paired counts, McNemar, regressions and fixes under `rule`. */
  paired: PairedComparison;
  /** Accuracy, balanced accuracy, macro-F1 and per-class precision/recall/F1, B − A. */
  delta: SummaryDelta;
  /** Realised cost per image on the set (mean of C[y][d]). */
  cost: ValueDelta;
  /** The models' own expected cost of their decisions, mean R(d|x). */
  expectedCost: ValueDelta;
  /** B's confusion counts − A's, k×k row-major (rows = true class, columns = decision). */
  confusionDelta: Int32Array;
}

function asSummary(r: RuleResult): ClassificationSummary {
  return { confusion: r.confusion, perClass: r.perClass, ...r.summary };
}

/**
 * Compares two analyses of the same images. Both must come from `analyse` with the same class names,
 * settings and labels (i.e. the same evaluation set and the same cost settings).
 * @throws MetricsError when the two analyses are not of the same images / classes.
 */
export function compareAnalyses(a: Analysis, b: Analysis, rule: DecisionRule): SetComparison {
  if (!sameClasses(a.classNames, b.classNames)) {
    throw new MetricsError('The two models name different classes, so their results on a set cannot be paired.');
  }
  if (a.labels.length !== b.labels.length || a.labels.some((y, i) => y !== b.labels[i])) {
    throw new MetricsError('The two evaluations are not of the same images (their labels differ).');
  }
  const ra = a[rule];
  const rb = b[rule];
  const paired = pairedComparison(a.labels, a.probs, b.probs, a.k, { a: ra.decisions, b: rb.decisions });
  const confusionDelta = new Int32Array(a.k * a.k);
  for (let i = 0; i < confusionDelta.length; i++)
    confusionDelta[i] = (rb.confusion.counts[i] as number) - (ra.confusion.counts[i] as number);
  return {
    rule,
    k: a.k,
    classNames: a.classNames,
    a: ra,
    b: rb,
    paired,
    delta: summaryDelta(asSummary(ra), asSummary(rb)),
    cost: vd(ra.cost.mean, rb.cost.mean),
    expectedCost: vd(ra.meanExpectedCost, rb.meanExpectedCost),
    confusionDelta,
  };
}

/** A p-value for people: 3 significant digits, "< 0.0001" below that. */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p < 1e-4) return '< 0.0001';
  return p >= 0.1 ? p.toFixed(2) : p.toPrecision(2);
}

/** "p = 0.039" or "p < 0.0001". */
export function pText(p: number): string {
  const f = formatP(p);
  return f.startsWith('<') ? `p ${f}` : `p = ${f}`;
}

/**
 * McNemar's result in plain words, for the reference A and candidate B, at significance level `alpha`.
 * Only the images where exactly one model is right carry information (b and c); the others are ignored.
 */
export function mcnemarSentence(m: McNemarResult, alpha = 0.05): string {
  if (m.discordant === 0) {
    return 'Both models are right and wrong on exactly the same images, so there is no difference to test.';
  }
  const who =
    m.c > m.b
      ? 'B (the candidate) is right more often'
      : m.b > m.c
        ? 'A (the reference) is right more often'
        : 'Neither is right more often';
  const test = m.recommended === 'exact' ? 'exact binomial test' : 'χ² test with continuity correction';
  const verdict =
    m.p < alpha
      ? `The difference is unlikely to be chance (${pText(m.p)}, McNemar ${test})`
      : `The difference may well be chance (${pText(m.p)}, McNemar ${test}); more images would be needed to tell`;
  return `${who}: of the ${m.discordant} images where exactly one model is right, A alone is right on ${m.b} and B alone on ${m.c}. ${verdict}.`;
}
