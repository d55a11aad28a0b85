// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type { ModelInfo, OutputKind } from '@/lib/models';
import { backendTestStore } from '@/components/layout/backend-test-store';
import { DecisionPanel } from '@/components/explain/decision-panel';
import { TopK } from './top-k';

vi.mock('@/components/providers/dashboard-provider', async () =>
  (await import('@/components/layout/backend-test-store')).dashboardMock(),
);
afterEach(cleanup);

/** A store with model "m" of `kind` (labels, unit) and a worker whose prediction is `probs`. */
function setup(kind: OutputKind, labels: string[], probs: number[], extra: Partial<ModelInfo> = {}) {
  const predict = vi.fn(async (modelId: string, imageId: string) => ({
    modelId,
    imageId,
    probs: Float32Array.from(probs),
    scores: Float32Array.from(probs),
    ms: 1,
  }));
  const { store } = backendTestStore({ predict });
  const info = {
    id: 'm',
    name: 'M',
    labels,
    numClasses: labels.length,
    outputKind: kind,
    outputShape: [null, labels.length],
    ...extra,
  };
  store.setState({
    models: { m: { id: 'm', name: 'M', source: 'user', status: 'ready', info: info as unknown as ModelInfo } },
  });
  return { store, predict };
}

describe('TopK per output kind', () => {
  it('binary sigmoid: p and 1 − p, with the note', async () => {
    setup('sigmoid-binary', ['not real', 'real'], [0.2, 0.8], { outputShape: [null, 1] });
    render(<TopK modelId="m" imageId="i" />);
    const probs = await screen.findAllByTestId('predictions.prob');
    expect(probs.map((p) => p.textContent)).toEqual(['80.0 %', '20.0 %']);
    expect(screen.getAllByTestId('predictions.label').map((l) => l.textContent)).toEqual(['real', 'not real']);
    expect(screen.getByTestId('predictions.note').textContent).toBe('One sigmoid output p: the second class is 1 − p.');
  });

  it('a temperature applied in Evaluate softens one-class probabilities (p^(1/T), renormalised); order kept', async () => {
    const { store } = setup('softmax', ['a', 'b'], [0.9, 0.1]);
    store.getState().setTemperature('m', 2);
    render(<TopK modelId="m" imageId="i" />);
    const probs = await screen.findAllByTestId('predictions.prob');
    // 0.9^½ / (0.9^½ + 0.1^½) = 0.75
    expect(probs.map((p) => p.textContent)).toEqual(['75.0 %', '25.0 %']);
  });

  it('regression: the value with its unit, never a percentage', async () => {
    setup('regression', ['age'], [34.2], { unit: 'years' });
    render(<TopK modelId="m" imageId="i" />);
    expect((await screen.findByTestId('predictions.prob')).textContent).toBe('34.2 years');
    expect(screen.getByTestId('predictions').getAttribute('data-output-kind')).toBe('regression');
  });

  it('multi-label: each probability as it is', async () => {
    setup('multi-label', ['a', 'b', 'c'], [0.9, 0.7, 0.8]);
    render(<TopK modelId="m" imageId="i" />);
    const probs = await screen.findAllByTestId('predictions.prob');
    expect(probs.map((p) => p.textContent)).toEqual(['90.0 %', '80.0 %', '70.0 %']);
  });
});

describe('DecisionPanel per output kind', () => {
  it('regression: says why there is no precision or cost, what is explained, and starts no evaluation', () => {
    const { store } = setup('regression', ['age'], [34.2], { unit: 'years', datasetId: 'ds' });
    const ensureEvaluation = vi.fn(async () => {});
    store.setState({ ensureEvaluation });
    vi.useFakeTimers();
    render(<DecisionPanel modelId="m" decision={0} posterior={Float32Array.from([34.2])} />);
    vi.advanceTimersByTime(3000);
    vi.useRealTimers();
    expect(screen.getByTestId('explain.decision.unavailable').textContent).toMatch(/predicts values \(regression\)/);
    expect(screen.getByTestId('explain.decision').textContent).toContain(
      'The methods explain the value of age (years).',
    );
    expect(ensureEvaluation).not.toHaveBeenCalled();
  });

  it('binary sigmoid keeps the class panels (no "unavailable" note)', () => {
    setup('sigmoid-binary', ['not real', 'real'], [0.2, 0.8], { outputShape: [null, 1] });
    render(<DecisionPanel modelId="m" decision={1} posterior={Float32Array.from([0.2, 0.8])} />);
    expect(screen.queryByTestId('explain.decision.unavailable')).toBeNull();
    expect(screen.getByTestId('explain.decision')).toBeTruthy();
  });
});
