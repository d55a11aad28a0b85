/**
 * Loading a Keras model from local files: one `.keras` (Keras 3) or legacy `.h5` file, optionally with
 * `card.json` and `labels.txt` / `labels.json` beside it. The result has the same shape as every other
 * loader's (`LoadedModel` of ../load.ts): the info, card resolution, probe and Grad-CAM layer list come
 * from the same `inspectModel`, and `package` is the canonical model.json + weights.bin that
 * `loadModelFromPackage` reloads (IndexedDB persistence).
 */
import type * as tf from '@tensorflow/tfjs';
import { inspectModel, type BuildInfoOptions, type FileLike, type LoadedModel, type LoadOptions } from '../load';
import { readSidecars } from '../sidecars';
import { ModelError } from '../types';
import { buildKerasModel } from './build';
import { isZip, readKerasFile } from './read';
import { isHdf5 } from './h5';

/** Which Keras format a load read. */
export type KerasFormat = 'keras' | 'h5';

/** `LoadedModel` plus the Keras format that was read. */
export interface LoadedKerasModel extends LoadedModel {
  /** Always a LayersModel (owned by the caller: dispose it, or hand it to `createLayersAdapter`). */
  model: tf.LayersModel;
  kerasFormat: KerasFormat;
  /** Milliseconds spent reading the file (unzip + HDF5), building the model, and inspecting it. */
  timings: { readMs: number; buildMs: number; inspectMs: number };
}

/** Stages of a Keras load, in order (for a progress bar). */
export type KerasLoadStage = 'read' | 'build' | 'inspect';

/** LoadOptions plus a progress callback. */
export interface KerasLoadOptions extends LoadOptions {
  /**
   * Called with the overall fraction done in [0, 1] and the current stage: reading the file and its
   * weights (0 → 0.7, by weight bytes), building the tfjs model and setting weights (0.7 → 0.85),
   * probing and summarising it (0.85 → 1). Monotone; the last call is (1, 'inspect').
   */
  onProgress?: (fraction: number, stage: KerasLoadStage) => void;
}

const KERAS_NAME = /\.(keras|h5|hdf5)$/i;

/** Whether a file name looks like a Keras model file (`.keras`, `.h5`, `.hdf5`). */
export function isKerasFileName(name: string): boolean {
  return KERAS_NAME.test(name);
}

function newId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `m-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

const now = (): number => (globalThis.performance ? globalThis.performance.now() : Date.now());

/**
 * Loads a Keras model from `files` (one `.keras` / `.h5` plus optional card.json / labels file).
 * Options are those of the TF.js loaders (`id`, `name`, `card`, `preset`, `provenance`, `datasetId`).
 * @throws ModelError: 'not-a-model' (no Keras file, not a zip/HDF5, truncated, no config),
 *   'unknown-layer' (naming the class and the layer), 'missing-weights', 'load-failed' (weight shapes),
 *   'nan-weights', plus the card and shape checks of `inspectModel`.
 */
export async function loadKerasModel(files: readonly FileLike[], opts: KerasLoadOptions = {}): Promise<LoadedKerasModel> {
  let last = 0;
  const report = (fraction: number, stage: KerasLoadStage): void => {
    if (!opts.onProgress || fraction < last) return;
    last = fraction;
    opts.onProgress(fraction, stage);
  };
  if (files.length === 0) throw new ModelError('not-a-model', 'No files were selected.');
  const candidates = files.filter((f) => isKerasFileName(f.name));
  if (candidates.length === 0) {
    throw new ModelError('not-a-model', `None of the selected files is a Keras model (.keras or .h5): ${files.map((f) => f.name).slice(0, 6).join(', ')}.`);
  }
  if (candidates.length > 1) {
    throw new ModelError('load-failed', `The selection holds ${candidates.length} Keras files (${candidates.map((f) => f.name).join(', ')}). Select one model.`);
  }
  const file = candidates[0] as FileLike;
  const t0 = now();
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.length === 0) throw new ModelError('not-a-model', `${file.name} is empty.`);
  report(0.05, 'read');
  const archive = await readKerasFile(bytes, file.name, (f) => report(0.05 + 0.65 * f, 'read'));
  report(0.7, 'build');
  const t1 = now();
  const built = await buildKerasModel(archive);
  const t2 = now();
  report(0.85, 'inspect');
  try {
    const sidecars = await readSidecars(files, opts.card);
    const card = sidecars.card;
    const warnings = [...built.warnings, ...sidecars.warnings];
    const name = opts.name ?? card?.name ?? file.name.replace(KERAS_NAME, '');
    const inspectOpts: BuildInfoOptions = { id: opts.id ?? newId(), name, source: opts.source ?? 'user' };
    if (card) inspectOpts.card = card;
    if (opts.preset) inspectOpts.preset = opts.preset;
    if (opts.provenance !== undefined) inspectOpts.provenance = opts.provenance;
    if (opts.datasetId !== undefined) inspectOpts.datasetId = opts.datasetId;
    const { info, card: resolved } = await inspectModel(built.model, inspectOpts);
    const t3 = now();
    report(1, 'inspect');
    const what = archive.format === 'keras' ? 'Keras 3 file' : 'legacy Keras HDF5 file';
    return {
      model: built.model,
      info,
      card: resolved,
      package: built.package,
      sourceDescription: `${what} “${file.name}” (saved by Keras ${archive.kerasVersion})`,
      warnings,
      kerasFormat: archive.format,
      timings: { readMs: t1 - t0, buildMs: t2 - t1, inspectMs: t3 - t2 },
    };
  } catch (e) {
    built.model.dispose();
    throw e;
  }
}

/** Whether the first bytes are a `.keras` zip or an HDF5 file (for a loader's format dispatch by content). */
export function sniffKeras(head: Uint8Array): KerasFormat | undefined {
  if (isZip(head)) return 'keras';
  if (isHdf5(head)) return 'h5';
  return undefined;
}
