/**
 * A `fetch` for file:// URLs in Node tests and benches (Node's fetch has none): 200 with the file's bytes,
 * 404 when it is missing; any other URL is refused. Use with `vi.stubGlobal('fetch', fileFetch)`.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export async function fileFetch(input: RequestInfo | URL): Promise<Response> {
  const url = String(input instanceof Request ? input.url : input);
  if (!url.startsWith('file:')) throw new TypeError(`test fetch: only file:// URLs (${url})`);
  try {
    return new Response(new Uint8Array(await readFile(fileURLToPath(url))), { status: 200 });
  } catch {
    return new Response('missing', { status: 404, statusText: 'Not Found' });
  }
}
