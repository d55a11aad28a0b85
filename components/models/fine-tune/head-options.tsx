'use client';

import type { CutPoint, HeadTuneOptions } from '@/lib/train';
import { Field } from '@/components/ui/field';
import { Checkbox, Input } from '@/components/ui/input';
import { SelectField } from '@/components/ui/select';

/** The options of a head-tuning run: cut layer, epochs, learning rate, held-out share, class weights, oversampling. */
export function HeadOptions({
  value,
  onChange,
  cuts,
  defaultCut,
  disabled,
}: {
  value: HeadTuneOptions;
  onChange: (o: HeadTuneOptions) => void;
  cuts: CutPoint[];
  defaultCut: string;
  disabled: boolean;
}) {
  const set = <K extends keyof HeadTuneOptions>(k: K, v: HeadTuneOptions[K]) => onChange({ ...value, [k]: v });
  const num = (k: 'epochs' | 'learningRate' | 'batchSize', label: string, step: string, testId: string) => (
    <Field label={label}>
      {(f) => (
        <Input
          {...f}
          type="number"
          size="sm"
          step={step}
          min={0}
          disabled={disabled}
          data-testid={testId}
          value={value[k]}
          onChange={(e) => set(k, Number(e.target.value))}
        />
      )}
    </Field>
  );
  const check = (k: 'classWeights' | 'oversample', label: string, testId: string) => (
    <label className="flex items-center gap-2">
      <Checkbox checked={value[k]} disabled={disabled} data-testid={testId} onChange={(e) => set(k, e.target.checked)} />
      {label}
    </label>
  );
  return (
    <div className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-3">
      <SelectField
        label="Frozen body up to"
        fieldClassName="col-span-2 sm:col-span-3"
        size="sm"
        disabled={disabled || cuts.length === 0}
        data-testid="fine-tune.cut"
        value={value.cutLayer || defaultCut}
        onChange={(e) => set('cutLayer', e.target.value === defaultCut ? '' : e.target.value)}
        options={cuts.map((c) => ({
          value: c.name,
          label: `${c.name} (${c.className}, ${c.units} features)${c.name === defaultCut ? ' — default' : ''}`,
        }))}
      />
      {num('epochs', 'Epochs', '1', 'fine-tune.epochs')}
      {num('learningRate', 'Learning rate', '0.001', 'fine-tune.lr')}
      {num('batchSize', 'Batch size', '1', 'fine-tune.batch')}
      <Field label="Held out (%)">
        {(f) => (
          <Input
            {...f}
            type="number"
            size="sm"
            min={0}
            max={50}
            disabled={disabled}
            data-testid="fine-tune.held-out"
            value={Math.round(value.heldOutFraction * 100)}
            onChange={(e) => set('heldOutFraction', Number(e.target.value) / 100)}
          />
        )}
      </Field>
      {check('classWeights', 'Class weights', 'fine-tune.class-weights')}
      {check('oversample', 'Oversample small classes', 'fine-tune.oversample')}
    </div>
  );
}
