'use client';

import { useEffect, useRef } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import type { Attribution, ImageInput, MethodMeta } from '@/lib/explain';
import type { LookSettings } from '@/lib/render';
import { AttributionImage } from '@/components/ui/attribution-canvas';
import { Button } from '@/components/ui/button';
import { pct } from '@/lib/format';

/**
 * Presentation mode: full screen where the browser allows it (a large fixed layout otherwise), large type,
 * no knobs. ← / → step through the strip; Esc leaves.
 */
export function Presentation({
  input,
  attribution,
  look,
  method,
  targetLabel,
  probability,
  isTop,
  status,
  onExit,
}: {
  input: ImageInput | undefined;
  attribution: Attribution | undefined;
  look: LookSettings;
  method: MethodMeta;
  targetLabel: string;
  probability: number | null;
  isTop: boolean;
  status: string;
  onExit: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const images = useDashboard((s) => s.images);
  const selected = useDashboard((s) => s.selectedImageId);
  const selectImage = useDashboard((s) => s.selectImage);
  const index = images.findIndex((i) => i.id === selected);

  useEffect(() => {
    const el = ref.current;
    el?.focus();
    if (el && typeof el.requestFullscreen === 'function' && !document.fullscreenElement) {
      el.requestFullscreen().catch(() => undefined);
    }
    const onFs = () => {
      if (!document.fullscreenElement) onExit();
    };
    document.addEventListener('fullscreenchange', onFs);
    return () => {
      document.removeEventListener('fullscreenchange', onFs);
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    };
  }, [onExit]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onExit();
      } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        e.preventDefault();
        const next = images[Math.max(0, Math.min(images.length - 1, index + (e.key === 'ArrowRight' ? 1 : -1)))];
        if (next) selectImage(next.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [images, index, selectImage, onExit]);

  const size =
    typeof window === 'undefined' ? 480 : Math.max(240, Math.min(window.innerHeight - 220, window.innerWidth * 0.55));
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="dialog"
      aria-modal="true"
      aria-label="Presentation"
      data-testid="explain.presentation"
      className="fixed inset-0 z-50 flex flex-col items-center justify-center gap-6 overflow-auto bg-slate-950 p-6 text-white outline-none"
    >
      <div className="flex flex-wrap items-center justify-center gap-10">
        {input ? (
          <AttributionImage
            image={input}
            attribution={attribution}
            look={look}
            size={size}
            label={`${method.label} for ${targetLabel}`}
          />
        ) : null}
        <div className="flex max-w-md flex-col gap-4">
          <p className="text-lg text-slate-300">{isTop ? 'The model says' : 'Evidence for'}</p>
          <p className="text-5xl font-bold" data-testid="explain.presentation.class">
            {targetLabel}
          </p>
          {probability !== null && <p className="text-3xl text-slate-200 tabular-nums">{pct(probability)}</p>}
          <p className="text-xl text-slate-200">{method.label}</p>
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
        className="rounded-md border border-slate-500 px-4 py-2 text-white"
      >
        Leave presentation
      </Button>
    </div>
  );
}
