'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { ModelPicker } from '@/components/models/model-picker';
import { Panel } from '@/components/ui/panel';
import { Button } from '@/components/ui/button';
import { analyse, type Analysis } from '@/lib/metrics/analysis';
import { cellIndices } from '@/lib/metrics/confusion';
import { evaluationKey } from '@/lib/store/dashboard-store';
import { defaultCostSettings, labelSetKey } from '@/lib/store/cost-settings';
import type { CostSettings } from '@/lib/store/types';
import { analysisJson, confusionCsv, perClassCsv, predictionsCsv, RULE_LABELS, type RuleId } from '@/lib/evaluate/export';
import { explainClass } from '@/lib/evaluate/explain-target';
import { ConfusionGrid, type MatrixMode } from './confusion-grid';
import { ImageGallery, type GalleryItem } from './image-gallery';
import { DatasetSource, type DatasetOption } from './dataset-source';
import { LabelledSetReportView } from './labelled-set-report';
import { PerClassTable } from './per-class-table';
import { CostPanel } from './cost-panel';
import { DecisionRulePanel } from './decision-rule-panel';
import { PriorsPanel } from './priors-panel';
import { MergePanel } from './merge-panel';
import { CalibrationPanel } from './calibration-panel';
import { downloadText, slug } from './download';

const sameLabels = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

const MODES: { id: MatrixMode; label: string }[] = [
  { id: 'counts', label: 'Counts' },
  { id: 'recall', label: 'Row % (recall)' },
  { id: 'precision', label: 'Column % (precision)' },
];

