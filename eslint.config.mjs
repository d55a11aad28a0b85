import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      'node_modules/**', '.next/**', 'out/**', 'public/**', 'next-env.d.ts', 'test-results/**',
      'playwright-report/**', 'bench/results/**', 'scripts/train/.data/**',
    ],
  },
  {
    // Playwright fixtures call `use(...)`, which the React hooks rule mistakes for React's `use`.
    files: ['e2e/**/*.ts'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
export default config;
