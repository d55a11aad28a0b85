/**
 * Running one Compare slot's explanation (the map of model A or B for the selected image): its model input
 * and attribution, recorded in the Compare store under the request's key. Latest-wins per slot (one set of
 * tickets per store): a newer request for the slot wins over whatever an older one later returns, on top of
 * the service's own latest-wins per view key (`compare:<slot>`).
 */
import type { StoreApi } from 'zustand/vanilla';
import type { ExplainService } from '@/lib/runtime/explain-service';
import type { ExplainRequest } from '@/lib/runtime/protocol';
import type { CompareStore, Slot } from './compare-store';
import { errorText } from './slice';
import { isAbortError, latestWinsPer } from './latest-wins';

export interface SlotRequestJob {
  /** Stable identity of the request (what a stored result must match to be shown). */
  key: string;
  req: ExplainRequest;
}

/** What a slot run needs of the service. */
export type SlotService = () => Pick<ExplainService, 'api' | 'explain'>;

/** Latest-wins per slot, one set of tickets per Compare store. */
const ticketsFor = latestWinsPer<StoreApi<CompareStore>>({ prefix: 'slot:' });

/** The service's view key for a slot. */
export const slotViewKey = (slot: Slot) => `compare:${slot}`;

/**
 * Explains `job` for `slot` unless its result is already there. Errors land in the slot's state (with the
 * worker's message); a superseded or cancelled run leaves no trace.
 */
export async function runSlotExplanation(
  service: SlotService,
  store: StoreApi<CompareStore>,
  slot: Slot,
  job: SlotRequestJob,
): Promise<void> {
  const cur = store.getState().slots[slot].explanation;
  if (cur.key === job.key && cur.status === 'ready') return;
  const ticket = ticketsFor(store).start(slot);
  const { key, req } = job;
  store.getState().resetExplanation(slot, key);
  const svc = service();
  try {
    const [input, attribution] = await Promise.all([
      svc.api.modelInput(req.modelId, req.imageId, req.resize),
      svc.explain(
        slotViewKey(slot),
        req,
        (f) => ticket.isLatest() && store.getState().patchExplanation(slot, key, { progress: f }),
      ),
    ]);
    if (ticket.isLatest())
      store.getState().patchExplanation(slot, key, { status: 'ready', progress: 1, input, attribution });
  } catch (e) {
    if (!ticket.isLatest() || isAbortError(e)) return;
    store.getState().patchExplanation(slot, key, { status: 'error', error: errorText(e) });
  } finally {
    ticket.finish();
  }
}
