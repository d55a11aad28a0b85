'use client';

import { labelFrequencies, normalisedPriors } from '@/lib/evaluate';
import { Panel } from '@/components/ui/panel';
import { Button } from '@/components/ui/button';
import { NumberCell } from './number-cell';
import { pct } from '@/lib/format';
import type { EvaluatePanelProps } from './panel-contract';
import { NumCell, TableHead } from '@/components/ui/table';
import { CellError, useCellErrors } from './cell-errors';
import { PriorsOneStep } from './priors-one-step';

/**
 * Class priors expected in use. null = no re-weighting (the model's posteriors as they are). Values may be
 * on any scale (counts, percentages); they are normalised to sum 1.
 */
export function PriorsPanel({ labels, settings, onChange, set, trainingMix }: EvaluatePanelProps) {
  const priors = settings.priors;
  const onPriors = (p: number[] | null) => onChange({ priors: p });
  const setLabels = set.labels;
  const k = labels.length;
  const freq = labelFrequencies(setLabels, k);
  const shown = priors ?? freq;
  const norm = normalisedPriors(shown);
  const zeroSum = priors !== null && norm === null;
  const cellErrors = useCellErrors();
  return (
    <Panel title="Class priors" testId="evaluate.priors">
      <p className="mb-2 text-xs text-fg-muted">
        How often each class is expected in use. The posteriors are re-weighted, p′(i|x) ∝ p(i|x)·π′(i)/π(i) (Saerens et
        al. 2002), with π the training priors (uniform), and every panel updates.
      </p>
      <PriorsOneStep labels={labels} base={priors} onPriors={onPriors} />
      <div className="mb-2 flex flex-wrap gap-2">
        <Button onClick={() => onPriors(freq.map((v) => Number(v.toFixed(6))))} data-testid="evaluate.priors.empirical">
          This set’s mix
        </Button>
        <Button onClick={() => onPriors(new Array<number>(k).fill(1))} data-testid="evaluate.priors.uniform">
          Uniform
        </Button>
        <Button
          onClick={() => trainingMix && onPriors([...trainingMix])}
          disabled={!trainingMix}
          title={
            trainingMix
              ? 'The class counts the model was trained on (its card)'
              : 'The model’s card does not give its training mix'
          }
          data-testid="evaluate.priors.training"
        >
          Training mix (card)
        </Button>
        <Button onClick={() => onPriors(null)} disabled={priors === null} data-testid="evaluate.priors.none">
          No re-weighting
        </Button>
      </div>
      <p role="status" className="mb-2 text-xs font-medium" data-testid="evaluate.priors.state">
        {priors === null
          ? 'Not re-weighted: the model’s posteriors are used as they are.'
          : 'Re-weighted to the priors below: figures marked “at your priors” weigh each class by its prior.'}
      </p>
      {zeroSum && (
        <p role="alert" className="mb-2 text-xs text-danger">
          The priors sum to 0; give at least one class a positive value.
        </p>
      )}
      <CellError message={cellErrors.first} testId="evaluate.priors.cell-error" />
      <table className="w-full text-xs tabular-nums">
        <TableHead columns={['Class', 'In the set', 'Prior', '= share']} />
        <tbody>
          {labels.map((l, i) => (
            <tr key={i} className="border-t border-border">
              <td className="p-1">{l}</td>
              <NumCell>{pct(freq[i])}</NumCell>
              <NumCell>
                <NumberCell
                  value={shown[i] ?? 0}
                  label={`Prior of ${l}`}
                  testId={`evaluate.priors.${i}`}
                  onCommit={(v) => onPriors(shown.map((p, j) => (j === i ? v : p)))}
                  onInvalid={cellErrors.report(String(i))}
                />
              </NumCell>
              <NumCell testId={`evaluate.priors.share.${i}`}>{priors === null ? '—' : pct(norm?.[i])}</NumCell>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
