/**
 * Output kinds: what the numbers a model outputs mean, how they are detected at load, range-checked when
 * declared, turned into class scores and probabilities, and shown. Pure functions over plain arrays (the
 * tensor versions of the transforms are in output-kind-tf.ts, for the adapters).
 *
 * A model outputs `raw` [n, K] (K = the model's output width). Per kind:
 * | kind             | raw                         | classes | score explained (target t)      | probabilities        |
 * |------------------|-----------------------------|---------|---------------------------------|----------------------|
 * | 'softmax'        | a distribution (rows sum 1) | K       | p_t                             | raw                  |
 * | 'logits'  (K>1)  | real logits z               | K       | z_t                             | softmax(z)           |
 * | 'logits'  (K=1)  | one logit z of class 1      | 2       | [−z, z]_t (log-odds of t)       | [σ(−z), σ(z)]        |
 * | 'sigmoid-binary' | one probability p (K=1)     | 2       | [1 − p, p]_t                    | [1 − p, p]           |
 * | 'multi-label'    | K independent p_j ∈ [0, 1]  | K       | p_t                             | raw, not normalised  |
 * | 'regression'     | K real values               | K       | the value y_t                   | none (values as are) |
 *
 * Binary: class 0 of a single logit is scored by −z, the exact log-odds of class 0 (log((1−p)/p) = −z);
 * of a single sigmoid by 1 − p, the probability of class 0. Both are what the shown number is, so each
 * gradient is the exact gradient of the number the user reads (∇(1 − p) = −∇p).
 * Regression has no probabilities: occlusion and RISE measure the *drop in value* (value of the image
 * minus value with the region hidden), gradient methods and Grad-CAM differentiate the value itself.
 */

/** What a model's outputs mean. 'probabilities' in old cards, manifests and saved records reads as 'softmax'. */
export type OutputKind = 'softmax' | 'logits' | 'sigmoid-binary' | 'multi-label' | 'regression';

export const OUTPUT_KINDS: readonly OutputKind[] = ['softmax', 'logits', 'sigmoid-binary', 'multi-label', 'regression'];

/** One-line names for menus. */
export const OUTPUT_KIND_LABELS: Readonly<Record<OutputKind, string>> = {
  softmax: 'Probabilities (softmax, one class)',
  logits: 'Logits (one class; a single logit = binary)',
  'sigmoid-binary': 'One sigmoid (binary: p and 1 − p)',
  'multi-label': 'Independent sigmoids (multi-label)',
  regression: 'Values (regression)',
};

/** Which scalar a method differentiated or perturbed. */
export type OutputScoreKind = 'logit' | 'probability' | 'value';

/** The last op of the model's graph, as far as the structure says. */
export type FinalActivation = 'softmax' | 'sigmoid' | 'log-softmax' | 'linear';

/** Detected kind and why, in words (shown on the Models page). */
export interface OutputDetection {
  kind: OutputKind;
  reason: string;
}

/** Reads a card / manifest / record value; undefined when it is not a kind. Accepts the old 'probabilities'. */
export function parseOutputKind(v: unknown): OutputKind | undefined {
  if (v === 'probabilities') return 'softmax';
  return (OUTPUT_KINDS as readonly unknown[]).includes(v) ? (v as OutputKind) : undefined;
}

/** The sentence a card error uses for a bad "outputKind". */
export const OUTPUT_KIND_EXPECTED = `outputKind must be one of ${OUTPUT_KINDS.map((k) => `"${k}"`).join(', ')} ("probabilities" = "softmax")`;

const TOL = 1e-3;

function scan(values: ArrayLike<number>, n: number, k: number) {
  let min = Infinity;
  let max = -Infinity;
  let worstSum = 1;
  let worstDev = 0;
  let finite = true;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const v = values[i * k + j] as number;
      if (!Number.isFinite(v)) finite = false;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    if (Math.abs(sum - 1) > worstDev) {
      worstDev = Math.abs(sum - 1);
      worstSum = sum;
    }
  }
  return { min, max, worstSum, worstDev, finite };
}

const fmt = (v: number): string => String(Number(v.toPrecision(5)));

/**
 * Decides the kind from the final op and a probe run. `values` [n, K] row-major: the raw outputs on the
 * probe batch. Rules, in order: final Softmax → softmax; LogSoftmax → logits; Sigmoid → binary (K = 1) or
 * multi-label; otherwise K = 1 → binary sigmoid when every probe value is in [0, 1] and the final op is
 * not known to be linear, else regression; K > 1 → softmax when every row sums to 1, else logits.
 */
