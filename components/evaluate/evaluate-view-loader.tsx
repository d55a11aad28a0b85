'use client';

import dynamic from 'next/dynamic';

export const EvaluateViewLoader = dynamic(() => import('./evaluate-view').then((m) => m.EvaluateView), {
  ssr: false,
  loading: () => <p className="text-sm text-fg-subtle">Loading the Evaluate view…</p>,
});
