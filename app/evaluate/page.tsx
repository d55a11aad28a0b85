import { EvaluateViewLoader } from '@/components/evaluate/evaluate-view-loader';

export default function EvaluatePage() {
  return <EvaluateViewLoader />;
}