export function detectOutputKind(final: FinalActivation | undefined, values: ArrayLike<number>, n: number, k: number): OutputDetection {
  if (final === 'softmax') return { kind: 'softmax', reason: 'the last op is Softmax' };
  if (final === 'log-softmax') return { kind: 'logits', reason: 'the last op is LogSoftmax (log-probabilities act as logits)' };
  if (final === 'sigmoid') {
    return k === 1
      ? { kind: 'sigmoid-binary', reason: 'the last op is Sigmoid on one output' }
      : { kind: 'multi-label', reason: `the last op is Sigmoid on ${k} outputs (independent probabilities)` };
  }
  const s = scan(values, n, k);
  const linear = final === 'linear' ? 'the last layer has no activation' : 'the last op is not Softmax or Sigmoid';
  if (k === 1) {
    if (final !== 'linear' && s.finite && s.min >= 0 && s.max <= 1) {
      return { kind: 'sigmoid-binary', reason: `one output, and every probe value is in [0, 1] (${fmt(s.min)} … ${fmt(s.max)})` };
    }
    return { kind: 'regression', reason: `one output, ${linear}, probe values ${fmt(s.min)} … ${fmt(s.max)}` };
  }
  if (s.finite && s.min >= -1e-6 && s.worstDev <= TOL) return { kind: 'softmax', reason: `every probe row sums to 1 over ${k} outputs` };
  return { kind: 'logits', reason: `${linear}, and the probe rows do not sum to 1 (e.g. ${fmt(s.worstSum)})` };
}

/**
 * The range check of a declared kind against the probe outputs `values` [n, K]: null when they fit, else a
 * sentence naming the value, e.g. "declared as probabilities (softmax) but the model output 33.526, outside
 * [0, 1]". Also checks K against the kind (a binary sigmoid has one output).
 */
export function checkOutputRange(kind: OutputKind, values: ArrayLike<number>, n: number, k: number): string | null {
  if (kind === 'sigmoid-binary' && k !== 1) return `declared as one sigmoid (binary) but the model has ${k} outputs; a binary sigmoid has exactly 1`;
  if (kind === 'logits' || kind === 'regression') return null;
  const s = scan(values, n, k);
  const what = kind === 'softmax' ? 'probabilities (softmax)' : kind === 'multi-label' ? 'independent probabilities (multi-label)' : 'a probability (one sigmoid)';
  const hint = '. Choose "logits" or "regression" if these are not probabilities';
  if (!s.finite) return `declared as ${what} but the model output a non-finite value${hint}`;
  if (s.min < -1e-6) return `declared as ${what} but the model output ${fmt(s.min)}, outside [0, 1]${hint}`;
  if (s.max > 1 + 1e-6) return `declared as ${what} but the model output ${fmt(s.max)}, outside [0, 1]${hint}`;
  if (kind === 'softmax' && s.worstDev > TOL) {
    return `declared as probabilities (softmax) but a row of the model's outputs sums to ${fmt(s.worstSum)}, not 1. Choose "multi-label" for independent sigmoids`;
  }
  return null;
}

/** True for the two binary forms (one output, two classes). */
export function isBinary(kind: OutputKind, k: number): boolean {
  return k === 1 && (kind === 'sigmoid-binary' || kind === 'logits');
}

/** Number of classes (or values) shown and explained for K raw outputs: 2 for a binary output, else K. */
export function classCount(kind: OutputKind, k: number): number {
  return isBinary(kind, k) ? 2 : k;
}

/**
 * Labels for the kind. Binary: 2 given labels are [class 0, class 1]; 1 given label names class 1 (class 0
 * becomes "not <label>"); none → ["negative", "positive"]. Regression: one name per value ("value" or
 * "output j"). Otherwise "class 0" … "class K−1". Returns an error sentence when the count does not fit.
 */
export function labelsFor(kind: OutputKind, k: number, given?: readonly string[]): { labels: string[] } | { error: string } {
  const n = classCount(kind, k);
  if (isBinary(kind, k)) {
    if (!given) return { labels: ['negative', 'positive'] };
    if (given.length === 1) return { labels: [`not ${given[0] as string}`, given[0] as string] };
    if (given.length === 2) return { labels: [...given] };
    return { error: `there are ${given.length} labels but a binary output has 2 classes (give 2 labels, or 1 for the positive class)` };
  }
  if (given) {
    if (given.length === n) return { labels: [...given] };
    const what = kind === 'regression' ? 'values' : 'scores';
    return { error: `there are ${given.length} labels but the model gives ${n} ${what}` };
  }
  if (kind === 'regression') return { labels: n === 1 ? ['value'] : Array.from({ length: n }, (_, i) => `output ${i}`) };
  return { labels: Array.from({ length: n }, (_, i) => `class ${i}`) };
}

