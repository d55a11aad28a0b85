'use client';

import { useEffect } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { ModelPicker } from '@/components/models/model-picker';
import { ImageStrip } from '@/components/images/image-strip';
import { Button } from '@/components/ui/button';
import { applyCompareUrl, compareQuery, parseCompareQuery } from '@/lib/compare';
import { compareUrlState, historyStep, userJustActed, type Slot } from '@/lib/store';
import { withProvider } from '@/components/providers/store-context';
import { CompareProvider, useCompare, useCompareApi } from './compare-context';
import { ImageCompare } from './image-compare';
import { SetCompare } from './set-compare';

export const CompareView = withProvider(CompareProvider, CompareBody);

function CompareBody() {
  const store = useCompareApi();
  const manifest = useDashboard((s) => s.manifest);
  const modelA = useCompare((s) => s.slots.a.modelId);
  const ensureModel = useDashboard((s) => s.ensureModel);
  const datasetA = useDashboard((s) =>
    modelA ? (s.models[modelA]?.manifest?.datasetId ?? s.models[modelA]?.info?.datasetId) : undefined,
  );

  // Default pair from the manifest, for the slots the URL did not set.
  useEffect(() => {
    if (!manifest) return;
    const s = store.getState();
    const [a, b] = manifest.defaults.compare;
    if (!s.slots.a.modelId) s.setModel('a', a);
    if (!s.slots.b.modelId) s.setModel('b', b);
  }, [manifest, store]);

  // Keep the URL shareable: deliberate changes are history entries; back and forward apply them.
  useEffect(() => {
    let applying = false;
    let lastPush = -Infinity;
    const write = (force?: 'replace') => {
      if (applying) return;
      const q = compareQuery(compareUrlState(store.getState()));
      const step =
        force ?? historyStep(window.location.search, q, performance.now() - lastPush, userJustActed(navigator));
      const next = `${window.location.pathname}${q ? `?${q}` : ''}`;
      if (step === 'none' || next === `${window.location.pathname}${window.location.search}`) return;
      if (step === 'push') {
        window.history.pushState(null, '', next);
        lastPush = performance.now();
      } else window.history.replaceState(window.history.state, '', next);
    };
    const onPop = () => {
      applying = true;
      applyCompareUrl(store.getState(), parseCompareQuery(window.location.search));
      applying = false;
      write('replace');
    };
    write('replace');
    const unsub = store.subscribe(() => write());
    window.addEventListener('popstate', onPop);
    return () => {
      unsub();
      window.removeEventListener('popstate', onPop);
    };
  }, [store]);

  const modelB = useCompare((s) => s.slots.b.modelId);
  useUnknownModelNotice(modelA, modelB);
  useEffect(() => {
    if (modelA) void ensureModel(modelA);
    if (modelB) void ensureModel(modelB);
  }, [modelA, modelB, ensureModel, manifest]);

  return (
    <div className="flex flex-col gap-4" data-testid="compare.view">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h1 className="text-lg font-semibold">Compare</h1>
        <SlotPicker slot="a" />
        <Button
          onClick={() => store.getState().swap()}
          aria-label="Swap A and B"
          data-testid="compare.swap"
          title="Swap A and B"
        >
          ⇄
        </Button>
        <SlotPicker slot="b" />
      </div>
      <p className="text-sm text-fg-muted">
        A is the reference (the version you use now), B the candidate. Is B better — and is it better for the right
        reasons?
      </p>
      <ImageStrip sampleDatasetId={datasetA} />
      <ImageCompare />
      <SetCompare />
    </div>
  );
}

/** A model id from the link that is neither bundled nor saved here: say so and fall back to the default pair. */
function useUnknownModelNotice(modelA: string | null, modelB: string | null) {
  const store = useCompareApi();
  const listed = useDashboard((s) => s.modelsListed);
  const defaults = useDashboard((s) => s.manifest?.defaults.compare);
  const notify = useDashboard((s) => s.notify);
  const unknownA = useDashboard((s) => (modelA && !s.models[modelA] ? modelA : null));
  const unknownB = useDashboard((s) => (modelB && !s.models[modelB] ? modelB : null));
  useEffect(() => {
    if (!listed) return;
    (['a', 'b'] as const).forEach((slot, i) => {
      const id = slot === 'a' ? unknownA : unknownB;
      if (!id) return;
      const fallback = defaults?.[i] ?? null;
      notify(
        'error',
        `The model “${id.slice(0, 80)}” in the link is not available here (not bundled and not saved in this browser)${fallback ? '; the default model is shown instead' : ''}.`,
      );
      if (fallback) store.getState().setModel(slot, fallback);
    });
  }, [listed, unknownA, unknownB, defaults, notify, store]);
}

function SlotPicker({ slot }: { slot: Slot }) {
  const store = useCompareApi();
  const modelId = useCompare((s) => s.slots[slot].modelId);
  const status = useDashboard((s) => (modelId ? s.models[modelId]?.status : undefined));
  return (
    <div className="flex max-w-full min-w-0 items-center gap-2">
      <ModelPicker
        value={modelId}
        onChange={(id) => store.getState().setModel(slot, id)}
        label={slot === 'a' ? 'A (reference)' : 'B (candidate)'}
        testId={`compare.model.${slot}`}
      />
      {status === 'loading' && (
        <span role="status" className="text-xs text-fg-subtle">
          Loading…
        </span>
      )}
      {status === 'error' && (
        <span role="alert" className="text-xs text-danger">
          Could not be loaded
        </span>
      )}
    </div>
  );
}
