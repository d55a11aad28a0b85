'use client';

import { useDashboard } from '@/components/providers/dashboard-provider';
import { ModelInputPreview } from '@/components/images/model-input-preview';
import { Panel } from '@/components/ui/panel';
import { Button } from '@/components/ui/button';
import type { Attribution, ImageInput } from '@/lib/explain';
import type { RunState } from '@/lib/explain-view';
import { useExplainView, useExplainViewApi } from './view-context';
import { LookControls } from './look-controls';
import { OverlayView } from './overlay-view';
import { GroundTruthLine } from './ground-truth';
import { RunStatusBar } from './progress';
import { IgCompleteness } from './ig-completeness';
import type { ExplainSelection } from './use-explain-selection';
import type { ExportKind } from './use-explain-export';
import { ms } from '@/lib/format';

const EXPORTS: { kind: ExportKind; label: string }[] = [
  { kind: 'png', label: 'Overlay PNG' },
  { kind: 'npy', label: 'Values .npy' },
  { kind: 'json', label: 'Values JSON' },
  { kind: 'summary', label: 'Summary PNG' },
  { kind: 'pdf', label: 'Report PDF' },
];

/** The main explanation: overlay, caption, timing, look and exports. */
export function MainPanel({
  sel,
  main,
  input,
  onExport,
}: {
  sel: ExplainSelection;
  main: { result: Attribution | undefined; run: RunState | undefined; start: () => void; cancel: () => void };
  input: ImageInput | undefined;
  onExport: (kind: ExportKind) => Promise<void>;
}) {
  const view = useExplainViewApi();
  const backend = useDashboard((s) => s.backend?.backend);
  const look = useExplainView((s) => s.look);
  const sideBySide = useExplainView((s) => s.sideBySide);
  const showModelInput = useExplainView((s) => s.showModelInput);
  const classes = useDashboard((s) => (sel.modelId ? s.models[sel.modelId]?.info?.labels : undefined));
  const { image, method, target, label, modelId, imageId } = sel;
  if (!image || !modelId) return null;
  return (
    <Panel title={`Why “${label(target)}”? — ${method.label}`} testId="explain.main">
      <div className="flex flex-col gap-3">
        <RunStatusBar run={main.run} onCancel={main.cancel} onRetry={main.start} label={method.label} />
        <div className="flex flex-wrap items-start gap-4">
          <OverlayView
            imageUrl={image.url}
            imageName={image.name}
            input={input}
            attribution={main.result}
            look={look}
            sideBySide={sideBySide}
            size={384}
            label={`${method.label} for ${label(target)}`}
          />
          {showModelInput && (
            <div data-testid="explain.model-input">
              <p className="mb-1 text-xs font-medium text-fg-muted">What the model sees</p>
              <ModelInputPreview modelId={modelId} imageId={imageId} />
            </div>
          )}
        </div>
        <p className="text-xs text-fg-muted tabular-nums" data-testid="explain.image-caption">
          {image.name} · {image.width}×{image.height} · {image.format}
        </p>
        <GroundTruthLine
          trueLabel={image.trueLabel}
          predicted={sel.top !== null ? label(sel.top) : null}
          classes={classes}
          className="text-sm"
          testId="explain.truth"
        />
        {main.result && (
          <p className="text-xs text-fg-muted tabular-nums" data-testid="explain.timing">
            {ms(main.result.timings.totalMs)} · {main.result.timings.forwardPasses} model calls ·{' '}
            {main.result.scoreKind} of {label(main.result.target)} · {backend ?? ''}
          </p>
        )}
        <IgCompleteness
          result={main.result}
          onSteps={(n) => {
            // More steps, and none of the time limit that stopped the last run (set by the budget or by hand).
            if (typeof main.result?.config.timeLimit === 'number')
              view.getState().setParam(sel.methodId, 'timeLimit', 0);
            view.getState().setParam(sel.methodId, 'steps', n);
          }}
        />
        <LookControls
          look={look}
          onLook={(p) => view.getState().setLook(p)}
          sideBySide={sideBySide}
          onSideBySide={(v) => view.getState().set({ sideBySide: v })}
          showModelInput={showModelInput}
          onShowModelInput={(v) => view.getState().set({ showModelInput: v })}
          signed={sel.signed}
        />
        <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Export">
          <span className="text-sm text-fg-muted">Export</span>
          {EXPORTS.map((e) => (
            <Button
              key={e.kind}
              disabled={!main.result}
              onClick={() => void onExport(e.kind)}
              data-testid={`explain.export.${e.kind}`}
            >
              {e.label}
            </Button>
          ))}
        </div>
      </div>
    </Panel>
  );
}
