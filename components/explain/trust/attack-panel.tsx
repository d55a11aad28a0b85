'use client';

import { useState } from 'react';
import type { Attribution, ImageInput, MethodId } from '@/lib/explain';
import { argmax } from '@/lib/explain-view';
import type { AttackReport } from '@/lib/trust';
import type { LookSettings } from '@/lib/render';
import { pct } from '@/lib/format';
import { AttributionImage } from '@/components/ui/attribution-canvas';
import { useTrustJob } from './use-trust-job';
import { CheckPanel, ChoiceField, classOptions, flipLevels, IntField, JobControls } from './fields';

/** The run button, progress test ids and words of this check. */
const CHECK = { testId: 'trust.attack', runLabel: 'Attack', what: 'attack' } as const;

interface AttackView {
  report: AttackReport;
  /** The method's map of the perturbed image (for the class explained before). */
  after: Attribution;
}

/** The perturbed image as 8-bit pixels (what the worker's image strip holds). */
function toBytes(data: Float32Array): Uint8Array {
  return Uint8Array.from(data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}

/** FGSM / PGD on the image: perturbed image, amplified perturbation, predictions and the map before / after. */
export function AttackPanel({
  modelId,
  imageId,
  attribution,
  method,
  config,
  input,
  labels,
  look,
}: {
  modelId: string;
  imageId: string;
  attribution: Attribution | undefined;
  method: { id: MethodId; label: string };
  config: Record<string, unknown>;
  input: ImageInput | undefined;
  labels: readonly string[];
  look: LookSettings;
}) {
  const [levels, setLevels] = useState(4);
  const [steps, setSteps] = useState(1);
  const [toward, setToward] = useState<string>('');
  const job = useTrustJob<AttackView>(`attack|${modelId}|${imageId}|${attribution?.target ?? ''}|${method.id}`);
  const run = () => {
    if (!attribution || !input) return;
    const target = toward === '' ? null : Number(toward);
    const req = { modelId, imageId, source: attribution.target, target, levels, steps };
    job.start(async (api, id) => {
      const report = await api.attack(id, req);
      const c = report.channels === 3 ? 3 : 1;
      const img = await api.addPixels(toBytes(report.perturbed), report.width, report.height, c, 'perturbed');
      try {
        const explainReq = { modelId, imageId: img.id, method: method.id, target: attribution.target, config };
        return { report, after: await api.explain(id, explainReq) };
      } finally {
        await api.removeImage(img.id);
      }
    });
  };
  const r = job.state?.result;
  const name = (k: number) => labels[k] ?? `class ${k}`;
  const asImage = (data: Float32Array): ImageInput | undefined =>
    input ? { width: input.width, height: input.height, channels: input.channels, data } : undefined;
  const amplified = (d: Float32Array) => Float32Array.from(d, (v) => 0.5 + (v * 0.5 * 255) / Math.max(1, levels));
  return (
    <CheckPanel title="Adversarial robustness: does a change you cannot see flip the decision?" testId="trust.attack">
      <p className="text-fg-muted">
        FGSM moves every pixel by ε (in grey levels of 1/255) against the gradient of the class score; PGD repeats
        smaller steps and stays within ε. A targeted attack pushes the image towards a chosen class instead.
      </p>
      <JobControls job={job} onRun={run} disabled={!attribution} {...CHECK}>
        {[
          { key: 'levels', label: 'ε (grey levels /255)', value: levels, min: 0, max: 64, onChange: setLevels },
          { key: 'steps', label: 'Steps (1 = FGSM)', value: steps, min: 1, max: 50, onChange: setSteps },
        ].map(({ key, ...f }) => (
          <IntField key={key} {...f} testId={`trust.attack.${key}`} />
        ))}
        <ChoiceField
          label="Towards"
          value={toward}
          onChange={setToward}
          options={[{ value: '', label: 'any other class (untargeted)' }, ...classOptions(labels)]}
          testId="trust.attack.target"
        />
      </JobControls>
      {r && attribution && (
        <div className="flex flex-col gap-2" data-testid="trust.attack.result">
          <ul className="flex flex-wrap gap-3 text-xs">
            {[
              { key: 'map-before', title: `${method.label}, before`, image: input, a: attribution },
              { key: 'perturbed', title: 'Perturbed image', image: asImage(r.report.perturbed), a: undefined },
              {
                key: 'delta',
                title: 'Perturbation (amplified)',
                image: asImage(amplified(r.report.delta)),
                a: undefined,
              },
              { key: 'map-after', title: `${method.label}, after`, image: asImage(r.report.perturbed), a: r.after },
            ].map((t) => (
              <li key={t.key} className="flex w-[112px] flex-col gap-1" data-testid={`trust.attack.${t.key}`}>
                <AttributionImage image={t.image} attribution={t.a} look={look} size={112} label={t.title} />
                <span>{t.title}</span>
              </li>
            ))}
          </ul>
          <p
            role="status"
            data-testid="trust.attack.verdict"
            data-before={argmax(r.report.probsBefore)}
            data-after={argmax(r.report.probsAfter)}
            data-flip={r.report.flipEpsilon ?? ''}
            data-flip-pgd={r.report.flipEpsilonPgd ?? ''}
            data-p-before={r.report.probsBefore[attribution.target]}
            data-p-after={r.report.probsAfter[attribution.target]}
          >
            Before: {name(argmax(r.report.probsBefore))} ({pct(r.report.probsBefore[argmax(r.report.probsBefore)])}).
            After: {name(argmax(r.report.probsAfter))} ({pct(r.report.probsAfter[argmax(r.report.probsAfter)])}). The
            smallest ε that changes the decision: FGSM {flipLevels(r.report.flipEpsilon)}, PGD{' '}
            {flipLevels(r.report.flipEpsilonPgd)}.
          </p>
        </div>
      )}
    </CheckPanel>
  );
}
