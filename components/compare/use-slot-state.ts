'use client';

import { useDashboard } from '@/components/providers/dashboard-provider';
import { classInB, findMethod, isPlaceholderLabel, methodRefusal } from '@/lib/compare';
import { predictionKey, verdictOf, type Slot } from '@/lib/store';
import { useCompare } from './compare-context';
import { useSlotRequest } from './use-slot-request';

/** Why the chosen method cannot explain this slot's model (null when it can, or nothing is chosen yet). */
export function useSlotRefusal(slot: Slot): string | null {
  const modelId = useCompare((s) => s.slots[slot].modelId);
  const method = findMethod(useCompare((s) => s.method));
  const info = useDashboard((s) => (modelId ? s.models[modelId]?.info : undefined));
  const verdict = useDashboard((s) => (method ? verdictOf(s.probes, modelId, method.id) : undefined));
  return method && info ? methodRefusal(method, info, verdict) : null;
}

/**
 * Why this slot shows no map, in a sentence naming the side (null while it is on its way or shown): its
 * model failed to load, it could not predict the image (so there is no class to explain), the method cannot
 * run on it, B has no class of A's class name, or the run failed.
 * `target`: the class this slot explains; `targetA`: A's class (B's is paired with it by name).
 */
export function useSlotBlock(slot: Slot, target: number | null, targetA: number | null): string | null {
  const side = slot.toUpperCase();
  const modelId = useCompare((s) => s.slots[slot].modelId);
  const modelA = useCompare((s) => s.slots.a.modelId);
  const entry = useDashboard((s) => (modelId ? s.models[modelId] : undefined));
  const labelsA = useDashboard((s) => (modelA ? s.models[modelA]?.info?.labels : undefined));
  const refusal = useSlotRefusal(slot);
  const method = findMethod(useCompare((s) => s.method));
  const request = useSlotRequest(slot, target);
  const explanation = useCompare((s) => s.slots[slot].explanation);
  const predictionError = useDashboard((s) => {
    if (!modelId || !s.selectedImageId) return undefined;
    const p = s.predictions[predictionKey(modelId, s.selectedImageId, s.resize)];
    return p?.status === 'error' ? (p.error ?? 'failed') : undefined;
  });
  if (!modelId) return null;
  if (entry?.status === 'error') return `${side} could not be loaded${entry.error ? `: ${entry.error}` : ''}.`;
  // No prediction, no class to explain: say so rather than wait for a map that never comes.
  if (target === null && predictionError !== undefined)
    return `${side} could not predict this image: ${predictionError}.`;
  if (refusal && method) return `${side} cannot be explained with ${method.label}: ${refusal}.`;
  if (
    slot === 'b' &&
    targetA !== null &&
    labelsA &&
    entry?.info &&
    classInB(labelsA, entry.info.labels, targetA) === null
  ) {
    const name = labelsA[targetA] ?? `class ${targetA}`;
    return isPlaceholderLabel(name)
      ? `A’s class “${name}” is a made-up name, so it pairs with none of B’s classes.`
      : `B has no class named “${name}”.`;
  }
  if (request && explanation.key === request.key && explanation.status === 'error')
    return `${side} could not explain: ${explanation.error ?? 'failed'}.`;
  return null;
}
