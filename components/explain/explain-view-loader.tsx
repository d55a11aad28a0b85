'use client';

import dynamic from 'next/dynamic';

export const ExplainViewLoader = dynamic(() => import('./explain-view').then((m) => m.ExplainView), {
  ssr: false,
  loading: () => <p className="text-sm text-fg-subtle">Loading the Explain view…</p>,
});
