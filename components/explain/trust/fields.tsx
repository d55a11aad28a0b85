'use client';

import type { ReactNode } from 'react';
import type { RunState } from '@/lib/explain-view';
import { Button } from '@/components/ui/button';
import { Panel } from '@/components/ui/panel';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { RunStatusBar } from '../progress';

/** A labelled whole-number box; the value is rounded and clamped to [min, max] as it is typed. */
export function IntField({
  label,
  value,
  min,
  max,
  onChange,
  testId,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (v: number) => void;
  testId?: string;
}) {
  return (
    <label className="flex flex-col gap-1">
      <span className="text-xs text-fg-muted">{label}</span>
      <Input
        type="number"
        min={min}
        max={max}
        value={value}
        onChange={(e) => onChange(Math.max(min, Math.min(max, Math.round(Number(e.target.value) || min))))}
        className="w-24"
        data-testid={testId}
      />
    </label>
  );
}

/** A labelled menu of plain-text choices. */
export function ChoiceField({
  label,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (v: string) => void;
  testId?: string;
}) {
  return (
    <label className="flex flex-col gap-1">
      <span className="text-xs text-fg-muted">{label}</span>
      <Select value={value} onChange={(e) => onChange(e.target.value)} options={options} data-testid={testId} />
    </label>
  );
}

/** Class names as menu choices (value = the class index). */
export function classOptions(labels: readonly string[]): { value: string; label: string }[] {
  return labels.map((l, k) => ({ value: String(k), label: l }));
}

/** A flip ε in grey levels ("3/255"), or "none up to 32/255" (null: the search's limit). */
export function flipLevels(eps: number | null | undefined): string {
  return eps == null ? 'none up to 32/255' : `${Math.round(eps * 255)}/255`;
}

/** How many images of the set a set-level check uses. */
export function SetSizeField(props: { value: number; max: number; onChange: (v: number) => void; testId: string }) {
  return <IntField label="Images (spread over the set)" min={1} {...props} />;
}

/** What `JobControls` reads of a check's job (`useTrustJob`): its run and Cancel. */
export interface JobHandle {
  state: RunState | null;
  cancel: () => void;
}

/**
 * A check's controls: its fields, the button that starts it, and the run's progress with Cancel / Run again.
 * Test ids: the button `${testId}.run`, the progress `${testId}.progress`.
 */
export function JobControls({
  children,
  job,
  onRun,
  runLabel,
  disabled,
  testId,
  what,
}: {
  children?: ReactNode;
  job: JobHandle;
  onRun: () => void;
  runLabel: ReactNode;
  disabled?: boolean;
  testId: string;
  /** What runs, in words ("the attack"). */
  what: string;
}) {
  const run = job.state ?? undefined;
  return (
    <>
      <div className="flex flex-wrap items-end gap-3">
        {children}
        <Button onClick={onRun} disabled={disabled || run?.status === 'running'} data-testid={`${testId}.run`}>
          {runLabel}
        </Button>
      </div>
      <RunStatusBar run={run} onCancel={job.cancel} onRetry={onRun} label={what} testId={`${testId}.progress`} />
    </>
  );
}

/** A Trust check's panel: its title and test id, the body laid out as a column. */
export function CheckPanel({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <Panel title={title} testId={testId}>
      <div className="flex flex-col gap-3 text-sm">{children}</div>
    </Panel>
  );
}
