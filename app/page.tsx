import { ExplainViewLoader } from '@/components/explain/explain-view-loader';

export default function ExplainPage() {
  return <ExplainViewLoader />;
}
