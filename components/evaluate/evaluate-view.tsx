'use client';

import { useDashboard } from '@/components/providers/dashboard-provider';
import { ViewHeader } from '@/components/layout/view-header';
import { Panel } from '@/components/ui/panel';
import { cn } from '@/components/ui/cn';
import { DatasetSource } from './dataset-source';
import { LabelledSetReportView } from './labelled-set-report';
import { EvaluationStatus } from './evaluation-status';
import { ExportBar } from './export-bar';
import { EVALUATE_LAYOUT } from './panels';
import type { EvaluatePanelProps } from './panel-contract';
import { useEvaluation } from './use-evaluation';
import { decisionPanelsUnavailable } from '@/lib/models';

const NO_LABELS = new Int32Array(0);
/** Columns of the settings row when only its settings panels draw (the analysis failed). */
const FALLBACK_COLUMNS = 'lg:grid-cols-2';

export function EvaluateView() {
  const e = useEvaluation();
  const { modelId, modelStatus, labels, settings, analysis, analysisError, result, datasetId, datasetName } = e;
  const report = useDashboard((s) => (datasetId ? s.datasets[datasetId]?.report : undefined));
  const datasetCount = useDashboard((s) => (datasetId ? s.datasets[datasetId]?.meta.count : undefined));
  const outputKind = useDashboard((s) => (modelId ? s.models[modelId]?.info?.outputKind : undefined));
  const trainingMix = useDashboard((s) => s.manifest?.models.find((m) => m.id === modelId)?.trainingMix);
  const unavailable = outputKind ? decisionPanelsUnavailable(outputKind) : null;

  const props: EvaluatePanelProps | null =
    labels && settings && datasetId && (analysis || analysisError)
      ? {
          analysis: analysis ?? null,
          labels,
          settings,
          onChange: e.onChange,
          view: e.view,
          onView: e.onView,
          set: {
            id: datasetId,
            labels: result?.labels ?? NO_LABELS,
            probs: result?.probs,
            k: labels.length,
            modelId: modelId ?? undefined,
          },
          onOpen: (it) => void e.onOpen(it),
          trainingMix: trainingMix && labels && trainingMix.length === labels.length ? trainingMix : undefined,
        }
      : null;

  const header = <ViewHeader title="Evaluate" loading={modelStatus === 'loading'} />;
  if (unavailable) {
    return (
      <div className="flex flex-col gap-4" data-testid="evaluate.view">
        {header}
        <p
          className="text-sm text-fg-muted"
          role="note"
          data-testid="evaluate.unavailable"
          data-output-kind={outputKind}
        >
          {unavailable} Evaluate measures one-class decisions, so there is nothing to evaluate for this model.
        </p>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-4" data-testid="evaluate.view">
      {header}
      <DatasetSource
        modelId={modelId}
        options={e.options}
        value={datasetId}
        onChange={e.setDataset}
        onAdded={e.setDataset}
      />
      <EvaluationStatus e={e} />

      {report && datasetCount !== undefined && (
        <Panel title={`What was found in “${datasetName}”`}>
          <LabelledSetReportView report={report} count={datasetCount} />
        </Panel>
      )}

      {analysis && settings && modelId && datasetId && result && (
        <ExportBar
          analysis={analysis}
          rule={e.view.rule}
          n={result.n}
          ms={result.ms}
          modelId={modelId}
          modelName={e.modelName}
          datasetId={datasetId}
          settings={settings}
        />
      )}
      {props &&
        EVALUATE_LAYOUT.map((row) => {
          const panels = row.panels.filter((p) => props.analysis || !p.needsAnalysis);
          if (panels.length === 0) return null;
          const columns = panels.length === row.panels.length ? row.columns : FALLBACK_COLUMNS;
          return (
            <div key={row.id} className={cn('grid grid-cols-1 gap-4', panels.length > 1 && columns)}>
              {panels.map(({ id, Component }) => (
                <Component key={id} {...props} />
              ))}
            </div>
          );
        })}
    </div>
  );
}
