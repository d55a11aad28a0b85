/**
 * Per-image statistics for the "is this image like the model's data?" check (plain arrays, no tensors).
 *
 * - Input statistics are read from the model input (`ImageInput`: HWC, p ∈ [0, 1], after resize, grey
 *   conversion and invert; before normalisation), i.e. from what the model actually sees.
 * - Colourfulness is read from the image as given (RGBA, before grey conversion): a colour photo greyed for
 *   a grey model is flagged although its model input is grey.
 * - Confidence statistics are read from the model's outputs: top probability, normalised entropy and, for
 *   logit outputs, the energy score −log Σ exp(zₖ) (Liu et al. 2020, https://arxiv.org/abs/2010.03759).
 */

/** Number of bins of the tone histogram (equal-width bins over [0, 1] of the grey value). */
export const TONE_BINS = 16;
/** A model-input value at or below this is "black" (no signal), at or above 1 − it "white". */
export const CLIP_EPS = 0.02;
/** Colourfulness (Hasler–Süsstrunk scale, `colourfulness`) above which an image counts as a colour image. */
export const COLOUR_MIN = 10;
/** Width of the image edge that `edge` averages, as a fraction of the shorter side (at least 1 px). */
export const EDGE_FRACTION = 0.1;

/** Statistics of one model input. Every value is in [0, 1] except where noted. */
export interface InputStats {
  /** Mean grey value (luma for 3 channels). */
  mean: number;
  /** Standard deviation of the grey value (contrast), in [0, 0.5]. */
  std: number;
  /** Fraction of grey values ≤ CLIP_EPS (pure black). */
  dark: number;
  /** Fraction of grey values ≥ 1 − CLIP_EPS (pure white). */
  bright: number;
  /** Mean grey value of the outer edge (EDGE_FRACTION of the shorter side). */
  edge: number;
  /** Per-channel means [channels] (RGB for 3 channels). */
  channelMeans: number[];
  /** Tone histogram of the grey value [TONE_BINS], sums to 1. */
  histogram: Float32Array;
  /** The grey image shrunk to THUMB×THUMB by area averages (row-major): its rough layout. */
  thumb: Float32Array;
}

/** Side of `InputStats.thumb`. */
export const THUMB = 8;

/** Grey value of pixel `i` of a 1- or 3-channel HWC input (BT.601 luma for 3 channels). */
function grey(data: Float32Array, i: number, c: number): number {
  if (c < 3) return data[i * c] as number;
  return 0.299 * (data[i * c] as number) + 0.587 * (data[i * c + 1] as number) + 0.114 * (data[i * c + 2] as number);
}

/** Statistics of a model input (HWC, p ∈ [0, 1]; values outside are clamped). Throws on an empty input. */
export function inputStats(input: { width: number; height: number; channels: number; data: Float32Array }): InputStats {
  const { width: w, height: h, channels: c, data } = input;
  const n = w * h;
  if (!(n > 0) || data.length !== n * c)
    throw new RangeError(`input has ${data.length} values; expected ${w}×${h}×${c} > 0`);
  const histogram = new Float32Array(TONE_BINS);
  const channelMeans = new Array<number>(c).fill(0);
  const band = Math.max(1, Math.round(Math.min(w, h) * EDGE_FRACTION));
  const thumb = new Float32Array(THUMB * THUMB);
  const thumbN = new Float32Array(THUMB * THUMB);
  let sum = 0;
  let sq = 0;
  let dark = 0;
  let bright = 0;
  let edgeSum = 0;
  let edgeN = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const v = Math.min(1, Math.max(0, grey(data, i, c)));
      sum += v;
      sq += v * v;
      if (v <= CLIP_EPS) dark++;
      if (v >= 1 - CLIP_EPS) bright++;
      const bin = Math.min(TONE_BINS - 1, Math.floor(v * TONE_BINS));
      const cell =
        Math.min(THUMB - 1, Math.floor(((y + 0.5) * THUMB) / h)) * THUMB +
        Math.min(THUMB - 1, Math.floor(((x + 0.5) * THUMB) / w));
      thumb[cell] = (thumb[cell] as number) + v;
      thumbN[cell] = (thumbN[cell] as number) + 1;
      histogram[bin] = (histogram[bin] as number) + 1;
      if (x < band || y < band || x >= w - band || y >= h - band) {
        edgeSum += v;
        edgeN++;
      }
      for (let k = 0; k < c; k++) channelMeans[k] = (channelMeans[k] as number) + (data[i * c + k] as number);
    }
  }
  const mean = sum / n;
  for (let b = 0; b < TONE_BINS; b++) histogram[b] = (histogram[b] as number) / n;
  // A cell no pixel centre fell in (inputs smaller than THUMB) takes the mean.
  for (let j = 0; j < thumb.length; j++)
    thumb[j] = (thumbN[j] as number) > 0 ? (thumb[j] as number) / (thumbN[j] as number) : mean;
  return {
    mean,
    std: Math.sqrt(Math.max(0, sq / n - mean * mean)),
    dark: dark / n,
    bright: bright / n,
    edge: edgeN > 0 ? edgeSum / edgeN : mean,
    channelMeans: channelMeans.map((s) => s / n),
    histogram,
    thumb,
  };
}

