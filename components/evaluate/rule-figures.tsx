'use client';

import { weightedMetrics, type Analysis, type RuleResult } from '@/lib/metrics';
import { mergedPriors } from '@/lib/evaluate';
import { num as fmt, pct } from '@/lib/format';

/**
 * A rule's accuracy and costs on this set's mix and, when priors are set, at your priors (each true class
 * weighted by its prior), each labelled so.
 */
export function RuleFigures({ analysis, rule, id }: { analysis: Analysis; rule: RuleResult; id: string }) {
  const priors = mergedPriors(analysis);
  const w = priors
    ? weightedMetrics(
        analysis.labels,
        rule.decisions,
        analysis.k,
        rule.cost.perImage,
        rule.expectedCostPerImage,
        priors,
      )
    : null;
  const rows: [string, string, string, number | null][] = [
    ['Accuracy (on this set’s mix)', pct(rule.summary.accuracy), 'accuracy', rule.summary.accuracy],
    ['Balanced accuracy', pct(rule.summary.balancedAccuracy), 'balanced', rule.summary.balancedAccuracy],
    ['Total cost (this set)', fmt(rule.cost.total, 2), 'total-cost', rule.cost.total],
    ['Cost / image (on this set’s mix)', fmt(rule.cost.mean, 3), 'cost', rule.cost.mean],
    [
      'Expected cost / image (on this set’s mix)',
      fmt(rule.meanExpectedCost, 3),
      'expected-cost',
      rule.meanExpectedCost,
    ],
  ];
  if (w) {
    rows.push(
      ['Accuracy at your priors', pct(w.accuracy), 'accuracy.priors', w.accuracy],
      ['Cost / image at your priors', fmt(w.realisedCost, 3), 'cost.priors', w.realisedCost],
      ['Expected cost / image at your priors', fmt(w.expectedCost, 3), 'expected-cost.priors', w.expectedCost],
    );
  }
  return (
    <dl className="mb-2 grid grid-cols-2 gap-x-3 gap-y-1 text-xs tabular-nums sm:grid-cols-3">
      {rows.map(([label, text, key, v]) => (
        <div key={key}>
          <dt className="text-fg-subtle">{label}</dt>
          <dd data-testid={`evaluate.rule.${id}.${key}`} data-value={v ?? ''}>
            {text}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The one sentence under every pair of costs. */
export const TWO_COSTS =
  'Cost / image is what the decisions really cost on these labelled images, C(true class, decision); expected cost / image is what the model expects them to cost if its own probabilities were right — the two differ when the model is over- or under-confident.';
