'use client';

import { useMemo } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import type { Attribution, ImageInput } from '@/lib/explain';
import { jobsForMethods, type RunState } from '@/lib/explain-view';
import type { LookSettings } from '@/lib/render';
import { AttributionImage } from '@/components/ui/attribution-canvas';
import { Panel } from '@/components/ui/panel';
import { useExplainView } from '../view-context';
import { RunStatusBar } from '../progress';
import { ColourBar } from '../colour-bar';
import type { ExplainSelection } from '../use-explain-selection';
import { FaithfulnessPanel } from './faithfulness-panel';
import { FaithfulnessSetPanel, type SetMethod } from './faithfulness-set-panel';
import { SanityPanel } from './sanity-panel';
import { AttackPanel } from './attack-panel';
import { RobustnessSetPanel } from './robustness-set-panel';
import { ActivationsPanel } from './activations-panel';
import { FoolingPanel } from './fooling-panel';
import { FeatureVisPanel } from './feature-vis-panel';

/** The Trust tab: can the current map, and the model, be believed? */
export function TrustView({
  sel,
  main,
  jobKey,
  input,
  look,
  datasetId,
}: {
  sel: ExplainSelection;
  main: { result: Attribution | undefined; run: RunState | undefined; start: () => void; cancel: () => void };
  jobKey: string | null;
  input: ImageInput | undefined;
  look: LookSettings;
  datasetId: string | undefined;
}) {
  const { modelId, imageId, method, target, label, info, choices } = sel;
  const rawParams = useExplainView((s) => s.params);
  const resize = useDashboard((s) => s.resize);
  const setMethods: SetMethod[] = useMemo(() => {
    if (!info || !modelId || !imageId) return [];
    const runnable = choices.filter((c) => c.runnable).map((c) => c.meta);
    const ctx = { numClasses: info.numClasses, spatialLayers: info.spatialLayers };
    return jobsForMethods({ methods: runnable, rawParams, ctx, modelId, imageId, target: 0, resize }).map((t) => ({
      id: t.method.id,
      label: t.method.label,
      config: t.job.request.config,
    }));
  }, [info, modelId, imageId, choices, rawParams, resize]);
  const config = setMethods.find((m) => m.id === method.id)?.config ?? {};
  if (!modelId || !imageId || target === null) return null;
  /** What the checks of the current map share. */
  const checked = { modelId, imageId, attribution: main.result, method, config, input, look };
  const visLayers = (info?.spatialLayers ?? []).map((name) => {
    const shape = info?.layers.find((l) => l.name === name)?.outputShape;
    return { name, channels: shape?.[shape.length - 1] ?? undefined };
  });
  return (
    <div className="flex flex-col gap-4" data-testid="trust.view">
      <Panel title={`The map being checked — ${method.label} for “${label(target)}”`}>
        <div className="flex flex-col gap-2">
          <RunStatusBar run={main.run} onCancel={main.cancel} onRetry={main.start} label={method.label} />
          <AttributionImage
            image={input}
            attribution={main.result}
            look={look}
            size={168}
            label={`${method.label} for ${label(target)}`}
          />
          {main.result && <ColourBar attribution={main.result} look={look} size="sm" className="w-[168px]" />}
        </div>
      </Panel>
      <FaithfulnessPanel
        modelId={modelId}
        imageId={imageId}
        jobKey={jobKey}
        attribution={main.result}
        methodLabel={method.label}
      />
      <SanityPanel {...checked} jobKey={jobKey} />
      <AttackPanel {...checked} labels={info?.labels ?? []} />
      <FaithfulnessSetPanel modelId={modelId} datasetId={datasetId} methods={setMethods} />
      <RobustnessSetPanel modelId={modelId} datasetId={datasetId} labels={info?.labels ?? []} />
      <FoolingPanel modelId={modelId} labels={info?.labels ?? []} look={look} />
      <FeatureVisPanel modelId={modelId} layers={visLayers} look={look} />
      <ActivationsPanel
        modelId={modelId}
        imageId={imageId}
        layers={info?.spatialLayers ?? []}
        datasetId={datasetId}
        base={main.result}
        input={input}
        look={look}
      />
    </div>
  );
}
