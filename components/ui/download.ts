'use client';
/**
 * The one download helper: saves a Blob (or text) as a file through a temporary object URL and a click on
 * a hidden link. Nothing leaves the browser. File names come from `slug` in lib/format.
 */

/** Saves `blob` as `fileName`. The object URL is revoked 10 s later (after the browser has read it). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves text (UTF-8) as `fileName`, with MIME type `type`. */
export function downloadText(fileName: string, text: string, type = 'text/plain'): void {
  downloadBlob(new Blob([text], { type: `${type};charset=utf-8` }), fileName);
}
