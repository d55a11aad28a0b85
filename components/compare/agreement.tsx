'use client';

import { Fragment, useMemo } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { AttributionCanvas } from '@/components/ui/attribution-canvas';
import { DEFAULT_LOOK, type LookSettings } from '@/lib/render';
import { pairMaps, type PairedMaps } from '@/lib/compare';
import { useCompare } from './compare-context';
import { useSlotRequest } from './use-slot-request';
import { useSlotBlock } from './use-slot-state';
import { MAP_SIZE, MapPlaceholder } from './slot-explanation';

/** Symmetric scale ±max|A − B| (clip at the 100th percentile of |D|), blue → white → red. */
const DIFF_LOOK: LookSettings = { ...DEFAULT_LOOK, mode: 'heatmap', clipPercentile: 100, colormap: 'rdbu' };

/** Difference map A − B on the image's grid and the two agreement scores. */
export function Agreement({ targetA, targetB }: { targetA: number | null; targetB: number | null }) {
  const reqA = useSlotRequest('a', targetA);
  const reqB = useSlotRequest('b', targetB);
  const expA = useCompare((s) => s.slots.a.explanation);
  const expB = useCompare((s) => s.slots.b.explanation);
  const a = useCompare((s) => s.slots.a.modelId);
  const b = useCompare((s) => s.slots.b.modelId);
  const policyA = useDashboard(
    (s) => s.resize ?? (a ? s.models[a]?.info?.preprocessing.resize : undefined) ?? 'stretch',
  );
  const policyB = useDashboard(
    (s) => s.resize ?? (b ? s.models[b]?.info?.preprocessing.resize : undefined) ?? 'stretch',
  );
  const imageW = useDashboard((s) => s.images.find((i) => i.id === s.selectedImageId)?.width ?? 0);
  const imageH = useDashboard((s) => s.images.find((i) => i.id === s.selectedImageId)?.height ?? 0);

  const mapA = reqA && expA.key === reqA.key ? expA.attribution : undefined;
  const mapB = reqB && expB.key === reqB.key ? expB.attribution : undefined;
  const result = useMemo((): { paired: PairedMaps } | { error: string } | null => {
    if (!mapA || !mapB || !imageW || !imageH) return null;
    try {
      return {
        paired: pairMaps(
          { values: mapA.values, width: mapA.width, height: mapA.height, policy: policyA },
          { values: mapB.values, width: mapB.width, height: mapB.height, policy: policyB },
          { width: imageW, height: imageH },
        ),
      };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [mapA, mapB, policyA, policyB, imageW, imageH]);
  const paired = result && 'paired' in result ? result.paired : null;
  // Why there is no difference map: the side that cannot have a map says why.
  const blockA = useSlotBlock('a', targetA, targetA);
  const blockB = useSlotBlock('b', targetB, targetA);
  const blocked = blockA || blockB ? `${blockA ?? blockB} So there is no difference to show.` : null;
  const compose = useMemo(
    () =>
      paired
        ? { values: paired.difference, mapWidth: paired.grid.width, mapHeight: paired.grid.height, signed: true }
        : null,
    [paired],
  );

  return (
    <div className="flex flex-wrap items-start gap-6">
      <figure className="flex flex-col gap-1">
        <figcaption className="text-xs font-medium text-fg-muted">A − B (each scaled to its own maximum)</figcaption>
        {compose ? (
          <AttributionCanvas
            input={compose}
            look={DIFF_LOOK}
            size={MAP_SIZE}
            label="Difference of the two explanations, A minus B"
            testId="compare.map.diff"
          />
        ) : (
          <MapPlaceholder>
            {result && 'error' in result ? (
              <span role="alert">{result.error}</span>
            ) : blocked ? (
              <span role="status" data-testid="compare.map.diff.blocked">
                {blocked}
              </span>
            ) : (
              'Waiting for both explanations…'
            )}
          </MapPlaceholder>
        )}
        <span className="flex items-center gap-1 text-xs text-fg-subtle">
          <span
            className="inline-block h-2 w-16 rounded bg-linear-to-r from-blue-700 via-white to-red-700"
            aria-hidden
          />
          blue: B relies on it more · red: A does
        </span>
      </figure>
      <dl className="grid min-w-56 grid-cols-[auto_auto] gap-x-4 gap-y-2 text-sm" data-testid="compare.agreement">
        {SCORES.map((s) => {
          const v = paired?.[s.key];
          return (
            <Fragment key={s.id}>
              <dt className="text-fg-muted" title={s.title}>
                {s.label}
              </dt>
              <dd className="text-right tabular-nums" data-testid={`compare.agreement.${s.id}`} data-value={v ?? ''}>
                {v === undefined ? (blocked ? '—' : '…') : v === null ? s.flat : v.toFixed(3)}
              </dd>
            </Fragment>
          );
        })}
        <dt className="text-fg-muted">Compared at</dt>
        <dd className="text-right text-fg-subtle tabular-nums" data-testid="compare.agreement.grid">
          {paired ? `${paired.grid.width}×${paired.grid.height} px` : blocked ? '—' : '…'}
        </dd>
        {paired && <dd className="col-span-2 max-w-64 text-xs text-fg-subtle">{agreementWords(paired)}</dd>}
      </dl>
    </div>
  );
}

/** The two agreement scores of a pair of maps; `flat`: what a score reads as when a map is constant. */
const SCORES = [
  {
    id: 'spearman',
    key: 'spearman',
    label: 'Rank agreement (Spearman ρ)',
    title: 'Spearman rank correlation over the pixels both models saw: 1 = same ranking, 0 = unrelated, −1 = opposite.',
    flat: '— (a map is flat)',
  },
  {
    id: 'topk',
    key: 'topOverlap',
    label: 'Top 10 % overlap (IoU)',
    title:
      'Intersection over union of the 10 % of pixels each map ranks highest: 1 = the same pixels, 0 = none in common.',
    flat: '—',
  },
] as const;

function agreementWords(p: PairedMaps): string {
  if (p.spearman === null || p.topOverlap === null)
    return 'One of the maps is flat, so there is no ranking to compare.';
  if (p.topOverlap >= 0.5 && p.spearman >= 0.6) return 'The two models rely on largely the same pixels.';
  if (p.topOverlap < 0.2 || p.spearman < 0.2) return 'The two models look at different parts of the image.';
  return 'The models partly rely on the same pixels.';
}
