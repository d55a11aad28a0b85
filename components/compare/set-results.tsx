'use client';

import { Panel } from '@/components/ui/panel';
import { NumCell, TableHead } from '@/components/ui/table';
import { cn } from '@/components/ui/cn';
import { ScrollBox } from '@/components/ui/scroll-box';
import { ConfusionGrid } from '@/components/metrics/confusion-grid';
import { mcnemarSentence, pText, type SetComparison } from '@/lib/compare';
import { pct, pctPoints as pts } from '@/lib/format';
import { CaseList } from './case-list';

const num = (v: number | null) => (v === null ? '—' : v.toFixed(3));
const signed = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(3)}`);

/** Both models on the set: metrics and their differences, McNemar, confusion matrices, per class, cases. */
export function SetResults({ cmp, datasetId }: { cmp: SetComparison; datasetId: string }) {
  const { paired, delta } = cmp;
  const m = paired.mcnemar;
  const rows: {
    id: string;
    label: string;
    a: number | null;
    b: number | null;
    d: number | null;
    fmt: (v: number | null) => string;
    dfmt: (v: number | null) => string;
    lowerIsBetter?: boolean;
  }[] = [
    {
      id: 'accuracy',
      label: 'Accuracy',
      a: delta.accuracy.a,
      b: delta.accuracy.b,
      d: delta.accuracy.delta,
      fmt: pct,
      dfmt: pts,
    },
    {
      id: 'balanced-accuracy',
      label: 'Balanced accuracy',
      a: delta.balancedAccuracy.a,
      b: delta.balancedAccuracy.b,
      d: delta.balancedAccuracy.delta,
      fmt: pct,
      dfmt: pts,
    },
    {
      id: 'macro-f1',
      label: 'Macro-F1',
      a: delta.macroF1.a,
      b: delta.macroF1.b,
      d: delta.macroF1.delta,
      fmt: num,
      dfmt: signed,
    },
    {
      id: 'cost',
      label: 'Cost per image (on this set)',
      a: cmp.cost.a,
      b: cmp.cost.b,
      d: cmp.cost.delta,
      fmt: num,
      dfmt: signed,
      lowerIsBetter: true,
    },
    {
      id: 'expected-cost',
      label: 'Expected cost (the model’s own estimate)',
      a: cmp.expectedCost.a,
      b: cmp.expectedCost.b,
      d: cmp.expectedCost.delta,
      fmt: num,
      dfmt: signed,
      lowerIsBetter: true,
    },
  ];
  return (
    <>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Panel title={`Metrics on ${paired.n.toLocaleString('en')} images`}>
          <table className="w-full text-sm" data-testid="compare.metrics">
            <TableHead pad="row" columns={['Metric', 'A', 'B', 'B − A']} />
            <tbody>
              {rows.map((r) => {
                const better = r.d === null || r.d === 0 ? null : r.lowerIsBetter ? r.d < 0 : r.d > 0;
                return (
                  <tr key={r.id} className="border-t border-border">
                    <td className="py-1">{r.label}</td>
                    {(['a', 'b'] as const).map((side) => (
                      <NumCell key={side} pad="row" testId={`compare.metric.${r.id}.${side}`} value={r[side]}>
                        {r.fmt(r[side])}
                      </NumCell>
                    ))}
                    <NumCell
                      pad="row"
                      className={cn(better === true && 'text-success', better === false && 'text-danger')}
                      testId={`compare.metric.${r.id}.delta`}
                      value={r.d}
                    >
                      {r.dfmt(r.d)}
                    </NumCell>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Panel>
        <Panel title="Is the difference real? (McNemar’s test)">
          <table className="text-sm" data-testid="compare.mcnemar">
            <thead>
              <tr className="text-xs text-fg-subtle">
                <th />
                <th className="px-3 py-1 font-medium">B right</th>
                <th className="px-3 py-1 font-medium">B wrong</th>
              </tr>
            </thead>
            <tbody className="tabular-nums">
              <tr>
                <th className={ROW_HEAD}>A right</th>
                <McNemarCell n={paired.table.bothRight} />
                <McNemarCell n={m.b} id="b" tone="text-danger" />
              </tr>
              <tr>
                <th className={ROW_HEAD}>A wrong</th>
                <McNemarCell n={m.c} id="c" tone="text-success" />
                <McNemarCell n={paired.table.bothWrong} />
              </tr>
            </tbody>
          </table>
          <p className="mt-3 text-sm" data-testid="compare.mcnemar.sentence">
            {mcnemarSentence(m)}
          </p>
          <p className="mt-1 text-xs text-fg-subtle tabular-nums" data-testid="compare.mcnemar.p" data-value={m.p}>
            {pText(m.p)} ({m.recommended === 'exact' ? 'exact binomial' : `χ² = ${m.chiSquare?.toFixed(2)}`},{' '}
            {m.discordant} discordant images)
          </p>
        </Panel>
      </div>
      <Panel title="Confusion matrices (rows = true class, columns = decision)">
        <div className="flex flex-wrap gap-6">
          {(
            [
              { id: 'a', title: 'A', counts: cmp.a.confusion.counts },
              { id: 'b', title: 'B', counts: cmp.b.confusion.counts },
              { id: 'diff', title: 'B − A', counts: cmp.confusionDelta, mode: 'difference' },
            ] as const
          ).map(({ id, ...grid }) => (
            <ConfusionGrid
              key={id}
              {...grid}
              k={cmp.k}
              names={cmp.classNames}
              testId={`compare.confusion.${id}`}
              headers="names"
            />
          ))}
        </div>
        <p className="mt-2 text-xs text-fg-subtle">
          In B − A, green on the diagonal means B gets more of that class right; red off the diagonal means B makes that
          mistake more often.
        </p>
      </Panel>
      <Panel title="Per class (B − A)">
        <ScrollBox label="Per class (B − A)">
          <table className="w-full text-sm" data-testid="compare.perclass">
            <TableHead
              pad="row"
              columns={['Class', 'Images', 'Recall A', 'Recall B', 'Δ recall', 'Δ precision', 'F1 A', 'F1 B', 'Δ F1']}
            />
            <tbody>
              {delta.perClass.map((c) => (
                <tr key={c.index} className="border-t border-border" data-testid="compare.perclass.row">
                  <td className="py-1">{cmp.classNames[c.index]}</td>
                  <NumCell pad="row">{c.supportA}</NumCell>
                  <NumCell pad="row">{pct(c.recall.a)}</NumCell>
                  <NumCell pad="row">{pct(c.recall.b)}</NumCell>
                  <DeltaCell v={c.recall.delta} />
                  <DeltaCell v={c.precision.delta} />
                  <NumCell pad="row">{num(c.f1.a)}</NumCell>
                  <NumCell pad="row">{num(c.f1.b)}</NumCell>
                  <DeltaCell v={c.f1.delta} />
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      </Panel>
      <CaseList cmp={cmp} datasetId={datasetId} />
    </>
  );
}

const ROW_HEAD = 'py-1 pr-3 text-left text-xs font-medium text-fg-subtle';

/** A count of McNemar's 2×2 table; the discordant ones (`id` b or c) are coloured and read by tests. */
function McNemarCell({ n, id, tone }: { n: number; id?: 'b' | 'c'; tone?: string }) {
  return (
    <td
      className={cn('px-3 py-1 text-center', id && 'font-semibold', tone)}
      data-testid={id && `compare.mcnemar.${id}`}
      data-value={id && n}
    >
      {n}
    </td>
  );
}

function DeltaCell({ v }: { v: number | null }) {
  return (
    <NumCell
      pad="row"
      className={cn(v !== null && v > 0.005 && 'text-success', v !== null && v < -0.005 && 'text-danger')}
    >
      {pts(v)}
    </NumCell>
  );
}
