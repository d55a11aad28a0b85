/**
 * Notices (what the user is told: errors and confirmations, the last five kept) and busy flags (which
 * long action is running: "loadModel", "images", "labelledSet").
 */
import type { Notice } from './types';
import type { Slice } from './slice';

/** How many notices are kept (older ones drop off). */
export const MAX_NOTICES = 5;

export interface NoticesSlice {
  notices: Notice[];
  busy: Record<string, boolean>;
  notify(kind: Notice['kind'], text: string): void;
  dismissNotice(id: number): void;
  /** Sets one busy flag. */
  setBusy(flag: string, on: boolean): void;
}

export const createNoticesSlice: Slice<NoticesSlice> = (set) => {
  let noticeId = 0;
  return {
    notices: [],
    busy: {},
    notify(kind, text) {
      const id = ++noticeId;
      set((s) => ({ notices: [...s.notices.slice(-(MAX_NOTICES - 1)), { id, kind, text }] }));
    },
    dismissNotice(id) {
      set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
    },
    setBusy(flag, on) {
      set((s) => ({ busy: { ...s.busy, [flag]: on } }));
    },
  };
};
