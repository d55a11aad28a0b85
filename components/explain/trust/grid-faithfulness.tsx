'use client';

import { useState } from 'react';
import type { Attribution, MethodId } from '@/lib/explain';
import { rankByFaithfulness, type AucPair, type FaithfulnessOrder } from '@/lib/trust';
import { num } from '@/lib/format';
import { Button } from '@/components/ui/button';
import { ToggleGroup } from '@/components/ui/toggle-group';
import { RunStatusBar } from '../progress';
import { ORDER_ITEMS } from './faithfulness-set-panel';
import { useTrustJob } from './use-trust-job';

type Scores = Partial<Record<MethodId, AucPair>>;

/**
 * Deletion / insertion areas of every finished map of the All-methods grid (one worker job, maps one after
 * another), and the order the tiles are shown in.
 */
export function useGridFaithfulness(
  modelId: string,
  imageId: string,
  target: number,
  maps: readonly { id: MethodId; attribution: Attribution | undefined }[],
) {
  const done = maps.filter((m): m is { id: MethodId; attribution: Attribution } => m.attribution !== undefined);
  const job = useTrustJob<Scores>(`grid|${modelId}|${imageId}|${target}`);
  const [order, setOrder] = useState<FaithfulnessOrder>('listed');
  const scores: Scores = job.state?.result ?? {};
  const measure = () =>
    job.start(async (api, id, onProgress) => {
      const out: Scores = {};
      for (const [i, m] of done.entries()) {
        const r = await api.faithfulness(id, { modelId, imageId, target, values: m.attribution.values });
        out[m.id] = { deletion: r.deletion.auc, insertion: r.insertion.auc };
        onProgress((i + 1) / done.length);
      }
      return out;
    });
  return {
    job,
    scores,
    order,
    setOrder,
    measure,
    ready: done.length,
    sort: <T,>(items: readonly T[], idOf: (t: T) => MethodId) =>
      rankByFaithfulness(items, order, (t) => scores[idOf(t)]),
  };
}

export type GridFaithfulness = ReturnType<typeof useGridFaithfulness>;

/** The grid's faithfulness controls: measure every finished map, then order the tiles by it. */
export function GridFaithfulnessBar({ faith }: { faith: GridFaithfulness }) {
  const measured = Object.keys(faith.scores).length > 0;
  return (
    <div className="flex flex-col gap-2" data-testid="explain.grid.faithfulness">
      <div className="flex flex-wrap items-center gap-3">
        <Button
          onClick={faith.measure}
          disabled={faith.ready === 0 || faith.job.state?.status === 'running'}
          data-testid="explain.grid.faithfulness.run"
        >
          Measure deletion & insertion ({faith.ready} maps)
        </Button>
        {measured && (
          <ToggleGroup label="Order tiles" value={faith.order} onChange={faith.setOrder} items={ORDER_ITEMS} />
        )}
      </div>
      <RunStatusBar
        run={faith.job.state ?? undefined}
        onCancel={faith.job.cancel}
        onRetry={faith.measure}
        label="faithfulness of the maps"
        testId="explain.grid.faithfulness.progress"
      />
    </div>
  );
}

/** One tile's areas (deletion: lower is better; insertion: higher is better). */
export function TileAuc({ scores }: { scores: AucPair | undefined }) {
  if (!scores) return null;
  return (
    <p
      className="text-xs tabular-nums"
      data-testid="explain.grid.auc"
      data-deletion={scores.deletion}
      data-insertion={scores.insertion}
    >
      Deletion {num(scores.deletion, 3)} ↓ · insertion {num(scores.insertion, 3)} ↑
    </p>
  );
}
