'use client';

import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';

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
