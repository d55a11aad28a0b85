import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../scripts/lib/app-build.cjs';

const PORT = Number(process.env.E2E_PORT ?? 3100);
/** Set E2E_BASE_URL to test a server you started yourself (e.g. `next dev`); then no server is built here. */
const EXTERNAL = process.env.E2E_BASE_URL;
const DIST = process.env.E2E_DIST_DIR ?? '.next-e2e';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  // One output folder per build folder, so parallel runs do not delete each other's traces.
  outputDir: `../test-results/${DIST.replace(/^\./, '')}`,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: EXTERNAL ?? `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: chromiumArgs(),
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: EXTERNAL
    ? undefined
    : {
        // Its own build folder with the test-only window hooks compiled in (see components/layout/test-hooks.tsx).
        // E2E_PREBUILT=1 (npm test, which builds DIST in its first stage): only start the server.
        command: `${process.env.E2E_PREBUILT ? '' : 'npm run build && '}node node_modules/next/dist/bin/next start -p ${PORT} -H 127.0.0.1`,
        cwd: '..',
        env: { NEXT_DIST_DIR: DIST, NEXT_PUBLIC_TEST_HOOKS: '1', NEXT_TELEMETRY_DISABLED: '1' },
        url: `http://127.0.0.1:${PORT}/`,
        timeout: 300_000,
        reuseExistingServer: !process.env.CI,
        stdout: 'pipe',
      },
});
