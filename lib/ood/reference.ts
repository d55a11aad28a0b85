/**
 * Reference statistics of a model's evaluation set and the distance of one image from them.
 *
 * For every statistic (features.ts) the set gives its median and its central range [q, 1 − q] (q = 1 % by
 * default). An image's distance on a statistic is 0 inside that range and, outside, how far beyond it lies
 * in units of the half-range on that side (median → edge, at least the statistic's `floor`): 1 = as far
 * beyond the range as the range's edge is from the median. The image's score is its largest distance.
 * The threshold is calibrated on the set itself: the (1 − alpha) quantile of the set's own scores (at least
 * MIN_THRESHOLD), so about `alpha` of the images the model was evaluated on are flagged (the false-alarm
 * rate; scripts/bench/ood.mjs measures it on held-out images). Plain arrays, no tensors.
 */
import {
  COLOUR_MIN,
  histogramDistance,
  rmsDistance,
  TONE_BINS,
  type ConfidenceStats,
  type InputStats,
} from './features';

export type FeatureId =
  | 'mean'
  | 'std'
  | 'dark'
  | 'bright'
  | 'edge'
  | 'tones'
  | 'nearest'
  | 'colour'
  | 'red'
  | 'green'
  | 'blue'
  | 'maxProb'
  | 'entropy'
  | 'energy';

/** Which side of the set's range is unusual: 'both', only above ('upper') or only below ('lower'). */
export type Tail = 'both' | 'upper' | 'lower';

export interface FeatureSpec {
  id: FeatureId;
  group: 'input' | 'confidence';
  tail: Tail;
  /** Smallest half-range (in the statistic's unit): a set with no spread still has a tolerance. */
  floor: number;
  /** Short name for the value ("brightness"). */
  name: string;
  /** Clauses for an image above / below the set's range ("it is brighter"). */
  high: string;
  low: string;
  format: (v: number) => string;
}

const two = (v: number) => v.toFixed(2);
const pc = (v: number) => `${Math.round(v * 100)} %`;
const one = (v: number) => v.toFixed(1);

/** Every statistic the check compares, in the order reasons are listed when they tie. */
export const FEATURES: Readonly<Record<FeatureId, FeatureSpec>> = {
  mean: {
    id: 'mean',
    group: 'input',
    tail: 'both',
    floor: 0.02,
    name: 'mean brightness',
    high: 'it is brighter',
    low: 'it is darker',
    format: two,
  },
  std: {
    id: 'std',
    group: 'input',
    tail: 'both',
    floor: 0.02,
    name: 'contrast',
    high: 'it has more contrast',
    low: 'it has less contrast',
    format: two,
  },
  dark: {
    id: 'dark',
    group: 'input',
    tail: 'both',
    floor: 0.02,
    name: 'black pixels',
    high: 'more of it is pure black',
    low: 'less of it is pure black',
    format: pc,
  },
  bright: {
    id: 'bright',
    group: 'input',
    tail: 'both',
    floor: 0.02,
    name: 'white pixels',
    high: 'more of it is pure white',
    low: 'less of it is pure white',
    format: pc,
  },
  edge: {
    id: 'edge',
    group: 'input',
    tail: 'both',
    floor: 0.02,
    name: 'brightness at the edges',
    high: 'its edges are brighter',
    low: 'its edges are darker',
    format: two,
  },
  tones: {
    id: 'tones',
    group: 'input',
    tail: 'upper',
    floor: 0.02,
    name: 'distance of its tones from theirs',
    high: 'its mix of tones is unlike theirs',
    low: '',
    format: two,
  },
  nearest: {
    id: 'nearest',
    group: 'input',
    tail: 'upper',
    floor: 0.02,
    name: 'distance from its closest images',
    high: 'it looks like none of them',
    low: '',
    format: two,
  },
  colour: {
    id: 'colour',
    group: 'input',
    tail: 'both',
    floor: 5,
    name: 'colourfulness',
    high: 'it is more colourful',
    low: 'it is less colourful',
    format: one,
  },
  red: {
    id: 'red',
    group: 'input',
    tail: 'both',
    floor: 0.02,
    name: 'mean red',
    high: 'it is redder',
    low: 'it is less red',
    format: two,
  },
  green: {
    id: 'green',
    group: 'input',
    tail: 'both',
    floor: 0.02,
    name: 'mean green',
    high: 'it is greener',
    low: 'it is less green',
    format: two,
  },
  blue: {
    id: 'blue',
    group: 'input',
    tail: 'both',
    floor: 0.02,
    name: 'mean blue',
    high: 'it is bluer',
    low: 'it is less blue',
    format: two,
  },
  maxProb: {
    id: 'maxProb',
    group: 'confidence',
    tail: 'lower',
    floor: 0.02,
    name: 'top probability',
    high: '',
    low: 'the model is less sure of it',
    format: pc,
  },
  entropy: {
    id: 'entropy',
    group: 'confidence',
    tail: 'upper',
    floor: 0.02,
    name: 'spread of the probabilities',
    high: 'the model’s probabilities are more spread out',
    low: '',
    format: two,
  },
  energy: {
    id: 'energy',
    group: 'confidence',
    tail: 'both',
    floor: 0.5,
    name: 'energy score',
    high: 'the model’s scores are weaker',
    low: 'the model’s scores are more extreme',
    format: one,
  },
};

