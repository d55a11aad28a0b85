// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelLoadProgressFn } from '@/lib/runtime/protocol';

type Load = (files: File[], opts: unknown, onProgress?: ModelLoadProgressFn) => Promise<string | null>;
const state: { loadUserFiles: Load; busy: Record<string, boolean> } = {
  loadUserFiles: vi.fn<Load>(),
  busy: {},
};
vi.mock('@/components/providers/dashboard-provider', () => ({
  useDashboard: <T,>(selector: (s: typeof state) => T): T => selector(state),
}));

const { ModelLoader } = await import('./model-loader');

afterEach(cleanup);

describe('ModelLoader', () => {
  it('sends every chosen file (ONNX + external data + labels) in one load and shows its progress until it ends', async () => {
    let progress: ModelLoadProgressFn | undefined;
    let finish: (v: string | null) => void = () => {};
    const load = vi.fn<Load>((_files, _opts, onProgress) => {
      progress = onProgress;
      return new Promise((resolve) => (finish = resolve));
    });
    state.loadUserFiles = load;
    render(<ModelLoader />);
    expect(screen.getByTestId('model-loader.dropzone').textContent).toMatch(/\.onnx.*\.keras.*\.h5/);
    const files = [new File([new Uint8Array([8, 7])], 'resnet18.onnx'), new File([new Uint8Array(4)], 'resnet18.onnx.data'), new File(['a\nb'], 'labels.txt')];
    fireEvent.change(screen.getByTestId('model-loader.input'), { target: { files } });
    expect(load).toHaveBeenCalledTimes(1);
    expect(load.mock.calls[0]?.[0].map((f) => f.name)).toEqual(['resnet18.onnx', 'resnet18.onnx.data', 'labels.txt']);
    expect(screen.getByTestId('model-loader.progress').getAttribute('data-stage')).toBe('read');
    if (!progress) throw new Error('no progress callback was passed');
    const report = progress;
    act(() => report(0.42, 'read'));
    expect(screen.getByTestId('model-loader.progress').textContent).toContain('Reading the files… 42 %');
    act(() => report(0.8, 'build'));
    expect(screen.getByTestId('model-loader.progress').textContent).toContain('Building the model… 80 %');
    expect((screen.getByRole('progressbar', { name: 'Model loading progress' }) as HTMLProgressElement).value).toBeCloseTo(0.8);
    await act(async () => finish('id-1'));
    expect(screen.queryByTestId('model-loader.progress')).toBeNull();
  });
});
