import { CompareViewLoader } from '@/components/compare/compare-view-loader';

export default function ComparePage() {
  return <CompareViewLoader />;
}
