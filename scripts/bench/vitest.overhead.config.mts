// The overhead profile (scripts/bench/overhead.run.ts) runs through Vitest for the `@/` alias and the
// TypeScript sources; it is not part of `npm test` (the default config does not include it).
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('../../', import.meta.url)) } },
  test: {
    environment: 'node',
    include: ['scripts/bench/overhead.run.ts'],
    testTimeout: 1_800_000,
    pool: 'forks',
  },
});
