'use client';

import { useEffect, useMemo, useRef } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { TopK } from '@/components/predictions/top-k';
import { Panel } from '@/components/ui/panel';
import { cn } from '@/components/ui/cn';
import { predictionKey, verdictOf } from '@/lib/store';
import { argmaxRows } from '@/lib/metrics';
import {
  classInB,
  defaultMethodId,
  eitherMethods,
  findMethod,
  methodRefusal,
  sharedConfig,
  sharedParams,
  topAgreement,
} from '@/lib/compare';
import type { ParamValue } from '@/lib/explain-view';
import { MethodControls } from '@/components/explain/method-controls';
import { classOptions } from '@/components/ui/select';
import { ControlSelect } from './control-select';
import { useCompare, useCompareApi } from './compare-context';
import { SlotExplanation } from './slot-explanation';
import { Agreement } from './agreement';
import { GroundTruthLine } from '@/components/explain/ground-truth';

/** The single-image half: both models' predictions, and the same explanation applied to both. */
export function ImageCompare() {
  const imageId = useDashboard((s) => s.selectedImageId);
  const trueLabel = useDashboard((s) => s.images.find((i) => i.id === imageId)?.trueLabel);
  const resize = useDashboard((s) => s.resize);
  const a = useCompare((s) => s.slots.a.modelId);
  const b = useCompare((s) => s.slots.b.modelId);
  const infoA = useDashboard((s) => (a ? s.models[a]?.info : undefined));
  const infoB = useDashboard((s) => (b ? s.models[b]?.info : undefined));
  const predA = useDashboard((s) =>
    a && imageId ? s.predictions[predictionKey(a, imageId, resize)]?.prediction : undefined,
  );
  const predB = useDashboard((s) =>
    b && imageId ? s.predictions[predictionKey(b, imageId, resize)]?.prediction : undefined,
  );
  const chosen = useCompare((s) => s.target);
  const store = useCompareApi();
  const statusA = useDashboard((s) => (a ? s.models[a]?.status : undefined));
  const statusB = useDashboard((s) => (b ? s.models[b]?.status : undefined));

  const topA = predA ? (argmaxRows(predA.probs, predA.probs.length)[0] ?? null) : null;
  const topB = predB ? (argmaxRows(predB.probs, predB.probs.length)[0] ?? null) : null;
  const nameA = topA !== null ? (infoA?.labels[topA] ?? `class ${topA}`) : null;
  const nameB = topB !== null ? (infoB?.labels[topB] ?? `class ${topB}`) : null;
  // Classes are paired by name (never by a made-up "class 1"); regression / multi-label have no top class.
  const top = infoA && infoB && topA !== null && topB !== null ? topAgreement(infoA, infoB, topA, topB) : null;

  // The class choice belongs to an image: switching to another image starts from A's top class again.
  const prevImage = useRef(imageId);
  useEffect(() => {
    if (prevImage.current !== null && prevImage.current !== imageId) store.getState().setTarget(null);
    prevImage.current = imageId;
  }, [imageId, store]);

  const targetA = chosen !== null && infoA && chosen < infoA.numClasses ? chosen : topA;
  // Without A (failed or still loading), B still explains: the chosen class, else its own top class.
  const targetB = !infoB
    ? null
    : infoA
      ? targetA !== null
        ? classInB(infoA.labels, infoB.labels, targetA)
        : null
      : chosen !== null && chosen < infoB.numClasses
        ? chosen
        : topB;

  return (
    <section
      id="compare-single"
      data-testid="compare.single"
      className="flex scroll-mt-4 flex-col gap-4"
      aria-label="This image"
    >
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        {(['a', 'b'] as const).map((slot) => (
          <Panel
            key={slot}
            title={`${slot.toUpperCase()}: ${(slot === 'a' ? infoA?.name : infoB?.name) ?? '…'} — top predictions`}
          >
            <TopK modelId={slot === 'a' ? a : b} imageId={imageId} testId={`compare.predictions.${slot}`} />
            <GroundTruthLine
              trueLabel={trueLabel}
              predicted={slot === 'a' ? nameA : nameB}
              classes={(slot === 'a' ? infoA : infoB)?.labels}
              className="mt-2 text-sm"
              testId={`compare.truth.${slot}`}
            />
          </Panel>
        ))}
      </div>
      {top && (
        <p
          data-testid="compare.top1"
          data-agree={top.kind === 'agree' ? 'true' : top.kind === 'disagree' ? 'false' : 'unpaired'}
          className={cn(
            'rounded-md px-3 py-2 text-sm',
            top.kind === 'disagree' ? 'border border-warn-border bg-warn-soft text-warn' : 'bg-muted text-fg-muted',
          )}
        >
          {top.kind === 'disagree' ? (
            <>
              <strong>The models disagree:</strong> A says “{top.a}”, B says “{top.b}”.
            </>
          ) : top.kind === 'agree' ? (
            <>Both models say “{top.name}”.</>
          ) : (
            <>
              A says “{top.a}”, B says “{top.b}”. {top.reason}
            </>
          )}
        </p>
      )}
      <Panel title="Why? The same explanation for both">
        {infoA || infoB ? (
          <>
            <Controls targetA={targetA} topA={topA} />
            <div className="mt-4 flex flex-wrap items-start gap-6">
              <SlotExplanation slot="a" target={targetA} targetA={targetA} />
              <SlotExplanation slot="b" target={targetB} targetA={targetA} />
              <Agreement targetA={targetA} targetB={targetB} />
            </div>
          </>
        ) : (
          <p className="text-sm text-fg-subtle" role="status">
            {statusA === 'error' && statusB === 'error'
              ? 'Neither model could be loaded: choose others above.'
              : 'Waiting for the models to load…'}
          </p>
        )}
      </Panel>
    </section>
  );
}

