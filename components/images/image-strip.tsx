'use client';

import { useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { useFileDrop } from '@/components/ui/use-file-drop';
import { FileInput } from '@/components/ui/input';

/**
 * Image intake (picker, drop, paste) and the strip of loaded images to pick from. With `intro`, an empty
 * strip on arrival (no image in the link) gets one bundled sample so the view explains something at once.
 */
export function ImageStrip({ sampleDatasetId, intro = false }: { sampleDatasetId?: string; intro?: boolean }) {
  const images = useDashboard((s) => s.images);
  const introImageId = useDashboard((s) => s.introImageId);
  const addIntroSample = useDashboard((s) => s.addIntroSample);
  const introTried = useRef(false);
  const selectedId = useDashboard((s) => s.selectedImageId);
  const busy = useDashboard((s) => s.busy.images ?? false);
  const addImageFiles = useDashboard((s) => s.addImageFiles);
  const addSamples = useDashboard((s) => s.addSamples);
  const selectImage = useDashboard((s) => s.selectImage);
  const removeImage = useDashboard((s) => s.removeImage);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!intro || !sampleDatasetId || introTried.current) return;
    introTried.current = true;
    if (images.length === 0 && !new URLSearchParams(location.search).has('sample'))
      void addIntroSample(sampleDatasetId);
  }, [intro, sampleDatasetId, images.length, addIntroSample]);

  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
      const files = Array.from(e.clipboardData?.files ?? []);
      if (files.length > 0) {
        e.preventDefault();
        void addImageFiles(files);
      }
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [addImageFiles]);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      const idx = images.findIndex((i) => i.id === selectedId);
      if ((e.key === 'Delete' || e.key === 'Backspace') && idx >= 0) {
        e.preventDefault();
        const after = images[idx + 1] ?? images[idx - 1];
        void removeImage(images[idx]!.id);
        if (after) document.querySelector<HTMLButtonElement>(`[data-image-id="${after.id}"]`)?.focus();
        return;
      }
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      const next = images[Math.max(0, Math.min(images.length - 1, idx + (e.key === 'ArrowRight' ? 1 : -1)))];
      if (next) {
        e.preventDefault();
        selectImage(next.id);
        document.querySelector<HTMLButtonElement>(`[data-image-id="${next.id}"]`)?.focus();
      }
    },
    [images, selectedId, selectImage, removeImage],
  );

  const drop = useFileDrop((files) => void addImageFiles(files));
  return (
    <div
      data-testid="images.dropzone"
      {...drop.props}
      className={cn('rounded-lg border-2 border-dashed p-3 transition-colors', drop.className)}
    >
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <Button variant="primary" onClick={() => inputRef.current?.click()} data-testid="images.add">
          Add images…
        </Button>
        <FileInput
          ref={inputRef}
          multiple
          accept="image/png,image/jpeg,image/webp,image/gif,image/bmp,.png,.jpg,.jpeg,.webp,.gif,.bmp"
          data-testid="images.input"
          aria-label="Add images"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            if (files.length) void addImageFiles(files);
          }}
        />
        {sampleDatasetId && (
          <Button onClick={() => void addSamples(sampleDatasetId, 12)} data-testid="images.samples">
            Add samples from the test set
          </Button>
        )}
        <span className="text-xs text-fg-subtle">
          …or drop image files here, or paste (Ctrl+V). PNG, JPEG, WebP, GIF, BMP.
        </span>
        {introImageId && (
          <span className="basis-full text-sm text-fg-muted" data-testid="images.intro-hint">
            A sample from the test set, explained — drop your own image here (or add one) to see why the model decides.
          </span>
        )}
        {busy && (
          <span className="text-xs text-fg-subtle" role="status">
            Reading images…
          </span>
        )}
      </div>
      {images.length === 0 && <p className="py-4 text-sm text-fg-subtle">No images yet.</p>}
      <div
        role="listbox"
        aria-label="Images (Delete removes the chosen one)"
        aria-orientation="horizontal"
        className={cn('flex gap-2 overflow-x-auto pb-1', images.length === 0 && 'hidden')}
        onKeyDown={onKeyDown}
      >
        {images.map((img) => (
          <div key={img.id} className="group relative shrink-0">
            <Button
              variant="bare"
              role="option"
              aria-selected={img.id === selectedId}
              aria-keyshortcuts="Delete"
              data-image-id={img.id}
              data-testid="images.thumb"
              title={img.trueLabel ? `${img.name} — true class: ${img.trueLabel}` : img.name}
              tabIndex={img.id === selectedId || (!selectedId && img === images[0]) ? 0 : -1}
              onClick={() => selectImage(img.id)}
              className={cn(
                'block h-16 w-16 overflow-hidden rounded border-2 bg-black',
                img.id === selectedId ? 'border-ring' : 'border-transparent',
              )}
            >
              {/* eslint-disable-next-line @next/next/no-img-element -- blob/data URLs of the user's own images */}
              <img src={img.url} alt={img.name} className="pixelated h-full w-full object-contain" />
            </Button>
            {img.trueLabel && (
              <span
                className="block w-16 truncate text-center text-[10px] text-fg-muted"
                data-testid="images.thumb.truth"
              >
                {img.trueLabel}
              </span>
            )}
            <Button
              variant="bare"
              aria-label={`Remove ${img.name}`}
              aria-hidden="true"
              tabIndex={-1}
              onClick={() => void removeImage(img.id)}
              className="absolute -top-1 -right-1 hidden h-5 w-5 rounded-full bg-slate-800 text-center text-xs text-white group-hover:block"
            >
              ×
            </Button>
          </div>
        ))}
      </div>
    </div>
  );
}
