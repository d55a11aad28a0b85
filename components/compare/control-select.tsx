import type { ComponentProps } from 'react';
import { SelectField } from '@/components/ui/select';

/** A control of the Compare view: a labelled select with the view's small caption and large box. */
export function ControlSelect(props: ComponentProps<typeof SelectField>) {
  return <SelectField labelClassName="text-xs font-medium text-fg-muted" size="lg" {...props} />;
}
