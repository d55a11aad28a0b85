'use client';

import dynamic from 'next/dynamic';

export const EvaluateViewLoader = dynamic(() => import('./evaluate-view').then((m) => m.EvaluateView), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-500">Loading the Evaluate view…</p>,
});
