/** Test helper: a load that must fail with a given ModelError code and message fragments. */
import { expect } from 'vitest';
import { ModelError, type ModelErrorCode } from '../types';

/**
 * Awaits `p` and asserts that it rejected with `ModelError(code)` whose message matches every fragment; a
 * model it resolved with instead is disposed (and the assertion fails). Returns the error.
 */
export async function expectModelError(
  p: Promise<unknown>,
  code: ModelErrorCode,
  ...fragments: (string | RegExp)[]
): Promise<ModelError> {
  let err: unknown;
  try {
    const r = await p;
    (r as { model?: { dispose(): void } } | undefined)?.model?.dispose();
  } catch (e) {
    err = e;
  }
  expect(err, `expected ModelError(${code})`).toBeInstanceOf(ModelError);
  const me = err as ModelError;
  expect(me.code, me.message).toBe(code);
  for (const f of fragments) expect(me.message).toMatch(f);
  return me;
}
