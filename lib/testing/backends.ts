/**
 * Test helpers: switch tfjs between the backends we ship tests for ('cpu' and 'wasm') in Node.
 *
 * The WASM backend finds its .wasm binaries through `setWasmPaths`; in Node we point it at the package's
 * own `dist/` folder (a file path). Threads stay off (no cross-origin isolation in tests). Switching also
 * installs the app's gradients (lib/runtime/gradients), as the worker does.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { installGradients } from '@/lib/runtime/gradients';

export type TestBackend = 'cpu' | 'wasm';
export const TEST_BACKENDS: readonly TestBackend[] = ['cpu', 'wasm'];

let wasmPathsSet = false;

/** Makes `name` the active tfjs backend (idempotent). */
export async function switchBackend(name: TestBackend): Promise<void> {
  if (name === 'wasm' && !wasmPathsSet) {
    const req = createRequire(import.meta.url);
    const dir = path.dirname(req.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    setWasmPaths(dir + path.sep);
    wasmPathsSet = true;
  }
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`could not initialise the tfjs '${name}' backend`);
  }
  await tf.ready();
  // The same gradients the worker registers (lib/runtime/gradients): fused ops, depthwise, StridedSlice.
  installGradients();
}

/** Runs `fn` twice and returns the tensor counts before and after (for leak tests). */
export async function tensorCountAround(fn: () => Promise<unknown>): Promise<{ before: number; after: number }> {
  const before = tf.memory().numTensors;
  await fn();
  await fn();
  return { before, after: tf.memory().numTensors };
}
