'use client';

import dynamic from 'next/dynamic';

export const CompareViewLoader = dynamic(() => import('./compare-view').then((m) => m.CompareView), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-500">Loading the Compare view…</p>,
});
