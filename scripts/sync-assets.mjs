// Copies what the browser must fetch from the page's own origin into public/:
//   models/            -> public/models/      (bundled models, cards, evaluation sets, manifest)
//   tfjs-backend-wasm  -> public/tfjs-wasm/   (the .wasm binaries; setWasmPaths points here), and, unbundled,
//                         the threaded build's Emscripten glue and its pthread worker script: the pthread
//                         workers importScripts() the glue from here (lib/runtime/wasm-threads.ts), because a
//                         bundled copy of it cannot be turned back into source text (`r is not defined`).
// Both targets are git-ignored build outputs. Run by `npm run build` / `npm run dev` / `npm start`.
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const modelsSrc = join(root, 'models');
const modelsDst = join(root, 'public', 'models');
if (existsSync(modelsSrc)) {
  // Overwrite in place (no delete first): several builds may sync at once while a server reads these files.
  cpSync(modelsSrc, modelsDst, {
    recursive: true,
    force: true,
    filter: (src) => !/(^|\/)(\.|__pycache__)/.test(src.slice(modelsSrc.length)) && !src.endsWith('.py'),
  });
}

const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
const wasmDst = join(root, 'public', 'tfjs-wasm');
mkdirSync(wasmDst, { recursive: true });
for (const f of readdirSync(join(wasmDir, 'dist'))) {
  if (f.endsWith('.wasm')) cpSync(join(wasmDir, 'dist', f), join(wasmDst, f));
}
const THREADED = 'tfjs-backend-wasm-threaded-simd';
cpSync(join(wasmDir, 'wasm-out', `${THREADED}.js`), join(wasmDst, `${THREADED}.js`));
// The package ships the pthread worker only as a string export (wasmWorkerContents); tfjs turns it into a blob
// with the same newline escape, done here once into a same-origin file.
const { wasmWorkerContents } = require(join(wasmDir, 'wasm-out', `${THREADED}.worker.js`));
writeFileSync(join(wasmDst, `${THREADED}.worker.js`), wasmWorkerContents.replace(/\n/g, '\\n'));
console.log('[sync-assets] models, tfjs wasm binaries and the threaded wasm scripts copied to public/');