function Controls({ targetA, topA }: { targetA: number | null; topA: number | null }) {
  const store = useCompareApi();
  const a = useCompare((s) => s.slots.a.modelId);
  const b = useCompare((s) => s.slots.b.modelId);
  const infoA = useDashboard((s) => (a ? s.models[a]?.info : undefined));
  const infoB = useDashboard((s) => (b ? s.models[b]?.info : undefined));
  const methodId = useCompare((s) => s.method);
  const rawConfig = useCompare((s) => s.config);
  const chosen = useCompare((s) => s.target);
  // Every method either model can run is offered; a side that cannot run it says why (SlotExplanation).
  // Only a method neither can run is disabled, with the reasons.
  const offered = useMemo(() => eitherMethods(infoA, infoB), [infoA, infoB]);
  const probes = useDashboard((s) => s.probes);
  const sides = useMemo(
    () =>
      offered.map((m) => {
        const why = (id: string | null, info: typeof infoA) =>
          info ? methodRefusal(m, info, verdictOf(probes, id, m.id)) : 'not loaded';
        return { m, a: why(a, infoA), b: why(b, infoB) };
      }),
    [offered, probes, a, b, infoA, infoB],
  );
  const runnable = useMemo(() => sides.filter((x) => x.a === null || x.b === null).map((x) => x.m), [sides]);
  const forBoth = useMemo(() => sides.filter((x) => x.a === null && x.b === null).map((x) => x.m), [sides]);
  const method = findMethod(methodId);
  const valid = method !== null && runnable.some((m) => m.id === method.id);

  useEffect(() => {
    if (runnable.length === 0 || valid) return;
    const id = defaultMethodId(forBoth.length ? forBoth : runnable);
    if (id) store.getState().setMethod(id, {});
  }, [runnable, forBoth, valid, store]);

  // Only shared parameters (numbers, choices, switches) are in it, all validated against the spec.
  const config = useMemo(
    () => (method ? (sharedConfig(method, rawConfig) as Record<string, ParamValue>) : {}),
    [method, rawConfig],
  );
  if (runnable.length === 0)
    return <p className="text-sm text-fg-subtle">Neither model can be explained by any method here.</p>;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-4">
        <ControlSelect
          label="Method"
          data-testid="compare.method"
          value={valid ? (method?.id ?? '') : ''}
          onChange={(e) => {
            const m = findMethod(e.target.value);
            if (m) store.getState().setMethod(m.id, {});
          }}
          options={sides.map(({ m, a: whyA, b: whyB }) =>
            whyA !== null && whyB !== null
              ? { value: m.id, label: `${m.label} — cannot run: ${whyA}`, disabled: true, title: whyA }
              : whyA !== null || whyB !== null
                ? { value: m.id, label: `${m.label} (${whyA !== null ? 'B' : 'A'} only)`, title: whyA ?? whyB ?? '' }
                : { value: m.id, label: m.label },
          )}
        />
        <ControlSelect
          label="Class to explain"
          data-testid="compare.target"
          value={chosen === null ? '' : String(chosen)}
          onChange={(e) => store.getState().setTarget(e.target.value === '' ? null : Number(e.target.value))}
          options={classOptions(infoA?.labels ?? infoB?.labels)}
        >
          <option value="">
            {infoA ? 'A’s top class' : 'B’s top class'}
            {topA !== null ? ` (${infoA?.labels[topA] ?? topA})` : ''}
          </option>
        </ControlSelect>
      </div>
      {method && valid && (
        <>
          <p className="max-w-3xl text-xs text-fg-subtle">
            {method.description} Both models get the same parameters and the same class
            {targetA !== null && infoA ? ` (“${infoA.labels[targetA]}”)` : ''}
            {sharedParams(method).length < Object.keys(method.configSpec).length
              ? '; model-specific settings (such as the layer) use each model’s default.'
              : '.'}
          </p>
          <MethodControls
            slot="compare"
            method={method}
            values={config}
            onChange={(key, v) => store.getState().setParam(key, v)}
            onReset={() => store.getState().setMethod(method.id, {})}
            className="grid max-w-3xl gap-x-6 sm:grid-cols-2"
          />
        </>
      )}
    </div>
  );
}
