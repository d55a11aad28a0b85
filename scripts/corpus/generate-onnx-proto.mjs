#!/usr/bin/env node
/**
 * Generates lib/models/onnx/onnx-proto.js (git-ignored): the static ONNX decoder on `protobufjs/minimal`
 * (no reflection, no eval / Function, so it runs under a CSP without 'unsafe-eval'), from the official
 * onnx.proto kept beside it (ONNX 1.12, IR 8). Decode-only: the app never writes ONNX.
 *
 * Runs from `npm install` / `npm ci` (package.json "postinstall"), so `npm install && npm start` and
 * `.ci/run` have it; needs the devDependency protobufjs-cli. Skips the work when the output is newer than
 * onnx.proto and this script. Usage: node scripts/corpus/generate-onnx-proto.mjs [--force]
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIR = path.join(HERE, '..', '..', 'lib', 'models', 'onnx');
const PROTO = path.join(DIR, 'onnx.proto');
const OUT = path.join(DIR, 'onnx-proto.js');
const mtime = (p) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0);

if (!process.argv.includes('--force') && mtime(OUT) > Math.max(mtime(PROTO), mtime(fileURLToPath(import.meta.url)))) {
  process.exit(0);
}
let pbjs;
try {
  pbjs = createRequire(import.meta.url)('protobufjs-cli/pbjs');
} catch {
  console.error(
    `[onnx-proto] protobufjs-cli is not installed (a devDependency): run \`npm install\` to generate ${path.relative(process.cwd(), OUT)}.`,
  );
  process.exit(1);
}
const args = [
  ...['-t', 'static-module', '-w', 'es6', '--no-encode', '--no-verify', '--no-convert', '--no-delimited'],
  ...['--no-create', '--no-service', '--no-typeurl', '--force-number', '--no-comments', '-o', OUT, PROTO],
];
pbjs.main(args, (err) => {
  if (err) {
    console.error(`[onnx-proto] generating ${OUT} failed: ${err.message ?? err}`);
    process.exit(1);
  }
  console.log(`[onnx-proto] wrote ${path.relative(process.cwd(), OUT)}`);
});
