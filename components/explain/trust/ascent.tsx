'use client';

import { useState, type ReactNode } from 'react';
import type { LookSettings } from '@/lib/render';
import { AttributionImage } from '@/components/ui/attribution-canvas';
import { Checkbox } from '@/components/ui/input';
import { CurveChart } from './curve-chart';
import { ChoiceField, IntField, JobControls } from './fields';
import type { TrustJobState } from './use-trust-job';

/** The optimiser's settings shared by fooling images and feature visualisation (lib/trust/fooling.ts). */
export interface AscentSettings {
  start: 'grey' | 'noise';
  steps: number;
  regularise: boolean;
}

/** The settings and their fields (steps, start, jitter and blur); test ids under `testId`. */
export function useAscentSettings(testId: string, initialSteps = 64) {
  const [value, setValue] = useState<AscentSettings>({ start: 'grey', steps: initialSteps, regularise: true });
  const set = (patch: Partial<AscentSettings>) => setValue((v) => ({ ...v, ...patch }));
  const fields = (
    <>
      <IntField
        label="Steps"
        value={value.steps}
        min={1}
        max={1000}
        onChange={(steps) => set({ steps })}
        testId={`${testId}.steps`}
      />
      <ChoiceField
        label="Start from"
        value={value.start}
        onChange={(v) => set({ start: v === 'noise' ? 'noise' : 'grey' })}
        options={[
          { value: 'grey', label: 'grey' },
          { value: 'noise', label: 'noise' },
        ]}
      />
      <label className="flex items-center gap-1">
        <Checkbox
          checked={value.regularise}
          onChange={(e) => set({ regularise: e.target.checked })}
          data-testid={`${testId}.regularise`}
        />
        jitter and blur
      </label>
    </>
  );
  return { value, fields };
}

/** What an ascent job gives back: the image reached (HWC, [0, 1]) and the objective over the steps. */
export interface AscentReport {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
  trajectory: Float32Array;
}

/**
 * An ascent check (fooling image, feature visualisation): its own `children` fields and the optimiser's,
 * the run button and progress, then the image and curve it reached (test ids under `testId`).
 */
export function AscentCheck<T extends AscentReport>({
  job,
  onRun,
  settings,
  title,
  look,
  testId,
  runLabel,
  what,
  curveLabel,
  children,
}: {
  job: { state: TrustJobState<T> | null; cancel: () => void };
  onRun: () => void;
  settings: ReturnType<typeof useAscentSettings>;
  title: (r: T) => string;
  look: LookSettings;
  testId: string;
  runLabel: string;
  what: string;
  curveLabel: string;
  children?: ReactNode;
}) {
  const r = job.state?.result;
  return (
    <>
      <JobControls job={job} onRun={onRun} runLabel={runLabel} testId={testId} what={what}>
        {children}
        {settings.fields}
      </JobControls>
      {r && (
        <AscentResult result={r} title={title(r)} curveLabel={curveLabel} look={look} testId={`${testId}.result`} />
      )}
    </>
  );
}

/**
 * The image an ascent reached and its objective over the steps (the y axis spans [0, 1] and whatever the
 * trajectory reaches beyond it: a channel's activation); the numbers ride on data attributes.
 */
export function AscentResult({
  result,
  title,
  curveLabel,
  look,
  testId,
}: {
  /** The image reached (HWC, [0, 1]) and the objective before and after each step. */
  result: AscentReport;
  title: string;
  curveLabel: string;
  look: LookSettings;
  testId: string;
}) {
  const { trajectory } = result;
  const yRange = [Math.min(0, ...trajectory), Math.max(1, ...trajectory)] as const;
  return (
    <div
      className="flex flex-wrap items-start gap-4"
      data-testid={testId}
      data-first={trajectory[0]}
      data-last={trajectory[trajectory.length - 1]}
      data-steps={trajectory.length - 1}
    >
      <AttributionImage image={result} attribution={undefined} look={look} size={140} label={title} />
      <CurveChart
        title={title}
        xLabel="optimisation steps"
        series={[{ label: curveLabel, ys: trajectory, tone: 'map' }]}
        yRange={yRange}
        testId={`${testId}.curve`}
      />
    </div>
  );
}
