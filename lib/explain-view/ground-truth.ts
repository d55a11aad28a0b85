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
 * `predicted` is the model's top class name (null/undefined while it is being computed). `classes`: the
 * model's class names, when known — a true class that is none of them (an MNIST digit shown to a Fashion
 * model) is not the model's mistake, so it is said in words and judged neither right nor wrong.
 */
export function groundTruth(
  trueLabel: string | undefined,
  predicted: string | null | undefined,
  classes?: readonly string[],
): GroundTruth | null {
  if (trueLabel === undefined || trueLabel === '') return null;
  if (classes && classes.length > 0 && !classes.some((c) => c.trim() === trueLabel.trim()))
    return {
      text: `True: ${trueLabel} (not one of this model’s classes)${predicted ? ` · Model: ${predicted}` : ''}`,
      correct: null,
    };
  if (predicted === null || predicted === undefined) return { text: `True: ${trueLabel}`, correct: null };
  const correct = predicted.trim() === trueLabel.trim();
  return { text: `True: ${trueLabel} · Model: ${predicted} ${correct ? '✓' : '✗'}`, correct };
}
