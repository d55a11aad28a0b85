/**
 * A fine-tuning run's checkpoints (`models/<id>/checkpoints.json`, written by `python3 -m
 * whytrain.checkpoints`): parse and validate them, and turn each checkpoint into a manifest entry the normal
 * bundled-model loader can load (its own id, its own model.json, the parent's labels and preprocessing).
 */
import { isRecord, ModelError, resolveUrl, type ManifestModel } from '@/lib/models';

/** Accuracy of one checkpoint on one split, as measured by the training pipeline (PyTorch). */
export interface SplitScore {
  /** Fraction in [0, 1]. */
  accuracy: number;
  /** Mean per-class recall, in [0, 1]. */
  balancedAccuracy?: number;
  count: number;
}

export interface Checkpoint {
  /** "start" (the weights before fine-tuning), "epoch-N", or "final" (the weights after interpolation). */
  label: string;
  /** Display name from the file (e.g. "epoch 8 (before interpolation)"), when it gives one. */
  name?: string;
  /** Epochs of fine-tuning done (0 = start). */
  epoch: number;
  /** Optimiser steps done. */
  step: number;
  /** Resolved against the checkpoints file's URL. */
  modelUrl: string;
  /** Mean training loss of the epoch that ended here; null at the start. */
  trainLoss: number | null;
  validation?: SplitScore;
  test?: SplitScore;
  /** On the bundled evaluation set (the one the browser evaluates). */
  evalSet?: SplitScore;
}

export interface CheckpointSet {
  modelId: string;
  /** Epochs the run trained. */
  epochs: number;
  /** The bundled evaluation set the `evalSet` scores were measured on, if any. */
  evalSetId: string | null;
  /** True when the validation split was part of the final training data (its scores are on training images). */
  validationInTraining: boolean;
  /** The bundled model's own test accuracy. */
  bundledTestAccuracy: number | null;
  /** The largest weight difference between the last checkpoint and the bundled model (null: not checked). */
  finalWeightDiff: number | null;
  note: string;
  /** Sorted by epoch, at least one. */
  checkpoints: Checkpoint[];
}

function score(v: unknown, path: string, problems: string[]): SplitScore | undefined {
  if (v === undefined || v === null) return undefined;
  if (
    !isRecord(v) ||
    typeof v.accuracy !== 'number' ||
    v.accuracy < 0 ||
    v.accuracy > 1 ||
    typeof v.count !== 'number'
  ) {
    problems.push(`${path}: must be { accuracy in [0, 1], count }`);
    return undefined;
  }
  const out: SplitScore = { accuracy: v.accuracy, count: v.count };
  if (typeof v.balancedAccuracy === 'number') out.balancedAccuracy = v.balancedAccuracy;
  return out;
}

/**
 * Validates a parsed checkpoints.json and resolves each `modelUrl` against `url` (where it was fetched
 * from). Throws one ModelError('bad-manifest') listing every problem.
 */
export function parseCheckpoints(value: unknown, url: string): CheckpointSet {
  const problems: string[] = [];
  if (!isRecord(value) || value.version !== 1)
    throw new ModelError('bad-manifest', 'The checkpoints file must be a JSON object with version 1.');
  const list = Array.isArray(value.checkpoints) ? value.checkpoints : [];
  if (list.length === 0) problems.push('checkpoints: must be a non-empty list');
  const checkpoints: Checkpoint[] = [];
  const labels = new Set<string>();
  list.forEach((c: unknown, i) => {
    const path = `checkpoints[${i}]`;
    if (
      !isRecord(c) ||
      typeof c.label !== 'string' ||
      !/^[a-z0-9-]+$/.test(c.label) ||
      typeof c.modelUrl !== 'string'
    ) {
      problems.push(`${path}: needs a label (a-z, 0-9, -) and a modelUrl`);
      return;
    }
    if (typeof c.epoch !== 'number' || !Number.isInteger(c.epoch) || c.epoch < 0) {
      problems.push(`${path}.epoch: must be a whole number ≥ 0`);
      return;
    }
    if (labels.has(c.label)) problems.push(`${path}.label: "${c.label}" is used twice`);
    labels.add(c.label);
    const cp: Checkpoint = {
      label: c.label,
      epoch: c.epoch,
      step: typeof c.step === 'number' ? c.step : 0,
      modelUrl: resolveUrl(c.modelUrl, url),
      trainLoss: typeof c.trainLoss === 'number' ? c.trainLoss : null,
    };
    if (typeof c.name === 'string' && c.name !== '') cp.name = c.name;
    const validation = score(c.validation, `${path}.validation`, problems);
    const test = score(c.test, `${path}.test`, problems);
    const evalSet = score(c.evalSet, `${path}.evalSet`, problems);
    if (validation) cp.validation = validation;
    if (test) cp.test = test;
    if (evalSet) cp.evalSet = evalSet;
    checkpoints.push(cp);
  });
  if (typeof value.modelId !== 'string' || value.modelId === '') problems.push('modelId: missing');
  if (problems.length > 0)
    throw new ModelError('bad-manifest', `The checkpoints file has problems: ${problems.slice(0, 8).join('; ')}.`);
  checkpoints.sort((a, b) => a.epoch - b.epoch);
  const evalSet = value.evalSet;
  const validation = value.validation;
  return {
    modelId: value.modelId as string,
    epochs: typeof value.epochs === 'number' ? value.epochs : (checkpoints.at(-1)?.epoch ?? 0),
    evalSetId: isRecord(evalSet) && typeof evalSet.id === 'string' ? evalSet.id : null,
    validationInTraining: isRecord(validation) && validation.inTraining === true,
    bundledTestAccuracy: typeof value.bundledTestAccuracy === 'number' ? value.bundledTestAccuracy : null,
    finalWeightDiff:
      isRecord(value.finalMatchesBundled) && typeof value.finalMatchesBundled.maxAbsWeightDiff === 'number'
        ? value.finalMatchesBundled.maxAbsWeightDiff
        : null,
    note: typeof value.note === 'string' ? value.note : '',
    checkpoints,
  };
}

/** The worker's id of a checkpoint model: `<parent id>@<label>` (never a bundled or saved model's id). */
export function checkpointModelId(parentId: string, label: string): string {
  return `${parentId}@${label}`;
}

/** The file's name when it gives one, else "start" → "start", "epoch-4" → "epoch 4". */
export function checkpointName(cp: Pick<Checkpoint, 'label' | 'epoch' | 'name'>): string {
  if (cp.name) return cp.name;
  return cp.epoch === 0 ? 'start' : `epoch ${cp.epoch}`;
}

/**
 * A manifest entry for one checkpoint: the parent's labels, preprocessing and output kind, the checkpoint's
 * own weights. No card, no training mix (the checkpoint has neither).
 */
export function checkpointEntry(parent: ManifestModel, cp: Checkpoint): ManifestModel {
  return {
    id: checkpointModelId(parent.id, cp.label),
    name: `${parent.name} · ${checkpointName(cp)}`,
    version: parent.version,
    task: parent.task,
    format: 'layers',
    modelUrl: cp.modelUrl,
    inputShape: parent.inputShape,
    preprocessing: parent.preprocessing,
    labels: parent.labels,
    outputKind: parent.outputKind,
    provenance: `Checkpoint ${checkpointName(cp)} of ${parent.id}'s fine-tuning (replayed by whytrain.checkpoints).`,
  };
}
