// What `npm start`, the bench (scripts/bench/run.mjs) and the e2e config (e2e/playwright.config.ts) share:
// where the repository and Next's CLI are, whether a production build is older than its sources, and how
// to find and start headless Chromium.
// CommonJS so that both the ES-module scripts and Playwright's transpiled TypeScript config can load it.
'use strict';
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

/** The repository root. */
const ROOT = join(__dirname, '..', '..');
/** Next's CLI (run it with process.execPath). */
const NEXT_BIN = join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');

// Copied in by sync-assets on every start: not a reason to rebuild.
const GENERATED = new Set([join(ROOT, 'public', 'models'), join(ROOT, 'public', 'tfjs-wasm')]);
const SOURCE_DIRS = ['app', 'components', 'lib', 'models', 'public'];
const SOURCE_FILES = ['package.json', 'next.config.ts', 'proxy.ts'];

/** Newest modification time (ms) of the files below `dir`, skipping dot folders, node_modules, tests and copies. */
function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (GENERATED.has(p) || /\.test\.tsx?$/.test(entry.name)) continue;
    const t = entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/** True when `distDir` (relative to the root) has no build, or a source is newer than its BUILD_ID. */
function buildIsStale(distDir) {
  const buildId = join(ROOT, distDir, 'BUILD_ID');
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  return (
    builtAt === 0 ||
    SOURCE_DIRS.some((d) => newestMtime(join(ROOT, d)) > builtAt) ||
    SOURCE_FILES.some((f) => existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).mtimeMs > builtAt)
  );
}

/**
 * A Chromium to drive: $CHROMIUM_PATH if set (it must exist), else Debian's /usr/bin/chromium, else
 * undefined (Playwright's own download, `npx playwright install chromium`, where that exists).
 */
function chromiumPath() {
  const env = process.env.CHROMIUM_PATH;
  if (env) {
    if (!existsSync(env)) throw new Error(`CHROMIUM_PATH=${env} does not exist`);
    return env;
  }
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  return undefined;
}

/** Headless Chromium's flags: no sandbox as root, SwiftShader WebGL allowed, no background traffic. */
function chromiumArgs() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return [
    ...(isRoot ? ['--no-sandbox'] : []),
    '--enable-unsafe-swiftshader',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ];
}

module.exports = { ROOT, NEXT_BIN, buildIsStale, chromiumPath, chromiumArgs };
