'use client';

import { useId } from 'react';
import type { MethodMeta, ParamSpec } from '@/lib/explain';
import type { ImageEntry } from '@/lib/store';
import type { ParamValue } from '@/lib/explain-view';
import { sharedParams } from '@/lib/compare';
import { Button } from '@/components/ui/button';
import { Checkbox, Input, Slider } from '@/components/ui/input';
import { SelectField, type SelectOption } from '@/components/ui/select';
import { cn } from '@/components/ui/cn';

/**
 * Where the form sits. "explain": every parameter of the method, test ids `explain.param.<name>`.
 * "compare": only the parameters applied to both models (numbers, choices, switches; a layer or a
 * baseline image names something inside one model), test ids `compare.param.<name>`.
 */
export type ParamFormSlot = 'explain' | 'compare';

/** A form generated from the method's configSpec. */

/** Classes offered as checkboxes (a 100,000-class model offers its first 200, not 100,000 inputs). */
const MAX_CLASS_CHECKBOXES = 200;

export function MethodControls({
  method,
  values,
  onChange,
  onReset,
  layers = [],
  labels = [],
  images = [],
  slot = 'explain',
  className,
}: {
  method: MethodMeta;
  values: Record<string, ParamValue>;
  onChange: (name: string, v: ParamValue) => void;
  onReset: () => void;
  layers?: readonly string[];
  labels?: readonly string[];
  images?: readonly ImageEntry[];
  slot?: ParamFormSlot;
  className?: string;
}) {
  const entries: [string, ParamSpec][] =
    slot === 'compare' ? sharedParams(method).map(({ key, spec }) => [key, spec]) : Object.entries(method.configSpec);
  // Compare says in its own words that model-specific settings use each model's default.
  if (slot === 'compare' && entries.length === 0) return null;
  return (
    <fieldset className={cn('flex flex-col gap-3', className)} data-testid={`${slot}.params`}>
      <legend className="sr-only">Parameters of {method.label}</legend>
      {entries.length === 0 && <p className="text-sm text-fg-subtle">This method has no parameters.</p>}
      {entries.map(([name, spec]) => (
        <Control
          key={name}
          testId={`${slot}.param.${name}`}
          spec={spec}
          value={values[name] ?? null}
          onChange={(v) => onChange(name, v)}
          layers={layers}
          labels={labels}
          images={images}
        />
      ))}
      {entries.length > 0 && (
        <div>
          <Button onClick={onReset} data-testid={`${slot}.params.reset`}>
            Reset to defaults
          </Button>
        </div>
      )}
    </fieldset>
  );
}

/** A choice parameter's options: its own, the model's layers (default: the last), or the strip's images. */
function choices(
  spec: Extract<ParamSpec, { kind: 'select' | 'layer' | 'image' }>,
  layers: readonly string[],
  images: readonly ImageEntry[],
): readonly SelectOption[] {
  if (spec.kind === 'select') return spec.options;
  if (spec.kind === 'layer')
    return [{ value: '', label: `Last (${layers.at(-1) ?? '—'})` }, ...layers.map((l) => ({ value: l, label: l }))];
  return [{ value: '', label: 'None' }, ...images.map((im) => ({ value: im.id, label: im.name }))];
}

function Control({
  testId,
  spec,
  value,
  onChange,
  layers,
  labels,
  images,
}: {
  testId: string;
  spec: ParamSpec;
  value: ParamValue;
  onChange: (v: ParamValue) => void;
  layers: readonly string[];
  labels: readonly string[];
  images: readonly ImageEntry[];
}) {
  const id = useId();
  const helpId = `${id}-help`;
  const help = (
    <p id={helpId} className="text-xs text-fg-muted">
      {spec.help}
    </p>
  );
  switch (spec.kind) {
    case 'number': {
      const v = typeof value === 'number' ? value : spec.min;
      // A log-ish slider would suit wide ranges; the box takes any value in range.
      const sliderMax = Math.min(spec.max, spec.integer && spec.max > 2000 ? Math.max(2000, v) : spec.max);
      return (
        <div className="flex flex-col gap-1">
          <label htmlFor={id} className="text-sm font-medium">
            {spec.label}
          </label>
          <div className="flex items-center gap-2">
            <Slider
              aria-label={`${spec.label} slider`}
              aria-describedby={helpId}
              min={spec.min}
              max={sliderMax}
              step={spec.step}
              value={Math.min(v, sliderMax)}
              onChange={(e) => onChange(Number(e.target.value))}
              className="flex-1"
            />
            <Input
              id={id}
              type="number"
              size="sm"
              data-testid={testId}
              aria-describedby={helpId}
              min={spec.min}
              max={spec.max}
              step={spec.step}
              value={v}
              onChange={(e) => {
                const n = Number(e.target.value);
                if (e.target.value !== '' && Number.isFinite(n))
                  onChange(Math.min(spec.max, Math.max(spec.min, spec.integer ? Math.round(n) : n)));
              }}
              className="w-24 text-right text-sm"
            />
          </div>
          {help}
        </div>
      );
    }
    case 'select':
    case 'layer':
    case 'image': {
      return (
        <SelectField
          label={spec.label}
          help={spec.help}
          size="sm"
          className="text-sm"
          data-testid={testId}
          value={String(value ?? '')}
          onChange={(e) => onChange(spec.kind === 'image' ? e.target.value || null : e.target.value)}
          options={choices(spec, layers, images)}
        />
      );
    }
    case 'boolean':
      return (
        <div className="flex flex-col gap-1">
          <label className="flex items-center gap-2 text-sm font-medium">
            <Checkbox
              data-testid={testId}
              aria-describedby={helpId}
              checked={value === true}
              onChange={(e) => onChange(e.target.checked)}
            />
            {spec.label}
          </label>
          {help}
        </div>
      );
    case 'classes': {
      const chosen = Array.isArray(value) ? value : [];
      return (
        <fieldset className="flex flex-col gap-1" aria-describedby={helpId}>
          <legend className="text-sm font-medium">{spec.label}</legend>
          <div className="flex max-h-32 flex-wrap gap-x-3 gap-y-1 overflow-y-auto" data-testid={testId}>
            {labels.slice(0, MAX_CLASS_CHECKBOXES).map((l, k) => (
              <label key={k} className="flex items-center gap-1 text-xs">
                <Checkbox
                  checked={chosen.includes(k)}
                  onChange={(e) => {
                    const next = e.target.checked ? [...chosen, k] : chosen.filter((x) => x !== k);
                    onChange(next.length ? next.sort((a, b) => a - b) : null);
                  }}
                />
                {l}
              </label>
            ))}
          </div>
          {help}
        </fieldset>
      );
    }
  }
}
