'use client';

import { useId } from 'react';
import type { MethodMeta, ParamSpec } from '@/lib/explain/types';
import type { ImageEntry } from '@/lib/store/types';
import type { ParamValue } from '@/lib/explain-view/params';
import { Button } from '@/components/ui/button';

const field = 'rounded border border-slate-300 bg-white px-1.5 py-0.5 text-sm dark:border-slate-600 dark:bg-slate-800';

/** A form generated from the method's configSpec. */
export function MethodControls({
  method,
  values,
  onChange,
  onReset,
  layers,
  labels,
  images,
}: {
  method: MethodMeta;
  values: Record<string, ParamValue>;
  onChange: (name: string, v: ParamValue) => void;
  onReset: () => void;
  layers: readonly string[];
  labels: readonly string[];
  images: readonly ImageEntry[];
}) {
  const entries = Object.entries(method.configSpec);
  return (
    <fieldset className="flex flex-col gap-3" data-testid="explain.params">
      <legend className="sr-only">Parameters of {method.label}</legend>
      {entries.length === 0 && <p className="text-sm text-slate-500">This method has no parameters.</p>}
      {entries.map(([name, spec]) => (
        <Control key={name} name={name} spec={spec} value={values[name] ?? null} onChange={(v) => onChange(name, v)} layers={layers} labels={labels} images={images} />
      ))}
      {entries.length > 0 && (
        <div>
          <Button onClick={onReset} data-testid="explain.params.reset">
            Reset to defaults
          </Button>
        </div>
      )}
    </fieldset>
  );
}

function Control({
  name,
  spec,
  value,
  onChange,
  layers,
  labels,
  images,
}: {
  name: string;
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
    <p id={helpId} className="text-xs text-slate-600 dark:text-slate-400">
      {spec.help}
    </p>
  );
  const testId = `explain.param.${name}`;
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
            <input
              type="range"
              aria-label={`${spec.label} slider`}
              aria-describedby={helpId}
              min={spec.min}
              max={sliderMax}
              step={spec.step}
              value={Math.min(v, sliderMax)}
              onChange={(e) => onChange(Number(e.target.value))}
              className="flex-1 accent-sky-600"
            />
            <input
              id={id}
              type="number"
              data-testid={testId}
              aria-describedby={helpId}
              min={spec.min}
              max={spec.max}
              step={spec.step}
              value={v}
              onChange={(e) => {
                const n = Number(e.target.value);
                if (e.target.value !== '' && Number.isFinite(n)) onChange(Math.min(spec.max, Math.max(spec.min, spec.integer ? Math.round(n) : n)));
              }}
              className={`${field} w-24 text-right tabular-nums`}
            />
          </div>
          {help}
        </div>
      );
    }
    case 'select':
    case 'layer': {
      const options = spec.kind === 'select' ? spec.options : [{ value: '', label: `Last (${layers[layers.length - 1] ?? '—'})` }, ...layers.map((l) => ({ value: l, label: l }))];
      return (
        <div className="flex flex-col gap-1">
          <label htmlFor={id} className="text-sm font-medium">
            {spec.label}
          </label>
          <select id={id} data-testid={testId} aria-describedby={helpId} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} className={field}>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {help}
        </div>
      );
    }
    case 'boolean':
      return (
        <div className="flex flex-col gap-1">
          <label className="flex items-center gap-2 text-sm font-medium">
            <input type="checkbox" data-testid={testId} aria-describedby={helpId} checked={value === true} onChange={(e) => onChange(e.target.checked)} className="accent-sky-600" />
            {spec.label}
          </label>
          {help}
        </div>
      );
    case 'image':
      return (
        <div className="flex flex-col gap-1">
          <label htmlFor={id} className="text-sm font-medium">
            {spec.label}
          </label>
          <select id={id} data-testid={testId} aria-describedby={helpId} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || null)} className={field}>
            <option value="">None</option>
            {images.map((im) => (
              <option key={im.id} value={im.id}>
                {im.name}
              </option>
            ))}
          </select>
          {help}
        </div>
      );
    case 'classes': {
      const chosen = Array.isArray(value) ? value : [];
      return (
        <fieldset className="flex flex-col gap-1" aria-describedby={helpId}>
          <legend className="text-sm font-medium">{spec.label}</legend>
          <div className="flex max-h-32 flex-wrap gap-x-3 gap-y-1 overflow-y-auto" data-testid={testId}>
            {labels.map((l, k) => (
              <label key={k} className="flex items-center gap-1 text-xs">
                <input
                  type="checkbox"
                  className="accent-sky-600"
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
