'use client';

import { useState } from 'react';
import type { MethodId } from '@/lib/explain';
import { rankByFaithfulness, type FaithfulnessOrder, type FaithfulnessSetResult } from '@/lib/trust';
import { num, pct } from '@/lib/format';
import { Checkbox } from '@/components/ui/input';
import { Panel } from '@/components/ui/panel';
import { NumCell, TableHead } from '@/components/ui/table';
import { ToggleGroup } from '@/components/ui/toggle-group';
import { useSetJob, type SetCheckProps } from './use-trust-job';
import { CheckPanel, JobControls, SetSizeField } from './fields';

/** The run button, progress test ids and words of this check. */
const CHECK = { testId: 'trust.set', what: 'faithfulness over the set' } as const;

export interface SetMethod {
  id: MethodId;
  label: string;
  /** The view's parameters for it, as the worker takes them. */
  config: Record<string, unknown>;
}

export const ORDER_ITEMS: { value: FaithfulnessOrder; label: string }[] = [
  { value: 'listed', label: 'As listed' },
  { value: 'deletion', label: 'Best deletion' },
  { value: 'insertion', label: 'Best insertion' },
];

/** Deletion / insertion areas per method averaged over images of the evaluation set (predicted class each). */
export function FaithfulnessSetPanel({
  modelId,
  datasetId,
  methods,
}: SetCheckProps & { methods: readonly SetMethod[] }) {
  const [n, setN] = useState(20);
  const [off, setOff] = useState<ReadonlySet<MethodId>>(() => new Set(['occlusion', 'rise']));
  const [order, setOrder] = useState<FaithfulnessOrder>('deletion');
  const job = useSetJob<FaithfulnessSetResult>(`set|${modelId}`, datasetId);
  const chosen = methods.filter((m) => !off.has(m.id));
  const run = () =>
    job.start((api, id, onProgress, set) =>
      api.faithfulnessSet(
        id,
        { modelId, datasetId: set, n, methods: chosen.map((m) => ({ method: m.id, config: m.config })) },
        onProgress,
      ),
    );
  const r = job.state?.result;
  const label = (id: MethodId) => methods.find((m) => m.id === id)?.label ?? id;
  if (!datasetId)
    return (
      <Panel title="Faithfulness over the evaluation set">
        <p className="text-sm text-fg-muted">This model has no evaluation set: add a labelled set in Evaluate first.</p>
      </Panel>
    );
  return (
    <CheckPanel title="Faithfulness over the evaluation set" testId="trust.set">
      <fieldset className="flex flex-wrap gap-x-4 gap-y-1">
        <legend className="mb-1 text-xs text-fg-muted">
          Methods (occlusion and RISE are slow; each runs with its parameters from the Explain tab)
        </legend>
        {methods.map((m) => (
          <label key={m.id} className="flex items-center gap-1">
            <Checkbox
              checked={!off.has(m.id)}
              onChange={(e) => {
                const next = new Set(off);
                if (e.target.checked) next.delete(m.id);
                else next.add(m.id);
                setOff(next);
              }}
              data-testid={`trust.set.method.${m.id}`}
            />
            {m.label}
          </label>
        ))}
      </fieldset>
      <JobControls job={job} onRun={run} runLabel={`Measure on ${n} images`} disabled={chosen.length === 0} {...CHECK}>
        <SetSizeField value={n} max={500} onChange={setN} testId="trust.set.n" />
      </JobControls>
      {r && (
        <div className="flex flex-col gap-2" data-testid="trust.set.result">
          <ToggleGroup label="Order methods" value={order} onChange={setOrder} items={ORDER_ITEMS} />
          <table className="w-full max-w-xl text-sm">
            <TableHead columns={['Method', 'Deletion AUC ↓', 'Insertion AUC ↑', 'Beats random (del / ins)']} />
            <tbody>
              {rankByFaithfulness(r.methods, order, (m) => m).map((m) => (
                <tr key={m.method} className="border-t border-border" data-testid={`trust.set.row.${m.method}`}>
                  <td className="p-1">
                    {label(m.method)}
                    {m.error && <span className="block text-xs text-danger">{m.error}</span>}
                  </td>
                  <NumCell value={m.deletion}>{num(m.deletion, 3)}</NumCell>
                  <NumCell value={m.insertion}>{num(m.insertion, 3)}</NumCell>
                  <NumCell>
                    {pct(m.beatsDeletion, 0)} / {pct(m.beatsInsertion, 0)}
                  </NumCell>
                </tr>
              ))}
              <tr className="border-t border-border text-fg-muted">
                <td className="p-1">Random order (floor)</td>
                <NumCell value={r.randomDeletion}>{num(r.randomDeletion, 3)}</NumCell>
                <NumCell value={r.randomInsertion}>{num(r.randomInsertion, 3)}</NumCell>
                <NumCell />
              </tr>
            </tbody>
          </table>
          <p className="text-xs text-fg-subtle tabular-nums">
            {r.n} images, {r.steps} steps per curve, {Math.round(r.ms / 100) / 10} s.
          </p>
        </div>
      )}
    </CheckPanel>
  );
}
