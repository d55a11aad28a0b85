import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

/**
 * The slow, printing browser checks of `npm run bench` (scripts/bench/formats.mjs): `*.bench.ts` here, never
 * matched by the CI config (`**\/*.spec.ts`). Same browser and server as the e2e suite, its own build folder.
 */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '**/*.bench.ts',
  timeout: 900_000,
  outputDir: `../../test-results/${(process.env.E2E_DIST_DIR ?? '.next-e2e').replace(/^\./, '')}-bench`,
  webServer: base.webServer && !Array.isArray(base.webServer) ? { ...base.webServer, cwd: '../..' } : base.webServer,
});
