#!/usr/bin/env node
/**
 * Makes sure .corpus/onnx (the ONNX test corpus, git-ignored) matches its inputs: the export script and the
 * bundled models it rebuilds. A content hash of those inputs is kept in .corpus/onnx/stamp.json; when it
 * differs (or the folder is missing) the script runs once (≈ 2 minutes on 2 cores), into a temporary folder
 * that replaces the old one only when it completed. A lock folder keeps parallel runs from exporting twice.
 *
 * Usage: node scripts/corpus/ensure-corpus.mjs   (vitest's global setup calls `ensureCorpus()`).
 * Needs /usr/bin/python3 with torch, torchvision and onnx (`.ci/run` installs the Debian packages).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = path.join(ROOT, '.corpus', 'onnx');
const LOCK = path.join(ROOT, '.corpus', 'onnx.lock');
const SCRIPT = path.join(ROOT, 'scripts', 'corpus', 'export_torchvision.py');
const PYTHON = process.env.CORPUS_PYTHON || '/usr/bin/python3';

/** sha256 over the export script and every bundled model file (manifest, model.json, shards). */
export function corpusInputsHash() {
  const h = createHash('sha256');
  const add = (p) => {
    h.update(path.relative(ROOT, p));
    h.update(fs.readFileSync(p));
  };
  add(SCRIPT);
  const models = path.join(ROOT, 'models');
  add(path.join(models, 'manifest.json'));
  const manifest = JSON.parse(fs.readFileSync(path.join(models, 'manifest.json'), 'utf8'));
  for (const m of manifest.models) {
    const dir = path.join(models, path.dirname(m.modelUrl));
    for (const f of fs.readdirSync(dir).sort()) if (/\.(json|bin)$/.test(f)) add(path.join(dir, f));
  }
  return h.digest('hex');
}

function fresh(hash) {
  try {
    const stamp = JSON.parse(fs.readFileSync(path.join(OUT, 'stamp.json'), 'utf8'));
    return stamp.hash === hash && fs.existsSync(path.join(OUT, 'manifest.json'));
  } catch {
    return false;
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function acquireLock() {
  const deadline = Date.now() + 15 * 60_000;
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      return true;
    } catch {
      try {
        if (Date.now() - fs.statSync(LOCK).mtimeMs > 20 * 60_000) fs.rmSync(LOCK, { recursive: true, force: true });
      } catch {
        /* the other run just released it */
      }
      if (Date.now() > deadline) throw new Error(`[corpus] timed out waiting for ${LOCK} (another export running?)`);
      sleep(2000);
    }
  }
}

/** Exports the corpus when stale. Returns 'fresh' or 'exported'. Throws when the export fails. */
export function ensureCorpus({ log = console.log } = {}) {
  const hash = corpusInputsHash();
  if (fresh(hash)) return 'fresh';
  acquireLock();
  try {
    if (fresh(hash)) return 'fresh'; // another run exported it while we waited
    const tmp = `${OUT}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    log(`[corpus] exporting the ONNX test corpus into ${path.relative(ROOT, OUT)} (inputs changed; about 2 minutes)…`);
    const t0 = Date.now();
    const r = spawnSync(PYTHON, [SCRIPT, '--out', tmp], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'pipe'],
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      fs.rmSync(tmp, { recursive: true, force: true });
      const why = r.error
        ? r.error.message
        : (r.stderr || '')
            .split('\n')
            .filter((l) => !/Warning|warn\(/.test(l))
            .slice(-15)
            .join('\n');
      throw new Error(
        `[corpus] ${PYTHON} ${path.relative(ROOT, SCRIPT)} failed (exit ${r.status}). It needs python3-torch, python3-torchvision and python3-onnx.\n${why}`,
      );
    }
    fs.writeFileSync(
      path.join(tmp, 'stamp.json'),
      JSON.stringify({ hash, seconds: (Date.now() - t0) / 1000 }, null, 1),
    );
    fs.rmSync(OUT, { recursive: true, force: true });
    fs.renameSync(tmp, OUT);
    log(`[corpus] done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return 'exported';
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`[corpus] ${ensureCorpus()}`);
}
