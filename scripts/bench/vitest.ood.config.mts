// The out-of-distribution calibration bench (scripts/bench/ood.mjs) runs scripts/bench/ood.run.ts through
// Vitest for the `@/` alias; not part of `npm test`.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('../../', import.meta.url)) } },
  test: {
    environment: 'node',
    include: ['scripts/bench/ood.run.ts'],
    testTimeout: 3_600_000,
    pool: 'forks',
  },
});
