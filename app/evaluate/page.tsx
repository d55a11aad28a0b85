export default function EvaluatePage() {
  return (
    <div data-testid="evaluate.view">
      <h1 className="text-lg font-semibold">Evaluate</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        Per-class confusion, precision and recall, misclassification cost and cost-optimal decisions. Not built yet.
      </p>
    </div>
  );
}
