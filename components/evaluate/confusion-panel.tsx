'use client';

import { useMemo, useState } from 'react';
import { Panel } from '@/components/ui/panel';
import { Button } from '@/components/ui/button';
import { ToggleGroup } from '@/components/ui/toggle-group';
import { ConfusionGrid, type MatrixMode } from '@/components/metrics/confusion-grid';
import { cellIndices } from '@/lib/metrics';
import { RULE_LABELS, ruleOf } from '@/lib/evaluate';
import { ImageGallery, type GalleryItem } from './image-gallery';
import type { EvaluatePanelProps } from './panel-contract';

const MODES: { value: MatrixMode; label: string; testId: string }[] = [
  { value: 'counts', label: 'Counts', testId: 'evaluate.matrix.mode.counts' },
  { value: 'recall', label: 'Row % (recall)', testId: 'evaluate.matrix.mode.recall' },
  { value: 'precision', label: 'Column % (precision)', testId: 'evaluate.matrix.mode.precision' },
];
const WHICH = [
  { value: 'predicted' as const, label: 'predicted class' },
  { value: 'true' as const, label: 'true class' },
];

/** The confusion matrix under the chosen rule; a click on a cell lists its images. */
export function ConfusionPanel({ analysis, view, onView, set, onOpen }: EvaluatePanelProps) {
  const [mode, setMode] = useState<MatrixMode>('counts');
  const [picked, setPicked] = useState<{ t: number; p: number } | null>(null);
  // Another evaluation set: the picked cell is forgotten.
  const [pickedSet, setPickedSet] = useState(set.id);
  if (pickedSet !== set.id) {
    setPickedSet(set.id);
    setPicked(null);
  }
  const sel = analysis && picked && picked.t < analysis.k && picked.p < analysis.k ? picked : null;
  const rule = view.rule;
  const items: GalleryItem[] = useMemo(() => {
    if (!analysis || !sel) return [];
    const r = ruleOf(analysis, rule);
    return Array.from(cellIndices(analysis.labels, r.decisions, analysis.probs, analysis.k, sel.t, sel.p), (index) => ({
      index,
      trueClass: sel.t,
      decision: sel.p,
      confidence: analysis.probs[index * analysis.k + sel.p] as number,
    }));
  }, [analysis, rule, sel]);
  if (!analysis) return null;
  const cm = ruleOf(analysis, rule).confusion;
  return (
    <Panel
      title={`Confusion matrix (${RULE_LABELS[rule]})`}
      testId="evaluate.confusion"
      actions={<ToggleGroup label="Matrix values" value={mode} onChange={setMode} items={MODES} />}
    >
      <p className="mb-1 text-xs text-fg-subtle">
        Total{' '}
        <span className="font-semibold tabular-nums" data-testid="evaluate.matrix.total">
          {cm.n}
        </span>{' '}
        images. Click a cell to see its images.
      </p>
      <ConfusionGrid
        counts={cm.counts}
        k={cm.k}
        names={analysis.classNames}
        mode={mode}
        onCell={(t, p) => setPicked({ t, p })}
        selected={sel}
        testId="evaluate.matrix"
      />
      {sel && (
        <div className="mt-3" data-testid="evaluate.cell">
          <div className="mb-2 flex flex-wrap items-center gap-3 text-sm">
            <h3 className="font-semibold">
              True {analysis.classNames[sel.t]}, decided {analysis.classNames[sel.p]}:{' '}
              <span className="tabular-nums" data-testid="evaluate.cell.count">
                {items.length}
              </span>{' '}
              image{items.length === 1 ? '' : 's'}, most confident first
            </h3>
            <div className="flex items-center gap-2 text-xs">
              <span>Open in Explain with the</span>
              <ToggleGroup
                label="Class to explain when an image is opened"
                value={view.explainWhich}
                onChange={(explainWhich) => onView({ explainWhich })}
                items={WHICH}
              />
            </div>
            <Button variant="ghost" className="ml-auto" onClick={() => setPicked(null)}>
              Close
            </Button>
          </div>
          <ImageGallery
            key={`${sel.t}.${sel.p}.${rule}.${set.id}`}
            datasetId={set.id}
            items={items}
            names={analysis.classNames}
            onOpen={onOpen}
            testId="evaluate.gallery"
            empty="No image in this cell."
          />
        </div>
      )}
    </Panel>
  );
}
