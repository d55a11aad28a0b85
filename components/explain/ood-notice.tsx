'use client';

import { Alert } from '@/components/ui/alert';
import { InlineMessage } from '@/components/ui/alert';
import { useOodCheck } from './use-ood-check';

/**
 * "Is this image like the model's data?" above the explanation: a warning when it is not (with the reasons),
 * a quiet line when it is or when there is nothing to compare with, and what preprocessing did to it.
 */
export function OodNotice({
  modelId,
  imageId,
  presenting = false,
}: {
  modelId: string | null;
  imageId: string | null;
  /** In presentation mode: one large line, only when the image is unlike the model's data. */
  presenting?: boolean;
}) {
  const state = useOodCheck(modelId, imageId);
  if (presenting) {
    const first = state.status === 'done' && state.report.status === 'out' ? state.report.score?.findings[0] : null;
    return first ? (
      <p className="text-xl text-amber-300" role="status" data-testid="explain.presentation.ood">
        Unlike the images this model was evaluated on: {first.text}. Its prediction may mean little.
      </p>
    ) : null;
  }
  if (state.status === 'idle') return null;
  if (state.status === 'checking')
    return (
      <InlineMessage role="status" className="text-xs" data-testid="explain.ood" data-status="checking">
        Checking whether this image is like the images the model was evaluated on…
      </InlineMessage>
    );
  if (state.status === 'error')
    return (
      <InlineMessage role="status" className="text-xs" data-testid="explain.ood" data-status="error">
        Whether this image is like the model’s data could not be checked: {state.error}
      </InlineMessage>
    );
  const { report } = state;
  const notes =
    report.notes.length > 0 ? (
      <ul className="list-disc pl-5 text-xs" data-testid="explain.ood.notes">
        {report.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    ) : null;
  if (report.status === 'out')
    return (
      <Alert tone="warn" data-testid="explain.ood" data-status="out" data-score={report.score?.score}>
        <p className="font-medium" data-testid="explain.ood.warning">
          {report.sentence}
        </p>
        {notes && <div className="mt-1">{notes}</div>}
      </Alert>
    );
  return (
    <div
      className="flex flex-col gap-1 text-fg-muted"
      data-testid="explain.ood"
      data-status={report.status}
      data-score={report.score?.score}
    >
      <InlineMessage role="status" className="text-xs">
        {report.sentence}
      </InlineMessage>
      {notes}
    </div>
  );
}
