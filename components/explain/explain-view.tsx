'use client';

import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { ModelPicker } from '@/components/models/model-picker';
import { ImageStrip } from '@/components/images/image-strip';
import { ModelInputPreview } from '@/components/images/model-input-preview';
import { TopK } from '@/components/predictions/top-k';
import { ClassSearch } from '@/components/predictions/class-search';
import { Panel } from '@/components/ui/panel';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { compatibleMethods, getMethodMeta, isSigned } from '@/lib/explain/catalog';
import type { MethodId } from '@/lib/explain/types';
import { resolveParams, type ParamValue } from '@/lib/explain-view/params';
import { argmax, explainJob, jobsForMethods } from '@/lib/explain-view/request';
import { predictionKey } from '@/lib/store/dashboard-store';
import { lruGet } from '@/lib/explain-view/result-cache';
import { mapStats } from '@/lib/explain-view/stats';
import { setExplainProbe, type ExplainProbe } from '@/lib/explain-view/test-bridge';
import type { ExplainTab } from '@/lib/explain-view/url-state';
import { ExplainViewProvider, useExplainView, useExplainViewApi } from './view-context';
import { useExplainRun, useJob, useModelInput, usePrediction } from './use-explain';
import { useUrlSync } from './use-url-sync';
import { MethodHelp, MethodPicker } from './method-picker';
import { MethodControls } from './method-controls';
import { LookControls } from './look-controls';
import { OverlayView } from './overlay-view';
import { RunStatusBar } from './progress';
import { DecisionPanel, decisionSentences, useDecisionFacts } from './decision-panel';
import { MethodsGrid } from './methods-grid';
import { BatchView } from './batch-view';
import { Presentation } from './presentation';
import { download, jsonBlob, npyBlob, overlayPng, slug, summaryPng } from './export';

const EMPTY: Record<string, ParamValue> = {};
const TABS: { id: ExplainTab; label: string }[] = [
  { id: 'single', label: 'Explain' },
  { id: 'grid', label: 'All methods' },
  { id: 'batch', label: 'Batch' },
];

export function ExplainView() {
  return (
    <ExplainViewProvider>
      <ExplainViewInner />
    </ExplainViewProvider>
  );
}

