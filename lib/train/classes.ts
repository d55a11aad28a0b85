/**
 * The classes of a labelled folder / zip / CSV for a NEW head: the class names as written (folder names or
 * CSV labels), sorted (numeric-aware), then the items labelled with them by lib/datasets' parser (one layout
 * logic for the whole app). No tfjs, no DOM.
 */
import { parseLabelledFiles, type InputFile, type LabelledSet } from '@/lib/datasets';

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
 * Parses `files` into labelled items for a new head: the classes (`discoverClasses`) and every item with its
 * class index. Throws in words for fewer than two classes.
 */
export function labelledForNewHead(files: readonly InputFile[]): { classes: string[]; set: LabelledSet } {
  const classes = discoverClasses(files);
  if (classes.length < 2) {
    throw new Error(
      classes.length === 0
        ? 'No labelled image was found. Give one sub-folder per class (or a zip of that, or images plus a CSV of file,label).'
        : `Only one class (“${classes[0]}”) was found; a head needs at least two classes (one sub-folder per class).`,
    );
  }
  return { classes, set: parseLabelledFiles(files, classes) };
}
