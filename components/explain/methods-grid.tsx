'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import { useDashboard, useExplainService } from '@/components/providers/dashboard-provider';
import type { MethodChoice, MethodMeta, ImageInput, MethodId } from '@/lib/explain';
import type { LookSettings } from '@/lib/render';
import { describeParams, jobsForMethods, lruGet } from '@/lib/explain-view';
import { AttributionImage } from '@/components/ui/attribution-canvas';
import { Button } from '@/components/ui/button';
import { useExplainView, useExplainViewApi } from './view-context';
import { cancelRun, startRun } from './use-explain';
import { ColourBar } from './colour-bar';
import { useJobQueue, type QueuedJob } from './queue';
import { RefusedMethods } from './method-picker';
import { ms, pct } from '@/lib/format';
import { GridFaithfulnessBar, TileAuc, useGridFaithfulness } from './trust/grid-faithfulness';

/** Every compatible method at once for one image and class ("Picasso" grid); click a tile to enlarge it. */
export function MethodsGrid({
  modelId,
  imageId,
  target,
  methods,
  choices,
  input,
  look,
  targetLabel,
}: {
  modelId: string;
  imageId: string;
  target: number;
  methods: readonly MethodMeta[];
  /** The probe's verdicts: refused methods are shown disabled with the reason, pending ones wait; null: nothing starts. */
  choices: readonly MethodChoice[] | null;
  input: ImageInput | undefined;
  look: LookSettings;
  targetLabel: string;
}) {
  const info = useDashboard((s) => s.models[modelId]?.info);
  const resize = useDashboard((s) => s.resize);
  const allParams = useExplainView((s) => s.params);
  const results = useExplainView((s) => s.results);
  const runs = useExplainView((s) => s.runs);
  const store = useExplainViewApi();
  const service = useExplainService();
  const [enlarged, setEnlarged] = useState<MethodId | null>(null);

  const tiles = useMemo(() => {
    if (!info) return [];
    const ctx = { numClasses: info.numClasses, spatialLayers: info.spatialLayers };
    return jobsForMethods({ methods, rawParams: allParams, ctx, modelId, imageId, target, resize }).map((t) => ({
      ...t,
      runKey: `grid:${t.method.id}`,
    }));
  }, [info, methods, allParams, modelId, imageId, target, resize]);

  const queue: QueuedJob[] = useMemo(
    () =>
      tiles
        .filter((t) => choices?.some((c) => c.meta.id === t.method.id && c.runnable && !c.pending))
        .map((t) => ({ runKey: t.runKey, job: t.job })),
    [tiles, choices],
  );
  useJobQueue('explain:grid', queue, true);

  const faith = useGridFaithfulness(
    modelId,
    imageId,
    target,
    tiles.map((t) => ({ id: t.method.id, attribution: lruGet(results, t.job.key) })),
  );
  const shown = faith.sort(tiles, (t) => t.method.id);
  const big = tiles.find((t) => t.method.id === enlarged);
  const bigResult = big ? lruGet(results, big.job.key) : undefined;

  return (
    <div className="flex flex-col gap-3" data-testid="explain.grid">
      <p className="text-sm text-fg-muted">
        Every method for <span className="font-medium text-fg">{targetLabel}</span>, computed one after another. Colours
        are scaled per map: compare shapes, not brightness.
      </p>
      <GridFaithfulnessBar faith={faith} />
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
        {shown.map((t) => {
          const a = lruGet(results, t.job.key);
          const run = runs[t.runKey]?.key === t.job.key ? runs[t.runKey] : undefined;
          return (
            <li
              key={t.method.id}
              data-testid={`explain.grid.tile.${t.method.id}`}
              data-status={a ? 'done' : (run?.status ?? 'queued')}
              className="flex flex-col gap-1 rounded-lg border border-border bg-surface p-2"
            >
              <Button
                variant="bare"
                onClick={() => a && setEnlarged(t.method.id)}
                disabled={!a}
                aria-label={`Enlarge ${t.method.label}`}
                className="self-start disabled:cursor-default"
              >
                <AttributionImage
                  image={input}
                  attribution={a}
                  look={look}
                  size={168}
                  label={`${t.method.label} for ${targetLabel}`}
                />
              </Button>
              {a && <ColourBar attribution={a} look={look} size="sm" className="w-[168px]" />}
              <h3 className="text-sm font-semibold">{t.method.label}</h3>
              <p className="text-xs leading-snug text-fg-muted">{t.method.description}</p>
              <p className="text-xs text-fg-subtle">{describeParams(t.method, t.params)}</p>
              <p className="text-xs text-fg-muted tabular-nums" data-testid="explain.grid.time">
                {a
                  ? `${ms(a.timings.totalMs)} · ${a.timings.forwardPasses} model calls`
                  : run?.status === 'running'
                    ? `computing… ${pct(run.progress, 0)}`
                    : run?.status === 'error'
                      ? ''
                      : 'waiting'}
              </p>
              <TileAuc scores={faith.scores[t.method.id]} />
              {run?.status === 'running' && (
                <Button
                  variant="ghost"
                  className="self-start text-xs"
                  onClick={() => cancelRun(service, store, 'explain:grid', t.runKey)}
                >
                  Cancel
                </Button>
              )}
              {run && (run.status === 'error' || run.status === 'cancelled') && (
                <div role={run.status === 'error' ? 'alert' : 'status'} className="text-xs">
                  <span className={run.status === 'error' ? 'text-danger' : ''}>
                    {run.status === 'error' ? run.error : 'Cancelled.'}
                  </span>{' '}
                  <Button
                    variant="ghost"
                    className="text-xs"
                    onClick={() => void startRun(service, store, 'explain:grid', t.runKey, t.job)}
                  >
                    Run again
                  </Button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {choices && <RefusedMethods refused={choices.filter((c) => !c.runnable)} />}
      {big && bigResult && input && (
        <Enlarged title={`${big.method.label} — ${targetLabel}`} onClose={() => setEnlarged(null)}>
          <AttributionImage
            image={input}
            attribution={bigResult}
            look={look}
            size={448}
            label={`${big.method.label} for ${targetLabel}, enlarged`}
          />
          <ColourBar attribution={bigResult} look={look} className="w-[448px] max-w-full" />
          <p className="max-w-md text-sm">{big.method.help}</p>
        </Enlarged>
      )}
    </div>
  );
}

/** A modal with a close button; Esc closes it and focus returns to where it was. */
export function Enlarged({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: React.ReactNode;
}) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      prev?.focus();
    };
  }, [onClose]);
  return (
    <div className="fixed inset-0 z-40 flex items-center justify-center bg-black/60 p-4" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid="explain.enlarged"
        onClick={(e) => e.stopPropagation()}
        className="flex max-h-full flex-col gap-3 overflow-auto rounded-lg bg-surface p-4 shadow-xl"
      >
        <div className="flex items-center justify-between gap-4">
          <h2 className="font-semibold">{title}</h2>
          <Button ref={closeRef} onClick={onClose} data-testid="explain.enlarged.close">
            Close
          </Button>
        </div>
        {children}
      </div>
    </div>
  );
}
