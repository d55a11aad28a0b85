#!/usr/bin/env node
/**
 * Rewrites the README's generated ONNX op list from the converter registry (lib/models/onnx/ops), or with
 * --check only verifies it is current (exit 1 when stale). The rendering is lib/models/onnx/op-docs.ts.
 *   node scripts/docs/onnx-ops.mjs          # refresh README.md
 *   node scripts/docs/onnx-ops.mjs --check  # verify only
 */
import { runDocsTest } from './docs-test.mjs';

runDocsTest('lib/models/onnx/op-docs.test.ts');
