import { ModelsViewLoader } from '@/components/models/models-view-loader';

export default function ModelsPage() {
  return <ModelsViewLoader />;
}
