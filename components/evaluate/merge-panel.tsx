'use client';

import { useState } from 'react';
import { addMergeGroup, removeMergeGroup } from '@/lib/evaluate';
import { Panel } from '@/components/ui/panel';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/input';
import type { EvaluatePanelProps } from './panel-contract';

/** Pick classes and merge them into one (e.g. Shirt + T-shirt/top); every panel is recomputed. */
export function MergePanel({ labels, settings, onChange }: EvaluatePanelProps) {
  const merges = settings.merges;
  const onMerges = (m: number[][]) => onChange({ merges: m });
  const [picked, setPicked] = useState<number[]>([]);
  const toggle = (i: number) => setPicked((p) => (p.includes(i) ? p.filter((x) => x !== i) : [...p, i]));
  return (
    <Panel title="Merge classes" testId="evaluate.merge">
      <p className="mb-2 text-xs text-fg-muted">
        Merged classes count as one: their posteriors are added, confusions between them stop being mistakes. A class
        already in a group moves to the new one.
      </p>
      <fieldset>
        <legend className="sr-only">Classes to merge</legend>
        <div className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
          {labels.map((l, i) => (
            <label key={i} className="flex items-center gap-1.5">
              <Checkbox
                checked={picked.includes(i)}
                onChange={() => toggle(i)}
                data-testid={`evaluate.merge.class.${i}`}
              />
              <span>{l}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="mt-2 flex flex-wrap gap-2">
        <Button
          variant="primary"
          disabled={picked.length < 2}
          onClick={() => {
            onMerges(addMergeGroup(merges, picked));
            setPicked([]);
          }}
          data-testid="evaluate.merge.apply"
        >
          Merge {picked.length >= 2 ? picked.length : ''} selected
        </Button>
        <Button disabled={merges.length === 0} onClick={() => onMerges([])} data-testid="evaluate.merge.clear">
          Undo all merges
        </Button>
      </div>
      {merges.length > 0 && (
        <ul className="mt-2 flex flex-col gap-1 text-sm" data-testid="evaluate.merge.groups">
          {merges.map((g, gi) => (
            <li
              key={g.join('+')}
              className="flex items-center justify-between gap-2 rounded bg-muted px-2 py-1"
              data-testid="evaluate.merge.group"
            >
              <span>{g.map((c) => labels[c] ?? String(c)).join(' + ')}</span>
              <Button
                variant="ghost"
                size="sm"
                onClick={() => onMerges(removeMergeGroup(merges, gi))}
                aria-label={`Split ${g.map((c) => labels[c]).join(' + ')}`}
              >
                Split
              </Button>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