/** The raw statistics of one image: model input, colourfulness of the image as given, model confidence. */
export interface ImageSample {
  input: InputStats;
  /** `colourfulness` of the image as given (before grey conversion). */
  colour: number;
  /** null for outputs that are not one distribution over classes (multi-label, regression). */
  confidence: ConfidenceStats | null;
}

export type FeatureRow = Partial<Record<FeatureId, number>>;

/** What a row is measured against: the set's mean tone histogram and a bank of its images' thumbs. */
export interface RowContext {
  meanHistogram: ArrayLike<number>;
  bank: readonly Float32Array[];
  /** Index in `bank` to leave out (the image itself, for the set's own rows). */
  skip?: number;
}

/** Images of the set kept for the nearest-images distance (evenly spaced when the set is larger). */
export const BANK_MAX = 1000;
/** The nearest-images distance averages the distances to this many closest images. */
export const K_NEAREST = 5;

/** Mean RMS distance from `thumb` to its K_NEAREST closest thumbs in `bank` (leaving out index `skip`). */
export function nearestDistance(thumb: Float32Array, bank: readonly Float32Array[], skip = -1): number {
  const best: number[] = [];
  for (let i = 0; i < bank.length; i++) {
    if (i === skip) continue;
    const d = rmsDistance(thumb, bank[i] as Float32Array);
    if (best.length < K_NEAREST || d < (best[best.length - 1] as number)) {
      best.push(d);
      best.sort((x, y) => x - y);
      if (best.length > K_NEAREST) best.pop();
    }
  }
  return best.length ? best.reduce((a, b) => a + b, 0) / best.length : 0;
}

/** The statistics of a sample as one row (tones and nearest are measured against `ctx`). */
export function featureRow(s: ImageSample, ctx: RowContext): FeatureRow {
  const row: FeatureRow = {
    mean: s.input.mean,
    std: s.input.std,
    dark: s.input.dark,
    bright: s.input.bright,
    edge: s.input.edge,
    tones: histogramDistance(s.input.histogram, ctx.meanHistogram),
    colour: s.colour,
  };
  if (ctx.bank.length > K_NEAREST) row.nearest = nearestDistance(s.input.thumb, ctx.bank, ctx.skip);
  if (s.input.channelMeans.length === 3) {
    [row.red, row.green, row.blue] = s.input.channelMeans;
  }
  if (s.confidence) {
    row.maxProb = s.confidence.maxProb;
    row.entropy = s.confidence.entropy;
    if (s.confidence.energy !== null) row.energy = s.confidence.energy;
  }
  return row;
}

/** One statistic over the set: its median and central range [lo, hi]. */
export interface FeatureReference {
  id: FeatureId;
  lo: number;
  median: number;
  hi: number;
}

export interface OodReference {
  /** Images the reference was computed from. */
  n: number;
  features: FeatureReference[];
  /** Mean tone histogram of the set [TONE_BINS]. */
  meanHistogram: number[];
  /** Thumbs of up to BANK_MAX of its images (InputStats.thumb). */
  bank: Float32Array[];
  /** Scores above this are "unlike the set". */
  threshold: number;
  /** Target false-alarm rate the threshold was set for. */
  alpha: number;
  /** Fraction of the set's own images scored above the threshold (≈ alpha; the held-in false-alarm rate). */
  heldInFlagged: number;
}

export interface ReferenceOptions {
  /** Tail fraction cut off each side of a statistic's range (default 0.01). */
  rangeQuantile?: number;
  /** Target false-alarm rate on the set (default 0.01). */
  alpha?: number;
}

/** A score at or below this never flags an image, however tight the set (a small margin beyond its range). */
export const MIN_THRESHOLD = 0.1;

/** The q-quantile (linear interpolation) of ascending `sorted` (non-empty). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of nothing');
  const pos = Math.min(1, Math.max(0, q)) * (n - 1);
  const i = Math.floor(pos);
  const a = sorted[i] as number;
  const b = sorted[Math.min(n - 1, i + 1)] as number;
  return a + (b - a) * (pos - i);
}

/** Distance of `x` from a statistic's range (0 inside), signed by side: > 0 above, < 0 below. */
export function featureDistance(ref: FeatureReference, x: number): number {
  const spec = FEATURES[ref.id];
  if (x > ref.hi && spec.tail !== 'lower') return (x - ref.hi) / Math.max(ref.hi - ref.median, spec.floor);
  if (x < ref.lo && spec.tail !== 'upper') return -(ref.lo - x) / Math.max(ref.median - ref.lo, spec.floor);
  return 0;
}

