'use client';

import { useRef } from 'react';
import { Button } from '@/components/ui/button';
import { FileInput, Input } from '@/components/ui/input';
import { Select, classOptions } from '@/components/ui/select';

/** A field's value, how to change it, its accessible name and test id. */
interface FieldProps<T> {
  value: T;
  onChange: (v: T) => void;
  label: string;
  testId: string;
}

/** A small class picker inside a sentence ("A missed [Shirt] costs …"). */
export function ClassSelect({
  labels,
  value,
  onChange,
  label,
  testId,
}: FieldProps<number> & { labels: readonly string[] }) {
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
function ShortInput({ value, onChange, onEnter, label, testId }: FieldProps<string> & { onEnter?: () => void }) {
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

/** One part of a sentence form: words, a class picker, or a short number field. */
export type SentencePart =
  | string
  | { cls: FieldProps<number> & { labels: readonly string[] } }
  | { num: FieldProps<string> & { onEnter?: () => void } };

/** A form written as a sentence: "A missed [class] costs [N] × a false alarm …". */
export function SentenceForm({ parts, className }: { parts: readonly SentencePart[]; className?: string }) {
  return (
    <>
      {parts.map((p, i) =>
        typeof p === 'string' ? (
          <span key={i} className={className}>
            {p}
          </span>
        ) : 'cls' in p ? (
          <ClassSelect key={i} {...p.cls} />
        ) : (
          <ShortInput key={i} {...p.num} />
        ),
      )}
    </>
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
