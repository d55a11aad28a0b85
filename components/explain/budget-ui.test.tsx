// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { getMethodMeta, type Attribution, type RunBasis } from '@/lib/explain';
import { resolveParams } from '@/lib/explain-view';
import { IgCompleteness } from './ig-completeness';
import { RunEstimate } from './run-estimate';

let ready = true;
let basis: RunBasis;
const asked: string[] = [];
const service = {
  api: {
    runBasis: async (id: string) => {
      asked.push(id);
      return basis;
    },
  },
};
const getService = () => service;
vi.mock('@/components/providers/dashboard-provider', () => ({
  useDashboard: <T,>(sel: (s: unknown) => T) =>
    sel({ backend: { backend: 'wasm' }, models: { m: { status: ready ? 'ready' : 'loading' } } }),
  useExplainService: () => getService,
}));

afterEach(cleanup);
beforeEach(() => {
  ready = true;
  asked.length = 0;
  // A slow 224×224 model: 300 ms per gradient image, 100 ms per forward image.
  basis = {
    timings: { backend: 'wasm', batch: 2, forwardMs: { one: 100, batch: 200 }, gradientMs: { one: 300, batch: 600 } },
    maxBatch: 8,
  };
});

const ctx = { numClasses: 10, spatialLayers: [] };
const SHAPE = [224, 224, 3] as const;

describe('RunEstimate', () => {
  it('shows the estimate of the sized defaults and says they were sized', async () => {
    const ig = getMethodMeta('integrated-gradients');
    render(
      <RunEstimate modelId="m" method={ig} params={resolveParams(ig, {}, ctx)} inputShape={SHAPE} onParam={() => {}} />,
    );
    await waitFor(() => expect(screen.getByTestId('explain.estimate.time')).toBeTruthy());
    expect(asked).toEqual(['m']);
    expect(screen.getByTestId('explain.estimate.time').textContent).toMatch(/^about \d+(\.\d)? s$/);
    // All 64 steps would take ~20 s: the steps stay, refinement stops after 10 s.
    expect(screen.getByTestId('explain.estimate.sized').textContent).toBe(
      'Defaults sized for ~10 s: steps added for at most 10 s',
    );
    expect(screen.queryByTestId('explain.estimate.cheaper')).toBeNull();
    // The adaptive trapezoid may stop early: the estimate is an upper bound, and says so.
    expect(screen.getByTestId('explain.estimate.early').textContent).toMatch(
      /at most: .* within 1\.0 % or after 10 s$/,
    );
  });

  it('a slow explicit setting: the cheaper alternative, applied with one click', async () => {
    const occ = getMethodMeta('occlusion');
    const onParam = vi.fn();
    const params = resolveParams(occ, { windowSize: 8, stride: 2 }, ctx);
    render(<RunEstimate modelId="m" method={occ} params={params} inputShape={SHAPE} onParam={onParam} />);
    await waitFor(() => expect(screen.getByTestId('explain.estimate.cheaper')).toBeTruthy());
    expect(screen.getByTestId('explain.estimate.time').textContent).toMatch(/min|\d\d s/);
    expect(screen.getByTestId('explain.estimate.cheaper').textContent).toMatch(/^stride \d+ \(patch \d+\) takes about/);
    expect(screen.queryByTestId('explain.estimate.sized')).toBeNull();
    expect(screen.queryByTestId('explain.estimate.early')).toBeNull();
    fireEvent.click(screen.getByTestId('explain.estimate.use-cheaper'));
    expect(onParam.mock.calls.map((c) => c[0]).sort()).toEqual(['stride', 'windowSize']);
  });

  it('nothing before the model is ready', () => {
    ready = false;
    const ig = getMethodMeta('integrated-gradients');
    render(
      <RunEstimate modelId="m" method={ig} params={resolveParams(ig, {}, ctx)} inputShape={SHAPE} onParam={() => {}} />,
    );
    expect(screen.queryByTestId('explain.estimate')).toBeNull();
    expect(asked).toEqual([]);
  });
});

function igResult(error: number, steps = 16): Attribution {
  return {
    method: 'integrated-gradients',
    target: 0,
    width: 1,
    height: 1,
    values: new Float32Array(1),
    signed: true,
    scoreKind: 'logit',
    config: { steps },
    timings: { totalMs: 1, forwardPasses: 1 },
    extras: { completenessError: error, sumAttributions: 1.157, scoreDelta: 0.822 },
  };
}

