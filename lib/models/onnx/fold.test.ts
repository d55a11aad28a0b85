/** Host constant folding and the layout rule (pure functions, hand-computed answers). */
import { describe, expect, it } from 'vitest';
import { BATCH, broadcastShape, foldNode, sliceRange, transposeHost } from './fold';
import { composePerm, layoutsAgree, ONNX_TO_STORED, STORED_TO_ONNX, storedAxis, storedDims } from './layout';
import type { HostTensor, NodeProto } from './proto';

const int = (dims: number[], data: number[]): HostTensor => ({ kind: 'int', dims, data });
const node = (opType: string, attribute: NodeProto['attribute'] = []): NodeProto => ({ opType, name: `n_${opType}`, input: [], output: ['y'], domain: '', attribute });
const intAttr = (name: string, i: number) => ({ name, type: 2, i, f: 0, s: new Uint8Array(), floats: [], ints: [], strings: [] });
const intsAttr = (name: string, ints: number[]) => ({ name, type: 7, i: 0, f: 0, s: new Uint8Array(), floats: [], ints, strings: [] });

describe('layout rule', () => {
  it('maps ONNX axes of 4-D values to channels-last storage and back', () => {
    expect([0, 1, 2, 3].map((a) => storedAxis(a, 4))).toEqual([0, 3, 1, 2]);
    expect([0, 1, 2].map((a) => storedAxis(a, 3))).toEqual([0, 1, 2]);
    expect(storedDims([2, 3, 5, 7])).toEqual([2, 5, 7, 3]);
    expect(composePerm([...STORED_TO_ONNX], [...ONNX_TO_STORED])).toEqual([0, 1, 2, 3]);
    expect(layoutsAgree([1, 8, 1, 1])).toBe(true);
    expect(layoutsAgree([1, 1, 4, 4])).toBe(true);
    expect(layoutsAgree([1, 2, 4, 4])).toBe(false);
  });

  it('transposes host tensors (4-D fast path and generic)', () => {
    const t: HostTensor = { kind: 'float', dims: [1, 2, 2, 3], data: Float32Array.from({ length: 12 }, (_, i) => i) };
    // [1, C=2, H=2, W=3] → [1, H, W, C]: element (h, w, c) = c·6 + h·3 + w.
    expect(Array.from(transposeHost(t, [0, 2, 3, 1]).data)).toEqual([0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11]);
    expect(transposeHost(int([2, 3], [1, 2, 3, 4, 5, 6]), [1, 0])).toEqual(int([3, 2], [1, 4, 2, 5, 3, 6]));
  });
});

describe('constant folding', () => {
  it('the Shape → Gather → Unsqueeze → Concat idiom keeps the batch symbolic', () => {
    const shape = int([4], [BATCH, 116, 8, 8]);
    const n = foldNode({ ...node('Gather', [intAttr('axis', 0)]) }, [shape, int([], [0])], 17)[0] as HostTensor;
    expect(n).toEqual(int([], [BATCH]));
    const u = foldNode(node('Unsqueeze'), [n, int([1], [0])], 17)[0] as HostTensor;
    expect(u).toEqual(int([1], [BATCH]));
    const c = foldNode(node('Concat', [intAttr('axis', 0)]), [u, int([1], [2]), int([1], [58]), int([2], [8, 8])], 17)[0];
    expect(c).toEqual(int([5], [BATCH, 2, 58, 8, 8]));
  });

  it('integer division truncates, arithmetic on the batch size is refused', () => {
    expect(foldNode(node('Div'), [int([], [116]), int([], [2])], 13)[0]).toEqual(int([], [58]));
    expect(foldNode(node('Div'), [int([], [-7]), int([], [2])], 13)[0]).toEqual(int([], [-3]));
    expect(() => foldNode(node('Mul'), [int([], [BATCH]), int([], [2])], 13)).toThrow(/computes with the batch size/);
  });

  it('Slice clamps like numpy and handles negative steps', () => {
    expect(sliceRange(-3, 2 ** 62, 10)).toEqual([7, 3]);
    expect(sliceRange(2, -1, 5)).toEqual([2, 2]);
    const t = int([5], [10, 11, 12, 13, 14]);
    expect(foldNode(node('Slice'), [t, int([1], [4]), int([1], [-6]), int([1], [0]), int([1], [-2])], 13)[0]).toEqual(int([3], [14, 12, 10]));
  });

  it('broadcasting follows numpy and names the failing shapes', () => {
    expect(broadcastShape([2, 1, 4], [3, 1], 'x')).toEqual([2, 3, 4]);
    expect(() => broadcastShape([2, 3], [4], 'Add “a”')).toThrow(/Add “a”: shapes \[2, 3\] and \[4\] do not broadcast/);
    expect(foldNode(node('Add'), [int([2, 1], [1, 2]), int([3], [10, 20, 30])], 13)[0]).toEqual(int([2, 3], [11, 21, 31, 12, 22, 32]));
  });

  it('Squeeze / Unsqueeze with attribute axes (opset < 13) and Transpose default perm', () => {
    expect(foldNode(node('Unsqueeze', [intsAttr('axes', [0, 3])]), [int([2, 2], [1, 2, 3, 4])], 11)[0]?.dims).toEqual([1, 2, 2, 1]);
    expect(foldNode(node('Squeeze'), [int([1, 3, 1], [1, 2, 3])], 11)[0]?.dims).toEqual([3]);
    expect(foldNode(node('Transpose'), [int([2, 3], [1, 2, 3, 4, 5, 6])], 13)[0]).toEqual(int([3, 2], [1, 4, 2, 5, 3, 6]));
  });
});
