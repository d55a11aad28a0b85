'use client';

import { useEffect, useState } from 'react';

/** A bundled model's card (markdown), shown as plain text — never parsed as HTML. */
export function ModelCard({ url }: { url: string }) {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    let stale = false;
    fetch(new URL(url, new URL('/models/', location.href)))
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
      .then((t) => !stale && setText(t))
      .catch(() => !stale && setText(null));
    return () => {
      stale = true;
    };
  }, [url]);
  if (!text) return null;
  return (
    <details className="mt-4 text-sm" open>
      <summary className="cursor-pointer font-medium">Model card</summary>
      <pre className="mt-2 max-h-[32rem] overflow-auto rounded bg-muted p-3 text-xs whitespace-pre-wrap" data-testid="model.card">
        {text}
      </pre>
    </details>
  );
}
