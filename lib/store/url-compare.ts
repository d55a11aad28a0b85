/**
 * The Compare view's rows of the URL-state table (url-state.ts):
 *
 *   /compare?a=<id>&b=<id>&method=<id>&cfg=<json>&target=<k>&set=<id>&rule=<argmax|costOptimal>
 */
import type { DecisionRule } from '@/lib/compare';
import type { MethodId } from '@/lib/explain/catalog';
import {
  IN_URL,
  classCodec,
  configCodec,
  enumCodec,
  idCodec,
  methodCodec,
  urlKey,
  type Codec,
  type Primitive,
} from './url-codecs';

export const DECISION_RULES: readonly DecisionRule[] = ['argmax', 'costOptimal'];

const row = <T>(param: string, codec: Codec<T>, doc: string) =>
  urlKey<T | undefined>({
    view: 'compare',
    param,
    codec: codec as Codec<T | undefined>,
    default: undefined,
    ...IN_URL,
    doc,
  });

export const COMPARE_URL = {
  a: row<string>('a', idCodec, 'model in slot A (reference)'),
  b: row<string>('b', idCodec, 'model in slot B (candidate)'),
  method: row<MethodId>('method', methodCodec, 'explanation method for both'),
  config: row<Record<string, Primitive>>('cfg', configCodec, 'shared method parameters (JSON of primitives)'),
  target: row<number>('target', classCodec, "class of model A (absent: A's top class)"),
  set: row<string>('set', idCodec, 'evaluation set'),
  rule: row<DecisionRule>('rule', enumCodec(DECISION_RULES), 'decision rule (absent: argmax)'),
} as const;
