import type { ComponentProps } from 'react';
import { cva, type VariantProps } from 'class-variance-authority';
import { cn } from './cn';
import { focusRing } from './focus';

export const fieldVariants = cva(
  [
    'rounded-md border border-border-strong bg-field text-fg disabled:opacity-60',
    'aria-[invalid=true]:border-danger aria-[invalid=true]:bg-danger-soft',
    focusRing,
  ],
  {
    variants: {
      size: {
        sm: 'px-1 py-0.5 text-xs',
        md: 'px-2 py-1 text-sm',
        lg: 'px-2 py-1.5 text-sm',
      },
    },
    defaultVariants: { size: 'md' },
  },
);

export type InputProps = Omit<ComponentProps<'input'>, 'size'> & VariantProps<typeof fieldVariants>;

/** A text or number box. `aria-invalid` turns it red; numbers are drawn with tabular figures. */
export function Input({ size, className, type = 'text', ...props }: InputProps) {
  return (
    <input
      type={type}
      className={cn(fieldVariants({ size }), type === 'number' && 'tabular-nums', className)}
      {...props}
    />
  );
}

/** A checkbox (or radio) in the kit's accent colour. */
export function Checkbox({ className, type = 'checkbox', ...props }: Omit<ComponentProps<'input'>, 'size'>) {
  return <input type={type} className={cn('accent-primary', focusRing, className)} {...props} />;
}

/** A range slider in the kit's accent colour. */
export function Slider({ className, ...props }: Omit<ComponentProps<'input'>, 'type' | 'size'>) {
  return <input type="range" className={cn('accent-primary', className)} {...props} />;
}

/** A file picker that stays out of sight (a visible Button opens it through a ref) but keeps its label. */
export function FileInput({ className, ...props }: Omit<ComponentProps<'input'>, 'type' | 'size'>) {
  return <input type="file" className={cn('sr-only', className)} {...props} />;
}

/** A multi-line text box in the field style. */
export function Textarea({
  size,
  className,
  ...props
}: Omit<ComponentProps<'textarea'>, 'size'> & VariantProps<typeof fieldVariants>) {
  return <textarea className={cn(fieldVariants({ size }), className)} {...props} />;
}
