'use client';

import dynamic from 'next/dynamic';

export const ModelsViewLoader = dynamic(() => import('./models-view').then((m) => m.ModelsView), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-500">Loading the Models view…</p>,
});
