/**
 * The Compare view's own store (created once per mounted view by components/compare): which two models
 * sit in slots A and B, the explanation method and its shared parameters, the target class, the
 * evaluation set and decision rule, and per slot the latest explanation result. Plain data only: an
 * attribution is a Float32Array, never a tensor. The shareable part round-trips through the URL
 * (lib/compare/url.ts).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Attribution, ImageInput, MethodId } from '@/lib/explain/types';
import type { DecisionRule, CompareUrlState } from '@/lib/compare';

export type Slot = 'a' | 'b';
export const SLOTS: readonly Slot[] = ['a', 'b'];

export interface SlotExplanation {
  /** Identifies the request this result belongs to (model, image, method, config, target, resize). */
  key: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** In [0, 1] while loading. */
  progress: number;
  attribution?: Attribution;
  /** The model input the map belongs to (for the overlay). */
  input?: ImageInput;
  error?: string;
}

export interface SlotState {
  modelId: string | null;
  explanation: SlotExplanation;
}

export interface CompareState {
  slots: Record<Slot, SlotState>;
  method: MethodId | null;
  /** Shared parameters (number / select / boolean ones only; see lib/compare/config.ts). */
  config: Record<string, unknown>;
  /** Target class index of model A; null = A's top class for the image. */
  target: number | null;
  datasetId: string | null;
  rule: DecisionRule;
  list: 'regressions' | 'fixes';
  /** `${datasetId}#${index}` → image id in the strip (so a case is opened once). */
  opened: Record<string, string>;
}

export interface CompareActions {
  setModel(slot: Slot, id: string): void;
  swap(): void;
  setMethod(id: MethodId, config?: Record<string, unknown>): void;
  setParam(key: string, value: unknown): void;
  setTarget(cls: number | null): void;
  setDataset(id: string | null): void;
  setRule(rule: DecisionRule): void;
  setList(list: CompareState['list']): void;
  patchExplanation(slot: Slot, key: string, patch: Partial<SlotExplanation>): void;
  resetExplanation(slot: Slot, key: string): void;
  rememberOpened(datasetId: string, index: number, imageId: string): void;
}

export type CompareStore = CompareState & CompareActions;

const emptyExplanation = (): SlotExplanation => ({ key: null, status: 'idle', progress: 0 });

export function createCompareStore(init: CompareUrlState = {}): StoreApi<CompareStore> {
  return createStore<CompareStore>()((set, get) => ({
    slots: {
      a: { modelId: init.a ?? null, explanation: emptyExplanation() },
      b: { modelId: init.b ?? null, explanation: emptyExplanation() },
    },
    method: init.method ?? null,
    config: init.config ?? {},
    target: init.target ?? null,
    datasetId: init.set ?? null,
    rule: init.rule ?? 'argmax',
    list: 'regressions',
    opened: {},

    setModel(slot, id) {
      if (get().slots[slot].modelId === id) return;
      set((s) => ({ slots: { ...s.slots, [slot]: { modelId: id, explanation: emptyExplanation() } } }));
    },
    swap() {
      set((s) => ({ slots: { a: s.slots.b, b: s.slots.a }, target: null }));
    },
    setMethod(id, config = {}) {
      set({ method: id, config });
    },
    setParam(key, value) {
      set((s) => ({ config: { ...s.config, [key]: value } }));
    },
    setTarget(cls) {
      set({ target: cls });
    },
    setDataset(id) {
      set({ datasetId: id });
    },
    setRule(rule) {
      set({ rule });
    },
    setList(list) {
      set({ list });
    },
    patchExplanation(slot, key, patch) {
      set((s) => {
        const cur = s.slots[slot];
        if (cur.explanation.key !== key) return s;
        return { slots: { ...s.slots, [slot]: { ...cur, explanation: { ...cur.explanation, ...patch } } } };
      });
    },
    resetExplanation(slot, key) {
      set((s) => ({
        slots: { ...s.slots, [slot]: { ...s.slots[slot], explanation: { key, status: 'loading', progress: 0 } } },
      }));
    },
    rememberOpened(datasetId, index, imageId) {
      set((s) => ({ opened: { ...s.opened, [`${datasetId}#${index}`]: imageId } }));
    },
  }));
}

/** The state that goes into the URL. */
export function compareUrlState(s: CompareState): CompareUrlState {
  const config: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(s.config))
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') config[k] = v;
  return {
    a: s.slots.a.modelId ?? undefined,
    b: s.slots.b.modelId ?? undefined,
    method: s.method ?? undefined,
    config,
    target: s.target ?? undefined,
    set: s.datasetId ?? undefined,
    rule: s.rule === 'argmax' ? undefined : s.rule,
  };
}
