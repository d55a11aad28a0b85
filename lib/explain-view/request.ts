/**
 * Building one explanation request (what the worker gets) and its cache key from the view's choices.
 */
import type { MethodMeta } from '@/lib/explain/types';
import type { ExplainRequest } from '@/lib/runtime/protocol';
import type { ResizePolicy } from '@/lib/models/types';
import { paramsToRequestConfig, resolveParams, type ParamContext, type ParamValue } from './params';
import { resultKey } from './result-cache';

export interface ExplainJob {
  request: ExplainRequest;
  key: string;
}

export function explainJob(p: {
  modelId: string;
  imageId: string;
  method: MethodMeta;
  params: Record<string, ParamValue>;
  target: number;
  resize: ResizePolicy | null;
}): ExplainJob {
  const config = paramsToRequestConfig(p.method, p.params);
  const request: ExplainRequest = {
    modelId: p.modelId,
    imageId: p.imageId,
    method: p.method.id,
    target: p.target,
    config,
  };
  if (p.resize) request.resize = p.resize;
  return {
    request,
    key: resultKey({
      modelId: p.modelId,
      imageId: p.imageId,
      method: p.method.id,
      config,
      target: p.target,
      resize: p.resize,
    }),
  };
}

/** Index of the largest value (ties → lowest index); -1 for an empty array. */
export function argmax(values: ArrayLike<number>): number {
  let best = -1;
  let bestV = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v > bestV) {
      bestV = v;
      best = i;
    }
  }
  return best;
}

/** One job per method for the same image and class, each with the view's parameters for that method. */
export function jobsForMethods(p: {
  methods: readonly MethodMeta[];
  rawParams: Partial<Record<string, Record<string, ParamValue>>>;
  ctx: ParamContext;
  modelId: string;
  imageId: string;
  target: number;
  resize: ResizePolicy | null;
}): { method: MethodMeta; params: Record<string, ParamValue>; job: ExplainJob }[] {
  return p.methods.map((method) => {
    const params = resolveParams(method, p.rawParams[method.id] ?? {}, p.ctx);
    return {
      method,
      params,
      job: explainJob({ modelId: p.modelId, imageId: p.imageId, method, params, target: p.target, resize: p.resize }),
    };
  });
}
