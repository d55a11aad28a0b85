'use client';

import { Button } from '@/components/ui/button';
import { Toolbar } from '@/components/ui/toolbar';
import type { Analysis } from '@/lib/metrics';
import type { CostSettings } from '@/lib/store';
import { analysisJson, confusionCsv, perClassCsv, predictionsCsv, type RuleId } from '@/lib/evaluate';
import { downloadText } from '@/components/ui/download';
import { slug } from '@/lib/format';

/** Size of the run and the downloads of the analysis (CSV per table, everything as JSON). */
export function ExportBar({
  analysis,
  rule,
  n,
  ms,
  modelId,
  modelName,
  datasetId,
  settings,
}: {
  analysis: Analysis;
  rule: RuleId;
  /** Images evaluated. */
  n: number;
  /** Wall time of the evaluation in ms. */
  ms: number;
  modelId: string;
  modelName: string | undefined;
  datasetId: string;
  settings: CostSettings;
}) {
  const base = `${slug(modelName ?? modelId)}-${slug(datasetId)}`;
  const exports = [
    {
      id: 'per-class',
      label: 'Per-class CSV',
      save: () => downloadText(`${base}-per-class-${rule}.csv`, perClassCsv(analysis, rule), 'text/csv'),
    },
    {
      id: 'confusion-argmax',
      label: 'Confusion (argmax) CSV',
      save: () => downloadText(`${base}-confusion-argmax.csv`, confusionCsv(analysis, 'argmax'), 'text/csv'),
    },
    {
      id: 'confusion-cost',
      label: 'Confusion (min. cost) CSV',
      save: () => downloadText(`${base}-confusion-cost-optimal.csv`, confusionCsv(analysis, 'costOptimal'), 'text/csv'),
    },
    {
      id: 'predictions',
      label: 'Predictions CSV',
      save: () => downloadText(`${base}-predictions.csv`, predictionsCsv(analysis), 'text/csv'),
    },
    {
      id: 'json',
      label: 'Everything (JSON)',
      save: () =>
        downloadText(
          `${base}-evaluation.json`,
          analysisJson(analysis, { model: modelId, dataset: datasetId, settings }),
          'application/json',
        ),
    },
  ];
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="evaluate.exports">
      <span className="text-fg-muted">
        <span className="tabular-nums" data-testid="evaluate.n">
          {n}
        </span>{' '}
        images · {analysis.k} classes · evaluated in <span className="tabular-nums">{(ms / 1000).toFixed(1)}</span> s ·
        export:
      </span>
      <Toolbar label="Export the evaluation">
        {exports.map((x) => (
          <Button key={x.id} onClick={x.save} data-testid={`evaluate.export.${x.id}`}>
            {x.label}
          </Button>
        ))}
      </Toolbar>
    </div>
  );
}