function ExplainViewInner() {
  const hydrated = useUrlSync();
  const view = useExplainViewApi();
  const modelId = useDashboard((s) => s.selectedModelId);
  const imageId = useDashboard((s) => s.selectedImageId);
  const image = useDashboard((s) => s.images.find((i) => i.id === s.selectedImageId));
  const images = useDashboard((s) => s.images);
  const info = useDashboard((s) => (modelId ? s.models[modelId]?.info : undefined));
  const manifestEntry = useDashboard((s) => (modelId ? s.models[modelId]?.manifest : undefined));
  const datasetId = info?.datasetId ?? manifestEntry?.datasetId;
  const modelStatus = useDashboard((s) => (modelId ? s.models[modelId]?.status : undefined));
  const backend = useDashboard((s) => s.backend?.backend);
  const resize = useDashboard((s) => s.resize);
  const predictions = useDashboard((s) => s.predictions);

  const methodId = useExplainView((s) => s.method);
  const rawParams = useExplainView((s) => s.params[s.method] ?? EMPTY);
  const allParams = useExplainView((s) => s.params);
  const chosenTarget = useExplainView((s) => s.target);
  const tab = useExplainView((s) => s.tab);
  const look = useExplainView((s) => s.look);
  const sideBySide = useExplainView((s) => s.sideBySide);
  const showModelInput = useExplainView((s) => s.showModelInput);
  const presenting = useExplainView((s) => s.presenting);
  const results = useExplainView((s) => s.results);
  const runs = useExplainView((s) => s.runs);

  const methods = useMemo(() => (info ? compatibleMethods(info) : []), [info]);
  const method = getMethodMeta(methodId);
  const { probs, top } = usePrediction(modelId, imageId);
  const target = chosenTarget !== null && info && chosenTarget < info.numClasses ? chosenTarget : top;
  const ctx = useMemo(() => (info ? { numClasses: info.numClasses, spatialLayers: info.spatialLayers } : { numClasses: 0, spatialLayers: [] }), [info]);
  const params = useMemo(() => resolveParams(method, rawParams, ctx), [method, rawParams, ctx]);
  const input = useModelInput(modelId, imageId);
  const job = useJob(modelId, imageId, methodId, target);
  const main = useExplainRun('explain:main', 'main', job, tab === 'single' && hydrated);
  const label = (k: number | null) => (k === null ? '…' : (info?.labels[k] ?? `class ${k}`));
  const facts = useDecisionFacts(modelId, target, probs);

  // An incompatible method (e.g. a CAM method on a model without conv layers) falls back to the first one.
  useEffect(() => {
    if (info && methods.length && !methods.some((m) => m.id === methodId)) view.getState().setMethod(methods[0]!.id);
  }, [info, methods, methodId, view]);

  // A different image: explain its own top class again.
  const prevImage = useRef<string | null>(null);
  useEffect(() => {
    if (hydrated && prevImage.current !== null && prevImage.current !== imageId) view.getState().setTarget(null);
    prevImage.current = imageId;
  }, [imageId, hydrated, view]);

  const setMethod = useCallback((m: MethodId) => view.getState().setMethod(m), [view]);
  const signed = isSigned(method, params);

  // The test-only probe (numbers, not pixels).
  const probeRef = useRef<(() => ExplainProbe) | null>(null);
  const probe = (): ExplainProbe => {
    const tiles = (list: { key: string; method: string; target: number | null; runKey: string }[]) =>
      list.map((t) => {
        const a = lruGet(results, t.key);
        const r = runs[t.runKey];
        return { method: t.method, target: a?.target ?? t.target, status: a ? 'done' : r && r.key === t.key ? r.status : 'queued', stats: a ? mapStats(a.values) : null, totalMs: a?.timings.totalMs ?? null };
      });
    const grid =
      info && modelId && imageId && target !== null
        ? jobsForMethods({ methods, rawParams: allParams, ctx, modelId, imageId, target, resize }).map((t) => ({ key: t.job.key, method: t.method.id, target, runKey: `grid:${t.method.id}` }))
        : [];
    const batchRuns = images.flatMap((im) => {
      const pr = modelId ? predictions[predictionKey(modelId, im.id, resize)]?.prediction?.probs : undefined;
      if (!pr || !modelId) return [];
      const t = argmax(pr);
      const job = explainJob({ modelId, imageId: im.id, method, params, target: t, resize });
      return [{ key: job.key, method: methodId, target: t, runKey: `batch:${im.id}` }];
    });
    return {
      modelId,
      imageId,
      method: methodId,
      target,
      status: main.result ? 'done' : (main.run?.status ?? 'idle'),
      progress: main.run?.progress ?? (main.result ? 1 : 0),
      error: main.run?.error ?? null,
      stats: main.result ? mapStats(main.result.values) : null,
      resultMethod: main.result?.method ?? null,
      resultTarget: main.result?.target ?? null,
      totalMs: main.result?.timings.totalMs ?? null,
      config: main.result?.config ? JSON.parse(JSON.stringify(main.result.config, (_k, v: unknown) => (ArrayBuffer.isView(v) ? '[array]' : v))) : null,
      tab,
      grid: tiles(grid),
      batch: tiles(batchRuns),
    };
  };
  useEffect(() => {
    probeRef.current = probe;
  });
  useEffect(() => {
    if (process.env.NEXT_PUBLIC_TEST_HOOKS !== '1') return;
    setExplainProbe(() => (probeRef.current as () => ExplainProbe)());
    return () => setExplainProbe(null);
  }, []);

  const exportBase = `${slug(modelId ?? 'model')}-${slug(image?.name ?? 'image')}-${methodId}-class${target ?? 'x'}`;
  const onExport = async (kind: 'png' | 'npy' | 'json' | 'summary') => {
    const a = main.result;
    if (!a || !input || !info || !image) return;
    try {
      if (kind === 'png') download(await overlayPng(input, a, look), `${exportBase}.png`);
      else if (kind === 'npy') download(npyBlob(a), `${exportBase}.npy`);
      else if (kind === 'json') download(jsonBlob(a, { modelId, image: image.name, sample: image.sample ?? null, label: label(a.target) }), `${exportBase}.json`);
      else {
        const others = jobsForMethods({ methods, rawParams: allParams, ctx, modelId: modelId as string, imageId: image.id, target: a.target, resize })
          .map((t) => ({ t, r: lruGet(results, t.job.key) }))
          .filter((x) => x.r && x.t.method.id !== methodId);
        const order = probs ? Array.from(probs, (p, k) => ({ p, k })).sort((x, y) => y.p - x.p).slice(0, 5) : [];
        const card = [
          `Model: ${info.name}${manifestEntry ? ` (version ${manifestEntry.version})` : ''} · ${info.format} · ${info.paramCount.toLocaleString('en')} parameters · input ${info.inputShape.join('×')}`,
          ...(info.provenance ? [`Provenance: ${info.provenance}`] : []),
        ];
        const blob = await summaryPng({
          title: `Why “${label(a.target)}”? — ${image.name}`,
          subtitle: `${info.name} · explained with ${method.label} · backend ${backend ?? '?'} · ${new Date().toISOString().slice(0, 10)}`,
          imageUrl: image.url,
          input,
          main: a,
          mainTitle: `${method.label} (${a.timings.totalMs.toFixed(0)} ms)`,
          predictions: order.map(({ p, k }) => ({ label: label(k), p, chosen: k === a.target })),
          facts: [...decisionSentences(label, a.target, facts.set, facts.cost, facts.datasetName), ...card],
          tiles: others.map(({ t, r }) => ({ title: t.method.label, caption: t.method.description, attribution: r! })),
          look,
          footer: 'Made in the browser with the Why dashboard; nothing was uploaded. Colours are scaled per map: compare shapes, not brightness.',
        });
        download(blob, `${exportBase}-summary.png`);
      }
    } catch (e) {
      view.getState().setRun('main', { key: job?.key ?? '', status: 'error', progress: 0, error: `Export failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  };

  const runStatus = main.run?.status === 'running' ? `Computing… ${Math.round((main.run.progress ?? 0) * 100)}%` : main.run?.status === 'error' ? (main.run.error ?? 'failed') : '';

  if (presenting && image) {
    return (
      <div data-testid="explain.view">
        <Presentation
          input={input}
          attribution={main.result}
          look={look}
          method={method}
          targetLabel={label(target)}
          probability={probs && target !== null ? (probs[target] ?? null) : null}
          isTop={target === top}
          status={runStatus}
          onExit={() => view.getState().set({ presenting: false })}
        />
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-4" data-testid="explain.view">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-lg font-semibold">Explain</h1>
        <ModelPicker />
        {modelStatus === 'loading' && (
          <span role="status" className="text-sm text-slate-500">
            Loading model…
          </span>
        )}
        <div className="ml-auto flex items-center gap-2">
          <Button onClick={() => view.getState().set({ presenting: true })} disabled={!image} data-testid="explain.present">
            Present
          </Button>
        </div>
      </div>
      <ImageStrip sampleDatasetId={datasetId} />
      <div role="tablist" aria-label="Explain views" className="flex gap-1 border-b border-slate-200 dark:border-slate-700">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`explain-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`explain-panel-${t.id}`}
            data-testid={`explain.tab.${t.id}`}
            onClick={() => view.getState().setTab(t.id)}
            className={cn(
              '-mb-px rounded-t-md border-b-2 px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-sky-500',
              tab === t.id ? 'border-sky-600 text-sky-700 dark:text-sky-300' : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100',
            )}
          >
            {t.label}
          </button>
        ))}
      </div>

      {!image || !modelId ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Add an image (or samples from the bundled test set) to see what the model decides and why.</p>
      ) : (
        <div role="tabpanel" id={`explain-panel-${tab}`} aria-labelledby={`explain-tab-${tab}`} className="flex flex-col gap-4">
          <div className="flex flex-col gap-2">
            <MethodPicker methods={methods} value={methodId} onChange={setMethod} />
            <MethodHelp method={method} />
          </div>
          {tab === 'single' && (
            <div className="grid gap-4 lg:grid-cols-[minmax(0,1.5fr)_minmax(0,1fr)]">
              <Panel title={`Why “${label(target)}”? — ${method.label}`} testId="explain.main">
                <div className="flex flex-col gap-3">
                  <RunStatusBar run={main.run} onCancel={main.cancel} onRetry={main.start} label={method.label} />
                  <div className="flex flex-wrap items-start gap-4">
                    <OverlayView imageUrl={image.url} imageName={image.name} input={input} attribution={main.result} look={look} sideBySide={sideBySide} size={384} label={`${method.label} for ${label(target)}`} />
                    {showModelInput && (
                      <div data-testid="explain.model-input">
                        <p className="mb-1 text-xs font-medium text-slate-600 dark:text-slate-400">What the model sees</p>
                        <ModelInputPreview modelId={modelId} imageId={imageId} />
                      </div>
                    )}
                  </div>
                  <p className="text-xs tabular-nums text-slate-600 dark:text-slate-400" data-testid="explain.image-caption">
                    {image.name} · {image.width}×{image.height} · {image.format}
                  </p>
                  {main.result && (
                    <p className="text-xs tabular-nums text-slate-600 dark:text-slate-400" data-testid="explain.timing">
                      {main.result.timings.totalMs.toFixed(0)} ms · {main.result.timings.forwardPasses} model calls · {main.result.scoreKind} of {label(main.result.target)} · {backend ?? ''}
                    </p>
                  )}
                  <LookControls
                    look={look}
                    onLook={(p) => view.getState().setLook(p)}
                    sideBySide={sideBySide}
                    onSideBySide={(v) => view.getState().set({ sideBySide: v })}
                    showModelInput={showModelInput}
                    onShowModelInput={(v) => view.getState().set({ showModelInput: v })}
                    signed={signed}
                  />
                  <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Export">
                    <span className="text-sm text-slate-600 dark:text-slate-400">Export</span>
                    <Button disabled={!main.result} onClick={() => void onExport('png')} data-testid="explain.export.png">
                      Overlay PNG
                    </Button>
                    <Button disabled={!main.result} onClick={() => void onExport('npy')} data-testid="explain.export.npy">
                      Values .npy
                    </Button>
                    <Button disabled={!main.result} onClick={() => void onExport('json')} data-testid="explain.export.json">
                      Values JSON
                    </Button>
                    <Button disabled={!main.result} onClick={() => void onExport('summary')} data-testid="explain.export.summary">
                      Summary PNG
                    </Button>
                  </div>
                </div>
              </Panel>
              <div className="flex flex-col gap-4">
                <Panel title="Predictions">
                  <div className="flex flex-col gap-3">
                    <TopK modelId={modelId} imageId={imageId} selectedClass={target} onSelectClass={(k) => view.getState().setTarget(k)} testId="predictions" />
                    {info && <ClassSearch labels={info.labels} value={target} onSelect={(k) => view.getState().setTarget(k)} />}
                  </div>
                </Panel>
                <Panel title="What the evaluation set says about this decision">
                  <DecisionPanel modelId={modelId} decision={target} posterior={probs} />
                </Panel>
                <Panel title={`Parameters — ${method.label}`}>
                  <MethodControls
                    method={method}
                    values={params}
                    onChange={(name, v) => view.getState().setParam(methodId, name, v)}
                    onReset={() => view.getState().resetParams(methodId)}
                    layers={info?.spatialLayers ?? []}
                    labels={info?.labels ?? []}
                    images={images}
                  />
                </Panel>
              </div>
            </div>
          )}
          {tab === 'grid' && target !== null && (
            <MethodsGrid modelId={modelId} imageId={image.id} target={target} methods={methods} input={input} look={look} targetLabel={label(target)} />
          )}
          {tab === 'batch' && <BatchView modelId={modelId} method={method} look={look} />}
        </div>
      )}
    </div>
  );
}
