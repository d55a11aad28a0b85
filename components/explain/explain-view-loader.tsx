'use client';

import dynamic from 'next/dynamic';

export const ExplainViewLoader = dynamic(() => import('./explain-view').then((m) => m.ExplainView), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-500">Loading the Explain view…</p>,
});
