/**
 * The page side of the PyTorch-reference benchmark (e2e/bench/reference.bench.ts, issue #18): a user model
 * loaded from bytes (an ONNX file of the corpus, the same weights the Python reference rebuilds), the exact
 * model input the worker explains (so PyTorch sees the same numbers), and one explanation's map for the
 * parity check. Plain data only.
 */
import type { MethodId } from '@/lib/explain';
import { argmax } from '@/lib/explain-view';
import { syntheticRgb } from './fixtures';
import type { BenchContext, PreparedModel } from './types';

/**
 * Loads a model file (fetched from `url`, same origin: the bench serves it with a Playwright route) through
 * the dashboard's user-model path, with a synthetic photo of `imageSize`².
 */
export async function prepareUpload(
  ctx: BenchContext,
  fileName: string,
  url: string,
  opts: { labels?: string[]; imageSize: number },
): Promise<PreparedModel> {
  const got = await fetch(url);
  if (!got.ok) throw new Error(`${url}: the server answered ${got.status}`);
  const file = new File([await got.arrayBuffer()], fileName);
  const res = await ctx.api.loadFromFiles([file], { name: fileName, labels: opts.labels });
  const info = res.info;
  const image = await ctx.api.addPixels(
    syntheticRgb(opts.imageSize, 7),
    opts.imageSize,
    opts.imageSize,
    3,
    'synthetic.png',
  );
  const target = argmax((await ctx.api.predict(info.id, image.id)).probs);
  ctx.log(`prepared ${info.id} from ${fileName} (${info.paramCount} params), target ${target}`);
  return {
    modelId: info.id,
    imageId: image.id,
    target,
    inputShape: info.inputShape,
    paramCount: info.paramCount,
    spatialLayer: info.spatialLayers[info.spatialLayers.length - 1] ?? '',
  };
}

/** The preprocessed model input (NHWC float32, row-major) of the prepared image, as plain numbers. */
export async function modelInput(
  ctx: BenchContext,
  p: PreparedModel,
): Promise<{ data: number[]; height: number; width: number; channels: number }> {
  const input = await ctx.api.modelInput(p.modelId, p.imageId);
  return { data: Array.from(input.data), height: input.height, width: input.width, channels: input.channels };
}

/** One explanation's map (row-major [height, width]) and the worker's time, for the parity check. */
export async function methodValues(
  ctx: BenchContext,
  p: PreparedModel,
  method: MethodId,
  config: Record<string, unknown>,
): Promise<{ values: number[]; width: number; height: number; workerMs: number; config: Record<string, unknown> }> {
  const a = await ctx.service.explain('bench-reference', {
    modelId: p.modelId,
    imageId: p.imageId,
    method,
    target: p.target,
    config,
  });
  return {
    values: Array.from(a.values),
    width: a.width,
    height: a.height,
    workerMs: a.timings.totalMs,
    config: a.config,
  };
}
