'use client';

import dynamic from 'next/dynamic';

export const BenchViewLoader = dynamic(() => import('./bench-view').then((m) => m.BenchView), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-500">Loading the benchmark harness…</p>,
});
