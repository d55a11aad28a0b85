import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./', import.meta.url)) } },
  test: {
    // lib/ tests run in Node with tfjs on its CPU (and WASM) backend; component tests opt into jsdom
    // with a `// @vitest-environment jsdom` docblock.
    environment: 'node',
    include: ['lib/**/*.test.ts', 'components/**/*.test.tsx', 'scripts/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Exports the ONNX test corpus (.corpus/onnx, git-ignored) when its inputs changed; cheap otherwise.
    globalSetup: ['./scripts/corpus/vitest-global-setup.mjs'],
  },
});
