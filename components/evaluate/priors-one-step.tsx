'use client';

import { useState } from 'react';
import { setPriorShare, uniformPriors } from '@/lib/metrics';
import { Button } from '@/components/ui/button';
import { InlineMessage } from '@/components/ui/alert';
import { SentenceForm } from './inline-fields';

/** "Set class X to p % and scale the others" in one step. */
export function PriorsOneStep({
  labels,
  base,
  onPriors,
}: {
  labels: readonly string[];
  /** The priors the others are scaled from (the current ones, else uniform). */
  base: readonly number[] | null;
  onPriors: (p: number[]) => void;
}) {
  const k = labels.length;
  const [picked, setCls] = useState<number | null>(null);
  const cls = picked !== null && picked < k ? picked : k === 2 ? 1 : 0;
  const [text, setText] = useState('2');
  const [error, setError] = useState<string | null>(null);
  const apply = () => {
    const v = Number(text.trim().replace(',', '.').replace(/%$/, ''));
    if (!Number.isFinite(v) || v <= 0 || v >= 100) {
      setError('Give a share above 0 % and below 100 %.');
      return;
    }
    setError(null);
    const from = base && base.some((x) => x > 0) ? base : Array.from(uniformPriors(k));
    onPriors(Array.from(setPriorShare(from, k, cls, v / 100), (x) => Number(x.toPrecision(6))));
  };
  return (
    <div className="mb-2">
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <SentenceForm
          parts={[
            'Set',
            {
              cls: { labels, value: cls, onChange: setCls, label: 'Class to set', testId: 'evaluate.priors.one.class' },
            },
            'to',
            {
              num: {
                value: text,
                onChange: setText,
                onEnter: apply,
                label: 'Share in percent',
                testId: 'evaluate.priors.one.share',
              },
            },
            '% of cases, scale the others',
          ]}
        />
        <Button size="sm" onClick={apply} data-testid="evaluate.priors.one.apply">
          Set
        </Button>
      </div>
      {error && (
        <InlineMessage tone="error" role="alert" className="mt-1 text-xs" data-testid="evaluate.priors.one.error">
          {error}
        </InlineMessage>
      )}
    </div>
  );
}
