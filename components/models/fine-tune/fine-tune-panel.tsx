'use client';

import { useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { Button } from '@/components/ui/button';
import { FileInput, Input } from '@/components/ui/input';
import { SelectField } from '@/components/ui/select';
import { DEFAULT_HEAD_TUNE, headTuneProblem, type HeadTuneOptions } from '@/lib/train';
import { CurveChart } from './curve-chart';
import { HeadOptions } from './head-options';
import { useCutPoints, useHeadTune } from './use-head-tune';

const PHASE_TEXT = { reading: 'Reading the images', features: 'Computing features (frozen body)', train: 'Training the head' };

/** Opens on demand (the body is only mounted, and the base model only inspected, once the user asks). */
export function FineTunePanel() {
  const [open, setOpen] = useState(false);
  return (
    <details className="text-sm" data-testid="fine-tune.details" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer font-medium" data-testid="fine-tune.open">
        Train a new head on your own labelled images
      </summary>
      {open && <FineTuneBody />}
    </details>
  );
}

/** Teachable-Machine-style: a folder per class → features of a frozen body → a new dense head → a user model. */
function FineTuneBody() {
  const ids = useDashboard(useShallow((s) => s.modelOrder));
  const names = useDashboard(useShallow((s) => s.modelOrder.map((id) => s.models[id]?.name ?? id)));
  const selected = useDashboard((s) => s.selectedModelId);
  const [baseId, setBaseId] = useState<string | null>(null);
  const base = baseId ?? selected;
  const cuts = useCutPoints(base);
  const [files, setFiles] = useState<File[]>([]);
  const [options, setOptions] = useState<HeadTuneOptions>(DEFAULT_HEAD_TUNE);
  const [name, setName] = useState('');
  const { view, start, cancel } = useHeadTune();
  const folderRef = useRef<HTMLInputElement>(null);
  const zipRef = useRef<HTMLInputElement>(null);
  const problem = headTuneProblem(options);
  const classes = new Set(files.map((f) => (f.webkitRelativePath || f.name).split('/').slice(-2, -1)[0] ?? '')).size;

  const pick = (list: FileList | null) => setFiles(Array.from(list ?? []));
  return (
    <div className="mt-2 flex flex-col gap-3" data-testid="fine-tune.panel">
      <p className="text-fg-muted">
        Give labelled images — a folder with one sub-folder per class (new classes welcome), or a zip of that. The chosen
        model’s body is frozen, its features are computed once, and a new dense head is trained here on them. The result
        is saved as your model (body + head) for Explain, Compare and Evaluate. Nothing is uploaded.
      </p>
      <SelectField
        label="Base model"
        size="sm"
        disabled={view.running}
        data-testid="fine-tune.base"
        value={base ?? ''}
        onChange={(e) => setBaseId(e.target.value)}
        options={ids.map((id, i) => ({ value: id, label: names[i] ?? id }))}
      />
      {cuts.error && (
        <p role="alert" className="text-danger" data-testid="fine-tune.base-error">
          {cuts.error}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <Button disabled={view.running} onClick={() => folderRef.current?.click()} data-testid="fine-tune.choose-folder">
          Choose a folder…
        </Button>
        <Button disabled={view.running} onClick={() => zipRef.current?.click()}>
          Choose a zip or images…
        </Button>
        <span data-testid="fine-tune.file-count" className="tabular-nums text-fg-muted">
          {files.length === 0 ? 'No images chosen.' : `${files.length} files`}
          {files.length > 0 && classes > 1 ? ` in ${classes} folders` : ''}
        </span>
        {(
          [
            [folderRef, 'Folder of labelled images', 'fine-tune.folder', true],
            [zipRef, 'Zip or labelled images', 'fine-tune.files', false],
          ] as const
        ).map(([ref, label, testId, folder]) => (
          <FileInput
            key={testId}
            ref={ref}
            multiple
            aria-label={label}
            data-testid={testId}
            {...(folder ? ({ webkitdirectory: '' } as Record<string, string>) : {})}
            onChange={(e) => pick(e.target.files)}
          />
        ))}
      </div>
      <HeadOptions
        value={options}
        onChange={setOptions}
        cuts={cuts.points}
        defaultCut={cuts.defaultCut}
        disabled={view.running}
      />
      <label className="flex flex-col gap-1">
        <span className="font-medium">Name of the new model</span>
        <Input
          size="sm"
          value={name}
          placeholder="(base model) + new head"
          disabled={view.running}
          data-testid="fine-tune.name"
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      {problem && (
        <p role="alert" className="text-danger">
          {problem}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <Button
          variant="primary"
          disabled={view.running || !base || files.length === 0 || !!problem || !!cuts.error || cuts.points.length === 0}
          data-testid="fine-tune.train"
          onClick={() => base && void start(base, files, name, options)}
        >
          Train the head
        </Button>
        {view.running && (
          <Button onClick={cancel} data-testid="fine-tune.cancel">
            Cancel
          </Button>
        )}
        {view.running && view.phase && (
          <span role="status" className="flex items-center gap-2 tabular-nums" data-testid="fine-tune.progress">
            <progress max={1} value={view.fraction} aria-label="Fine-tuning progress" className="h-2 w-32" />
            {PHASE_TEXT[view.phase]}… {Math.round(view.fraction * 100)} %
          </span>
        )}
      </div>
      {view.error && (
        <p role="alert" className="text-danger" data-testid="fine-tune.error">
          {view.error}
        </p>
      )}
      {view.curve.length > 0 && <CurveChart curve={view.curve} epochs={options.epochs} />}
      {view.result && <ResultSummary result={view.result} />}
    </div>
  );
}

function ResultSummary({ result }: { result: NonNullable<ReturnType<typeof useHeadTune>['view']['result']> }) {
  return (
    <div className="rounded bg-accent-soft p-2" data-testid="fine-tune.result" data-model-id={result.modelId}>
      <p>
        Saved <strong>{result.name}</strong>: {result.classes.length} classes ({result.classes.join(', ')}), head on{' '}
        {result.cutLayer} ({result.featureLength} features), {result.trainCount} training and {result.heldOutCount}{' '}
        held-out images.
      </p>
      {result.heldOutCount > 0 && (
        <p className="tabular-nums">
          Held-out recall:{' '}
          {result.classes
            .map((c, i) => `${c} ${result.heldOutRecall[i] == null ? '—' : `${Math.round((result.heldOutRecall[i] ?? 0) * 100)} %`}`)
            .join(', ')}
        </p>
      )}
      <p className="tabular-nums text-fg-muted" data-testid="fine-tune.speed">
        Speed: {result.featureImagesPerSecond.toFixed(0)} images/s through the body,{' '}
        {result.trainExamplesPerSecond.toFixed(0)} examples/s through the head.
      </p>
      {result.skipped.length > 0 && (
        <details>
          <summary>{result.skipped.length} files not used</summary>
          <ul className="list-disc pl-5">
            {result.skipped.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
