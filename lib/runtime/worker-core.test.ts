import { describe, expect, it } from 'vitest';
import { createWorkerCore } from './worker-core';

describe('createWorkerCore', () => {
  it('builds the production API without the benchmark methods, with fresh registries per call', () => {
    const a = createWorkerCore();
    const b = createWorkerCore();
    const names = Object.keys(a.api);
    expect(names.length).toBeGreaterThan(20);
    expect(names).toContain('explain');
    expect(names).toContain('evaluate');
    expect(names.filter((n) => n.startsWith('bench'))).toEqual([]);
    expect(a.models).not.toBe(b.models);
    expect(a.images).not.toBe(b.images);
  });

  it('modelInputFor refuses a model that is not loaded, in words', () => {
    const core = createWorkerCore();
    expect(() => core.modelInputFor('nope', 'img')).toThrow(/not loaded/);
  });
});
