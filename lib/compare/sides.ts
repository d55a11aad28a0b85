/**
 * What the two sides of a comparison can and cannot do, in words: which methods either model can run
 * (and why the other cannot), whether their top answers can be compared at all (classes are paired by
 * name, never by placeholder), and why a side has no map. Plain data, no tfjs.
 */
import type { MethodMeta } from '@/lib/explain/types';
import type { ModelInfo } from '@/lib/models/types';
import { listMethodMetas } from '@/lib/explain/catalog';
import { isSingleClass } from '@/lib/models/output-kind';
import { classInB, isPlaceholderLabel } from './paired';

/** Methods at least one of the two models supports, in registry order (a missing model supports none). */
export function eitherMethods(a: ModelInfo | undefined, b: ModelInfo | undefined): MethodMeta[] {
  return listMethodMetas().filter(
    (m) => (a !== undefined && m.isCompatible(a)) || (b !== undefined && m.isCompatible(b)),
  );
}

/**
 * Why `method` cannot explain the model `info` (null when it can): it needs something the model lacks, or
 * the capability probe refused it on this backend (`verdict`).
 */
export function methodRefusal(
  method: Pick<MethodMeta, 'isCompatible' | 'requires'>,
  info: ModelInfo,
  verdict?: { ok: boolean; reason?: string },
): string | null {
  if (!method.isCompatible(info))
    return method.requires.includes('layerGradients')
      ? 'the model has no layer with a spatial map (such as a convolution) to read'
      : 'the model does not offer what this method needs';
  if (verdict && !verdict.ok) return verdict.reason ?? 'it cannot run on this backend';
  return null;
}

/** How many of A's classes have a namesake in B (placeholder names pair with nothing). */
export function sharedClassCount(labelsA: readonly string[], labelsB: readonly string[]): number {
  let n = 0;
  for (let k = 0; k < labelsA.length; k++) if (classInB(labelsA, labelsB, k) !== null) n++;
  return n;
}

/** The two models' top answers for one image, compared by class name. */
export type TopAgreement =
  | { kind: 'agree'; name: string }
  | { kind: 'disagree'; a: string; b: string }
  /** Their answers cannot be compared (no shared classes, no class names, or not class outputs). */
  | { kind: 'unpaired'; a: string; b: string; reason: string };

/** Why two models' classes cannot be paired at all, or null when at least one class pairs by name. */
export function unpairedReason(a: Pick<ModelInfo, 'labels'>, b: Pick<ModelInfo, 'labels'>): string | null {
  if (sharedClassCount(a.labels, b.labels) > 0) return null;
  if ([...a.labels, ...b.labels].some(isPlaceholderLabel))
    return 'A or B has no class names (only “class 1”, “class 2”, …), so its classes cannot be paired with the other model’s. Give it its labels under Models → Settings.';
  return 'A and B do not share any class, so their answers cannot be compared.';
}

/** Why class decisions do not apply to a side (regression, multi-label), or null when they do. */
export function classDecisionReason(slot: 'A' | 'B', info: Pick<ModelInfo, 'outputKind'>): string | null {
  if (isSingleClass(info.outputKind)) return null;
  return info.outputKind === 'regression'
    ? `${slot} predicts values (regression), not classes`
    : `${slot} gives independent probabilities (multi-label), not one class per image`;
}

/**
 * A's and B's top classes (indices into their own labels) compared by name: the same class (paired by
 * name, see classInB), different classes, or not comparable (and why).
 */
export function topAgreement(
  a: Pick<ModelInfo, 'labels' | 'outputKind'>,
  b: Pick<ModelInfo, 'labels' | 'outputKind'>,
  topA: number,
  topB: number,
): TopAgreement {
  const nameA = a.labels[topA] ?? `class ${topA}`;
  const nameB = b.labels[topB] ?? `class ${topB}`;
  const kinds = classDecisionReason('A', a) ?? classDecisionReason('B', b);
  if (kinds) return { kind: 'unpaired', a: nameA, b: nameB, reason: `${kinds}: there is no top class to agree on.` };
  const why = unpairedReason(a, b);
  if (why) return { kind: 'unpaired', a: nameA, b: nameB, reason: why };
  return classInB(a.labels, b.labels, topA) === topB
    ? { kind: 'agree', name: nameA }
    : { kind: 'disagree', a: nameA, b: nameB };
}
