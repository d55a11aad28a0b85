// `npm start`: build when there is no build or the sources are newer than it, then serve on $PORT (3000).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildId = join(root, '.next', 'BUILD_ID');

// Copied in by sync-assets on every start: not a reason to rebuild.
const GENERATED = new Set([join(root, 'public', 'models'), join(root, 'public', 'tfjs-wasm')]);

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    if (GENERATED.has(join(dir, entry.name))) continue;
    const p = join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

const sources = ['app', 'components', 'lib', 'models', 'public'].map((d) => join(root, d));
const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
const stale =
  builtAt === 0 ||
  sources.some((d) => newestMtime(d) > builtAt) ||
  ['package.json', 'next.config.ts'].some((f) => statSync(join(root, f)).mtimeMs > builtAt);

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
if (stale) {
  console.log('[start] building the dashboard (first run or sources changed)…');
  const r = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
} else {
  spawnSync(process.execPath, [join(root, 'scripts', 'sync-assets.mjs')], { cwd: root, stdio: 'inherit' });
}
const port = process.env.PORT ?? '3000';
const child = spawn(
  process.execPath,
  [join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', port],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
