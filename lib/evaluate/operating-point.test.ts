import { describe, expect, it } from 'vitest';
import { analyse, costAtThreshold } from '@/lib/metrics';
import { FASHION, randomLabels, randomPosteriors } from '@/lib/metrics/testing';
import { mergedPriors, operatingPointReport } from './operating-point';
import { scenarioSettings } from './scenario';

describe('operatingPointReport', () => {
  it('the threshold rule of the analysis costs what the curve says; argmax and 0.5 are on the same weighting', () => {
    const probs = randomPosteriors(500, 10, 3);
    const labels = randomLabels(500, 10, 4);
    const s = scenarioSettings({ name: 's', positive: 3, missCost: 10, prevalence: 0.05 }, 10);
    const a = analyse({ probs, labels, classNames: FASHION, settings: { ...s, merges: [] } });
    const r = operatingPointReport(a, 3);
    expect(r.atPriors).toBe(true);
    const pri = mergedPriors(a)!;
    // Realised cost of the threshold rule at the priors, computed directly.
    const counts = new Array(10).fill(0);
    labels.forEach((y) => counts[y]++);
    let direct = 0;
    a.threshold!.cost.perImage.forEach((c, n) => (direct += (c * pri[labels[n]!]!) / counts[labels[n]!]));
    expect(costAtThreshold(r.cost, a.operatingPoint!.threshold)).toBeCloseTo(direct, 10);
    expect(r.cost.best.cost).toBeLessThanOrEqual(r.argmaxCost + 1e-12);
    expect(r.cost.best.cost).toBeLessThanOrEqual(r.halfCost + 1e-12);
    expect(r.curves.rocAuc).not.toBeNull();
  });

  it('with merges the priors of a group add up', () => {
    const a = analyse({
      probs: randomPosteriors(100, 10, 5),
      labels: randomLabels(100, 10, 6),
      classNames: FASHION,
      settings: { matrix: { overrides: [] }, priors: [1, 1, 1, 1, 1, 1, 2, 1, 1, 1], merges: [[0, 6]] },
    });
    const p = mergedPriors(a)!;
    expect(p).toHaveLength(9);
    expect(p[0]).toBeCloseTo(3 / 11, 10);
  });
});
