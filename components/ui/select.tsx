import type { ComponentProps } from 'react';
import type { VariantProps } from 'class-variance-authority';
import { cn } from './cn';
import { fieldVariants } from './input';

export type SelectProps = Omit<ComponentProps<'select'>, 'size'> & VariantProps<typeof fieldVariants>;

/** A native select in the kit's field style (native for keyboard and screen-reader behaviour). */
export function Select({ size, className, ...props }: SelectProps) {
  return <select className={cn(fieldVariants({ size }), className)} {...props} />;
}
