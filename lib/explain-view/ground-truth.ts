/**
 * Ground truth next to a prediction, in the words an expert reads: "True: Shirt · Model: T-shirt/top ✗".
 * Classes are matched by name (two models with different label sets still compare honestly).
 */
export interface GroundTruth {
  text: string;
  /** null when the model's answer is not known yet. */
  correct: boolean | null;
}

/**
 * The ground-truth line, or null when the image's true class is not known (a user's own image).
 * `predicted` is the model's top class name (null/undefined while it is being computed).
 */
export function groundTruth(trueLabel: string | undefined, predicted: string | null | undefined): GroundTruth | null {
  if (trueLabel === undefined || trueLabel === '') return null;
  if (predicted === null || predicted === undefined) return { text: `True: ${trueLabel}`, correct: null };
  const correct = predicted.trim() === trueLabel.trim();
  return { text: `True: ${trueLabel} · Model: ${predicted} ${correct ? '✓' : '✗'}`, correct };
}
