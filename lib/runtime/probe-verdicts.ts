/**
 * The pure half of the capability probe: phrasing a failed dry run for a user (which kernel or op is
 * missing, and which other backend has it), and turning the per-capability checks into per-method
 * verdicts. tfjs-free; the worker side (probe.ts) injects the kernel lookup.
 */
import type { MethodMeta } from '@/lib/explain/types';
import type { MethodId } from '@/lib/explain/catalog';
import {
  BACKEND_LABELS,
  type BackendName,
  type CapabilityCheck,
  type MethodVerdict,
  type ProbedCapability,
} from './probe-types';

/** What each probed capability is, for sentences ("The input gradient …"). */
export const CAPABILITY_WORDS: Record<ProbedCapability, string> = {
  logitsOnly: 'A forward pass of this model',
  inputGradients: 'The input gradient of this model',
  layerGradients: 'The gradient at its last spatial layer',
};

/** Whether backend `b` has kernel `k` registered (tf.getKernel in the worker). */
export type KernelLookup = (kernel: string, backend: BackendName) => boolean;

/**
 * A failed dry run as a sentence and the other backends that could run it.
 * - "Kernel 'X' not registered for backend 'b'" (tfjs) or the adapter's "needs the 'X' kernel, which the
 *   'b' backend does not have" → names X and b; `elsewhere` = the other available backends that have X.
 * - "gradient function not found for X" → TF.js has no gradient for op X on any backend.
 * - anything else → the error's own message (trimmed to its first sentence), no way out.
 */
export function describeFailure(
  error: unknown,
  capability: ProbedCapability,
  backend: BackendName,
  available: readonly BackendName[],
  hasKernel: KernelLookup,
): { reason: string; elsewhere: BackendName[] } {
  const what = CAPABILITY_WORDS[capability];
  const msg = error instanceof Error ? error.message : String(error);
  const kernel =
    /Kernel '([^']+)' not registered for backend '([^']+)'/.exec(msg) ??
    /needs the '([^']+)' kernel, which the '([^']+)' backend/.exec(msg);
  if (kernel) {
    const name = kernel[1] as string;
    const on = (kernel[2] as BackendName) in BACKEND_LABELS ? (kernel[2] as BackendName) : backend;
    const elsewhere = available.filter((b) => b !== on && hasKernel(name, b));
    return {
      reason: `${what} needs the '${name}' kernel, which the ${BACKEND_LABELS[on]} backend does not have.`,
      elsewhere,
    };
  }
  const grad = /gradient function not found for (\w+)/.exec(msg);
  if (grad) {
    return {
      reason: `${what} needs the gradient of the '${grad[1]}' op, which TensorFlow.js does not have (on any backend).`,
      elsewhere: [],
    };
  }
  const first = msg.split(/(?<=\.)\s/)[0]?.trim() || 'it failed without a message';
  return { reason: `${what} failed on the ${BACKEND_LABELS[backend]} backend: ${first}`, elsewhere: [] };
}

/**
 * Per-method verdicts from the checks: a method runs when the forward pass runs and every capability it
 * `requires` does. A refused method carries the first failing check's reason; `elsewhere` is where every
 * failing check could run; `ms` sums the checks it needs. A method whose checks have not all run yet (a
 * partial probe) gets no verdict — unless the forward pass failed, which refuses everything.
 */
export function verdictsFor(
  methods: readonly Pick<MethodMeta, 'id' | 'requires'>[],
  checks: Partial<Record<ProbedCapability, CapabilityCheck>>,
): Partial<Record<MethodId, MethodVerdict>> {
  const out: Partial<Record<MethodId, MethodVerdict>> = {};
  for (const m of methods) {
    const needed: ProbedCapability[] = ['logitsOnly', ...m.requires.filter((r) => r !== 'logitsOnly')];
    const forward = checks.logitsOnly;
    if (!forward) continue;
    // A failed forward pass is the reason for everything (the other checks did not run).
    const got = forward.ok ? needed.map((c) => checks[c]) : [forward];
    if (got.some((c) => c === undefined)) continue;
    const present = got as CapabilityCheck[];
    const ms = present.reduce((a, c) => a + c.ms, 0);
    const failed = present.filter((c) => !c.ok);
    if (failed.length === 0) {
      out[m.id] = { ok: true, elsewhere: [], ms };
      continue;
    }
    const elsewhere = (failed[0] as CapabilityCheck).elsewhere.filter((b) =>
      failed.every((f) => f.elsewhere.includes(b)),
    );
    out[m.id] = { ok: false, reason: (failed[0] as CapabilityCheck).reason, elsewhere, ms };
  }
  return out;
}
