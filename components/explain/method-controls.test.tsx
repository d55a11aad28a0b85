// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { getMethodMeta } from '@/lib/explain';
import { sharedParams } from '@/lib/compare';
import { MethodControls } from './method-controls';

afterEach(cleanup);

const occlusion = getMethodMeta('occlusion');
const defaults = occlusion.defaultConfig as Record<string, never>;

describe('MethodControls', () => {
  it('in Explain renders every parameter of the spec with explain.* test ids', () => {
    render(
      <MethodControls
        method={occlusion}
        values={defaults}
        onChange={() => {}}
        onReset={() => {}}
        labels={['a', 'b']}
      />,
    );
    const keys = Object.keys(occlusion.configSpec);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(screen.getByTestId(`explain.param.${k}`)).toBeTruthy();
    expect(screen.getByTestId('explain.params.reset')).toBeTruthy();
  });

  it('in Compare renders only the parameters both models share, with compare.* test ids', () => {
    render(
      <MethodControls slot="compare" method={occlusion} values={defaults} onChange={() => {}} onReset={() => {}} />,
    );
    const shared = sharedParams(occlusion).map((p) => p.key);
    const perModel = Object.keys(occlusion.configSpec).filter((k) => !shared.includes(k));
    expect(shared.length).toBeGreaterThan(0);
    expect(perModel.length).toBeGreaterThan(0);
    for (const k of shared) expect(screen.getByTestId(`compare.param.${k}`)).toBeTruthy();
    for (const k of perModel) expect(screen.queryByTestId(`compare.param.${k}`)).toBeNull();
    expect(screen.queryByTestId('explain.params')).toBeNull();
  });

  it('draws nothing in Compare when no parameter is shared (Grad-CAM only has a layer)', () => {
    const gradCam = getMethodMeta('grad-cam');
    expect(sharedParams(gradCam)).toEqual([]);
    const { container } = render(
      <MethodControls slot="compare" method={gradCam} values={{}} onChange={() => {}} onReset={() => {}} />,
    );
    expect(container.innerHTML).toBe('');
  });

  it('clamps a typed number into the spec range and rounds integers', () => {
    const onChange = vi.fn();
    render(<MethodControls method={occlusion} values={defaults} onChange={onChange} onReset={() => {}} />);
    const spec = occlusion.configSpec.windowSize;
    if (spec?.kind !== 'number') throw new Error('occlusion.windowSize is expected to be a number parameter');
    expect(spec.integer).toBe(true);
    fireEvent.change(screen.getByTestId('explain.param.windowSize'), { target: { value: String(spec.max * 10) } });
    expect(onChange).toHaveBeenLastCalledWith('windowSize', spec.max);
    fireEvent.change(screen.getByTestId('explain.param.windowSize'), { target: { value: String(spec.min + 0.6) } });
    expect(onChange).toHaveBeenLastCalledWith('windowSize', Math.round(spec.min + 0.6));
  });

  it('resets through its button', () => {
    const onReset = vi.fn();
    render(
      <MethodControls slot="compare" method={occlusion} values={defaults} onChange={() => {}} onReset={onReset} />,
    );
    fireEvent.click(screen.getByTestId('compare.params.reset'));
    expect(onReset).toHaveBeenCalledTimes(1);
  });
});
