#!/usr/bin/env node
/**
 * Rewrites the README's generated "Explanation methods" section from the method catalog
 * (lib/explain/methods/<id>/meta.ts), or with --check only verifies it is current (exit 1 when stale).
 * The rendering lives in lib/explain-view/method-docs.ts (TypeScript); this script runs its test, which
 * compares the README with the generated text and, with UPDATE_README=1, writes it first.
 *   node scripts/docs/methods.mjs          # refresh README.md
 *   node scripts/docs/methods.mjs --check  # verify only
 */
import { runDocsTest } from './docs-test.mjs';

runDocsTest('lib/explain-view/method-docs.test.ts');
