import { describe, expect, it } from 'vitest';
import { backendLabel } from './probe-types';
import { MAX_WASM_THREADS, threadEnvHere, wasmThreadCount } from './wasm-threads';

describe('wasmThreadCount', () => {
  const isolated = { isolated: true, sharedMemory: true, cores: 2 };

  it('is one thread per two cores where the page is cross-origin isolated (2 cores: the single-threaded build)', () => {
    expect(wasmThreadCount(isolated)).toBe(1);
    expect(wasmThreadCount({ ...isolated, cores: 4 })).toBe(2);
    expect(wasmThreadCount({ ...isolated, cores: 8 })).toBe(4);
    expect(wasmThreadCount({ ...isolated, cores: 9 })).toBe(4);
    expect(wasmThreadCount({ ...isolated, requested: 2 })).toBe(2);
  });

  it('falls back to one thread, silently, without isolation, SharedArrayBuffer or a known core count', () => {
    expect(wasmThreadCount({ ...isolated, isolated: false })).toBe(1);
    expect(wasmThreadCount({ ...isolated, isolated: undefined })).toBe(1);
    expect(wasmThreadCount({ ...isolated, sharedMemory: false })).toBe(1);
    expect(wasmThreadCount({ ...isolated, cores: undefined })).toBe(1);
    expect(wasmThreadCount({ ...isolated, cores: 1 })).toBe(1);
  });

  it('takes a requested count (the bench), clamped to 1…MAX_WASM_THREADS, and never more than isolation allows', () => {
    expect(wasmThreadCount({ ...isolated, requested: 1 })).toBe(1);
    expect(wasmThreadCount({ ...isolated, requested: 3.7 })).toBe(3);
    expect(wasmThreadCount({ ...isolated, requested: 0 })).toBe(1);
    expect(wasmThreadCount({ ...isolated, requested: 1000 })).toBe(MAX_WASM_THREADS);
    expect(wasmThreadCount({ ...isolated, requested: Number.NaN })).toBe(1);
    expect(wasmThreadCount({ ...isolated, isolated: false, requested: 4 })).toBe(1);
  });

  it('reads no isolation in Node, so WASM stays single-threaded there', () => {
    const env = threadEnvHere();
    expect(env.isolated).not.toBe(true);
    expect(wasmThreadCount(env)).toBe(1);
  });
});

describe('backendLabel', () => {
  it('names the WASM threads in the badge and the menu only when there are several', () => {
    expect(backendLabel('wasm', 2)).toBe('WASM · 2 threads');
    expect(backendLabel('wasm', 16)).toBe('WASM · 16 threads');
    expect(backendLabel('wasm', 1)).toBe('WASM');
    expect(backendLabel('wasm')).toBe('WASM');
    expect(backendLabel('cpu', 2)).toBe('CPU');
    expect(backendLabel('webgpu')).toBe('WebGPU');
  });
});
