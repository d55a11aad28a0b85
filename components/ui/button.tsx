import type { ComponentProps } from 'react';
import { cva, type VariantProps } from 'class-variance-authority';
import { cn } from './cn';
import { focusRing } from './focus';

export const buttonVariants = cva(
  ['inline-flex items-center gap-1 rounded-md font-medium transition-colors disabled:cursor-not-allowed', focusRing],
  {
    variants: {
      variant: {
        primary: 'bg-primary text-primary-fg hover:bg-primary-hover disabled:bg-primary-disabled',
        secondary: 'border border-border-strong bg-surface text-fg hover:bg-muted disabled:opacity-60',
        ghost: 'text-fg-muted hover:bg-muted hover:text-fg disabled:opacity-60',
        danger: 'border border-danger-border text-danger hover:bg-danger-soft disabled:opacity-60',
        /** No box of its own: thumbnails, matrix cells, list rows that are buttons. */
        bare: 'rounded text-left',
      },
      size: {
        sm: 'px-2 py-0.5 text-xs',
        md: 'px-3 py-1.5 text-sm',
        lg: 'px-4 py-2 text-lg',
        icon: 'h-7 w-7 justify-center p-0 text-base leading-none',
        none: '',
      },
    },
    compoundVariants: [{ variant: 'bare', className: 'p-0' }],
    defaultVariants: { variant: 'secondary', size: 'md' },
  },
);

export type ButtonProps = ComponentProps<'button'> & VariantProps<typeof buttonVariants>;

/** A button (type="button" unless told otherwise) with a variant and a size. */
export function Button({ variant, size, className, type = 'button', ...props }: ButtonProps) {
  return (
    <button
      type={type}
      className={cn(buttonVariants({ variant, size: size ?? (variant === 'bare' ? 'none' : undefined) }), className)}
      {...props}
    />
  );
}
