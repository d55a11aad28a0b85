'use client';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
      <p className="font-semibold">Something went wrong in this view.</p>
      <p className="mt-1">{error.message}</p>
      <button type="button" className="mt-2 rounded border border-red-400 px-2 py-1" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
