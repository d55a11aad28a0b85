import type { ComponentProps, ReactNode } from 'react';
import type { VariantProps } from 'class-variance-authority';
import { cn } from './cn';
import { fieldVariants } from './input';
import { Field } from './field';

/** One `<option>` of a Select. */
export interface SelectOption {
  value: string | number;
  label: ReactNode;
  /** Shown but not choosable (e.g. a method that cannot run here); `title` says why. */
  disabled?: boolean;
  title?: string;
}

export type SelectProps = Omit<ComponentProps<'select'>, 'size'> &
  VariantProps<typeof fieldVariants> & {
    /** Drawn after `children` (which can hold a leading "None" / "Choose…" option). */
    options?: readonly SelectOption[];
  };

/** A native select in the kit's field style (native for keyboard and screen-reader behaviour). */
export function Select({ size, className, options, children, ...props }: SelectProps) {
  return (
    <select className={cn(fieldVariants({ size }), className)} {...props}>
      {children}
      {options?.map((o) => (
        <option key={o.value} value={o.value} disabled={o.disabled} title={o.title}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** One option per class, valued by its index: `labels[i]` → `{ value: i, label: labels[i] }`. */
export function classOptions(labels: readonly string[] | undefined): SelectOption[] {
  return labels?.map((label, value) => ({ value, label })) ?? [];
}

/** A labelled Select (label, optional help and error wired to it by Field). */
export function SelectField({
  label,
  help,
  error,
  labelClassName,
  fieldClassName,
  ...select
}: SelectProps & {
  label: ReactNode;
  help?: ReactNode;
  error?: ReactNode;
  labelClassName?: string;
  fieldClassName?: string;
}) {
  return (
    <Field label={label} help={help} error={error} labelClassName={labelClassName} className={fieldClassName}>
      {(f) => <Select {...f} {...select} />}
    </Field>
  );
}
