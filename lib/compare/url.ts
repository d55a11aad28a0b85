/**
 * The Compare view's shareable state in the URL query: `?a=<model>&b=<model>&method=<id>&cfg=<json>&
 * target=<class>&set=<dataset>&rule=<argmax|costOptimal>`. Parsing never throws: anything malformed is
 * dropped (and the view falls back to its defaults), so a hand-edited or truncated link still opens.
 */
import type { MethodId } from '@/lib/explain/types';
import { findMethod } from './config';
import type { DecisionRule } from './paired';

export interface CompareUrlState {
  a?: string;
  b?: string;
  method?: MethodId;
  /** Shared method parameters (primitives only). */
  config?: Record<string, number | string | boolean>;
  /** Target class index (of model A); absent = A's top class. */
  target?: number;
  set?: string;
  rule?: DecisionRule;
}

const MAX_ID = 200;
const okId = (s: string | null): s is string => !!s && s.length <= MAX_ID && !/[\u0000-\u001f]/.test(s);

export function parseCompareQuery(search: string | URLSearchParams): CompareUrlState {
  const q = typeof search === 'string' ? new URLSearchParams(search) : search;
  const out: CompareUrlState = {};
  const a = q.get('a');
  const b = q.get('b');
  if (okId(a)) out.a = a;
  if (okId(b)) out.b = b;
  const method = findMethod(q.get('method'));
  if (method) out.method = method.id;
  const cfg = q.get('cfg');
  if (cfg && cfg.length <= 2000) {
    try {
      const parsed: unknown = JSON.parse(cfg);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const clean: Record<string, number | string | boolean> = {};
        for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
          if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string' || typeof v === 'boolean') clean[k] = v;
        }
        out.config = clean;
      }
    } catch {
      // malformed: ignored
    }
  }
  const target = q.get('target');
  if (target !== null && /^\d{1,5}$/.test(target)) out.target = Number(target);
  const set = q.get('set');
  if (okId(set)) out.set = set;
  const rule = q.get('rule');
  if (rule === 'argmax' || rule === 'costOptimal') out.rule = rule;
  return out;
}

/** The query string (without "?") for a state; undefined fields are left out, keys in a fixed order. */
export function compareQuery(s: CompareUrlState): string {
  const q = new URLSearchParams();
  if (s.a) q.set('a', s.a);
  if (s.b) q.set('b', s.b);
  if (s.method) q.set('method', s.method);
  if (s.config && Object.keys(s.config).length > 0) q.set('cfg', JSON.stringify(s.config));
  if (s.target !== undefined) q.set('target', String(s.target));
  if (s.set) q.set('set', s.set);
  if (s.rule) q.set('rule', s.rule);
  return q.toString();
}