/** Score of a row against a reference's statistics: max |distance| over the statistics the row has. */
function rowScore(features: readonly FeatureReference[], row: FeatureRow): number {
  let s = 0;
  for (const f of features) {
    const x = row[f.id];
    if (x !== undefined && Number.isFinite(x)) s = Math.max(s, Math.abs(featureDistance(f, x)));
  }
  return s;
}

/**
 * Reference statistics of a set from its images' samples (at least 20). Statistics that some sample lacks
 * (e.g. energy for a model without logits) are left out.
 */
export function buildReference(samples: readonly ImageSample[], opts: ReferenceOptions = {}): OodReference {
  const n = samples.length;
  if (n < 20) throw new RangeError(`a reference needs at least 20 images (got ${n})`);
  const q = opts.rangeQuantile ?? 0.01;
  const alpha = opts.alpha ?? 0.01;
  const meanHistogram = new Array<number>(TONE_BINS).fill(0);
  for (const s of samples)
    for (let b = 0; b < TONE_BINS; b++)
      meanHistogram[b] = (meanHistogram[b] as number) + (s.input.histogram[b] as number) / n;
  const step = Math.max(1, n / BANK_MAX);
  const bankIndex = new Map<number, number>();
  const bank: Float32Array[] = [];
  for (let j = 0; j * step < n && bank.length < BANK_MAX; j++) {
    const i = Math.floor(j * step);
    bankIndex.set(i, bank.length);
    bank.push((samples[i] as ImageSample).input.thumb);
  }
  const rows = samples.map((s, i) => featureRow(s, { meanHistogram, bank, skip: bankIndex.get(i) ?? -1 }));
  const features: FeatureReference[] = [];
  for (const id of Object.keys(FEATURES) as FeatureId[]) {
    const values = rows.map((r) => r[id]);
    if (values.some((v) => v === undefined || !Number.isFinite(v))) continue;
    const sorted = Float64Array.from(values as number[]).sort();
    features.push({ id, lo: quantile(sorted, q), median: quantile(sorted, 0.5), hi: quantile(sorted, 1 - q) });
  }
  const scores = Float64Array.from(rows.map((r) => rowScore(features, r))).sort();
  const threshold = Math.max(MIN_THRESHOLD, quantile(scores, 1 - alpha));
  const heldInFlagged = scores.filter((s) => s > threshold).length / n;
  return { n, features, meanHistogram, bank, threshold, alpha, heldInFlagged };
}

/** One way an image differs from the set. */
export interface OodFinding {
  id: FeatureId;
  /** The image's value, and the set's central range. */
  value: number;
  lo: number;
  hi: number;
  /** Signed distance (featureDistance): > 0 above the range, < 0 below. */
  distance: number;
  /** The reason in words, with the numbers: "it is brighter (mean brightness 0.52; theirs 0.06–0.24)". */
  text: string;
}

export interface OodScore {
  score: number;
  threshold: number;
  out: boolean;
  /** Statistics outside the set's range, farthest first (a colour image on a grey set first of all). */
  findings: OodFinding[];
}

/** A colourful image (> COLOUR_MIN) against a set with (almost) no colour. */
function colourOnGrey(f: { id: FeatureId; hi: number }, value: number): boolean {
  return f.id === 'colour' && f.hi < COLOUR_MIN / 2 && value > COLOUR_MIN;
}

/** Scores one image's sample against a reference (findings farthest first; colour on a grey set first of all). */
export function scoreSample(ref: OodReference, sample: ImageSample): OodScore {
  const row = featureRow(sample, ref);
  const findings: OodFinding[] = [];
  for (const f of ref.features) {
    const value = row[f.id];
    if (value === undefined || !Number.isFinite(value)) continue;
    const distance = featureDistance(f, value);
    if (distance === 0) continue;
    const spec = FEATURES[f.id];
    const clause = colourOnGrey(f, value)
      ? 'it is in colour while theirs are grey'
      : distance > 0
        ? spec.high
        : spec.low;
    findings.push({
      id: f.id,
      value,
      lo: f.lo,
      hi: f.hi,
      distance,
      text: `${clause} (${spec.name} ${spec.format(value)}; theirs ${spec.format(f.lo)}–${spec.format(f.hi)})`,
    });
  }
  const score = findings.reduce((m, x) => Math.max(m, Math.abs(x.distance)), 0);
  // A colour image against a grey set is the plainest reason: it comes first, the others by distance.
  const rank = (x: OodFinding) => (x.id === 'colour' && colourOnGrey(x, x.value) ? Infinity : Math.abs(x.distance));
  findings.sort((a, b) => rank(b) - rank(a));
  return { score, threshold: ref.threshold, out: score > ref.threshold, findings };
}
