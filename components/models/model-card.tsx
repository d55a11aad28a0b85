'use client';

import { useEffect, useState } from 'react';
import { cardHtml } from './card-markdown';

const PROSE =
  'text-sm leading-relaxed text-fg [overflow-wrap:anywhere] ' +
  '[&_h1]:mb-2 [&_h1]:text-lg [&_h1]:font-semibold [&_h2]:mt-4 [&_h2]:mb-2 [&_h2]:text-base [&_h2]:font-semibold ' +
  '[&_h3]:mt-3 [&_h3]:mb-1 [&_h3]:font-semibold [&_p]:my-2 [&_ul]:my-2 [&_ul]:list-disc [&_ul]:pl-5 ' +
  '[&_ol]:my-2 [&_ol]:list-decimal [&_ol]:pl-5 [&_a]:text-accent [&_a]:underline ' +
  '[&_code]:rounded [&_code]:bg-muted [&_code]:px-1 [&_code]:text-xs [&_pre]:whitespace-pre-wrap [&_pre]:rounded [&_pre]:bg-muted [&_pre]:p-2 ' +
  '[&_table]:my-2 [&_table]:block [&_table]:max-w-full [&_table]:overflow-x-auto [&_table]:text-xs ' +
  '[&_td]:border [&_td]:border-border [&_td]:px-2 [&_td]:py-1 [&_td]:align-top ' +
  '[&_th]:border [&_th]:border-border [&_th]:px-2 [&_th]:py-1 [&_th]:text-left';

/** A bundled model's card: its Markdown rendered and sanitised (raw HTML in the card is shown as text). */
export function ModelCard({ url }: { url: string }) {
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    let stale = false;
    fetch(new URL(url, new URL('/models/', location.href)))
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
      .then((t) => !stale && setHtml(cardHtml(t)))
      .catch(() => !stale && setHtml(null));
    return () => {
      stale = true;
    };
  }, [url]);
  if (!html) return null;
  return (
    <details className="mt-4 text-sm" open>
      <summary className="cursor-pointer font-medium">Model card</summary>
      <div
        className={`mt-2 max-h-[32rem] overflow-auto rounded border border-border p-3 ${PROSE}`}
        data-testid="model.card"
        dangerouslySetInnerHTML={{ __html: html }}
      />
    </details>
  );
}
