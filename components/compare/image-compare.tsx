'use client';

import { useEffect, useMemo, useRef } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { TopK } from '@/components/predictions/top-k';
import { Panel } from '@/components/ui/panel';
import { cn } from '@/components/ui/cn';
import { predictionKey, verdictOf } from '@/lib/store';
import { argmaxRows } from '@/lib/metrics';
import { classInB, commonMethods, defaultMethodId, findMethod, sharedConfig, sharedParams } from '@/lib/compare';
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

  const topA = predA ? (argmaxRows(predA.probs, predA.probs.length)[0] ?? null) : null;
  const topB = predB ? (argmaxRows(predB.probs, predB.probs.length)[0] ?? null) : null;
  const nameA = topA !== null ? (infoA?.labels[topA] ?? `class ${topA}`) : null;
  const nameB = topB !== null ? (infoB?.labels[topB] ?? `class ${topB}`) : null;
  const disagree = nameA !== null && nameB !== null && nameA !== nameB;

  // The class choice belongs to an image: switching to another image starts from A's top class again.
  const prevImage = useRef(imageId);
  useEffect(() => {
    if (prevImage.current !== null && prevImage.current !== imageId) store.getState().setTarget(null);
    prevImage.current = imageId;
  }, [imageId, store]);

  const targetA = chosen !== null && infoA && chosen < infoA.numClasses ? chosen : topA;
  const targetB = targetA !== null && infoA && infoB ? classInB(infoA.labels, infoB.labels, targetA) : null;

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
              className="mt-2 text-sm"
              testId={`compare.truth.${slot}`}
            />
          </Panel>
        ))}
      </div>
      {nameA !== null && nameB !== null && (
        <p
          data-testid="compare.top1"
          data-agree={disagree ? 'false' : 'true'}
          className={cn(
            'rounded-md px-3 py-2 text-sm',
            disagree ? 'border border-warn-border bg-warn-soft text-warn' : 'bg-muted text-fg-muted',
          )}
        >
          {disagree ? (
            <>
              <strong>The models disagree:</strong> A says “{nameA}”, B says “{nameB}”.
            </>
          ) : (
            <>Both models say “{nameA}”.</>
          )}
        </p>
      )}
      <Panel title="Why? The same explanation for both">
        {infoA && infoB ? (
          <>
            <Controls targetA={targetA} topA={topA} />
            <div className="mt-4 flex flex-wrap items-start gap-6">
              <SlotExplanation slot="a" target={targetA} />
              <SlotExplanation slot="b" target={targetB} />
              <Agreement targetA={targetA} targetB={targetB} />
            </div>
          </>
        ) : (
          <p className="text-sm text-fg-subtle" role="status">
            Waiting for both models to load…
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
  const common = useMemo(() => (infoA && infoB ? commonMethods(infoA, infoB) : []), [infoA, infoB]);
  // A method the capability probe refused for either model is listed, disabled, with the reason.
  const probes = useDashboard((s) => s.probes);
  const refusal = useMemo(() => {
    const out = new Map<string, string>();
    for (const m of common)
      for (const id of [a, b]) {
        const v = verdictOf(probes, id, m.id);
        if (v && !v.ok && !out.has(m.id)) out.set(m.id, v.reason ?? 'it cannot run here');
      }
    return out;
  }, [common, probes, a, b]);
  const methods = useMemo(() => common.filter((m) => !refusal.has(m.id)), [common, refusal]);
  const method = findMethod(methodId);
  const valid = method !== null && methods.some((m) => m.id === method.id);

  useEffect(() => {
    if (methods.length === 0 || valid) return;
    const id = defaultMethodId(methods);
    if (id) store.getState().setMethod(id, {});
  }, [methods, valid, store]);

  // Only shared parameters (numbers, choices, switches) are in it, all validated against the spec.
  const config = useMemo(
    () => (method ? (sharedConfig(method, rawConfig) as Record<string, ParamValue>) : {}),
    [method, rawConfig],
  );
  if (methods.length === 0)
    return <p className="text-sm text-fg-subtle">These two models have no explanation method in common.</p>;

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
          options={common.map((m) => {
            const why = refusal.get(m.id);
            return why
              ? { value: m.id, label: `${m.label} — cannot run: ${why}`, disabled: true, title: why }
              : { value: m.id, label: m.label };
          })}
        />
        <ControlSelect
          label="Class to explain"
          data-testid="compare.target"
          value={chosen === null ? '' : String(chosen)}
          onChange={(e) => store.getState().setTarget(e.target.value === '' ? null : Number(e.target.value))}
          options={classOptions(infoA?.labels)}
        >
          <option value="">A’s top class{topA !== null ? ` (${infoA?.labels[topA] ?? topA})` : ''}</option>
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