/** Root-mean-square difference of two equal-length vectors (e.g. thumbs), in their unit. */
export function rmsDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) throw new RangeError(`vectors of ${a.length} and ${b.length} values`);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
  }
  return Math.sqrt(s / a.length);
}

/**
 * Colourfulness of straight RGBA pixels (Hasler & Süsstrunk 2003, https://doi.org/10.1117/12.477378), on
 * their 0–255 scale: σ_rgyb + 0.3·μ_rgyb with rg = R − G, yb = (R + G)/2 − B. 0 for any grey image; about 15
 * "slightly", 33 "moderately", 59 "quite" colourful. Transparent pixels count as they are stored;
 * images over `maxPixels` are read at every k-th pixel.
 */
export function colourfulness(rgba: ArrayLike<number>, maxPixels = 1 << 20): number {
  const total = Math.floor(rgba.length / 4);
  if (total === 0) return 0;
  // Large photos: every `step`-th pixel (at most maxPixels of them) is plenty for a mean and a spread.
  const step = Math.max(1, Math.ceil(total / maxPixels));
  let n = 0;
  let srg = 0;
  let syb = 0;
  let qrg = 0;
  let qyb = 0;
  for (let i = 0; i < total; i += step) {
    const r = rgba[i * 4] as number;
    const g = rgba[i * 4 + 1] as number;
    const b = rgba[i * 4 + 2] as number;
    const rg = r - g;
    const yb = 0.5 * (r + g) - b;
    srg += rg;
    syb += yb;
    qrg += rg * rg;
    qyb += yb * yb;
    n++;
  }
  const mrg = srg / n;
  const myb = syb / n;
  const vrg = Math.max(0, qrg / n - mrg * mrg);
  const vyb = Math.max(0, qyb / n - myb * myb);
  return Math.sqrt(vrg + vyb) + 0.3 * Math.sqrt(mrg * mrg + myb * myb);
}

/** Total variation distance ½ Σ |p − q| ∈ [0, 1] between two histograms of equal length that each sum to 1. */
export function histogramDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new RangeError(`histograms of ${p.length} and ${q.length} bins`);
  let d = 0;
  for (let i = 0; i < p.length; i++) d += Math.abs((p[i] as number) - (q[i] as number));
  return d / 2;
}

/** How sure the model is about one image. */
export interface ConfidenceStats {
  /** Largest probability, in [0, 1]. */
  maxProb: number;
  /** Shannon entropy of the probabilities divided by log K, in [0, 1] (0 = certain, 1 = uniform). */
  entropy: number;
  /** −log Σ exp(zₖ) of the logits (lower = more typical of the training data); null without logits. */
  energy: number | null;
}

/**
 * Confidence statistics of one prediction: `probs` [K] sum to 1 (single-class outputs); `logits` [K] when the
 * model gives logits (the energy score needs them; pass null otherwise).
 */
export function confidenceStats(probs: ArrayLike<number>, logits: ArrayLike<number> | null): ConfidenceStats {
  const k = probs.length;
  if (k < 2) throw new RangeError('confidence needs at least two classes');
  let maxProb = 0;
  let h = 0;
  for (let i = 0; i < k; i++) {
    const p = probs[i] as number;
    if (p > maxProb) maxProb = p;
    if (p > 0) h -= p * Math.log(p);
  }
  let energy: number | null = null;
  if (logits && logits.length === k) {
    let m = -Infinity;
    for (let i = 0; i < k; i++) m = Math.max(m, logits[i] as number);
    let s = 0;
    for (let i = 0; i < k; i++) s += Math.exp((logits[i] as number) - m);
    energy = Number.isFinite(m) ? -(m + Math.log(s)) : null;
  }
  return { maxProb, entropy: Math.min(1, Math.max(0, h / Math.log(k))), energy };
}
