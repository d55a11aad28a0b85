'use client';

import { useMemo } from 'react';
import {
  costliestMistakes,
  costMatrixLimitMessage,
  costsOf,
  denseCostMatrix,
  MAX_COST_MATRIX_CLASSES,
  type Analysis,
} from '@/lib/metrics';
import { expectedCostByClass, RULE_LABELS, ruleOf } from '@/lib/evaluate';
import { Panel } from '@/components/ui/panel';
import { InlineMessage } from '@/components/ui/alert';
import { ImageGallery, type GalleryItem } from './image-gallery';
import { CostPresets } from './cost-presets';
import { CostMatrixEditor } from './cost-matrix-editor';
import { num as fmt } from '@/lib/format';
import type { EvaluatePanelProps } from './panel-contract';
import { NumCell, TableHead } from '@/components/ui/table';

const MISTAKES = 24;

/** The cost matrix (presets, import / export, cells), what it costs per class, and the costliest mistakes. */
export function CostPanel({ analysis, labels, settings, onChange, view, set, onOpen }: EvaluatePanelProps) {
  const r = analysis ? ruleOf(analysis, view.rule) : undefined;
  const mistakes: GalleryItem[] = useMemo(
    () =>
      analysis && r
        ? costliestMistakes(analysis.labels, r.decisions, analysis.cost, analysis.probs, MISTAKES).map((m) => ({
            index: m.index,
            trueClass: m.trueClass,
            decision: m.decision,
            confidence: m.confidence ?? 0,
            cost: Number(m.cost.toFixed(4)),
          }))
        : [],
    [analysis, r],
  );
  const editable = labels.length <= MAX_COST_MATRIX_CLASSES;
  const dense = useMemo(
    () => (editable ? denseCostMatrix(costsOf(labels, settings.matrix)).matrix : null),
    [editable, labels, settings.matrix],
  );
  if (!analysis) return null;
  const onMatrix = (matrix: number[][]) => onChange({ matrix });
  return (
    <Panel title="Misclassification cost" testId="evaluate.cost">
      <p className="mb-2 text-xs text-fg-muted">
        C(i, j) = the cost of deciding <em>j</em> when the truth is <em>i</em> (rows = true class, columns = decision).
        Expected cost of a decision: R(j|x) = Σᵢ p(i|x)·C(i, j).
      </p>
      {dense ? (
        <CostPresets labels={labels} matrix={dense} onMatrix={onMatrix} />
      ) : (
        <InlineMessage tone="info" role="status" className="mb-2 text-xs" data-testid="evaluate.cost.limit">
          {costMatrixLimitMessage(labels.length)}
        </InlineMessage>
      )}
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-[auto_minmax(0,1fr)]">
        {dense && (
          <CostMatrixEditor labels={labels} matrix={dense} onMatrix={onMatrix} merged={analysis.k !== labels.length} />
        )}
        <CostByClass analysis={analysis} rule={view.rule} />
      </div>
      <h3 className="mt-4 mb-2 text-xs font-semibold text-fg-muted">
        Most costly mistakes ({RULE_LABELS[view.rule]}), most confident first within a cost
      </h3>
      <ImageGallery
        key={`${set.id}|${view.rule}`}
        datasetId={set.id}
        items={mistakes}
        names={analysis.classNames}
        onOpen={onOpen}
        testId="evaluate.mistakes"
        empty="No mistakes under this rule."
      />
    </Panel>
  );
}

function CostByClass({ analysis, rule }: { analysis: Analysis; rule: EvaluatePanelProps['view']['rule'] }) {
  const r = ruleOf(analysis, rule);
  const expected = useMemo(() => expectedCostByClass(r, analysis.labels, analysis.k), [r, analysis]);
  return (
    <div>
      <h3 className="mb-1 text-xs font-semibold text-fg-muted">
        Cost under the {RULE_LABELS[rule]} rule, per true class
      </h3>
      <table className="w-full text-xs tabular-nums" data-testid="evaluate.cost.per-class">
        <TableHead columns={['True class', 'Images', 'Realised total', 'Realised / image', 'Expected / image']} />
        <tbody>
          {r.cost.perClass.map((c) => (
            <tr key={c.index} className="border-t border-border">
              <td className="p-1">{analysis.classNames[c.index]}</td>
              <NumCell>{c.count}</NumCell>
              <NumCell testId={`evaluate.cost.class.${c.index}.total`}>{fmt(c.total, 2)}</NumCell>
              <NumCell>{fmt(c.mean, 3)}</NumCell>
              <NumCell>{fmt(expected[c.index], 3)}</NumCell>
            </tr>
          ))}
          <tr className="border-t-2 border-border-strong font-semibold">
            <td className="p-1">All</td>
            <NumCell>{analysis.labels.length}</NumCell>
            <NumCell testId="evaluate.cost.total">{fmt(r.cost.total, 2)}</NumCell>
            <NumCell testId="evaluate.cost.mean">{fmt(r.cost.mean, 3)}</NumCell>
            <NumCell testId="evaluate.cost.expected-mean">{fmt(r.meanExpectedCost, 3)}</NumCell>
          </tr>
        </tbody>
      </table>
      <p className="mt-1 text-xs text-fg-subtle">
        Realised = C(true, decision) summed over the images; expected = R(decision|x), what the model itself expects to
        pay.
      </p>
    </div>
  );
}
