'use client';

import dynamic from 'next/dynamic';

export const ModelsViewLoader = dynamic(() => import('./models-view').then((m) => m.ModelsView), {
  ssr: false,
  loading: () => <p className="text-sm text-fg-subtle">Loading the Models view…</p>,
});
