'use client';

import { useState } from 'react';
import { costMatrixToCsv, costMatrixToJson, missedClassCost, zeroOneCost } from '@/lib/metrics';
import { parseCostFile } from '@/lib/evaluate';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select, classOptions } from '@/components/ui/select';
import { Alert, InlineMessage } from '@/components/ui/alert';
import { downloadText } from '@/components/ui/download';
import type { CostMatrixProps } from './cost-matrix-editor';
import { FileImportButton } from './inline-fields';

const EXPORTS = [
  { ext: 'json', text: costMatrixToJson, type: 'application/json' },
  { ext: 'csv', text: costMatrixToCsv, type: 'text/csv' },
] as const;

/** Ready-made cost matrices (0/1, "missing class i costs f×"), and import / export as JSON or CSV. */
export function CostPresets({ labels, matrix, onMatrix }: CostMatrixProps) {
  const [missed, setMissed] = useState(0);
  const [factor, setFactor] = useState('10');
  const [importError, setImportError] = useState<string | null>(null);
  const [importInfo, setImportInfo] = useState<string | null>(null);
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

  return (
    <>
      <div className="mb-3 flex flex-wrap items-end gap-2">
        <Button onClick={() => onMatrix(zeroOneCost(labels).matrix)} data-testid="evaluate.cost.preset.zero-one">
          0/1 (every mistake costs 1)
        </Button>
        <span className="flex flex-wrap items-center gap-1 text-sm">
          <label htmlFor="evaluate-cost-missed">Missing</label>
          <Select
            id="evaluate-cost-missed"
            data-testid="evaluate.cost.missed-class"
            value={missed}
            onChange={(e) => setMissed(Number(e.target.value))}
            options={classOptions(labels)}
          />
          <label htmlFor="evaluate-cost-factor">costs</label>
          <Input
            id="evaluate-cost-factor"
            data-testid="evaluate.cost.factor"
            inputMode="decimal"
            value={factor}
            aria-invalid={!factorOk}
            onChange={(e) => setFactor(e.target.value)}
            className="w-14 text-right tabular-nums"
          />
          <span>× a false alarm</span>
          <Button
            disabled={!factorOk}
            onClick={() => onMatrix(missedClassCost(labels, missed, factorNum).matrix)}
            data-testid="evaluate.cost.preset.missed"
          >
            Apply
          </Button>
        </span>
        <span className="ml-auto flex flex-wrap gap-2">
          <FileImportButton
            accept=".json,.csv,.tsv,.txt,application/json,text/csv"
            label="Import a cost matrix (JSON or CSV)"
            testId="evaluate.cost.import"
            onFile={(f) => void importFile(f)}
          >
            Import…
          </FileImportButton>
          {EXPORTS.map(({ ext, text, type }) => (
            <Button
              key={ext}
              onClick={() => downloadText(`cost-matrix.${ext}`, text({ labels: [...labels], matrix }), type)}
              data-testid={`evaluate.cost.export-${ext}`}
            >
              Export {ext.toUpperCase()}
            </Button>
          ))}
        </span>
      </div>
      {!factorOk && (
        <InlineMessage tone="error" className="mb-2 text-xs">
          The factor must be a number ≥ 0.
        </InlineMessage>
      )}
      {importError && (
        <Alert tone="error" size="sm" data-testid="evaluate.cost.error" className="mb-2">
          {importError} The current matrix was kept.
        </Alert>
      )}
      {importInfo && !importError && (
        <InlineMessage tone="success" role="status" className="mb-2 text-xs">
          {importInfo}
        </InlineMessage>
      )}
    </>
  );
}