describe('IgCompleteness', () => {
  it('a small error is one line, no warning', () => {
    render(<IgCompleteness result={igResult(0.004)} onSteps={() => {}} />);
    expect(screen.getByTestId('explain.completeness').textContent).toMatch(/Completeness error 0\.4 %/);
    expect(screen.queryByTestId('explain.completeness.warning')).toBeNull();
  });

  it('above 5 %: a plain-words warning and one click for twice the steps', () => {
    const onSteps = vi.fn();
    render(<IgCompleteness result={igResult(0.41)} onSteps={onSteps} />);
    expect(screen.getByTestId('explain.completeness.warning').textContent).toMatch(/41 % off/);
    expect(screen.getByTestId('explain.completeness.warning').textContent).toMatch(/add up to 1\.157.*0\.822/);
    fireEvent.click(screen.getByTestId('explain.completeness.more'));
    expect(onSteps).toHaveBeenCalledWith(32);
    expect(screen.queryByTestId('explain.completeness.tiny')).toBeNull();
  });

  it('doubling onto the default steps (which would be sized down again) goes one past it', () => {
    const onSteps = vi.fn();
    render(<IgCompleteness result={igResult(0.2, 32)} onSteps={onSteps} />);
    fireEvent.click(screen.getByTestId('explain.completeness.more'));
    expect(onSteps).toHaveBeenCalledWith(65);
  });

  it('a tiny score difference: says the percentage means little', () => {
    const r = igResult(3);
    render(<IgCompleteness result={{ ...r, extras: { ...r.extras, scoreDelta: 0.001 } }} onSteps={() => {}} />);
    expect(screen.getByTestId('explain.completeness.tiny').textContent).toMatch(/means little.*Another baseline/);
  });

  it('ends that nearly cancel along a rising and falling path: the absolute error, its share of the movement, no warning', () => {
    // human/liveness-like: Δ = −0.016 while the score travels 0.84; the shares are off by 0.015.
    const r = igResult(0.92);
    const extras = { ...r.extras, sumAttributions: -0.031, scoreDelta: -0.016, scoreVariation: 0.84 };
    render(<IgCompleteness result={{ ...r, extras }} onSteps={() => {}} />);
    const text = screen.getByTestId('explain.completeness').textContent;
    expect(text).toMatch(/Completeness error 0\.015 in score units/);
    expect(text).toMatch(/moves by 0\.84 along the path/);
    expect(screen.getByTestId('explain.completeness.tiny').textContent).toMatch(/1\.8 % of that movement.*\(92 %\)/);
    expect(screen.queryByTestId('explain.completeness.warning')).toBeNull();
  });

  it('the same near-cancellation with an error that is a large part of the movement still warns', () => {
    const r = igResult(9);
    const extras = { ...r.extras, sumAttributions: 0.13, scoreDelta: -0.016, scoreVariation: 0.84 };
    render(<IgCompleteness result={{ ...r, extras }} onSteps={() => {}} />);
    expect(screen.getByTestId('explain.completeness.warning').textContent).toMatch(
      /off by 17 % of the score’s movement/,
    );
    expect(screen.getByTestId('explain.completeness.more')).toBeTruthy();
  });

  it('a score that never moves along the path (saturated): nothing to share out, no warning', () => {
    const r = igResult(247);
    const extras = { ...r.extras, sumAttributions: -2.5e-10, scoreDelta: 0, scoreVariation: 0 };
    render(<IgCompleteness result={{ ...r, extras }} onSteps={() => {}} />);
    expect(screen.getByTestId('explain.completeness.tiny').textContent).toMatch(/same all along the path/);
    expect(screen.queryByTestId('explain.completeness.warning')).toBeNull();
  });

  it('a score that moves little but steadily is judged by the relative error', () => {
    const r = igResult(0.004);
    const extras = { ...r.extras, sumAttributions: 0.00502, scoreDelta: 0.005, scoreVariation: 0.0051 };
    render(<IgCompleteness result={{ ...r, extras }} onSteps={() => {}} />);
    expect(screen.getByTestId('explain.completeness').textContent).toMatch(/Completeness error 0\.4 %/);
    expect(screen.queryByTestId('explain.completeness.tiny')).toBeNull();
  });

  it('stopped by the time limit below the warning: says so and offers the steps without the limit', () => {
    const onSteps = vi.fn();
    const r = igResult(0.019, 64);
    const result = {
      ...r,
      config: { steps: 64, timeLimit: 10 },
      extras: { ...r.extras, stoppedBy: 'time', stepsUsed: 12 },
    };
    render(<IgCompleteness result={result} onSteps={onSteps} />);
    expect(screen.getByTestId('explain.completeness.time').textContent).toBe(
      'Stopped adding steps after 12 of 64 at the 10 s time limit; more steps would bring the shares closer.',
    );
    expect(screen.queryByTestId('explain.completeness.warning')).toBeNull();
    expect(screen.getByTestId('explain.completeness.more').textContent).toBe('Run again with 128 steps, no time limit');
    fireEvent.click(screen.getByTestId('explain.completeness.more'));
    expect(onSteps).toHaveBeenCalledWith(128);
  });

  it('reaching the target (not the time limit) says nothing about time', () => {
    const r = igResult(0.004, 64);
    const result = {
      ...r,
      config: { steps: 64, timeLimit: 10 },
      extras: { ...r.extras, stoppedBy: 'target', stepsUsed: 9 },
    };
    render(<IgCompleteness result={result} onSteps={() => {}} />);
    expect(screen.queryByTestId('explain.completeness.time')).toBeNull();
    expect(screen.queryByTestId('explain.completeness.more')).toBeNull();
  });

  it('nothing for a method without a completeness check', () => {
    const { container } = render(<IgCompleteness result={{ ...igResult(0), extras: undefined }} onSteps={() => {}} />);
    expect(container.textContent).toBe('');
  });
});
