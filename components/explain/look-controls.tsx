'use client';

import { useId } from 'react';
import { COLORMAPS, type ColormapName, type LookSettings } from '@/lib/render';
import { Checkbox, Input, Slider } from '@/components/ui/input';
import { Select } from '@/components/ui/select';

/** Overlay look: applies at once, never recomputes the attribution. */
export function LookControls({
  look,
  onLook,
  sideBySide,
  onSideBySide,
  showModelInput,
  onShowModelInput,
  signed,
}: {
  look: LookSettings;
  onLook: (patch: Partial<LookSettings>) => void;
  sideBySide: boolean;
  onSideBySide: (v: boolean) => void;
  showModelInput: boolean;
  onShowModelInput: (v: boolean) => void;
  signed: boolean;
}) {
  const id = useId();
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm" data-testid="explain.look">
      <label className="flex items-center gap-2">
        Opacity
        <Slider
          min={0}
          max={1}
          step={0.05}
          value={look.opacity}
          onChange={(e) => onLook({ opacity: Number(e.target.value) })}
          data-testid="explain.look.opacity"
          className="w-24"
        />
        <span className="w-9 text-right tabular-nums">{Math.round(look.opacity * 100)}%</span>
      </label>
      <label className="flex items-center gap-2" htmlFor={`${id}-cm`}>
        Colours
      </label>
      <Select
        id={`${id}-cm`}
        size="sm"
        className="-ml-2 text-sm"
        value={look.colormap ?? ''}
        data-testid="explain.look.colormap"
        onChange={(e) => onLook({ colormap: (e.target.value || undefined) as ColormapName | undefined })}
        options={COLORMAPS.map((c) => ({ value: c.name, label: c.label }))}
      >
        <option value="">Automatic</option>
      </Select>
      <label className="flex items-center gap-2">
        Clip at
        <Input
          type="number"
          size="sm"
          min={50}
          max={100}
          step={0.5}
          value={look.clipPercentile}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (Number.isFinite(v) && e.target.value !== '') onLook({ clipPercentile: Math.min(100, Math.max(50, v)) });
          }}
          data-testid="explain.look.clip"
          className="w-16 text-right text-sm"
        />
        <span className="text-xs text-fg-subtle">th percentile</span>
      </label>
      <label
        className="flex items-center gap-2"
        title={signed ? 'Show magnitudes instead of for/against' : 'This map has no sign'}
      >
        <Checkbox
          disabled={!signed}
          checked={look.absolute}
          onChange={(e) => onLook({ absolute: e.target.checked })}
          data-testid="explain.look.absolute"
        />
        Magnitude only
      </label>
      {(
        [
          ['side-by-side', 'Side by side', sideBySide, onSideBySide],
          ['model-input', 'What the model sees', showModelInput, onShowModelInput],
        ] as const
      ).map(([id, label, checked, onChecked]) => (
        <label key={id} className="flex items-center gap-2">
          <Checkbox
            checked={checked}
            onChange={(e) => onChecked(e.target.checked)}
            data-testid={`explain.look.${id}`}
          />
          {label}
        </label>
      ))}
    </div>
  );
}
