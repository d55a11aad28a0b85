'use client';

import { useCallback } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { ViewHeader } from '@/components/layout/view-header';
import { ImageStrip } from '@/components/images/image-strip';
import { Button } from '@/components/ui/button';
import { Tabs, tabPanelProps } from '@/components/ui/tabs';
import type { MethodId } from '@/lib/explain';
import type { ExplainTab } from '@/lib/explain-view';
import { withProvider } from '@/components/providers/store-context';
import { ExplainViewProvider, useExplainView, useExplainViewApi } from './view-context';
import { useExplainRun, useJob, useModelInput } from './use-explain';
import { useUrlSync } from './use-url-sync';
import { useExplainSelection } from './use-explain-selection';
import { useExplainProbe } from './use-explain-probe';
import { useExplainExport } from './use-explain-export';
import { MethodHelp, MethodPicker } from './method-picker';
import { MainPanel } from './main-panel';
import { SidePanels } from './side-panels';
import { MethodsGrid } from './methods-grid';
import { BatchView } from './batch-view';
import { Presentation } from './presentation';
import { OodNotice } from './ood-notice';
import { TrustView } from './trust/trust-view';

const TABS: { value: ExplainTab; label: string; testId: string }[] = [
  { value: 'single', label: 'Explain', testId: 'explain.tab.single' },
  { value: 'grid', label: 'All methods', testId: 'explain.tab.grid' },
  { value: 'batch', label: 'Batch', testId: 'explain.tab.batch' },
  { value: 'trust', label: 'Trust', testId: 'explain.tab.trust' },
];

export const ExplainView = withProvider(ExplainViewProvider, ExplainViewInner);

function ExplainViewInner() {
  const hydrated = useUrlSync();
  const view = useExplainViewApi();
  const sel = useExplainSelection(hydrated);
  const { modelId, imageId, image, info, methods, methodId, method, target, label, probs, top } = sel;
  const modelStatus = useDashboard((s) => (modelId ? s.models[modelId]?.status : undefined));
  const datasetId = useDashboard((s) =>
    modelId ? (info?.datasetId ?? s.models[modelId]?.manifest?.datasetId) : undefined,
  );
  const tab = useExplainView((s) => s.tab);
  const look = useExplainView((s) => s.look);
  const presenting = useExplainView((s) => s.presenting);

  const input = useModelInput(modelId, imageId);
  const job = useJob(modelId, imageId, methodId, target);
  const main = useExplainRun(
    'explain:main',
    'main',
    job,
    (tab === 'single' || tab === 'trust') && hydrated && sel.canRun,
  );
  useExplainProbe(sel, main);
  const onExport = useExplainExport(sel, main, input, job?.key ?? null);
  const setMethod = useCallback((m: MethodId) => view.getState().setMethod(m), [view]);

  if (presenting && image) {
    const runStatus =
      main.run?.status === 'running'
        ? `Computing… ${Math.round((main.run.progress ?? 0) * 100)}%`
        : main.run?.status === 'error'
          ? (main.run.error ?? 'failed')
          : '';
    return (
      <div data-testid="explain.view">
        <Presentation
          input={input}
          attribution={main.result}
          look={look}
          method={method}
          targetLabel={label(target)}
          topLabel={top !== null ? label(top) : null}
          probability={probs && target !== null ? (probs[target] ?? null) : null}
          isTop={target === top}
          status={runStatus}
          notice={<OodNotice modelId={modelId} imageId={image.id} presenting />}
          onExit={() => view.getState().set({ presenting: false })}
        />
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-4" data-testid="explain.view">
      <ViewHeader title="Explain" loading={modelStatus === 'loading'}>
        <Button
          onClick={() => view.getState().set({ presenting: true })}
          disabled={!image}
          data-testid="explain.present"
        >
          Present
        </Button>
      </ViewHeader>
      <ImageStrip sampleDatasetId={datasetId} intro />
      <Tabs
        label="Explain views"
        idPrefix="explain"
        value={tab}
        onChange={(t) => view.getState().setTab(t)}
        items={TABS}
      />

      {!image || !modelId ? (
        <p {...tabPanelProps('explain', tab)} className="text-sm text-fg-muted">
          Add an image (or samples from the bundled test set) to see what the model decides and why.
        </p>
      ) : (
        <div {...tabPanelProps('explain', tab)} className="flex flex-col gap-4">
          {tab !== 'batch' && <OodNotice modelId={modelId} imageId={image.id} />}
          <div className="flex flex-col gap-2">
            <MethodPicker choices={sel.choices} value={methodId} onChange={setMethod} />
            <MethodHelp method={method} />
          </div>
          {tab === 'single' && (
            <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1.5fr)_minmax(0,1fr)]">
              <MainPanel sel={sel} main={main} input={input} onExport={onExport} />
              <SidePanels sel={sel} />
            </div>
          )}
          {tab === 'grid' && target !== null && (
            <MethodsGrid
              modelId={modelId}
              imageId={image.id}
              target={target}
              methods={methods}
              choices={sel.probing ? null : sel.choices}
              input={input}
              look={look}
              targetLabel={label(target)}
            />
          )}
          {tab === 'batch' && <BatchView modelId={modelId} method={method} look={look} />}
          {tab === 'trust' && (
            <TrustView
              sel={sel}
              main={main}
              jobKey={job?.key ?? null}
              input={input}
              look={look}
              datasetId={datasetId}
            />
          )}
        </div>
      )}
    </div>
  );
}
