'use client';

import { useId, useMemo, useRef, useState } from 'react';
import type { Analysis } from '@/lib/metrics/analysis';
import { costliestMistakes, costMatrixToCsv, costMatrixToJson, missedClassCost, zeroOneCost } from '@/lib/metrics/cost';
import { expectedCostByClass, RULE_LABELS, type RuleId } from '@/lib/evaluate/export';
import { parseCostFile, setCell } from '@/lib/evaluate/settings';
import { Panel } from '@/components/ui/panel';
import { Button } from '@/components/ui/button';
import { NumberCell } from './number-cell';
import { ImageGallery, type GalleryItem } from './image-gallery';
import { downloadText, fmt } from './download';

const MISTAKES = 24;

export function CostPanel({
  labels,
  matrix,
  onMatrix,
  analysis,
  rule,
  datasetId,
  onOpen,
}: {
  /** The model's own class names (the editor works on the original classes). */
  labels: readonly string[];
  matrix: number[][];
  onMatrix: (m: number[][]) => void;
  analysis: Analysis;
  rule: RuleId;
  datasetId: string;
  onOpen: (item: GalleryItem) => void;
}) {
  const ids = { missed: useId(), factor: useId() };
  const fileRef = useRef<HTMLInputElement>(null);
  const [missed, setMissed] = useState(0);
  const [factor, setFactor] = useState('10');
  const [importError, setImportError] = useState<string | null>(null);
  const [importInfo, setImportInfo] = useState<string | null>(null);
  const [cellErrors, setCellErrors] = useState<Record<string, string>>({});
  const k = labels.length;
  const r = analysis[rule];
  const merged = analysis.k !== k;

  const perClassExpected = useMemo(() => expectedCostByClass(r, analysis.labels, analysis.k), [r, analysis]);
  const mistakes: GalleryItem[] = useMemo(
    () =>
      costliestMistakes(analysis.labels, r.decisions, analysis.cost, analysis.probs, MISTAKES).map((m) => ({
        index: m.index,
        trueClass: m.trueClass,
        decision: m.decision,
        confidence: m.confidence ?? 0,
        cost: Number(m.cost.toFixed(4)),
      })),
    [analysis, r],
  );

  const factorNum = Number(factor.replace(',', '.'));
  const factorOk = factor.trim() !== '' && Number.isFinite(factorNum) && factorNum >= 0;

  const importFile = async (file: File) => {
    setImportError(null);
    setImportInfo(null);
    try {
      const c = parseCostFile(file.name, await file.text(), labels);
      onMatrix(c.matrix);
      setImportInfo(`Loaded “${file.name}”.`);
    } catch (e) {
      setImportError(e instanceof Error ? e.message : String(e));
    }
  };

  const cellErrorList = Object.values(cellErrors);
  return (
    <Panel title="Misclassification cost" testId="evaluate.cost">
      <p className="mb-2 text-xs text-slate-600 dark:text-slate-300">
        C(i, j) = the cost of deciding <em>j</em> when the truth is <em>i</em> (rows = true class, columns = decision). Expected cost of a decision:
        R(j|x) = Σᵢ p(i|x)·C(i, j).
      </p>
      <div className="mb-3 flex flex-wrap items-end gap-2">
        <Button onClick={() => onMatrix(zeroOneCost(labels).matrix)} data-testid="evaluate.cost.preset.zero-one">
          0/1 (every mistake costs 1)
        </Button>
        <span className="flex flex-wrap items-center gap-1 text-sm">
          <label htmlFor={ids.missed}>Missing</label>
          <select
            id={ids.missed}
            data-testid="evaluate.cost.missed-class"
            value={missed}
            onChange={(e) => setMissed(Number(e.target.value))}
            className="rounded border border-slate-300 bg-white px-1 py-1 text-sm dark:border-slate-600 dark:bg-slate-800"
          >
            {labels.map((l, i) => (
              <option key={i} value={i}>
                {l}
              </option>
            ))}
          </select>
          <label htmlFor={ids.factor}>costs</label>
          <input
            id={ids.factor}
            data-testid="evaluate.cost.factor"
            inputMode="decimal"
            value={factor}
            aria-invalid={!factorOk}
            onChange={(e) => setFactor(e.target.value)}
            className="w-14 rounded border border-slate-300 px-1 py-1 text-right text-sm tabular-nums dark:border-slate-600 dark:bg-slate-800"
          />
          <span>× a false alarm</span>
          <Button disabled={!factorOk} onClick={() => onMatrix(missedClassCost(labels, missed, factorNum).matrix)} data-testid="evaluate.cost.preset.missed">
            Apply
          </Button>
        </span>
        <span className="ml-auto flex flex-wrap gap-2">
          <Button onClick={() => fileRef.current?.click()} data-testid="evaluate.cost.import-button">
            Import…
          </Button>
          <Button onClick={() => downloadText('cost-matrix.json', costMatrixToJson({ labels: [...labels], matrix }), 'application/json')} data-testid="evaluate.cost.export-json">
            Export JSON
          </Button>
          <Button onClick={() => downloadText('cost-matrix.csv', costMatrixToCsv({ labels: [...labels], matrix }), 'text/csv')} data-testid="evaluate.cost.export-csv">
            Export CSV
          </Button>
          <input
            ref={fileRef}
            type="file"
            accept=".json,.csv,.tsv,.txt,application/json,text/csv"
            className="sr-only"
            tabIndex={-1}
            aria-label="Import a cost matrix (JSON or CSV)"
            data-testid="evaluate.cost.import"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void importFile(f);
            }}
          />
        </span>
      </div>
      {!factorOk && <p className="mb-2 text-xs text-red-700 dark:text-red-300">The factor must be a number ≥ 0.</p>}
      {importError && (
        <p role="alert" data-testid="evaluate.cost.error" className="mb-2 rounded border border-red-300 bg-red-50 p-2 text-xs text-red-800 dark:border-red-700 dark:bg-red-950 dark:text-red-200">
          {importError} The current matrix was kept.
        </p>
      )}
      {importInfo && !importError && (
        <p role="status" className="mb-2 text-xs text-emerald-700 dark:text-emerald-300">
          {importInfo}
        </p>
      )}
      {cellErrorList.length > 0 && (
        <p role="alert" className="mb-2 text-xs text-red-700 dark:text-red-300" data-testid="evaluate.cost.cell-error">
          {cellErrorList[0]} (the last valid value is still used)
        </p>
      )}
      <div className="grid gap-4 xl:grid-cols-[auto_minmax(0,1fr)]">
        <div className="overflow-x-auto">
          <table className="border-collapse text-xs" data-testid="evaluate.cost.matrix">
            <caption className="sr-only">Cost matrix, rows = true class, columns = decision</caption>
            <thead>
              <tr>
                <th scope="col" className="p-1 text-left font-normal text-slate-500">
                  true ↓ / decision →
                </th>
                {labels.map((l, j) => (
                  <th key={j} scope="col" title={l} className="max-w-14 truncate p-1 font-medium">
                    {l.length > 7 ? `${l.slice(0, 6)}…` : l}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {labels.map((l, i) => (
                <tr key={i}>
                  <th scope="row" className="p-1 pr-2 text-right font-medium whitespace-nowrap">
                    {l}
                  </th>
                  {labels.map((lj, j) => (
                    <td key={j} className="p-0.5">
                      <NumberCell
                        value={matrix[i]?.[j] ?? 0}
                        label={`Cost of deciding ${lj} when the truth is ${l}`}
                        testId={`evaluate.cost.cell.${i}.${j}`}
                        className={i === j ? 'bg-sky-50 dark:bg-sky-950' : undefined}
                        onCommit={(v) => onMatrix(setCell(matrix, i, j, v))}
                        onInvalid={(msg) =>
                          setCellErrors((prev) => {
                            const next = { ...prev };
                            if (msg) next[`${i}.${j}`] = msg;
                            else delete next[`${i}.${j}`];
                            return next;
                          })
                        }
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {merged && (
            <p className="mt-1 max-w-md text-xs text-slate-500">
              With merged classes the panels use a merged matrix: rows are averaged over the group (weighted by the class priors), columns averaged,
              confusions inside a group cost nothing.
            </p>
          )}
        </div>
        <div>
          <h3 className="mb-1 text-xs font-semibold text-slate-600 dark:text-slate-300">
            Cost under the {RULE_LABELS[rule]} rule, per true class
          </h3>
          <table className="w-full text-xs tabular-nums" data-testid="evaluate.cost.per-class">
            <thead>
              <tr className="text-left text-slate-500">
                <th scope="col" className="p-1 font-medium">
                  True class
                </th>
                <th scope="col" className="p-1 text-right font-medium">
                  Images
                </th>
                <th scope="col" className="p-1 text-right font-medium">
                  Realised total
                </th>
                <th scope="col" className="p-1 text-right font-medium">
                  Realised / image
                </th>
                <th scope="col" className="p-1 text-right font-medium">
                  Expected / image
                </th>
              </tr>
            </thead>
            <tbody>
              {r.cost.perClass.map((c) => (
                <tr key={c.index} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="p-1">{analysis.classNames[c.index]}</td>
                  <td className="p-1 text-right">{c.count}</td>
                  <td className="p-1 text-right" data-testid={`evaluate.cost.class.${c.index}.total`}>
                    {fmt(c.total, 2)}
                  </td>
                  <td className="p-1 text-right">{fmt(c.mean, 3)}</td>
                  <td className="p-1 text-right">{fmt(perClassExpected[c.index], 3)}</td>
                </tr>
              ))}
              <tr className="border-t-2 border-slate-300 font-semibold dark:border-slate-600">
                <td className="p-1">All</td>
                <td className="p-1 text-right">{analysis.labels.length}</td>
                <td className="p-1 text-right" data-testid="evaluate.cost.total">
                  {fmt(r.cost.total, 2)}
                </td>
                <td className="p-1 text-right" data-testid="evaluate.cost.mean">
                  {fmt(r.cost.mean, 3)}
                </td>
                <td className="p-1 text-right" data-testid="evaluate.cost.expected-mean">
                  {fmt(r.meanExpectedCost, 3)}
                </td>
              </tr>
            </tbody>
          </table>
          <p className="mt-1 text-xs text-slate-500">
            Realised = C(true, decision) summed over the images; expected = R(decision|x), what the model itself expects to pay.
          </p>
        </div>
      </div>
      <h3 className="mt-4 mb-2 text-xs font-semibold text-slate-600 dark:text-slate-300">
        Most costly mistakes ({RULE_LABELS[rule]}), most confident first within a cost
      </h3>
      <ImageGallery
        key={`${datasetId}|${rule}`}
        datasetId={datasetId}
        items={mistakes}
        names={analysis.classNames}
        onOpen={onOpen}
        testId="evaluate.mistakes"
        empty="No mistakes under this rule."
      />
    </Panel>
  );
}
