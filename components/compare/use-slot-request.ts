'use client';

import { useMemo } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { findMethod, sharedConfig } from '@/lib/compare';
import type { ExplainRequest } from '@/lib/runtime';
import type { Slot, SlotRequestJob } from '@/lib/store';
import { useCompare } from './compare-context';
import { useSlotRefusal } from './use-slot-state';

/** A slot's request and its stable identity (what a stored result must match to be shown). */
export type SlotRequest = SlotRequestJob;

/** The explanation request for a slot, or null while something it needs is missing (or the method cannot run). */
export function useSlotRequest(slot: Slot, target: number | null): SlotRequest | null {
  const modelId = useCompare((s) => s.slots[slot].modelId);
  const methodId = useCompare((s) => s.method);
  const rawConfig = useCompare((s) => s.config);
  const imageId = useDashboard((s) => s.selectedImageId);
  const resize = useDashboard((s) => s.resize);
  const ready = useDashboard((s) => (modelId ? s.models[modelId]?.status === 'ready' : false));
  const refused = useSlotRefusal(slot) !== null;
  return useMemo(() => {
    const method = findMethod(methodId);
    if (!modelId || !imageId || !method || target === null || !ready || refused) return null;
    const config = sharedConfig(method, rawConfig);
    const req: ExplainRequest = { modelId, imageId, method: method.id, target, config, resize: resize ?? undefined };
    return { key: JSON.stringify([modelId, imageId, method.id, target, config, resize]), req };
  }, [modelId, methodId, rawConfig, imageId, resize, ready, target, refused]);
}
