/**
 * Downloading a model the user names by URL, on the page, as the files a drop would give (then loaded by the
 * worker like dropped files: every format, the same checks). No tfjs here.
 *
 * Guarantees (each has a test in url-download.test.ts):
 * - only http(s) and data: URLs are fetched (`javascript:` and the rest get "not an http(s) URL");
 * - a timeout while waiting for the server and between two chunks (`idleTimeoutMs`, default 30 s);
 * - Cancel through `signal` (rejects with an AbortError);
 * - a byte limit over all files (`maxBytes`, default MAX_MODEL_URL_BYTES), checked against Content-Length
 *   before reading and while streaming, so an endless response stops at the limit;
 * - progress in [0, 1] (model.json counts for the first 5 %, its weight files for the rest).
 */
import { ModelError } from './types';

/** Default byte limit of one model download, all files together (512 MiB). */
export const MAX_MODEL_URL_BYTES = 512 * 1024 * 1024;
/** Default time without an answer or without a new chunk before the download stops (30 s). */
export const URL_IDLE_TIMEOUT_MS = 30_000;

export interface UrlDownloadOptions {
  signal?: AbortSignal;
  /** Default: globalThis.fetch. */
  fetch?: typeof fetch;
  /** Byte limit over every file; default MAX_MODEL_URL_BYTES. */
  maxBytes?: number;
  /** ms without headers or a chunk before giving up; default URL_IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number;
  /** fraction in [0, 1] (non-decreasing), bytes received so far. */
  onProgress?: (fraction: number, bytes: number) => void;
  /** Resolves relative URLs (default: the page's location). */
  base?: string;
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

/**
 * Parses and checks the address the user typed.
 * @throws ModelError('load-failed') for text that is not a URL or a scheme other than http:, https:, data:
 */
export function checkModelUrl(raw: string, base?: string): URL {
  const text = raw.trim();
  let u: URL;
  try {
    u = new URL(text, base ?? (globalThis as { location?: { href?: string } }).location?.href);
  } catch {
    throw new ModelError('load-failed', `“${text.slice(0, 80)}” is not a URL. Enter the address of a model.json (or .onnx, .keras, .h5) starting with https://.`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'data:') {
    throw new ModelError('load-failed', `“${text.slice(0, 80)}” is not an http(s) URL. Enter the address of a model.json (or .onnx, .keras, .h5) starting with https://.`);
  }
  return u;
}

/** A display name for a model downloaded from `u`: its folder, else its file name without extension. */
export function modelNameFromUrl(u: URL): string | undefined {
  if (u.protocol === 'data:') return undefined;
  const parts = u.pathname.split('/').filter(Boolean).map(safeDecode);
  const file = parts.pop();
  return parts.pop() ?? file?.replace(/\.[^.]+$/, '');
}

function fileNameOf(u: URL, contentType: string | null): string {
  if (u.protocol === 'data:') {
    const mime = u.pathname.split(/[;,]/)[0]?.toLowerCase() ?? '';
    return mime.includes('json') ? 'model.json' : 'model';
  }
  const last = u.pathname.split('/').filter(Boolean).pop();
  if (last) return safeDecode(last);
  return contentType?.includes('json') ? 'model.json' : 'model';
}

function crossOrigin(u: URL): boolean {
  const page = (globalThis as { location?: { origin?: string } }).location?.origin;
  return u.protocol !== 'data:' && page !== undefined && u.origin !== page;
}

interface Budget {
  used: number;
  readonly max: number;
}

/**
 * GET one URL into bytes under the shared byte budget, with the idle timeout and the caller's signal.
 * `onBytes(received, expected)` is called per chunk (expected = Content-Length or null).
 */
async function fetchLimited(
  u: URL,
  what: string,
  budget: Budget,
  opts: UrlDownloadOptions,
  onBytes: (received: number, expected: number | null) => void,
): Promise<{ bytes: Uint8Array; contentType: string | null }> {
  const fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const idle = opts.idleTimeoutMs ?? URL_IDLE_TIMEOUT_MS;
  const ctrl = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, idle);
  };
  const onAbort = () => ctrl.abort();
  if (opts.signal?.aborted) throw new DOMException('The download was cancelled.', 'AbortError');
  opts.signal?.addEventListener('abort', onAbort);
  const shown = u.protocol === 'data:' ? 'the data: URL' : u.href;
  const failed = (e: unknown): Error => {
    if (opts.signal?.aborted) return new DOMException('The download was cancelled.', 'AbortError');
    if (timedOut)
      return new ModelError('network', `${shown} sent nothing for ${Math.round(idle / 1000)} s while downloading ${what}; the download was stopped. Check the address or try again later.`);
    if (e instanceof ModelError) return e;
    if (crossOrigin(u))
      return new ModelError(
        'cors',
        `Could not read ${what} from ${shown}: the server at ${u.origin} does not allow this page to read the file (CORS), or it cannot be reached. Download the model files and load them from your computer instead.`,
      );
    return new ModelError('network', `Could not download ${what} from ${shown}: the connection failed (${e instanceof Error ? e.message : String(e)}).`);
  };
  try {
    arm();
    let res: Response;
    try {
      res = await fetchFn(u.href, { signal: ctrl.signal, credentials: 'omit', redirect: 'follow' });
    } catch (e) {
      throw failed(e);
    }
    if (res.status === 404) throw new ModelError('not-found', `Nothing was found at ${shown} (404 not found). Check the address of ${what}.`);
    if (!res.ok) throw new ModelError('network', `The server answered “${res.status} ${res.statusText}” for ${shown} while downloading ${what}.`);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    const expected = Number.isFinite(declared) && declared >= 0 ? declared : null;
    const tooBig = () =>
      new ModelError('load-failed', `${what} from ${shown} is larger than the limit of ${mib(budget.max)} for a model download; it was not loaded. Download the files and load them from your computer if you trust them.`);
    if (expected !== null && budget.used + expected > budget.max) {
      void res.body?.cancel().catch(() => undefined);
      throw tooBig();
    }
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = res.body?.getReader();
    // A stream not tied to the fetch's signal (or a slow one) must still stop on Cancel and on the timeout.
    const stopped = new Promise<never>((_, reject) =>
      ctrl.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
    );
    stopped.catch(() => undefined);
    if (reader) {
      try {
        for (;;) {
          arm();
          const { done, value } = await Promise.race([reader.read(), stopped]);
          if (done) break;
          received += value.byteLength;
          if (budget.used + received > budget.max) {
            void reader.cancel().catch(() => undefined);
            throw tooBig();
          }
          chunks.push(value);
          onBytes(received, expected);
        }
      } catch (e) {
        void reader.cancel().catch(() => undefined);
        throw failed(e);
      }
    }
    budget.used += received;
    const bytes = new Uint8Array(received);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.byteLength;
    }
    return { bytes, contentType: res.headers.get('content-type') };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** The weight paths a TF.js model.json names (empty for other JSON or none). */
function weightPaths(bytes: Uint8Array): string[] | null {
  const text = new TextDecoder().decode(bytes);
  if (!/^\s*\{/.test(text)) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null; // the worker's loader names the JSON error
  }
  const manifest = (json as { weightsManifest?: unknown }).weightsManifest;
  if (!Array.isArray(manifest)) return [];
  const out: string[] = [];
  for (const g of manifest) {
    const paths = (g as { paths?: unknown }).paths;
    if (Array.isArray(paths)) for (const p of paths) if (typeof p === 'string' && !out.includes(p)) out.push(p);
  }
  return out;
}

/**
 * Downloads the model at `raw` (a model.json with its weight files relative to it, or a single .onnx /
 * .keras / .h5 file, http(s) or data: URL) as File objects for the files loader.
 * @throws ModelError with a plain message (bad URL, 404, CORS, timeout, too large); an AbortError on Cancel
 */
export async function downloadModelFiles(raw: string, opts: UrlDownloadOptions = {}): Promise<File[]> {
  const u = checkModelUrl(raw, opts.base);
  const budget: Budget = { used: 0, max: opts.maxBytes ?? MAX_MODEL_URL_BYTES };
  let fraction = 0;
  const report = (f: number) => {
    fraction = Math.max(fraction, Math.min(1, f));
    opts.onProgress?.(fraction, budget.used);
  };
  const head = await fetchLimited(u, 'the model', budget, opts, (r, e) => report(e ? (0.05 * r) / e : 0));
  report(0.05);
  const name = fileNameOf(u, head.contentType);
  const paths = weightPaths(head.bytes) ?? [];
  const mainName = paths.length > 0 && !/\.json$/i.test(name) ? 'model.json' : name;
  const files = [new File([head.bytes as BlobPart], mainName)];
  if (paths.length > 0 && u.protocol === 'data:') {
    throw new ModelError(
      'load-failed',
      `A model.json in a data: URL cannot name weight files (“${paths[0]}”): there is no folder to find them in. Give the http(s) address of model.json, or load the files from your computer. A single .onnx, .keras or .h5 file works as a data: URL.`,
    );
  }
  for (let i = 0; i < paths.length; i++) {
    const p = paths[i] as string;
    let wu: URL;
    try {
      wu = new URL(p, u);
    } catch {
      throw new ModelError('load-failed', `model.json names the weight file “${p.slice(0, 80)}”, which is not a valid path.`);
    }
    if (wu.protocol !== 'http:' && wu.protocol !== 'https:') {
      throw new ModelError('load-failed', `model.json names the weight file “${p.slice(0, 80)}”, which is not an http(s) address.`);
    }
    const base = 0.05 + (0.95 * i) / paths.length;
    const w = await fetchLimited(wu, `the weight file “${p}”`, budget, opts, (r, e) => report(base + (e ? (0.95 * r) / e / paths.length : 0)));
    const shardName = wu.pathname.split('/').pop() || `shard-${i + 1}.bin`;
    files.push(new File([w.bytes as BlobPart], safeDecode(shardName)));
  }
  report(1);
  return files;
}
