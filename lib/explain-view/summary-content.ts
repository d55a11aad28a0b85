/**
 * The words and numbers of the one-page summary PNG (title, subtitle, top predictions, facts, footer),
 * worked out from plain data so the Explain view only asks for them and the canvas code only draws.
 * Layout geometry lives in summary-layout.ts.
 */
import { ms } from '@/lib/format';
import { groundTruth, type GroundTruth } from './ground-truth';
import { argmax } from './request';

/** The model card facts the summary quotes. */
export interface SummaryModel {
  name: string;
  format: string;
  paramCount: number;
  /** [height, width, channels] */
  inputShape: readonly number[];
  provenance?: string;
  /** Bundled model version from the manifest, if any. */
  version?: string;
}

export interface SummaryTextInput {
  /** Class name of index k (k in [0, K)). */
  label: (k: number) => string;
  /** The explained class, in [0, K). */
  target: number;
  imageName: string;
  model: SummaryModel;
  methodLabel: string;
  /** Active tfjs backend, null when not known yet. */
  backend: string | null;
  /** Wall time of the explanation in ms (≥ 0). */
  totalMs: number;
  /** [K] class probabilities (each in [0, 1]); absent → no prediction rows. */
  probs?: ArrayLike<number>;
  /** Sentences about the decision (from the evaluation set and the costs). */
  decision: readonly string[];
  date: Date;
  /** How many prediction rows (default 5). */
  topN?: number;
  /** The image's true class name, when known (bundled samples, images opened from an evaluation set). */
  trueLabel?: string;
}

export interface SummaryPrediction {
  label: string;
  /** In [0, 1]. */
  p: number;
  chosen: boolean;
}

export interface SummaryText {
  title: string;
  subtitle: string;
  mainTitle: string;
  predictions: SummaryPrediction[];
  /** "True: Shirt · Model: T-shirt/top ✗" (the model's top class), null when the truth is not known. */
  truth: GroundTruth | null;
  facts: string[];
  footer: string;
}

export const SUMMARY_FOOTER =
  'Made in the browser with the Why dashboard; nothing was uploaded. Colours are scaled per map: compare shapes, not brightness.';

/** The `n` most probable classes, most probable first (ties: lower index first); `chosen` marks `target`. */
export function topPredictions(
  probs: ArrayLike<number>,
  target: number,
  label: (k: number) => string,
  n = 5,
): SummaryPrediction[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`topPredictions: n must be a whole number ≥ 0, got ${n}`);
  return Array.from({ length: probs.length }, (_, k) => ({ p: probs[k] as number, k }))
    .sort((x, y) => y.p - x.p || x.k - y.k)
    .slice(0, n)
    .map(({ p, k }) => ({ label: label(k), p, chosen: k === target }));
}

/** The model card as one or two lines. */
export function modelCardLines(m: SummaryModel): string[] {
  return [
    `Model: ${m.name}${m.version ? ` (version ${m.version})` : ''} · ${m.format} · ${m.paramCount.toLocaleString('en')} parameters · input ${m.inputShape.join('×')}`,
    ...(m.provenance ? [`Provenance: ${m.provenance}`] : []),
  ];
}

/** Everything the summary writes, from plain data. */
export function summaryText(s: SummaryTextInput): SummaryText {
  if (!Number.isFinite(s.totalMs) || s.totalMs < 0)
    throw new Error(`summaryText: totalMs must be a finite number ≥ 0, got ${s.totalMs}`);
  const targetLabel = s.label(s.target);
  return {
    title: `Why “${targetLabel}”? — ${s.imageName}`,
    subtitle: `${s.model.name} · explained with ${s.methodLabel} · backend ${s.backend ?? '?'} · ${s.date.toISOString().slice(0, 10)}`,
    mainTitle: `${s.methodLabel} (${ms(s.totalMs)})`,
    predictions: s.probs ? topPredictions(s.probs, s.target, s.label, s.topN ?? 5) : [],
    truth: groundTruth(s.trueLabel, s.probs && s.probs.length > 0 ? s.label(argmax(s.probs)) : null),
    facts: [...s.decision, ...modelCardLines(s.model)],
    footer: SUMMARY_FOOTER,
  };
}
