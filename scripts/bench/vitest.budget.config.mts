// The budget bench (scripts/bench/budget.mjs) runs its measurement file through Vitest for the `@/` alias
// and the TypeScript sources; it is not part of `npm test` (the default config does not include it).
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('../../', import.meta.url)) } },
  test: {
    environment: 'node',
    include: [
      'scripts/bench/budget-corpus.run.ts',
      'scripts/bench/probe-cancel.run.ts',
      'scripts/bench/cancel-pieces.run.ts',
    ],
    testTimeout: 1_800_000,
    pool: 'forks',
  },
});