export function EvaluateView() {
  const router = useRouter();
  const modelId = useDashboard((s) => s.selectedModelId);
  const modelOrder = useDashboard((s) => s.modelOrder);
  const modelStatus = useDashboard((s) => (modelId ? s.models[modelId]?.status : undefined));
  const modelName = useDashboard((s) => (modelId ? s.models[modelId]?.name : undefined));
  const info = useDashboard((s) => (modelId ? s.models[modelId]?.info : undefined));
  const manifestDatasetId = useDashboard((s) => (modelId ? s.models[modelId]?.manifest?.datasetId : undefined));
  const manifest = useDashboard((s) => s.manifest);
  const datasets = useDashboard((s) => s.datasets);
  const selectModel = useDashboard((s) => s.selectModel);
  const ensureEvaluation = useDashboard((s) => s.ensureEvaluation);
  const cancelEvaluation = useDashboard((s) => s.cancelEvaluation);
  const setCostSettings = useDashboard((s) => s.setCostSettings);
  const openDatasetImage = useDashboard((s) => s.openDatasetImage);
  const labels = info?.labels;

  // ?model= in the URL (read once, when the models are known); ?dataset= below.
  const urlRead = useRef(false);
  // Client-only view (loaded with ssr: false), so window is there.
  const [chosen, setChosen] = useState<string | null>(() => new URLSearchParams(window.location.search).get('dataset'));
  useEffect(() => {
    if (urlRead.current || modelOrder.length === 0) return;
    urlRead.current = true;
    const q = new URLSearchParams(window.location.search);
    const m = q.get('model');
    if (m && modelOrder.includes(m)) void selectModel(m);
  }, [modelOrder, selectModel]);

  const options: DatasetOption[] = useMemo(() => {
    if (!labels) return [];
    const bundled = (manifest?.datasets ?? [])
      .filter((d) => sameLabels(d.labels, labels))
      .map((d) => ({ id: d.id, name: `${d.name}`, source: 'bundled' as const }));
    const user = Object.values(datasets)
      .filter((d) => d.meta.source === 'user' && sameLabels(d.meta.labels, labels))
      .map((d) => ({ id: d.meta.id, name: `${d.meta.name} (${d.meta.count} images)`, source: 'user' as const }));
    return [...bundled, ...user];
  }, [manifest, datasets, labels]);
  const fallback = options.find((o) => o.id === (info?.datasetId ?? manifestDatasetId))?.id ?? options[0]?.id ?? null;
  const datasetId = chosen && options.some((o) => o.id === chosen) ? chosen : fallback;
  const datasetName = options.find((o) => o.id === datasetId)?.name ?? datasetId ?? '';
  const report = useDashboard((s) => (datasetId ? s.datasets[datasetId]?.report : undefined));
  const datasetCount = useDashboard((s) => (datasetId ? s.datasets[datasetId]?.meta.count : undefined));

  useEffect(() => {
    if (!modelId || !datasetId) return;
    const q = new URLSearchParams(window.location.search);
    if (q.get('model') === modelId && q.get('dataset') === datasetId) return;
    q.set('model', modelId);
    q.set('dataset', datasetId);
    window.history.replaceState(window.history.state, '', `${window.location.pathname}?${q.toString()}`);
  }, [modelId, datasetId]);

  const key = modelId && datasetId ? evaluationKey(modelId, datasetId) : null;
  const ev = useDashboard((s) => (key ? s.evaluations[key] : undefined));
  useEffect(() => {
    if (modelId && datasetId && modelStatus === 'ready' && !ev) void ensureEvaluation(modelId, datasetId);
  }, [modelId, datasetId, modelStatus, ev, ensureEvaluation]);

  const stored = useDashboard((s) => (labels ? s.costSettings[labelSetKey(labels)] : undefined));
  const settings: CostSettings | null = useMemo(() => stored ?? (labels ? defaultCostSettings(labels.length) : null), [stored, labels]);
  const patch = useCallback((p: Partial<CostSettings>) => labels && setCostSettings(labels, p), [labels, setCostSettings]);

  const result = ev?.status === 'ready' ? ev.result : undefined;
  const computed = useMemo((): { analysis?: Analysis; error?: string } => {
    if (!result || !settings || !labels) return {};
    try {
      return { analysis: analyse({ probs: result.probs, labels: result.labels, classNames: labels, settings }) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [result, settings, labels]);
  const analysis = computed.analysis;

  const [rule, setRule] = useState<RuleId>('argmax');
  const [mode, setMode] = useState<MatrixMode>('counts');
  const [cellSel, setCellSel] = useState<{ t: number; p: number } | null>(null);
  const [explainWhich, setExplainWhich] = useState<'predicted' | 'true'>('predicted');
  const sel = analysis && cellSel && cellSel.t < analysis.k && cellSel.p < analysis.k ? cellSel : null;

  const cellItems: GalleryItem[] = useMemo(() => {
    if (!analysis || !sel) return [];
    const r = analysis[rule];
    return Array.from(cellIndices(analysis.labels, r.decisions, analysis.probs, analysis.k, sel.t, sel.p), (index) => ({
      index,
      trueClass: sel.t,
      decision: sel.p,
      confidence: analysis.probs[index * analysis.k + sel.p] as number,
    }));
  }, [analysis, rule, sel]);

  const openImage = useCallback(
    async (item: GalleryItem) => {
      if (!modelId || !datasetId || !result || !analysis) return;
      const cls = explainClass(result.probs, result.k, result.labels, analysis.mapping.members, item.index, item.decision, explainWhich);
      const id = await openDatasetImage(datasetId, item.index);
      if (id) router.push(`/?model=${encodeURIComponent(modelId)}&class=${cls}`);
    },
    [modelId, datasetId, result, analysis, explainWhich, openDatasetImage, router],
  );

  const base = `${slug(modelName ?? modelId ?? 'model')}-${slug(datasetId ?? 'set')}`;

  return (
    <div className="flex flex-col gap-4" data-testid="evaluate.view">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-lg font-semibold">Evaluate</h1>
        <ModelPicker />
        {modelStatus === 'loading' && (
          <span role="status" className="text-sm text-slate-500">
            Loading model…
          </span>
        )}
      </div>
      <DatasetSource
        modelId={modelId}
        options={options}
        value={datasetId}
        onChange={(id) => {
          setChosen(id);
          setCellSel(null);
        }}
        onAdded={(id) => {
          setChosen(id);
          setCellSel(null);
        }}
      />

      {ev?.status === 'loading' && modelId && datasetId && (
        <div role="status" className="flex items-center gap-3 text-sm" data-testid="evaluate.progress">
          <span>Running the model over {datasetName}…</span>
          <progress value={ev.progress} max={1} className="w-64" aria-label="Evaluation progress" />
          <span className="tabular-nums">{Math.round(ev.progress * 100)} %</span>
          <Button onClick={() => cancelEvaluation(modelId, datasetId)} data-testid="evaluate.cancel">
            Cancel
          </Button>
        </div>
      )}
      {ev?.status === 'idle' && modelId && datasetId && (
        <div role="status" className="flex items-center gap-3 text-sm" data-testid="evaluate.cancelled">
          <span>Evaluation cancelled.</span>
          <Button onClick={() => void ensureEvaluation(modelId, datasetId)} data-testid="evaluate.run">
            Run it
          </Button>
        </div>
      )}
      {ev?.status === 'error' && modelId && datasetId && (
        <div role="alert" className="flex items-center gap-3 rounded border border-red-300 bg-red-50 p-2 text-sm text-red-800 dark:border-red-700 dark:bg-red-950 dark:text-red-200">
          <span>The evaluation failed: {ev.error}</span>
          <Button onClick={() => void ensureEvaluation(modelId, datasetId)}>Retry</Button>
        </div>
      )}
      {computed.error && (
        <p role="alert" data-testid="evaluate.analysis-error" className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-800 dark:border-red-700 dark:bg-red-950 dark:text-red-200">
          These settings cannot be used with this model: {computed.error}{' '}
          {labels && (
            <Button variant="danger" className="ml-2" onClick={() => patch(defaultCostSettings(labels.length))} data-testid="evaluate.reset-settings">
              Reset costs, priors and merges
            </Button>
          )}
        </p>
      )}
      {!datasetId && labels && (
        <p className="text-sm text-slate-600 dark:text-slate-300">No bundled evaluation set has this model’s classes. Bring your own labelled images above.</p>
      )}

      {report && datasetCount !== undefined && (
        <Panel title={`What was found in “${datasetName}”`}>
          <LabelledSetReportView report={report} count={datasetCount} />
        </Panel>
      )}

      {analysis && settings && labels && datasetId && result && (
        <>
          <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="evaluate.exports">
            <span className="text-slate-600 dark:text-slate-300">
              <span className="tabular-nums" data-testid="evaluate.n">
                {result.n}
              </span>{' '}
              images · {analysis.k} classes · evaluated in <span className="tabular-nums">{(result.ms / 1000).toFixed(1)}</span> s · export:
            </span>
            <Button onClick={() => downloadText(`${base}-per-class-${rule}.csv`, perClassCsv(analysis, rule), 'text/csv')} data-testid="evaluate.export.per-class">
              Per-class CSV
            </Button>
            <Button onClick={() => downloadText(`${base}-confusion-argmax.csv`, confusionCsv(analysis, 'argmax'), 'text/csv')} data-testid="evaluate.export.confusion-argmax">
              Confusion (argmax) CSV
            </Button>
            <Button
              onClick={() => downloadText(`${base}-confusion-cost-optimal.csv`, confusionCsv(analysis, 'costOptimal'), 'text/csv')}
              data-testid="evaluate.export.confusion-cost"
            >
              Confusion (min. cost) CSV
            </Button>
            <Button onClick={() => downloadText(`${base}-predictions.csv`, predictionsCsv(analysis), 'text/csv')} data-testid="evaluate.export.predictions">
              Predictions CSV
            </Button>
            <Button
              onClick={() =>
                downloadText(`${base}-evaluation.json`, analysisJson(analysis, { model: modelId ?? '', dataset: datasetId, settings }), 'application/json')
              }
              data-testid="evaluate.export.json"
            >
              Everything (JSON)
            </Button>
          </div>

          <div className="grid gap-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
            <Panel
              title={`Confusion matrix (${RULE_LABELS[rule]})`}
              testId="evaluate.confusion"
              actions={
                <div role="radiogroup" aria-label="Matrix values" className="flex gap-1">
                  {MODES.map((m) => (
                    <button
                      key={m.id}
                      type="button"
                      role="radio"
                      aria-checked={mode === m.id}
                      data-testid={`evaluate.matrix.mode.${m.id}`}
                      onClick={() => setMode(m.id)}
                      className={
                        mode === m.id
                          ? 'rounded bg-sky-600 px-2 py-0.5 text-xs text-white focus-visible:outline-2 focus-visible:outline-sky-500'
                          : 'rounded px-2 py-0.5 text-xs text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-slate-300 dark:hover:bg-slate-800'
                      }
                    >
                      {m.label}
                    </button>
                  ))}
                </div>
              }
            >
              <p className="mb-1 text-xs text-slate-500">
                Total <span className="tabular-nums font-semibold" data-testid="evaluate.matrix.total">{analysis[rule].confusion.n}</span> images. Click a cell
                to see its images.
              </p>
              <ConfusionGrid
                cm={analysis[rule].confusion}
                names={analysis.classNames}
                mode={mode}
                onCell={(t, p) => setCellSel({ t, p })}
                selected={sel}
                testId="evaluate.matrix"
              />
              {sel && (
                <div className="mt-3" data-testid="evaluate.cell">
                  <div className="mb-2 flex flex-wrap items-center gap-3 text-sm">
                    <h3 className="font-semibold">
                      True {analysis.classNames[sel.t]}, decided {analysis.classNames[sel.p]}:{' '}
                      <span className="tabular-nums" data-testid="evaluate.cell.count">
                        {cellItems.length}
                      </span>{' '}
                      image{cellItems.length === 1 ? '' : 's'}, most confident first
                    </h3>
                    <fieldset className="flex items-center gap-2 text-xs">
                      <legend className="sr-only">Class to explain when an image is opened</legend>
                      <span>Open in Explain with the</span>
                      {(['predicted', 'true'] as const).map((w) => (
                        <label key={w} className="flex items-center gap-1">
                          <input type="radio" name="evaluate-explain-which" checked={explainWhich === w} onChange={() => setExplainWhich(w)} />
                          {w} class
                        </label>
                      ))}
                    </fieldset>
                    <Button variant="ghost" className="ml-auto" onClick={() => setCellSel(null)}>
                      Close
                    </Button>
                  </div>
                  <ImageGallery
                    key={`${sel.t}.${sel.p}.${rule}.${datasetId}`}
                    datasetId={datasetId}
                    items={cellItems}
                    names={analysis.classNames}
                    onOpen={(it) => void openImage(it)}
                    testId="evaluate.gallery"
                    empty="No image in this cell."
                  />
                </div>
              )}
            </Panel>
            <PerClassTable result={analysis[rule]} names={analysis.classNames} rule={rule} />
          </div>

          <CostPanel
            labels={labels}
            matrix={settings.matrix}
            onMatrix={(matrix) => patch({ matrix })}
            analysis={analysis}
            rule={rule}
            datasetId={datasetId}
            onOpen={(it) => void openImage(it)}
          />
          <DecisionRulePanel analysis={analysis} rule={rule} onRule={setRule} />
          <div className="grid gap-4 lg:grid-cols-3">
            <PriorsPanel labels={labels} priors={settings.priors} setLabels={result.labels} onPriors={(priors) => patch({ priors })} />
            <MergePanel labels={labels} merges={settings.merges} onMerges={(merges) => patch({ merges })} />
            <CalibrationPanel cal={analysis.calibration} />
          </div>
        </>
      )}
      {computed.error && settings && labels && (
        <div className="grid gap-4 lg:grid-cols-2">
          <PriorsPanel labels={labels} priors={settings.priors} setLabels={result?.labels ?? new Int32Array(0)} onPriors={(priors) => patch({ priors })} />
          <MergePanel labels={labels} merges={settings.merges} onMerges={(merges) => patch({ merges })} />
        </div>
      )}
    </div>
  );
}
