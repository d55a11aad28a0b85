/**
 * lib/datasets' entry: user-supplied labelled evaluation sets (folders, zips, CSV of file,label) turned into
 * labelled items with a report of what was skipped and why. No tfjs, no DOM.
 */
export * from './labelled-files';
