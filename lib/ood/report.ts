/**
 * The "is this image like the model's data?" verdict in plain words: the score against the evaluation set's
 * reference (reference.ts) when there is one, and notes on what preprocessing did to the image (greyed,
 * stretched, cropped, padded, enlarged) — these need no set. Plain data (crosses the worker boundary).
 */
import { COLOUR_MIN, type InputStats } from './features';
import type { OodScore } from './reference';

/** Aspect ratios that differ by more than this factor are "changed" by the resize. */
export const ASPECT_TOLERANCE = 1.1;

/** The image as given, before preprocessing. */
export interface SourceFacts {
  width: number;
  height: number;
  /** `colourfulness` of its RGBA. */
  colour: number;
}

export interface ModelGeometry {
  width: number;
  height: number;
  channels: 1 | 3;
  policy: 'stretch' | 'center-crop' | 'pad';
}

const ratio = (w: number, h: number) => {
  const r = w / h;
  return r >= 1 ? `${+r.toFixed(2)}:1` : `1:${+(1 / r).toFixed(2)}`;
};

/** What preprocessing did to the image, in sentences (empty when it only resized without distortion). */
export function conversionNotes(src: SourceFacts, model: ModelGeometry): string[] {
  const notes: string[] = [];
  if (model.channels === 1 && src.colour > COLOUR_MIN)
    notes.push('This colour image was converted to grey: the model reads grey images only, so its colours are lost.');
  const a = src.width / src.height;
  const b = model.width / model.height;
  const change = Math.max(a / b, b / a);
  const size = `${src.width}×${src.height}`;
  const target = `${model.width}×${model.height}`;
  if (change > ASPECT_TOLERANCE) {
    if (model.policy === 'stretch')
      notes.push(
        `It was stretched from ${size} (${ratio(src.width, src.height)}) to the model’s ${target} (${ratio(model.width, model.height)}), so shapes are distorted.`,
      );
    else if (model.policy === 'center-crop')
      notes.push(`Its sides were cropped to fit ${target}: ${Math.round((1 - 1 / change) * 100)} % of it is not seen.`);
    else
      notes.push(
        `It was padded to fit ${target}: ${Math.round((1 - 1 / change) * 100)} % of what the model sees is padding.`,
      );
  }
  if (src.width * 2 <= model.width || src.height * 2 <= model.height)
    notes.push(
      `It was enlarged from ${size} to ${target}, so it is blurrier than the images a model of this size is usually given.`,
    );
  return notes;
}

/** What can be said without a set: an input that is almost uniform, or almost all pure black/white. */
export function inputRangeNotes(stats: InputStats): string[] {
  const notes: string[] = [];
  if (stats.std < 0.01)
    notes.push(`What the model sees is almost uniform (contrast ${stats.std.toFixed(3)}): there is little to go on.`);
  else if (stats.dark + stats.bright >= 0.97)
    notes.push(`${Math.round((stats.dark + stats.bright) * 100)} % of what the model sees is pure black or white.`);
  return notes;
}

export interface OodReport {
  /** 'out': unlike the set · 'in': like it · 'no-set': nothing to compare with (see `sentence`). */
  status: 'in' | 'out' | 'no-set';
  /** The set compared with. */
  set: { id: string; name: string; n: number } | null;
  /** The score against the set and its threshold (null without a set). */
  score: OodScore | null;
  /** What preprocessing did, and what can be said without a set. */
  notes: string[];
  /** The verdict in one plain sentence. */
  sentence: string;
}

/** Joins clauses as "a, b and c". */
function joinClauses(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The report for an image scored against a set (`score`), or without one (`score` null). */
export function oodReport(
  score: OodScore | null,
  set: { id: string; name: string; n: number } | null,
  notes: string[],
  maxReasons = 3,
): OodReport {
  if (!score || !set) {
    return {
      status: 'no-set',
      set: null,
      score: null,
      notes,
      sentence:
        'Whether this image is like the model’s data cannot be checked: that needs a labelled set of the images it was made for (add one in Evaluate).',
    };
  }
  if (!score.out) {
    return {
      status: 'in',
      set,
      score,
      notes,
      sentence: `This image is within the range of the ${set.n.toLocaleString('en')} images this model was evaluated on.`,
    };
  }
  const reasons = joinClauses(score.findings.slice(0, maxReasons).map((f) => f.text));
  return {
    status: 'out',
    set,
    score,
    notes,
    sentence: `This image is unlike the images this model was evaluated on: ${reasons}; its prediction may mean little.`,
  };
}
