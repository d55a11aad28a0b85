'use client';

import { useRef } from 'react';
import { Button } from '@/components/ui/button';
import { FileInput, Input } from '@/components/ui/input';
import { Select, classOptions } from '@/components/ui/select';

/** A small class picker inside a sentence ("A missed [Shirt] costs …"). */
export function ClassSelect({
  labels,
  value,
  onChange,
  label,
  testId,
}: {
  labels: readonly string[];
  value: number;
  onChange: (cls: number) => void;
  label: string;
  testId: string;
}) {
  return (
    <Select
      size="sm"
      value={value}
      options={classOptions(labels)}
      onChange={(e) => onChange(Number(e.target.value))}
      aria-label={label}
      data-testid={testId}
    />
  );
}

/** A short number field inside a sentence; Enter runs `onEnter`. */
export function ShortInput({
  value,
  onChange,
  onEnter,
  label,
  testId,
}: {
  value: string;
  onChange: (text: string) => void;
  onEnter?: () => void;
  label: string;
  testId: string;
}) {
  return (
    <Input
      size="sm"
      className="w-16"
      inputMode="decimal"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onKeyDown={(e) => e.key === 'Enter' && onEnter?.()}
      aria-label={label}
      data-testid={testId}
    />
  );
}

/** A visible button that opens a hidden file picker (`${testId}-button` and `${testId}`). */
export function FileImportButton({
  children,
  accept,
  label,
  testId,
  onFile,
  size,
}: {
  children: React.ReactNode;
  accept: string;
  label: string;
  testId: string;
  onFile: (f: File) => void;
  size?: 'sm';
}) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <>
      <Button size={size} onClick={() => ref.current?.click()} data-testid={`${testId}-button`}>
        {children}
      </Button>
      <FileInput
        ref={ref}
        accept={accept}
        tabIndex={-1}
        aria-label={label}
        data-testid={testId}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) onFile(f);
        }}
      />
    </>
  );
}
