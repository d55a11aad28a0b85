/**
 * The image strip's bundled samples in one compact query value, in strip order, never pixels:
 *
 *   strip=fashion-test-2k:0-11            twelve samples, images 0…11 of one set
 *   strip=fashion-test-2k:3,7,40-42~mnist-test:5     two sets, single images and runs
 *
 * A group is `<datasetId>:<runs>` (ids of letters, digits, "_", "." and "-"); runs are `a` or `a-b`
 * (a ≤ b, inclusive); groups are joined by "~". Consecutive samples of one set share a group and
 * consecutive indices a run. Pure; no DOM.
 */
import { capped, type Codec, type SampleRef } from './url-codecs';

/** Most samples a link holds (a longer strip is trimmed by `fitStrip`, and the user is told). */
export const MAX_STRIP_ITEMS = 64;
/** Longest strip value written or read. */
export const MAX_STRIP_LENGTH = 600;

const DATASET_ID = /^[A-Za-z0-9_.-]{1,100}$/;
const RUN = /^(\d{1,7})(?:-(\d{1,7}))?$/;

/** The samples in `raw`, in order; undefined for anything malformed or over MAX_STRIP_ITEMS. */
function parseStrip(raw: string): SampleRef[] | undefined {
  const out: SampleRef[] = [];
  for (const group of raw.split('~')) {
    const i = group.lastIndexOf(':');
    const datasetId = group.slice(0, i);
    if (i <= 0 || !DATASET_ID.test(datasetId)) return undefined;
    for (const run of group.slice(i + 1).split(',')) {
      const m = RUN.exec(run);
      if (!m) return undefined;
      const a = Number(m[1]);
      const b = m[2] === undefined ? a : Number(m[2]);
      if (b < a || out.length + (b - a + 1) > MAX_STRIP_ITEMS) return undefined;
      for (let k = a; k <= b; k++) out.push({ datasetId, index: k });
    }
  }
  return out.length ? out : undefined;
}

/** Writes samples in order (consecutive ones of a set share a group; consecutive indices a run). */
function formatStrip(items: readonly SampleRef[]): string {
  const groups: { id: string; runs: [number, number][] }[] = [];
  for (const { datasetId, index } of items) {
    let g = groups[groups.length - 1];
    if (!g || g.id !== datasetId) groups.push((g = { id: datasetId, runs: [] }));
    const last = g.runs[g.runs.length - 1];
    if (last && index === last[1] + 1) last[1] = index;
    else g.runs.push([index, index]);
  }
  return groups.map((g) => `${g.id}:${g.runs.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`).join('~');
}

export const stripCodec: Codec<SampleRef[]> = {
  maxLength: MAX_STRIP_LENGTH,
  parse: capped(MAX_STRIP_LENGTH, parseStrip),
  format: formatStrip,
};

/** Whether a sample can be written in a strip value (a bundled set's id of the allowed characters). */
export const stripable = (s: SampleRef): boolean =>
  DATASET_ID.test(s.datasetId) && Number.isInteger(s.index) && s.index >= 0 && s.index < 1e7;

/**
 * The longest prefix of `items` that fits MAX_STRIP_ITEMS and MAX_STRIP_LENGTH, written; `kept` of
 * `items.length` samples are in it (the rest are left out of the link).
 */
export function fitStrip(items: readonly SampleRef[]): { value: SampleRef[]; text: string; kept: number } {
  let n = Math.min(items.length, MAX_STRIP_ITEMS);
  let text = formatStrip(items.slice(0, n));
  while (n > 0 && text.length > MAX_STRIP_LENGTH) text = formatStrip(items.slice(0, --n));
  return { value: items.slice(0, n), text, kept: n };
}

/**
 * What a link leaves out of the strip, in words for a notice ("" when nothing): bundled samples past
 * those that fit (`kept` of `samples`), and the user's own images (`own`; links never carry pixels).
 */
export function stripLeftOut(samples: number, kept: number, own: number): string {
  const parts = [
    kept < samples
      ? `the link holds the first ${kept} of the strip's ${samples} bundled samples (links stay short)`
      : '',
    own > 0 ? `your own images (${own}) stay in this tab: links never carry pixels` : '',
  ].filter(Boolean);
  return parts.length ? `Sharing: ${parts.join('; ')}.` : '';
}
