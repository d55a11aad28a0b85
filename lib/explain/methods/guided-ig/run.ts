/**
 * Guided Integrated Gradients (Kapishnikov, Venugopalan, Avci, Wedin, Terry & Bolukbasi 2021,
 * https://arxiv.org/abs/2106.09788): Integrated Gradients along an adaptive path that, at each step, first
 * moves the features with the smallest |gradient| (path.ts). attribution_i = Σ over moves of Δz_i · ∂S/∂z_i,
 * so Σ_i attribution_i ≈ S(x) − S(x') as for IG; `extras` reports the completeness error the same way.
 * The map reduces channels like IG (sum by default, which keeps the total).
 * Model calls: `steps` sequential gradient passes of one image, plus one forward pass over [x', x].
 */
import { completeness, makeBaseline } from '../../baselines';
import { nextTick, reduceChannels } from '../../common';
import { defineMethod } from '../../define';
import { gradientBatch, targetScores } from '../../gradients';
import type { ScoreKind } from '../../types';
import { gradientScoreKind } from '@/lib/models/output-kind';
import { guidedIgMeta } from './meta';
import { guidedPath } from './path';

export type { GuidedIgBaseline, GuidedIgConfig } from './meta';

export const guidedIg = defineMethod(guidedIgMeta, async (ctx) => {
  const { adapter, input, target, config } = ctx;
  const baseline = makeBaseline(input, { baseline: config.baseline, baselineImage: null, seed: config.seed });
  let scoreKind: ScoreKind = gradientScoreKind(adapter.info.outputKind);
  const { attributions, gradientCalls } = await guidedPath(
    input.data,
    baseline,
    async (z) => {
      const r = await gradientBatch(adapter, Float32Array.from(z), 1, input, target);
      scoreKind = r.scoreKind;
      return r.grads;
    },
    {
      steps: config.steps,
      fraction: config.fraction,
      maxDist: config.maxDist,
      beforeStep: () => ctx.throwIfAborted(),
      afterStep: async (f) => {
        ctx.onProgress(f);
        await nextTick();
      },
    },
  );
  ctx.throwIfAborted();
  const [scoreBaseline, scoreInput] = await targetScores(adapter, [baseline, input.data], input, target);
  let total = 0;
  for (const v of attributions) total += v;
  const values = reduceChannels(
    Float32Array.from(attributions),
    input.height,
    input.width,
    input.channels,
    config.reduction,
    config.absolute,
  );
  if (gradientCalls === 0) ctx.onProgress(1);
  return {
    values,
    scoreKind,
    forwardPasses: gradientCalls + 1,
    extras: { ...completeness(total, scoreInput as number, scoreBaseline as number), gradientCalls },
  };
});
