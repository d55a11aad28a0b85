'use client';

import { useMemo, useState } from 'react';
import { costAtThreshold } from '@/lib/metrics';
import {
  operatingPointReport,
  parseScenariosJson,
  saveScenario,
  scenarioProblem,
  scenarioSettings,
  scenariosToJson,
} from '@/lib/evaluate';
import type { SavedScenario } from '@/lib/store';
import { Panel } from '@/components/ui/panel';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Alert, InlineMessage } from '@/components/ui/alert';
import { downloadText } from '@/components/ui/download';
import { num as fmt } from '@/lib/format';
import type { EvaluatePanelProps } from './panel-contract';
import { FileImportButton, SentenceForm } from './inline-fields';

const numberOf = (s: string) => Number(s.trim().replace(',', '.').replace(/%$/, ''));

/** Two questions set the cost matrix, the priors and the threshold; scenarios are saved, exported, imported. */
export function ScenarioPanel({ analysis, labels, settings, onChange, onView }: EvaluatePanelProps) {
  const k = labels.length;
  const [picked, setPositive] = useState<number | null>(null);
  const positive = picked !== null && picked < k ? picked : k === 2 ? 1 : 0;
  const [miss, setMiss] = useState('20');
  const [share, setShare] = useState('2');
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const saved = settings.scenarios ?? [];
  const draft: SavedScenario = {
    name: name.trim() || `${labels[positive] ?? ''}: miss ${miss}×, ${share} %`,
    positive,
    missCost: numberOf(miss),
    prevalence: numberOf(share) / 100,
  };
  const problem = scenarioProblem(draft, k);
  const apply = (s: SavedScenario) => {
    onChange(scenarioSettings(s, k));
    onView({ rule: 'threshold', scenario: s });
    setMessage({ tone: 'success', text: `Applied “${s.name}”.` });
  };
  const op = analysis?.operatingPoint ?? null;
  const report = useMemo(() => (analysis && op ? operatingPointReport(analysis, op.positive) : null), [analysis, op]);
  const importFile = async (f: File) => {
    try {
      const list = parseScenariosJson(await f.text(), labels);
      onChange({ scenarios: list.reduce(saveScenario, saved) });
      setMessage({
        tone: 'success',
        text: `Imported ${list.length} scenario${list.length === 1 ? '' : 's'} from “${f.name}”.`,
      });
    } catch (e) {
      setMessage({
        tone: 'error',
        text: `“${f.name}”: ${e instanceof Error ? e.message : String(e)} Nothing was imported.`,
      });
    }
  };
  return (
    <Panel title="Scenario" testId="evaluate.scenario">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <SentenceForm
          parts={[
            'A missed',
            {
              cls: {
                labels,
                value: positive,
                onChange: setPositive,
                label: 'Class',
                testId: 'evaluate.scenario.class',
              },
            },
            'costs',
            {
              num: {
                value: miss,
                onChange: setMiss,
                label: 'Cost of a miss in false alarms',
                testId: 'evaluate.scenario.miss',
              },
            },
            '× a false alarm, and it is',
            {
              num: {
                value: share,
                onChange: setShare,
                onEnter: () => problem === null && apply(draft),
                label: 'Share of cases in percent',
                testId: 'evaluate.scenario.share',
              },
            },
            '% of cases.',
          ]}
        />
        <Button
          size="sm"
          disabled={problem !== null}
          onClick={() => apply(draft)}
          data-testid="evaluate.scenario.apply"
        >
          Apply
        </Button>
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
        <Input
          size="sm"
          className="w-48"
          value={name}
          placeholder="Name (optional)"
          onChange={(e) => setName(e.target.value)}
          aria-label="Scenario name"
          data-testid="evaluate.scenario.name"
        />
        <Button
          size="sm"
          disabled={problem !== null}
          onClick={() => onChange({ scenarios: saveScenario(saved, draft) })}
          data-testid="evaluate.scenario.save"
        >
          Save
        </Button>
        <Button
          size="sm"
          disabled={saved.length === 0}
          onClick={() => downloadText('scenarios.json', scenariosToJson(saved, labels), 'application/json')}
          data-testid="evaluate.scenario.export"
        >
          Export JSON
        </Button>
        <FileImportButton
          size="sm"
          accept=".json,application/json"
          label="Import scenarios (JSON)"
          testId="evaluate.scenario.import"
          onFile={(f) => void importFile(f)}
        >
          Import JSON…
        </FileImportButton>
      </div>
      {problem && (
        <InlineMessage tone="error" className="mt-1 text-xs" data-testid="evaluate.scenario.problem">
          {problem}
        </InlineMessage>
      )}
      {message && (
        <Alert tone={message.tone} size="sm" className="mt-2" data-testid={`evaluate.scenario.${message.tone}`}>
          {message.text}
        </Alert>
      )}
      <SavedList
        saved={saved}
        onApply={apply}
        onDelete={(name) => onChange({ scenarios: saved.filter((x) => x.name !== name) })}
      />
      {analysis && op && report && (
        <p className="mt-3 text-sm" role="status" data-testid="evaluate.scenario.rule">
          Decision rule: decide <strong>{analysis.classNames[op.positive]}</strong> when its probability
          {analysis.priors ? ' (corrected to your priors)' : ''} is above <strong>{fmt(op.threshold, 3)}</strong>,
          otherwise the most probable other class. It costs {fmt(costAtThreshold(report.cost, op.threshold), 4)} per
          case {report.atPriors ? 'at your priors' : 'on this set’s mix'}, against {fmt(report.argmaxCost, 4)} for the
          argmax: it saves{' '}
          <span
            data-testid="evaluate.scenario.saves"
            data-value={report.argmaxCost - costAtThreshold(report.cost, op.threshold)}
          >
            {fmt(report.argmaxCost - costAtThreshold(report.cost, op.threshold), 4)}
          </span>{' '}
          per case. On this set the cheapest threshold is {fmt(report.cost.best.threshold, 3)}.
        </p>
      )}
    </Panel>
  );
}

/** The saved scenarios as chips: click to apply, × to delete. */
function SavedList({
  saved,
  onApply,
  onDelete,
}: {
  saved: readonly SavedScenario[];
  onApply: (s: SavedScenario) => void;
  onDelete: (name: string) => void;
}) {
  if (saved.length === 0) return null;
  return (
    <ul className="mt-2 flex flex-wrap gap-2 text-xs" data-testid="evaluate.scenario.saved">
      {saved.map((s) => (
        <li key={s.name} className="flex items-center gap-1 rounded border border-border px-2 py-1">
          <Button
            variant="bare"
            className="underline"
            onClick={() => onApply(s)}
            data-testid="evaluate.scenario.saved.apply"
          >
            {s.name}
          </Button>
          <Button variant="bare" aria-label={`Delete ${s.name}`} onClick={() => onDelete(s.name)}>
            ×
          </Button>
        </li>
      ))}
    </ul>
  );
}
