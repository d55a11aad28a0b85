// The incremental-occlusion bench (scripts/bench/incremental-occlusion.run.ts) runs through Vitest for the `@/`
// alias and the TypeScript sources; it is not part of `npm test` (the default config does not include it).
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('../../', import.meta.url)) } },
  test: {
    environment: 'node',
    include: ['scripts/bench/incremental-occlusion.run.ts'],
    testTimeout: 3_600_000,
    pool: 'forks',
  },
});
