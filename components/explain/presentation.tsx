'use client';

import { useEffect, useRef, type ReactNode } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import type { Attribution, ImageInput, MethodMeta } from '@/lib/explain';
import type { LookSettings } from '@/lib/render';
import { AttributionImage } from '@/components/ui/attribution-canvas';
import { Button } from '@/components/ui/button';
import { pct } from '@/lib/format';
import { ColourBar } from './colour-bar';
import { GroundTruthLine } from './ground-truth';

/**
 * Presentation mode: full screen where the browser allows it (a large fixed layout otherwise), large type,
 * no knobs: the image and its map with a large colour bar, true vs predicted class, the method and what it
 * means. ← / → step through the strip; only Esc (or leaving the browser's full screen) and the exit button
 * leave. Full screen is entered once on mount and left once on unmount — re-renders (a new `onExit`, a
 * running method's progress, another image) never touch it.
 */
export function Presentation({
  input,
  attribution,
  look,
  method,
  targetLabel,
  topLabel,
  probability,
  isTop,
  status,
  notice,
  onExit,
}: {
  input: ImageInput | undefined;
  attribution: Attribution | undefined;
  look: LookSettings;
  method: MethodMeta;
  targetLabel: string;
  /** The model's top class name; null until predicted. */
  topLabel: string | null;
  probability: number | null;
  isTop: boolean;
  status: string;
  /** A line under the true label (e.g. that the image is unlike the model's data). */
  notice?: ReactNode;
  onExit: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const images = useDashboard((s) => s.images);
  const selected = useDashboard((s) => s.selectedImageId);
  const selectImage = useDashboard((s) => s.selectImage);
  const index = images.findIndex((i) => i.id === selected);
  const trueLabel = images[index]?.trueLabel;
  const classes = useDashboard((s) => (s.selectedModelId ? s.models[s.selectedModelId]?.info?.labels : undefined));

  // The latest callbacks and strip, read by listeners registered once.
  const latest = useRef({ onExit, images, index, selectImage });
  useEffect(() => {
    latest.current = { onExit, images, index, selectImage };
  });

  useEffect(() => {
    const el = ref.current;
    el?.focus();
    let entered = false;
    let leaving = false;
    const onFs = () => {
      if (document.fullscreenElement === el) entered = true;
      // The person left the browser's full screen (its own Esc handling): leave the presentation too.
      else if (entered && !leaving) latest.current.onExit();
    };
    document.addEventListener('fullscreenchange', onFs);
    if (el && typeof el.requestFullscreen === 'function' && !document.fullscreenElement)
      el.requestFullscreen().catch(() => undefined);
    const onKey = (e: KeyboardEvent) => {
      const { images: list, index: at, selectImage: select, onExit: exit } = latest.current;
      if (e.key === 'Escape') {
        e.preventDefault();
        exit();
      } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        e.preventDefault();
        const next = list[Math.max(0, Math.min(list.length - 1, at + (e.key === 'ArrowRight' ? 1 : -1)))];
        if (next) select(next.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      leaving = true;
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onFs);
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    };
  }, []);

  const size =
    typeof window === 'undefined' ? 480 : Math.max(240, Math.min(window.innerHeight - 300, window.innerWidth * 0.5));
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="dialog"
      aria-modal="true"
      aria-label="Presentation"
      data-testid="explain.presentation"
      className="fixed inset-0 z-50 flex flex-col items-center justify-center-safe gap-6 overflow-auto bg-slate-950 p-6 text-white outline-none"
    >
      <div className="flex w-full flex-wrap items-center justify-center gap-10">
        {input ? (
          <div className="flex flex-col gap-3" style={{ width: size, maxWidth: '100%' }}>
            <AttributionImage
              image={input}
              attribution={attribution}
              look={look}
              size={size}
              label={`${method.label} for ${targetLabel}`}
            />
            {attribution ? (
              <ColourBar attribution={attribution} look={look} size="lg" className="text-slate-200" />
            ) : null}
          </div>
        ) : null}
        <div className="flex max-w-md flex-col gap-4">
          <p className="text-lg text-slate-300">{isTop ? 'The model says' : 'Evidence for'}</p>
          <p className="text-5xl font-bold" data-testid="explain.presentation.class">
            {targetLabel}
          </p>
          {probability !== null && <p className="text-3xl text-slate-200 tabular-nums">{pct(probability)}</p>}
          <GroundTruthLine
            trueLabel={trueLabel}
            predicted={topLabel}
            classes={classes}
            onDark
            className="text-2xl"
            testId="explain.presentation.truth"
          />
          {notice}
          <p className="text-xl text-slate-200" data-testid="explain.presentation.method">
            {method.label}
          </p>
          <p className="text-lg leading-relaxed text-slate-300">{method.description}</p>
          {status && (
            <p className="text-lg text-amber-300" role="status">
              {status}
            </p>
          )}
        </div>
      </div>
      <p className="text-base text-slate-400">
        Image <span className="tabular-nums">{index + 1}</span> of <span className="tabular-nums">{images.length}</span>{' '}
        · ← → next image · Esc to leave
      </p>
      <Button
        variant="bare"
        size="lg"
        onClick={onExit}
        data-testid="explain.presentation.exit"
        className="rounded-md border border-slate-500 px-4 py-2 text-white"
      >
        Leave presentation
      </Button>
    </div>
  );
}
