// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type { CurvePoint } from '@/lib/train';
import { CurveChart } from './curve-chart';

afterEach(cleanup);

const point = (epoch: number, acc: number, held: number | null): CurvePoint => ({
  epoch,
  trainLoss: 1 / epoch,
  trainAccuracy: acc,
  heldOutLoss: held === null ? null : 1.5 / epoch,
  heldOutAccuracy: held,
});

describe('CurveChart', () => {
  it('draws training and held-out lines and says the latest numbers', () => {
    render(<CurveChart curve={[point(1, 0.5, 0.4), point(2, 0.9, 0.75)]} epochs={5} />);
    const fig = screen.getByTestId('fine-tune.curve');
    expect(fig.getAttribute('data-epochs')).toBe('2');
    expect(fig.getAttribute('data-held-out-accuracy')).toBe('0.75');
    expect(fig.textContent).toContain('epoch 2/5: loss 0.500 / 0.750, accuracy 90.0 % / 75.0 %');
    const paths = [...fig.querySelectorAll('path')].map((p) => p.getAttribute('d') ?? '');
    expect(paths).toHaveLength(4); // loss and accuracy, each training + held out
    expect(paths.every((d) => /^M[\d.]+,[\d.]+ L[\d.]+,[\d.]+$/.test(d))).toBe(true);
  });

  it('without a held-out split draws only the training lines', () => {
    render(<CurveChart curve={[point(1, 0.5, null)]} epochs={1} />);
    const fig = screen.getByTestId('fine-tune.curve');
    const drawn = [...fig.querySelectorAll('path')].filter((p) => (p.getAttribute('d') ?? '') !== '');
    expect(drawn).toHaveLength(2);
    expect(fig.textContent).toContain('accuracy 50.0 % / —');
  });
});
