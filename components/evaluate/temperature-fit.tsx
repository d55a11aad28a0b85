'use client';

import { useMemo } from 'react';
import { temperatureReport } from '@/lib/metrics';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { Checkbox } from '@/components/ui/input';
import { InlineMessage } from '@/components/ui/alert';
import { num as fmt, pct } from '@/lib/format';

/**
 * Temperature scaling fitted on half of the set, with NLL / ECE / MCE on the other half before and after,
 * and a switch that applies T to this model's probabilities in every view.
 */
export function TemperatureFit({
  probs,
  labels,
  k,
  modelId,
}: {
  probs: Float32Array;
  labels: Int32Array;
  k: number;
  modelId?: string;
}) {
  const applied = useDashboard((s) => (modelId ? s.temperatures[modelId] : undefined));
  const setTemperature = useDashboard((s) => s.setTemperature);
  const fit = useMemo(() => {
    try {
      return { report: temperatureReport(probs, labels, k) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [probs, labels, k]);
  if (!fit.report) {
    return <InlineMessage className="mt-2 text-xs">{fit.error}</InlineMessage>;
  }
  const r = fit.report;
  const rows = [
    ['NLL', fmt(r.before.nll, 3), fmt(r.after.nll, 3), 'nll'],
    ['ECE', pct(r.before.ece, 2), pct(r.after.ece, 2), 'ece'],
    ['MCE', pct(r.before.mce, 1), pct(r.after.mce, 1), 'mce'],
  ] as const;
  return (
    <div className="mt-3 border-t border-border pt-2 text-xs" data-testid="evaluate.temperature">
      <h3 className="mb-1 font-semibold text-fg-muted">Temperature scaling</h3>
      <p className="mb-1 text-fg-muted">
        Fitted on half of the set ({r.fitCount} images): T ={' '}
        <span
          className="font-semibold tabular-nums"
          data-testid="evaluate.temperature.value"
          data-value={r.temperature}
        >
          {fmt(r.temperature, 3)}
        </span>{' '}
        (
        {r.temperature > 1
          ? 'the model is over-confident: probabilities are softened'
          : 'the model is under-confident: probabilities are sharpened'}
        ). Measured on the other half ({r.heldOutCount} images), which the fit did not see; the most probable class
        never changes.
      </p>
      <table className="mb-2 tabular-nums">
        <thead>
          <tr className="text-fg-subtle">
            <th className="p-1 text-left font-medium">Held-out half</th>
            <th className="p-1 text-right font-medium">As trained</th>
            <th className="p-1 text-right font-medium">With T</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, before, after, id]) => (
            <tr key={id} className="border-t border-border">
              <td className="p-1">{label}</td>
              {(
                [
                  ['before', before],
                  ['after', after],
                ] as const
              ).map(([when, text]) => (
                <td
                  key={when}
                  className="p-1 text-right"
                  data-testid={`evaluate.temperature.${id}.${when}`}
                  data-value={r[when][id] ?? ''}
                >
                  {text}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {modelId && (
        <label className="flex items-center gap-2">
          <Checkbox
            checked={applied !== undefined}
            onChange={(e) => setTemperature(modelId, e.target.checked ? Number(r.temperature.toPrecision(4)) : null)}
            data-testid="evaluate.temperature.apply"
          />
          <span>
            Apply T to this model everywhere (Explain’s probabilities, cost decisions, Compare)
            {applied !== undefined && ` — in use: T = ${fmt(applied, 3)}`}
          </span>
        </label>
      )}
    </div>
  );
}
