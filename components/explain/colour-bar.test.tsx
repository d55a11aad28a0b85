// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type { Attribution } from '@/lib/explain';
import { DEFAULT_LOOK } from '@/lib/render';
import { ColourBar } from './colour-bar';

const attribution = (method: Attribution['method'], signed: boolean, values: number[]): Attribution => ({
  method,
  target: 0,
  width: values.length,
  height: 1,
  values: Float32Array.from(values),
  signed,
  scoreKind: method === 'occlusion' ? 'probability' : 'logit',
  config: {},
  timings: { totalMs: 1, forwardPasses: 1 },
});

afterEach(cleanup);

describe('ColourBar', () => {
  it('signed map on the default look: red–blue, −m · 0 · m, the method’s unit and its words', () => {
    render(
      <ColourBar
        attribution={attribution('occlusion', true, [-0.5, 0, 0.25])}
        look={{ ...DEFAULT_LOOK, clipPercentile: 100 }}
      />,
    );
    const bar = screen.getByTestId('colour-bar');
    expect(bar.dataset.colormap).toBe('rdbu');
    expect(bar.textContent).toContain('-0.50');
    expect(bar.textContent).toContain('0.50');
    expect(screen.getByTestId('colour-bar.unit').textContent).toBe('drop in probability when hidden');
    expect(screen.getByTestId('colour-bar.words').textContent).toContain('blue = against');
  });

  it('follows the look: Viridis on a signed map never says blue; magnitudes say least/most', () => {
    const a = attribution('saliency', true, [-1, 2]);
    render(<ColourBar attribution={a} look={{ ...DEFAULT_LOOK, colormap: 'viridis' }} />);
    expect(screen.getByTestId('colour-bar').dataset.colormap).toBe('viridis');
    expect(screen.getByTestId('colour-bar.words').textContent).not.toContain('blue');
    expect(screen.getByTestId('colour-bar.unit').textContent).toBe('gradient of the logit');
    cleanup();
    render(<ColourBar attribution={a} look={{ ...DEFAULT_LOOK, absolute: true }} size="lg" />);
    expect(screen.getByTestId('colour-bar').dataset.colormap).toBe('viridis');
    expect(screen.getByTestId('colour-bar.words').textContent).toContain('least');
  });
});
