'use client';

import dynamic from 'next/dynamic';

export const CompareViewLoader = dynamic(() => import('./compare-view').then((m) => m.CompareView), {
  ssr: false,
  loading: () => <p className="text-sm text-fg-subtle">Loading the Compare view…</p>,
});
