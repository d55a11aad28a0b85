/**
 * The Evaluate view's rows of the URL-state table (url-state.ts):
 *
 *   /evaluate?model=<id>&dataset=<id>
 *
 * To add a key (a cost matrix, priors, merges, a decision rule, a scenario): one `row(...)` line here
 * with a codec from url-codecs.ts / url-codecs-list.ts (each has a length cap and refuses bad text, so
 * the default applies and `readViewChecked` names the refused parameter); `readView('evaluate', …)` and
 * `writeView('evaluate', …)` then carry it with no other change.
 */
import { IN_URL, idCodec, urlKey, type Codec } from './url-codecs';
import { DECISIONS_URL } from './url-evaluate-decisions';

const row = <T>(param: string, codec: Codec<T>, def: T, doc: string) =>
  urlKey<T>({ view: 'evaluate', param, codec, default: def, ...IN_URL, doc });

export const EVALUATE_URL = {
  model: row<string | null>('model', idCodec as Codec<string | null>, null, 'evaluated model'),
  dataset: row<string | null>('dataset', idCodec as Codec<string | null>, null, 'evaluation set'),
  ...DECISIONS_URL,
} as const;
