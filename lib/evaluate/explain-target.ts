/**
 * Which ORIGINAL model class to explain for an image picked in the Evaluate view. The view's decisions may
 * be over merged classes; the Explain view needs one of the model's own outputs.
 */

/**
 * @param probs     [N×K] the model's original posteriors (before prior shift and merges)
 * @param k         original number of classes
 * @param labels    [N] original true labels
 * @param members   merged class → its original classes (ClassMapping.members)
 * @param index     image index in [0, N)
 * @param decision  merged class the rule decided for this image
 * @param which     'true' → the original true label; 'predicted' → the member of the decided (merged) class
 *                  with the highest original posterior (ties → lowest index)
 */
export function explainClass(
  probs: ArrayLike<number>,
  k: number,
  labels: ArrayLike<number>,
  members: readonly (readonly number[])[],
  index: number,
  decision: number,
  which: 'true' | 'predicted',
): number {
  if (which === 'true') return labels[index] as number;
  const group = members[decision] ?? [decision];
  let best = group[0] ?? decision;
  for (const c of group) if ((probs[index * k + c] as number) > (probs[index * k + best] as number)) best = c;
  return best;
}
