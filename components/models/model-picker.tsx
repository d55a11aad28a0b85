'use client';

import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { GroupedOptions } from '@/components/ui/grouped-options';
import { Select } from '@/components/ui/select';

export function ModelPicker({
  value,
  onChange,
  label = 'Model',
  testId = 'model.picker',
}: {
  value?: string | null;
  onChange?: (id: string) => void;
  label?: string;
  testId?: string;
}) {
  const id = useId();
  const order = useDashboard(useShallow((s) => s.modelOrder));
  const models = useDashboard((s) => s.models);
  const options = order.map((m) => ({ id: m, name: models[m]?.name ?? m, source: models[m]?.source }));
  const selected = useDashboard((s) => s.selectedModelId);
  const selectModel = useDashboard((s) => s.selectModel);
  const current = value === undefined ? selected : value;
  return (
    <div className="flex min-w-0 max-w-full items-center gap-2">
      <label htmlFor={id} className="text-sm font-medium text-fg-muted">
        {label}
      </label>
      <Select
        id={id}
        size="lg"
        data-testid={testId}
        className="min-w-0 max-w-full sm:min-w-56"
        value={current ?? ''}
        onChange={(e) => (onChange ? onChange(e.target.value) : void selectModel(e.target.value))}
      >
        {current == null && <option value="">Choose a model…</option>}
        <GroupedOptions options={options} userLabel="Yours (stored in this browser)" />
      </Select>
    </div>
  );
}
