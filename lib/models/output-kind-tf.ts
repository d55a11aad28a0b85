/**
 * The tensor versions of output-kind.ts' transforms, for the adapters (worker side). Synchronous; call
 * inside `tf.tidy`. `raw` [n, K] is the model's output; see the table in output-kind.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { isBinary, type OutputKind } from './output-kind';

/** Class scores [n, classCount]: binary logit → [−z, z], binary sigmoid → [1 − p, p], else `raw` itself. */
export function scoresTensor(kind: OutputKind, raw: tf.Tensor2D): tf.Tensor2D {
  if (!isBinary(kind, raw.shape[1])) return raw;
  const other = kind === 'logits' ? tf.neg(raw) : tf.sub(1, raw);
  return tf.concat([other, raw], 1) as tf.Tensor2D;
}

/**
 * Probabilities [n, classCount]: softmax of logits ([σ(−z), σ(z)] for one logit z), [1 − p, p] for one sigmoid,
 * `raw` itself for softmax and multi-label (not normalised) and for regression (values, not probabilities).
 */
export function probabilitiesTensor(kind: OutputKind, raw: tf.Tensor2D): tf.Tensor2D {
  if (kind === 'logits') return raw.shape[1] === 1 ? tf.sigmoid(scoresTensor(kind, raw)) : tf.softmax(raw);
  return scoresTensor(kind, raw);
}
