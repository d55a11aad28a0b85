// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { oodReport, type OodReport, type OodScore } from '@/lib/ood';
import { OodNotice } from './ood-notice';

/** The dashboard the notice reads: one bundled model declaring a set, or a user model without one. */
let state: Record<string, unknown>;
const calls: { modelId: string; imageId: string; opts: { datasetId?: string } }[] = [];
const ensured: string[] = [];
let answer: () => Promise<OodReport>;
const service = {
  api: {
    oodCheck: (modelId: string, imageId: string, opts: { datasetId?: string }) => {
      calls.push({ modelId, imageId, opts });
      return answer();
    },
  },
};
const getService = () => service;
vi.mock('@/components/providers/dashboard-provider', () => ({
  useDashboard: <T,>(sel: (s: unknown) => T) => sel(state),
  useExplainService: () => getService,
}));

const SET = { id: 'mnist-test-2k', name: 'MNIST', n: 2000 };
const outScore: OodScore = {
  score: 9,
  threshold: 0.3,
  out: true,
  findings: [{ id: 'edge', value: 0.1, lo: 0, hi: 0.02, distance: 4, text: 'its edges are brighter (x; theirs y)' }],
};

afterEach(cleanup);
beforeEach(() => {
  calls.length = 0;
  ensured.length = 0;
  state = {
    resize: null,
    datasets: {},
    models: { m: { status: 'ready', info: { labels: ['0', '1'], datasetId: 'mnist-test-2k' } } },
    ensureDataset: async (id: string) => {
      ensured.push(id);
      return true;
    },
  };
});

describe('OodNotice', () => {
  it('out: a warning with the reasons, and what preprocessing did; the set is loaded and named to the worker', async () => {
    answer = async () => oodReport(outScore, SET, ['It was stretched from 64×48 …']);
    render(<OodNotice modelId="m" imageId="img-1" />);
    expect(screen.getByTestId('explain.ood').getAttribute('data-status')).toBe('checking');
    await waitFor(() => expect(screen.getByTestId('explain.ood').getAttribute('data-status')).toBe('out'));
    expect(screen.getByRole('status').textContent).toContain(
      'This image is unlike the images this model was evaluated on: its edges are brighter',
    );
    expect(screen.getByTestId('explain.ood.notes').textContent).toBe('It was stretched from 64×48 …');
    expect(ensured).toEqual(['mnist-test-2k']);
    expect(calls).toEqual([
      { modelId: 'm', imageId: 'img-1', opts: { datasetId: 'mnist-test-2k', resize: undefined } },
    ]);
  });

  it('in: one quiet line, no warning', async () => {
    answer = async () => oodReport({ score: 0, threshold: 0.3, out: false, findings: [] }, SET, []);
    render(<OodNotice modelId="m" imageId="img-1" />);
    await waitFor(() => expect(screen.getByTestId('explain.ood').getAttribute('data-status')).toBe('in'));
    expect(screen.queryByTestId('explain.ood.warning')).toBeNull();
    expect(screen.getByTestId('explain.ood').textContent).toMatch(/within the range of the 2,000 images/);
  });

  it('a user model without a set: asks without one and says what the check needs; a failure is said in words', async () => {
    state.models = { u: { status: 'ready', info: { labels: ['a', 'b'] } } };
    answer = async () => oodReport(null, null, []);
    render(<OodNotice modelId="u" imageId="img-2" />);
    await waitFor(() => expect(screen.getByTestId('explain.ood').getAttribute('data-status')).toBe('no-set'));
    expect(calls[0]?.opts.datasetId).toBeUndefined();
    expect(ensured).toEqual([]);
    expect(screen.getByTestId('explain.ood').textContent).toMatch(/needs a labelled set/);
    cleanup();
    answer = async () => {
      throw new Error('This image is no longer loaded. Add it again.');
    };
    render(<OodNotice modelId="u" imageId="img-3" />);
    await waitFor(() => expect(screen.getByTestId('explain.ood').getAttribute('data-status')).toBe('error'));
    expect(screen.getByTestId('explain.ood').textContent).toMatch(
      /could not be checked: This image is no longer loaded/,
    );
  });

  it('a user set with the model’s classes is its reference', async () => {
    state.models = { u: { status: 'ready', info: { labels: ['a', 'b'] } } };
    state.datasets = {
      'user-set-1': { meta: { id: 'user-set-1', source: 'user', labels: ['a', 'b'] } },
      'user-set-2': { meta: { id: 'user-set-2', source: 'user', labels: ['b', 'a'] } },
    };
    answer = async () => oodReport(null, null, []);
    render(<OodNotice modelId="u" imageId="img-4" />);
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]?.opts.datasetId).toBe('user-set-1');
  });
});
