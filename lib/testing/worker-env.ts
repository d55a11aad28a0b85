/**
 * Shared set-up of worker-core tests in Node: the WASM backend's binaries found, tfjs on CPU, and `fetch`
 * reading the file:// URLs of the bundled models (models/manifest.json and what it names).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, vi } from 'vitest';
import { switchBackend } from './backends';

/** The bundled models' manifest, as a file:// URL. */
export const MANIFEST_URL = new URL('../../models/manifest.json', import.meta.url).href;

/** Registers the set-up (beforeAll) and its undoing (afterAll) in the calling test file. */
export function setUpWorkerTests(): void {
  beforeAll(async () => {
    await switchBackend('wasm'); // points tfjs at the .wasm binaries in node_modules
    await switchBackend('cpu');
    vi.stubGlobal(
      'fetch',
      async (u: RequestInfo | URL) => new Response(new Uint8Array(await readFile(fileURLToPath(String(u))))),
    );
  });
  afterAll(() => vi.unstubAllGlobals());
}
