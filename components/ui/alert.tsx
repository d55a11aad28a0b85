import type { ComponentProps } from 'react';
import { cva, type VariantProps } from 'class-variance-authority';
import { cn } from './cn';

export const alertVariants = cva('rounded-md border', {
  variants: {
    tone: {
      info: 'border-border bg-muted text-fg',
      success: 'border-success-border bg-success-soft text-success',
      warn: 'border-warn-border bg-warn-soft text-warn',
      error: 'border-danger-border bg-danger-soft text-danger-strong',
    },
    size: { sm: 'p-2 text-xs', md: 'p-2 text-sm', lg: 'p-4 text-sm' },
  },
  defaultVariants: { tone: 'info', size: 'md' },
});

export type AlertProps = ComponentProps<'div'> & VariantProps<typeof alertVariants>;

/**
 * A message box. Errors are announced at once (`role="alert"`), the other tones politely
 * (`role="status"`); pass `role` to change that.
 */
export function Alert({ tone, size, className, role, ...props }: AlertProps) {
  return (
    <div
      role={role ?? (tone === 'error' ? 'alert' : 'status')}
      className={cn(alertVariants({ tone, size }), className)}
      {...props}
    />
  );
}

/** A one-line message without a box (under a field, in a table caption). */
export function InlineMessage({
  tone = 'info',
  className,
  ...props
}: ComponentProps<'p'> & { tone?: 'info' | 'success' | 'warn' | 'error' }) {
  const color = { info: 'text-fg-muted', success: 'text-success', warn: 'text-warn', error: 'text-danger' }[tone];
  return <p className={cn(color, className)} {...props} />;
}
