// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { analyse } from '@/lib/metrics';
import { defaultCostSettings } from '@/lib/store';
import { EVALUATE_LAYOUT } from './panels';
import type { EvaluatePanelProps } from './panel-contract';
import { PerClassTable } from './per-class-table';
import { DecisionRulePanel } from './decision-rule-panel';
import { CalibrationPanel } from './calibration-panel';
import { MergePanel } from './merge-panel';
import { PriorsPanel } from './priors-panel';

afterEach(cleanup);

const labels = ['cat', 'dog', 'owl'];
// 6 images, rows of probabilities; true labels below. Image 2 (true dog) is taken for a cat.
const probs = Float32Array.from([
  0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.6, 0.3, 0.1, 0.1, 0.1, 0.8, 0.1, 0.2, 0.7, 0.1, 0.8, 0.1,
]);
const truth = Int32Array.from([0, 1, 1, 2, 2, 1]);
const settings = defaultCostSettings(3);

function props(p: Partial<EvaluatePanelProps> = {}): EvaluatePanelProps {
  return {
    analysis: analyse({ probs, labels: truth, classNames: labels, settings }),
    labels,
    settings,
    onChange: () => {},
    view: { rule: 'argmax', explainWhich: 'predicted' },
    onView: () => {},
    set: { id: 'set', labels: truth, k: labels.length },
    onOpen: () => {},
    ...p,
  };
}

describe('the Evaluate panel contract', () => {
  it('lists every panel once', () => {
    const ids = EVALUATE_LAYOUT.flatMap((r) => r.panels.map((p) => p.id));
    expect(ids).toEqual(['confusion', 'per-class', 'cost', 'scenario', 'op', 'rule', 'priors', 'merge', 'calibration']);
  });

  it('panels that need the analysis draw nothing without it; the settings panels still work', () => {
    for (const { id, Component, needsAnalysis } of EVALUATE_LAYOUT.flatMap((r) => r.panels)) {
      const { container, unmount } = render(<Component {...props({ analysis: null })} />);
      expect(container.innerHTML === '', id).toBe(needsAnalysis);
      unmount();
    }
  });

  it('the per-class table shows the analysis of the chosen rule', () => {
    render(<PerClassTable {...props()} />);
    // 5 of 6 right under argmax.
    expect(Number(screen.getByTestId('evaluate.summary.accuracy').getAttribute('data-value'))).toBeCloseTo(5 / 6, 10);
    expect(screen.getByTestId('evaluate.class.1.support').textContent).toContain('3');
  });

  it('the decision-rule panel changes the view rule through onView', () => {
    const onView = vi.fn();
    render(<DecisionRulePanel {...props({ onView })} />);
    expect(screen.getByTestId('evaluate.rule.changed').textContent).toBe('0');
    fireEvent.click(screen.getByTestId('evaluate.rule.use.costOptimal'));
    expect(onView).toHaveBeenCalledWith({ rule: 'costOptimal' });
  });

  it('the priors and merge panels change the settings through onChange', () => {
    const onChange = vi.fn();
    render(
      <>
        <PriorsPanel {...props({ onChange })} />
        <MergePanel {...props({ onChange })} />
      </>,
    );
    fireEvent.click(screen.getByTestId('evaluate.priors.uniform'));
    expect(onChange).toHaveBeenLastCalledWith({ priors: [1, 1, 1] });
    // No training mix in the card: the preset is there but says why it cannot be used.
    expect((screen.getByTestId('evaluate.priors.training') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('evaluate.merge.class.0'));
    fireEvent.click(screen.getByTestId('evaluate.merge.class.1'));
    fireEvent.click(screen.getByTestId('evaluate.merge.apply'));
    expect(onChange).toHaveBeenLastCalledWith({ merges: [[0, 1]] });
  });

  it('the training-mix preset sets the priors to the class counts of the card', () => {
    const onChange = vi.fn();
    render(<PriorsPanel {...props({ onChange, trainingMix: [240, 24, 240] })} />);
    fireEvent.click(screen.getByTestId('evaluate.priors.training'));
    expect(onChange).toHaveBeenLastCalledWith({ priors: [240, 24, 240] });
  });

  it('the calibration panel reads the analysis', () => {
    render(<CalibrationPanel {...props()} />);
    expect(screen.getByTestId('evaluate.calibration.ece').textContent).toMatch(/%$/);
    expect(screen.getAllByTestId('evaluate.calibration.bar').length).toBeGreaterThan(0);
  });
});
