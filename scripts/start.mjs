// `npm start`: build when there is no build or the sources are newer than it, then serve on $PORT (3000).
import { spawnSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildIsStale, NEXT_BIN, ROOT as root } from './lib/app-build.cjs';

const stale = buildIsStale('.next');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
if (stale) {
  console.log('[start] building the dashboard (first run or sources changed)…');
  const r = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
} else {
  spawnSync(process.execPath, [join(root, 'scripts', 'sync-assets.mjs')], { cwd: root, stdio: 'inherit' });
}
const port = process.env.PORT ?? '3000';
const child = spawn(process.execPath, [NEXT_BIN, 'start', '-p', port], {
  cwd: root,
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
