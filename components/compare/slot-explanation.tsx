'use client';

import { useEffect, type ReactNode } from 'react';
import { useDashboard, useExplainService } from '@/components/providers/dashboard-provider';
import { AttributionImage } from '@/components/ui/attribution-canvas';
import { ColourBar } from '@/components/explain/colour-bar';
import { DEFAULT_LOOK } from '@/lib/render';
import { type Slot, runSlotExplanation } from '@/lib/store';
import { useCompare, useCompareApi } from './compare-context';
import { useSlotRequest } from './use-slot-request';
import { useSlotBlock } from './use-slot-state';

export const MAP_SIZE = 200;

/** Where a map will be: a grey MAP_SIZE square with a message (waiting, progress, error). */
export function MapPlaceholder({ children }: { children: ReactNode }) {
  return (
    <div
      className="flex items-center justify-center rounded bg-muted p-3 text-center text-xs text-fg-subtle"
      style={{ width: MAP_SIZE, height: MAP_SIZE }}
    >
      {children}
    </div>
  );
}

/**
 * One model's explanation of the selected image (runs it through the service as `compare:<slot>`); when it
 * cannot have one, why (model not loaded, method refused, no such class, run failed).
 */
export function SlotExplanation({
  slot,
  target,
  targetA,
}: {
  slot: Slot;
  target: number | null;
  targetA: number | null;
}) {
  const service = useExplainService();
  const store = useCompareApi();
  const request = useSlotRequest(slot, target);
  const explanation = useCompare((s) => s.slots[slot].explanation);
  const modelId = useCompare((s) => s.slots[slot].modelId);
  const info = useDashboard((s) => (modelId ? s.models[modelId]?.info : undefined));
  const viewKey = `compare:${slot}`;
  const block = useSlotBlock(slot, target, targetA);

  useEffect(() => {
    if (request) void runSlotExplanation(service, store, slot, request);
  }, [request, service, slot, store]);

  useEffect(() => () => service().cancel(viewKey), [service, viewKey]);

  const current = request !== null && explanation.key === request.key;
  const attribution = current ? explanation.attribution : undefined;
  const input = current ? explanation.input : undefined;
  const shown = attribution !== undefined && input !== undefined;
  const label = `${slot.toUpperCase()}: ${info?.name ?? ''}`;

  return (
    <figure className="flex flex-col gap-1" data-testid={`compare.map.${slot}.panel`}>
      <figcaption className="text-xs font-medium text-fg-muted">
        {slot.toUpperCase()}
        {info ? ` · ${info.inputShape[0]}×${info.inputShape[1]}` : ''}
      </figcaption>
      <div style={{ width: MAP_SIZE, minHeight: MAP_SIZE }} className="relative">
        {shown && (
          <AttributionImage
            image={input}
            attribution={attribution}
            look={DEFAULT_LOOK}
            size={MAP_SIZE}
            label={`Explanation of ${label}`}
            testId={`compare.map.${slot}`}
          />
        )}
        {!shown && (
          <MapPlaceholder>
            {block ? (
              <span role="status" data-testid={`compare.map.${slot}.blocked`}>
                {block}
              </span>
            ) : current && explanation.status === 'loading' ? (
              <span role="status" data-testid={`compare.map.${slot}.progress`}>
                Explaining… {Math.round(explanation.progress * 100)}%
              </span>
            ) : (
              <span>{target === null ? 'No class to explain yet.' : 'Choose an image.'}</span>
            )}
          </MapPlaceholder>
        )}
      </div>
      {attribution && shown && (
        <ColourBar attribution={attribution} look={DEFAULT_LOOK} size="sm" className="w-[200px] max-w-full" />
      )}
      {attribution && (
        <span className="text-xs text-fg-subtle tabular-nums" data-testid={`compare.map.${slot}.info`}>
          {attribution.signed ? 'signed' : 'magnitude'} · {Math.round(attribution.timings.totalMs)} ms
        </span>
      )}
    </figure>
  );
}
