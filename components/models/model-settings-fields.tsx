'use client';

import { useId } from 'react';
import type { UserModelOptions } from '@/lib/runtime';
import { OUTPUT_KIND_LABELS, OUTPUT_KINDS, type ModelInfo, type NormalizationPreset, type OutputKind, type ResizePolicy } from '@/lib/models';
import { Checkbox, Input, Textarea } from '@/components/ui/input';
import { Select } from '@/components/ui/select';

export interface SettingsDraft {
  name: string;
  labels: string;
  norm: NormalizationPreset | '';
  order: '' | 'rgb' | 'bgr';
  resize: '' | ResizePolicy;
  outputKind: 'auto' | OutputKind;
  /** Unit of regression values ("years"). */
  unit: string;
  invert: boolean;
}

export const EMPTY_DRAFT: SettingsDraft = { name: '', labels: '', norm: '', order: '', resize: '', outputKind: 'auto', unit: '', invert: false };

const NORMS: { value: NormalizationPreset | ''; label: string }[] = [
  { value: '', label: 'From card, else [0, 1]' },
  { value: 'zero-one', label: '[0, 1]' },
  { value: 'minus-one-one', label: '[-1, 1]' },
  { value: 'zero-255', label: '[0, 255]' },
  { value: 'imagenet', label: 'ImageNet mean/std' },
  { value: 'caffe-bgr', label: 'Caffe-style BGR, mean-subtracted' },
];

/** The draft of a loaded model's current settings (for editing). */
export function draftFromInfo(info: ModelInfo): SettingsDraft {
  const n = info.preprocessing.normalization;
  return {
    name: info.name,
    labels: info.labels.join('\n'),
    norm: typeof n === 'string' ? n : '',
    order: info.preprocessing.channelOrder,
    resize: info.preprocessing.resize,
    outputKind: info.outputKind,
    unit: info.unit ?? '',
    invert: info.preprocessing.invert ?? false,
  };
}

/** Only what the user set: empty fields leave the card / defaults in force. */
export function optionsFromDraft(d: SettingsDraft): UserModelOptions {
  const labels = d.labels
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const preprocessing: UserModelOptions['preprocessing'] = {};
  if (d.norm) preprocessing.normalization = d.norm;
  if (d.order) preprocessing.channelOrder = d.order;
  if (d.resize) preprocessing.resize = d.resize;
  if (d.invert) preprocessing.invert = true;
  return { name: d.name.trim() || undefined, labels: labels.length ? labels : undefined, preprocessing, outputKind: d.outputKind, ...(d.unit.trim() ? { unit: d.unit.trim() } : {}) };
}

export function ModelSettingsFields({ value, onChange }: { value: SettingsDraft; onChange: (d: SettingsDraft) => void }) {
  const id = useId();
  const set = <K extends keyof SettingsDraft>(k: K, v: SettingsDraft[K]) => onChange({ ...value, [k]: v });
  return (
    <div className="grid gap-2 text-sm sm:grid-cols-2">
      <label htmlFor={`${id}-name`} className="flex flex-col gap-1">
        Name
        <Input id={`${id}-name`} data-testid="model-settings.name" value={value.name} onChange={(e) => set('name', e.target.value)} />
      </label>
      <label htmlFor={`${id}-norm`} className="flex flex-col gap-1">
        Input values
        <Select id={`${id}-norm`} data-testid="model-settings.normalization" value={value.norm} onChange={(e) => set('norm', e.target.value as SettingsDraft['norm'])}>
          {NORMS.map((n) => (
            <option key={n.value} value={n.value}>
              {n.label}
            </option>
          ))}
        </Select>
      </label>
      <label htmlFor={`${id}-order`} className="flex flex-col gap-1">
        Channel order
        <Select id={`${id}-order`} value={value.order} onChange={(e) => set('order', e.target.value as SettingsDraft['order'])}>
          <option value="">From card, else RGB</option>
          <option value="rgb">RGB</option>
          <option value="bgr">BGR</option>
        </Select>
      </label>
      <label htmlFor={`${id}-resize`} className="flex flex-col gap-1">
        Resize
        <Select id={`${id}-resize`} value={value.resize} onChange={(e) => set('resize', e.target.value as SettingsDraft['resize'])}>
          <option value="">From card, else stretch</option>
          <option value="stretch">Stretch</option>
          <option value="center-crop">Centre-crop</option>
          <option value="pad">Pad</option>
        </Select>
      </label>
      <label htmlFor={`${id}-out`} className="flex flex-col gap-1">
        Outputs
        <Select id={`${id}-out`} data-testid="model-settings.output-kind" value={value.outputKind} onChange={(e) => set('outputKind', e.target.value as SettingsDraft['outputKind'])}>
          <option value="auto">Detect from the last op and a probe</option>
          {OUTPUT_KINDS.map((k) => (
            <option key={k} value={k}>
              {OUTPUT_KIND_LABELS[k]}
            </option>
          ))}
        </Select>
      </label>
      {value.outputKind === 'regression' && (
        <label htmlFor={`${id}-unit`} className="flex flex-col gap-1">
          Unit of the values
          <Input id={`${id}-unit`} data-testid="model-settings.unit" value={value.unit} placeholder="e.g. years" onChange={(e) => set('unit', e.target.value)} />
        </label>
      )}
      <label htmlFor={`${id}-invert`} className="flex items-center gap-2 self-end">
        <Checkbox id={`${id}-invert`} checked={value.invert} onChange={(e) => set('invert', e.target.checked)} />
        Invert grey values (light object on dark background)
      </label>
      <label htmlFor={`${id}-labels`} className="flex flex-col gap-1 sm:col-span-2">
        Class labels, one per line
        <Textarea id={`${id}-labels`} data-testid="model-settings.labels" rows={4} value={value.labels} onChange={(e) => set('labels', e.target.value)} className="font-mono" />
      </label>
    </div>
  );
}
