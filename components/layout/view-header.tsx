import type { ReactNode } from 'react';
import { ModelPicker } from '@/components/models/model-picker';

/** A view's title row: its name, the model picker, "Loading model…" while it loads; `children` at the right end. */
export function ViewHeader({ title, loading, children }: { title: string; loading: boolean; children?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center gap-4">
      <h1 className="text-lg font-semibold">{title}</h1>
      <ModelPicker />
      {loading && (
        <span role="status" className="text-sm text-fg-subtle">
          Loading model…
        </span>
      )}
      {children && <div className="ml-auto flex items-center gap-2">{children}</div>}
    </div>
  );
}
