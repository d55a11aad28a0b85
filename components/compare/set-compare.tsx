'use client';

import { useEffect, useId, useMemo } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { Button } from '@/components/ui/button';
import { Panel } from '@/components/ui/panel';
import { cn } from '@/components/ui/cn';
import { evaluationKey } from '@/lib/store/dashboard-store';
import { defaultCostSettings, labelSetKey } from '@/lib/store/cost-settings';
import { analyse, type Analysis } from '@/lib/metrics/analysis';
import { compareAnalyses, DECISION_RULES, mcnemarSentence, pText, sameClasses, type DecisionRule, type SetComparison } from '@/lib/compare/paired';
import { useCompare, useCompareApi } from './compare-context';
import { ConfusionGrid } from './confusion-grid';
import { CaseList } from './case-list';

interface SetOption {
  id: string;
  name: string;
  labels: readonly string[];
}

/** The evaluation-set half: metrics of both, McNemar, confusion matrices, per-class deltas, regressions / fixes. */
export function SetCompare() {
  const store = useCompareApi();
  const a = useCompare((s) => s.slots.a.modelId);
  const b = useCompare((s) => s.slots.b.modelId);
  const datasetId = useCompare((s) => s.datasetId);
  const rule = useCompare((s) => s.rule);
  const infoA = useDashboard((s) => (a ? s.models[a]?.info : undefined));
  const infoB = useDashboard((s) => (b ? s.models[b]?.info : undefined));
  const manifest = useDashboard((s) => s.manifest);
  const datasets = useDashboard((s) => s.datasets);
  const ensureEvaluation = useDashboard((s) => s.ensureEvaluation);
  const cancelEvaluation = useDashboard((s) => s.cancelEvaluation);
  const selectId = useId();
  const ruleId = useId();

  const options = useMemo((): SetOption[] => {
    const out: SetOption[] = (manifest?.datasets ?? []).map((d) => ({ id: d.id, name: d.name, labels: d.labels }));
    for (const d of Object.values(datasets)) if (d.meta.source === 'user') out.push({ id: d.meta.id, name: d.meta.name, labels: d.meta.labels });
    return out;
  }, [manifest, datasets]);

  // Default set: the one both models declare (else A's, else B's).
  useEffect(() => {
    if (datasetId || !infoA || !infoB) return;
    const declared = infoA.datasetId === infoB.datasetId ? infoA.datasetId : (infoA.datasetId ?? infoB.datasetId);
    if (declared) store.getState().setDataset(declared);
  }, [datasetId, infoA, infoB, store]);

  const option = options.find((o) => o.id === datasetId);
  const classesMatch = !!infoA && !!infoB && sameClasses(infoA.labels, infoB.labels);
  const setMatches = !!option && !!infoA && sameClasses(option.labels, infoA.labels);
  const runnable = !!a && !!b && !!datasetId && classesMatch && setMatches;

  useEffect(() => {
    if (!runnable || !a || !b || !datasetId) return;
    void ensureEvaluation(a, datasetId).then(() => ensureEvaluation(b, datasetId));
  }, [runnable, a, b, datasetId, ensureEvaluation]);

  const evalA = useDashboard((s) => (a && datasetId ? s.evaluations[evaluationKey(a, datasetId)] : undefined));
  const evalB = useDashboard((s) => (b && datasetId ? s.evaluations[evaluationKey(b, datasetId)] : undefined));
  const storedCost = useDashboard((s) => (infoA ? s.costSettings[labelSetKey(infoA.labels)] : undefined));
  const settings = useMemo(() => storedCost ?? (infoA ? defaultCostSettings(infoA.labels.length) : null), [storedCost, infoA]);

  const computed = useMemo((): { cmp: SetComparison; analysisA: Analysis } | { error: string } | null => {
    const ra = evalA?.result;
    const rb = evalB?.result;
    if (!runnable || !ra || !rb || !infoA || !settings) return null;
    try {
      const analysisA = analyse({ probs: ra.probs, labels: ra.labels, classNames: infoA.labels, settings });
      const analysisB = analyse({ probs: rb.probs, labels: rb.labels, classNames: infoA.labels, settings });
      return { cmp: compareAnalyses(analysisA, analysisB, rule), analysisA };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [runnable, evalA, evalB, infoA, settings, rule]);

  const progressA = evalA?.status === 'loading' ? evalA.progress : null;
  const progressB = evalB?.status === 'loading' ? evalB.progress : null;
  const running = progressA !== null || progressB !== null;

  return (
    <section className="flex flex-col gap-4" aria-label="On the evaluation set" data-testid="compare.set">
      <Panel title="On the evaluation set">
        <div className="flex flex-wrap items-end gap-4">
          <div className="flex flex-col gap-1">
            <label htmlFor={selectId} className="text-xs font-medium text-slate-600 dark:text-slate-300">
              Evaluation set
            </label>
            <select
              id={selectId}
              data-testid="compare.dataset"
              value={datasetId ?? ''}
              onChange={(e) => store.getState().setDataset(e.target.value || null)}
              className="min-w-56 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800"
            >
              {!datasetId && <option value="">Choose a set…</option>}
              {options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={ruleId} className="text-xs font-medium text-slate-600 dark:text-slate-300">
              Decision
            </label>
            <select
              id={ruleId}
              data-testid="compare.rule"
              value={rule}
              onChange={(e) => store.getState().setRule(e.target.value as DecisionRule)}
              className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800"
            >
              {DECISION_RULES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          </div>
          {running && (
            <div role="status" className="flex items-center gap-3 text-sm" data-testid="compare.eval.progress">
              <span className="tabular-nums">
                Evaluating… A {Math.round((progressA ?? (evalA?.status === 'ready' ? 1 : 0)) * 100)}% · B{' '}
                {Math.round((progressB ?? (evalB?.status === 'ready' ? 1 : 0)) * 100)}%
              </span>
              <Button
                variant="ghost"
                onClick={() => {
                  if (a && datasetId) cancelEvaluation(a, datasetId);
                  if (b && datasetId) cancelEvaluation(b, datasetId);
                }}
              >
                Cancel
              </Button>
            </div>
          )}
          {!running && runnable && (evalA?.status === 'idle' || evalB?.status === 'idle') && (
            <Button onClick={() => a && b && datasetId && void ensureEvaluation(a, datasetId).then(() => ensureEvaluation(b, datasetId))}>Evaluate both</Button>
          )}
        </div>
        <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
          Costs and class priors are the ones set in the Evaluate view for these classes
          {storedCost ? '' : ' (none set: every mistake costs 1, no prior shift)'}.
        </p>
        {infoA && infoB && !classesMatch && (
          <p role="alert" className="mt-2 text-sm text-amber-800 dark:text-amber-200">
            A and B name different classes, so their results on a set cannot be paired. The single-image comparison above still works.
          </p>
        )}
        {classesMatch && option && !setMatches && (
          <p role="alert" className="mt-2 text-sm text-amber-800 dark:text-amber-200">
            “{option.name}” is labelled with other classes than these models predict. Choose a set made for them.
          </p>
        )}
        {(evalA?.status === 'error' || evalB?.status === 'error') && (
          <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
            Evaluation failed: {evalA?.error ?? evalB?.error}
          </p>
        )}
        {computed && 'error' in computed && (
          <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
            {computed.error}
          </p>
        )}
      </Panel>
      {computed && 'cmp' in computed && <SetResults cmp={computed.cmp} datasetId={datasetId as string} />}
    </section>
  );
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const pts = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v * 100).toFixed(1)} pts`);
const num = (v: number | null) => (v === null ? '—' : v.toFixed(3));
const signed = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(3)}`);

function SetResults({ cmp, datasetId }: { cmp: SetComparison; datasetId: string }) {
  const { paired, delta } = cmp;
  const m = paired.mcnemar;
  const rows: { id: string; label: string; a: number | null; b: number | null; d: number | null; fmt: (v: number | null) => string; dfmt: (v: number | null) => string; lowerIsBetter?: boolean }[] = [
    { id: 'accuracy', label: 'Accuracy', a: delta.accuracy.a, b: delta.accuracy.b, d: delta.accuracy.delta, fmt: pct, dfmt: pts },
    { id: 'balanced-accuracy', label: 'Balanced accuracy', a: delta.balancedAccuracy.a, b: delta.balancedAccuracy.b, d: delta.balancedAccuracy.delta, fmt: pct, dfmt: pts },
    { id: 'macro-f1', label: 'Macro-F1', a: delta.macroF1.a, b: delta.macroF1.b, d: delta.macroF1.delta, fmt: num, dfmt: signed },
    { id: 'cost', label: 'Cost per image (on this set)', a: cmp.cost.a, b: cmp.cost.b, d: cmp.cost.delta, fmt: num, dfmt: signed, lowerIsBetter: true },
    { id: 'expected-cost', label: 'Expected cost (the model’s own estimate)', a: cmp.expectedCost.a, b: cmp.expectedCost.b, d: cmp.expectedCost.delta, fmt: num, dfmt: signed, lowerIsBetter: true },
  ];
  return (
    <>
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title={`Metrics on ${paired.n.toLocaleString('en')} images`}>
          <table className="w-full text-sm" data-testid="compare.metrics">
            <thead>
              <tr className="text-left text-xs text-slate-500">
                <th className="py-1 font-medium">Metric</th>
                <th className="py-1 text-right font-medium">A</th>
                <th className="py-1 text-right font-medium">B</th>
                <th className="py-1 text-right font-medium">B − A</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const better = r.d === null || r.d === 0 ? null : r.lowerIsBetter ? r.d < 0 : r.d > 0;
                return (
                  <tr key={r.id} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="py-1">{r.label}</td>
                    <td className="py-1 text-right tabular-nums" data-testid={`compare.metric.${r.id}.a`} data-value={r.a ?? ''}>
                      {r.fmt(r.a)}
                    </td>
                    <td className="py-1 text-right tabular-nums" data-testid={`compare.metric.${r.id}.b`} data-value={r.b ?? ''}>
                      {r.fmt(r.b)}
                    </td>
                    <td
                      className={cn('py-1 text-right tabular-nums', better === true && 'text-emerald-700 dark:text-emerald-400', better === false && 'text-red-700 dark:text-red-400')}
                      data-testid={`compare.metric.${r.id}.delta`}
                      data-value={r.d ?? ''}
                    >
                      {r.dfmt(r.d)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Panel>
        <Panel title="Is the difference real? (McNemar’s test)">
          <table className="text-sm" data-testid="compare.mcnemar">
            <thead>
              <tr className="text-xs text-slate-500">
                <th />
                <th className="px-3 py-1 font-medium">B right</th>
                <th className="px-3 py-1 font-medium">B wrong</th>
              </tr>
            </thead>
            <tbody className="tabular-nums">
              <tr>
                <th className="py-1 pr-3 text-left text-xs font-medium text-slate-500">A right</th>
                <td className="px-3 py-1 text-center">{paired.table.bothRight}</td>
                <td className="px-3 py-1 text-center font-semibold text-red-700 dark:text-red-400" data-testid="compare.mcnemar.b" data-value={m.b}>
                  {m.b}
                </td>
              </tr>
              <tr>
                <th className="py-1 pr-3 text-left text-xs font-medium text-slate-500">A wrong</th>
                <td className="px-3 py-1 text-center font-semibold text-emerald-700 dark:text-emerald-400" data-testid="compare.mcnemar.c" data-value={m.c}>
                  {m.c}
                </td>
                <td className="px-3 py-1 text-center">{paired.table.bothWrong}</td>
              </tr>
            </tbody>
          </table>
          <p className="mt-3 text-sm" data-testid="compare.mcnemar.sentence">
            {mcnemarSentence(m)}
          </p>
          <p className="mt-1 text-xs text-slate-500 tabular-nums" data-testid="compare.mcnemar.p" data-value={m.p}>
            {pText(m.p)} ({m.recommended === 'exact' ? 'exact binomial' : `χ² = ${m.chiSquare?.toFixed(2)}`}, {m.discordant} discordant images)
          </p>
        </Panel>
      </div>
      <Panel title="Confusion matrices (rows = true class, columns = decision)">
        <div className="flex flex-wrap gap-6">
          <ConfusionGrid title="A" counts={cmp.a.confusion.counts} k={cmp.k} names={cmp.classNames} testId="compare.confusion.a" />
          <ConfusionGrid title="B" counts={cmp.b.confusion.counts} k={cmp.k} names={cmp.classNames} testId="compare.confusion.b" />
          <ConfusionGrid title="B − A" counts={cmp.confusionDelta} k={cmp.k} names={cmp.classNames} testId="compare.confusion.diff" diverging />
        </div>
        <p className="mt-2 text-xs text-slate-500">
          In B − A, green on the diagonal means B gets more of that class right; red off the diagonal means B makes that mistake more often.
        </p>
      </Panel>
      <Panel title="Per class (B − A)">
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="compare.perclass">
            <thead>
              <tr className="text-left text-xs text-slate-500">
                <th className="py-1 font-medium">Class</th>
                <th className="py-1 text-right font-medium">Images</th>
                <th className="py-1 text-right font-medium">Recall A</th>
                <th className="py-1 text-right font-medium">Recall B</th>
                <th className="py-1 text-right font-medium">Δ recall</th>
                <th className="py-1 text-right font-medium">Δ precision</th>
                <th className="py-1 text-right font-medium">F1 A</th>
                <th className="py-1 text-right font-medium">F1 B</th>
                <th className="py-1 text-right font-medium">Δ F1</th>
              </tr>
            </thead>
            <tbody>
              {delta.perClass.map((c) => (
                <tr key={c.index} className="border-t border-slate-100 dark:border-slate-800" data-testid="compare.perclass.row">
                  <td className="py-1">{cmp.classNames[c.index]}</td>
                  <td className="py-1 text-right tabular-nums">{c.supportA}</td>
                  <td className="py-1 text-right tabular-nums">{pct(c.recall.a)}</td>
                  <td className="py-1 text-right tabular-nums">{pct(c.recall.b)}</td>
                  <DeltaCell v={c.recall.delta} />
                  <DeltaCell v={c.precision.delta} />
                  <td className="py-1 text-right tabular-nums">{num(c.f1.a)}</td>
                  <td className="py-1 text-right tabular-nums">{num(c.f1.b)}</td>
                  <DeltaCell v={c.f1.delta} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
      <CaseList cmp={cmp} datasetId={datasetId} />
    </>
  );
}

function DeltaCell({ v }: { v: number | null }) {
  return (
    <td className={cn('py-1 text-right tabular-nums', v !== null && v > 0.005 && 'text-emerald-700 dark:text-emerald-400', v !== null && v < -0.005 && 'text-red-700 dark:text-red-400')}>
      {pts(v)}
    </td>
  );
}
