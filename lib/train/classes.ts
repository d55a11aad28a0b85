/**
 * The classes of a labelled folder / zip / CSV for a NEW head: the class names as written (folder names or
 * CSV labels), sorted (numeric-aware), then the items labelled with them by lib/datasets' parser (one layout
 * logic for the whole app). No tfjs, no DOM.
 */
import { matchClassName, parseLabelledFiles, type InputFile, type LabelledSet } from '@/lib/datasets';

/** Sorted class names found in `files`; a name that differs only by case from another is kept once (the first). */
export function discoverClasses(files: readonly InputFile[]): string[] {
  const { report } = parseLabelledFiles(files, []);
  const seen = new Set<string>();
  const names: string[] = [];
  for (const u of report.unknownLabels) {
    const key = u.name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    names.push(u.name);
  }
  return names.sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));
}

/**
 * The head's classes: the base model's labels, in its order, when the found names are exactly its classes
 * (matched as Evaluate matches folders: exact, case, index, punctuation) — so the old and the new head can be
 * compared class by class — else the found names as they are.
 */
export function classesForNewHead(found: readonly string[], baseLabels: readonly string[]): string[] {
  if (baseLabels.length === 0 || found.length !== baseLabels.length) return [...found];
  const hits = new Set(found.map((n) => matchClassName(n, baseLabels)?.label ?? -1));
  return hits.size === baseLabels.length && !hits.has(-1) ? [...baseLabels] : [...found];
}

/**
 * Parses `files` into labelled items for a new head: the classes (`classesForNewHead` of `discoverClasses`)
 * and every item with its class index. Throws in words for fewer than two classes.
 */
export function labelledForNewHead(
  files: readonly InputFile[],
  baseLabels: readonly string[] = [],
): { classes: string[]; set: LabelledSet } {
  const classes = classesForNewHead(discoverClasses(files), baseLabels);
  if (classes.length < 2) {
    throw new Error(
      classes.length === 0
        ? 'No labelled image was found. Give one sub-folder per class (or a zip of that, or images plus a CSV of file,label).'
        : `Only one class (“${classes[0]}”) was found; a head needs at least two classes (one sub-folder per class).`,
    );
  }
  return { classes, set: parseLabelledFiles(files, classes) };
}
