'use client';

import { useDashboard } from '@/components/providers/dashboard-provider';
import { TopK } from '@/components/predictions/top-k';
import { ClassSearch } from '@/components/predictions/class-search';
import { Panel } from '@/components/ui/panel';
import { useExplainViewApi } from './view-context';
import { DecisionPanel } from './decision-panel';
import { MethodControls } from './method-controls';
import { RunEstimate } from './run-estimate';
import type { ExplainSelection } from './use-explain-selection';

/** Beside the main explanation: the predictions (pick the class), what the set says, the parameters. */
export function SidePanels({ sel }: { sel: ExplainSelection }) {
  const view = useExplainViewApi();
  const images = useDashboard((s) => s.images);
  const { modelId, imageId, info, target, probs, method, methodId, params } = sel;
  return (
    <div className="flex flex-col gap-4">
      <Panel title="Predictions">
        <div className="flex flex-col gap-3">
          <TopK
            modelId={modelId}
            imageId={imageId}
            selectedClass={target}
            onSelectClass={(k) => view.getState().setTarget(k)}
            testId="predictions"
          />
          {info && <ClassSearch labels={info.labels} value={target} onSelect={(k) => view.getState().setTarget(k)} />}
        </div>
      </Panel>
      <Panel title="What the evaluation set says about this decision">
        <DecisionPanel modelId={modelId} decision={target} posterior={probs} />
      </Panel>
      <Panel title={`Parameters — ${method.label}`}>
        <RunEstimate
          modelId={modelId}
          method={method}
          params={params}
          inputShape={info?.inputShape}
          onParam={(name, v) => view.getState().setParam(methodId, name, v)}
        />
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
  );
}
