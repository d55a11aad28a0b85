import type { Metadata } from 'next';
import { BenchViewLoader } from '@/components/bench/bench-view-loader';

export const metadata: Metadata = { title: 'Benchmark harness — Why', robots: { index: false } };

/** The harness `npm run bench` drives (not linked from the navigation). */
export default function BenchPage() {
  return <BenchViewLoader />;
}