/** The scalar gradient methods and Grad-CAM differentiate for this kind. */
export function gradientScoreKind(kind: OutputKind): OutputScoreKind {
  return kind === 'logits' ? 'logit' : kind === 'regression' ? 'value' : 'probability';
}

/** The scalar occlusion and RISE measure (they always use probabilities, or the value for regression). */
export function perturbationScoreKind(kind: OutputKind): OutputScoreKind {
  return kind === 'regression' ? 'value' : 'probability';
}

/** Whether the outputs are one distribution over classes (one class per image): confusion, cost, calibration apply. */
export function isSingleClass(kind: OutputKind): boolean {
  return kind === 'softmax' || kind === 'logits' || kind === 'sigmoid-binary';
}

/**
 * Why class-decision panels (confusion, precision, cost, calibration, priors) do not apply; null when they do.
 */
export function decisionPanelsUnavailable(kind: OutputKind): string | null {
  if (kind === 'regression') {
    return 'This model predicts values (regression), not classes: there is no probability, confusion, precision, calibration or cost to show.';
  }
  if (kind === 'multi-label') {
    return 'This model gives independent probabilities (multi-label): confusion, precision, calibration and cost assume one class per image, so they are not shown.';
  }
  return null;
}

/**
 * Turns raw outputs [n, K] into the class scores [n, classCount] the methods explain (see the table at
 * the top): binary logits → [−z, z], binary sigmoid → [1 − p, p], anything else unchanged (a copy).
 */
export function scoresFromRaw(kind: OutputKind, raw: ArrayLike<number>, n: number, k: number): Float32Array {
  if (!isBinary(kind, k)) return Float32Array.from({ length: n * k }, (_, i) => raw[i] as number);
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const v = raw[i] as number;
    out[2 * i] = kind === 'logits' ? -v : 1 - v;
    out[2 * i + 1] = v;
  }
  return out;
}

/**
 * Probabilities [n, classCount] from raw outputs [n, K]: softmax of logits (σ for one logit), [1 − p, p]
 * for one sigmoid, the outputs unchanged for softmax and multi-label (not normalised), and the values
 * unchanged for regression (they are not probabilities; callers check `isSingleClass`).
 */
export function probabilitiesFromRaw(kind: OutputKind, raw: ArrayLike<number>, n: number, k: number): Float32Array {
  if (kind === 'logits' && k === 1) {
    const out = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(raw[i] as number)));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  if (kind === 'logits') {
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      let m = -Infinity;
      for (let j = 0; j < k; j++) m = Math.max(m, raw[i * k + j] as number);
      let sum = 0;
      for (let j = 0; j < k; j++) sum += out[i * k + j] = Math.exp((raw[i * k + j] as number) - m);
      for (let j = 0; j < k; j++) out[i * k + j] = (out[i * k + j] as number) / sum;
    }
    return out;
  }
  return scoresFromRaw(kind, raw, n, k);
}

/** One shown output: a percentage for probabilities, the number and its unit for a value ("34.2 years"). */
export function formatOutput(kind: OutputKind, value: number, unit?: string): string {
  if (!Number.isFinite(value)) return '—';
  if (kind === 'regression') {
    const a = Math.abs(value);
    const text = a !== 0 && (a >= 1e5 || a < 1e-3) ? value.toExponential(2) : String(Number(value.toFixed(a >= 100 ? 1 : 3)));
    return unit ? `${text} ${unit}` : text;
  }
  return `${(value * 100).toFixed(1)} %`;
}

/** What a method explains for `target`, in words: "the probability of cat", "the logit of cat", "the value of age". */
export function explainedScoreText(kind: OutputKind, k: number, target: number, label: string, unit?: string): string {
  if (kind === 'regression') return `the value of ${label}${unit ? ` (${unit})` : ''}`;
  if (kind === 'logits' && k === 1) return `the log-odds of ${label}${target === 0 ? ' (the negated logit)' : ' (the logit)'}`;
  if (kind === 'logits') return `the logit of ${label}`;
  if (kind === 'sigmoid-binary' && target === 0) return `the probability of ${label} (1 − p)`;
  return `the probability of ${label}`;
}
