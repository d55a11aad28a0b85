export default function ComparePage() {
  return (
    <div data-testid="compare.view">
      <h1 className="text-lg font-semibold">Compare</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        Two model versions side by side — on one image and on the whole evaluation set. Not built yet.
      </p>
    </div>
  );
}
