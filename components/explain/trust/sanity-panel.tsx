'use client';

import type { Attribution, ImageInput, MethodId } from '@/lib/explain';
import type { SanityReport } from '@/lib/trust';
import type { LookSettings } from '@/lib/render';
import { num } from '@/lib/format';
import { AttributionImage } from '@/components/ui/attribution-canvas';
import { useTrustJob } from './use-trust-job';
import { CheckPanel, JobControls } from './fields';

/** The run button, progress test ids and words of this check. */
const CHECK = { testId: 'trust.sanity', runLabel: 'Run the sanity check', what: 'sanity check' } as const;

const VERDICTS = {
  passes: 'Passes: the map changes as the model is destroyed, so it depends on what the model learned.',
  partly: 'Partly: the map changes somewhat as the model is destroyed; part of it comes from the image alone.',
  fails: 'Fails: the map hardly changes when the model is destroyed — it behaves like an edge detector of the image.',
} as const;

/** Cascading randomisation: the maps in a row as the layers are re-drawn from the top, and a verdict. */
export function SanityPanel({
  modelId,
  imageId,
  jobKey,
  attribution,
  method,
  config,
  input,
  look,
}: {
  modelId: string;
  imageId: string;
  jobKey: string | null;
  attribution: Attribution | undefined;
  method: { id: MethodId; label: string };
  config: Record<string, unknown>;
  input: ImageInput | undefined;
  look: LookSettings;
}) {
  const job = useTrustJob<SanityReport>(`sanity|${jobKey ?? ''}`);
  const run = () => {
    if (!attribution) return;
    const req = { modelId, imageId, method: method.id, target: attribution.target, config };
    job.start((api, id, onProgress) => api.sanityCheck(id, req, onProgress));
  };
  const r = job.state?.result;
  const tile = (values: Float32Array, title: string, sub: string, key: string) => (
    <li key={key} className="flex w-[112px] flex-col gap-1" data-testid="trust.sanity.step">
      {attribution && (
        <AttributionImage image={input} attribution={{ ...attribution, values }} look={look} size={112} label={title} />
      )}
      <span className="truncate text-xs font-medium" title={title}>
        {title}
      </span>
      <span className="text-xs text-fg-muted tabular-nums">{sub}</span>
    </li>
  );
  return (
    <CheckPanel title="Sanity check: does the map change when the model is destroyed?" testId="trust.sanity">
      <p className="text-fg-muted">
        The layers are re-drawn at random from the output down, one more at each step, on a copy of the model (yours is
        untouched), and {method.label} is computed again. ρ (Spearman) and SSIM compare each |map| with the original: a
        map that stays the same cannot be explaining the model.
      </p>
      <JobControls job={job} onRun={run} disabled={!attribution} {...CHECK} />
      {r && (
        <div className="flex flex-col gap-2" data-testid="trust.sanity.result">
          <ul className="flex flex-wrap gap-3">
            {tile(r.original, 'Original model', 'ρ 1 · SSIM 1', 'original')}
            {r.steps.map((s, i) =>
              tile(s.values, `… + ${s.layer} random`, `ρ ${num(s.spearman, 2)} · SSIM ${num(s.ssim, 2)}`, `${i}`),
            )}
          </ul>
          <p role="status" data-testid="trust.sanity.verdict" data-verdict={r.verdict}>
            {VERDICTS[r.verdict]}
          </p>
        </div>
      )}
    </CheckPanel>
  );
}
