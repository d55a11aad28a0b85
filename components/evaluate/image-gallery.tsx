'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { DatasetThumb } from '@/components/images/dataset-thumb';
import { pct } from '@/lib/format';

export interface GalleryItem {
  index: number;
  trueClass: number;
  decision: number;
  /** p(decision|x) after prior shift and merges. */
  confidence: number;
  /** Realised cost of the decision, when shown. */
  cost?: number;
}

const PAGE = 60;

/**
 * Thumbnails of evaluation images with their true class, decision and confidence. Clicking one calls
 * `onOpen` (the view opens it in Explain). Shows `PAGE` at a time with a "Show more" button.
 */
export function ImageGallery({
  datasetId,
  items,
  names,
  onOpen,
  testId,
  empty = 'No images.',
}: {
  datasetId: string;
  items: readonly GalleryItem[];
  names: readonly string[];
  onOpen: (item: GalleryItem) => void;
  testId: string;
  empty?: string;
}) {
  const [shown, setShown] = useState(PAGE);
  if (items.length === 0) return <p className="text-sm text-fg-subtle">{empty}</p>;
  return (
    <div>
      <ul className="flex flex-wrap gap-2" data-testid={testId} aria-label="Images">
        {items.slice(0, shown).map((it) => {
          const t = names[it.trueClass] ?? String(it.trueClass);
          const d = names[it.decision] ?? String(it.decision);
          return (
            <li key={it.index}>
              <Button
                variant="bare"
                data-testid={`${testId}.thumb`}
                data-index={it.index}
                data-true={it.trueClass}
                data-pred={it.decision}
                onClick={() => onOpen(it)}
                title={`#${it.index} · true ${t} · decided ${d} · ${pct(it.confidence)}${it.cost !== undefined ? ` · cost ${it.cost}` : ''} — open in Explain`}
                className="flex w-20 flex-col items-center gap-0.5 rounded border border-border p-1 text-center text-[10px] leading-tight hover:border-ring"
              >
                <DatasetThumb
                  datasetId={datasetId}
                  index={it.index}
                  size={64}
                  label={`Image ${it.index}, true ${t}, decided ${d}`}
                />
                <span className="w-full truncate text-fg-muted">{t}</span>
                <span className="w-full truncate font-medium">→ {d}</span>
                <span className="text-fg-subtle tabular-nums">
                  {pct(it.confidence)}
                  {it.cost !== undefined ? ` · ${it.cost}` : ''}
                </span>
              </Button>
            </li>
          );
        })}
      </ul>
      {items.length > shown && (
        <Button className="mt-2" onClick={() => setShown((s) => s + PAGE)} data-testid={`${testId}.more`}>
          Show more ({items.length - shown} left)
        </Button>
      )}
    </div>
  );
}
