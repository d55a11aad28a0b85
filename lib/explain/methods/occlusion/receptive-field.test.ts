import { describe, expect, it } from 'vitest';
import {
  changedOutputs,
  copyPatches,
  leadingPad,
  patchIndices,
  propagateBoxes,
  readInterval,
  type AxisGeometry,
  type BatchBox,
} from './receptive-field';

/** Brute force: the outputs o in [0, outLen) that read at least one input row of [a, a + h). */
function bruteChanged(ax: AxisGeometry, a: number, h: number): number[] {
  const out: number[] = [];
  for (let o = 0; o < ax.outLen; o++) {
    for (let j = 0; j < ax.k; j++) {
      const r = o * ax.s - ax.pad + j * ax.d;
      if (r >= a && r < a + h) {
        out.push(o);
        break;
      }
    }
  }
  return out;
}

const outLen = (inLen: number, k: number, s: number, d: number, same: boolean) =>
  same ? Math.ceil(inLen / s) : Math.floor((inLen - (k - 1) * d - 1) / s) + 1;

describe('receptive-field geometry', () => {
  it('leading pad: TensorFlow same padding (floor of half the total), none for valid', () => {
    expect(leadingPad('same', 8, 8, 3, 1, 1)).toBe(1);
    expect(leadingPad('same', 8, 4, 3, 2, 1)).toBe(0); // total pad 1: all of it at the bottom
    expect(leadingPad('same', 7, 4, 3, 2, 1)).toBe(1);
    expect(leadingPad('same', 9, 9, 3, 1, 2)).toBe(2); // dilation 2: effective kernel 5
    expect(leadingPad('valid', 9, 7, 3, 1, 1)).toBe(0);
  });

  it('changed outputs: known answers', () => {
    const same3 = { k: 3, s: 1, d: 1, pad: 1, inLen: 12, outLen: 12 };
    expect(changedOutputs(same3, 5, 4)).toEqual([4, 9]);
    expect(changedOutputs(same3, 0, 4)).toEqual([0, 4]); // clamped at the top
    const stride2 = { k: 3, s: 2, d: 1, pad: 0, inLen: 8, outLen: 4 };
    expect(changedOutputs(stride2, 5, 4)).toEqual([2, 3]); // o = 2 reads rows 4–6, o = 3 rows 6–8 (8: padding)
    expect(readInterval(stride2, 2, 2)).toEqual([4, 5]);
    expect(readInterval(same3, 0, 3)).toEqual([-1, 5]); // reads the top padding row
  });

  it('changed outputs cover brute force over kernels, strides, dilations, paddings and boxes (tight without gaps)', () => {
    let checked = 0;
    for (const inLen of [5, 8, 13])
      for (const k of [1, 2, 3, 5])
        for (const s of [1, 2, 3])
          for (const d of s === 1 ? [1, 2] : [1])
            for (const same of [true, false]) {
              const o = outLen(inLen, k, s, d, same);
              if (o < 1) continue;
              const ax = { k, s, d, inLen, outLen: o, pad: leadingPad(same ? 'same' : 'valid', inLen, o, k, s, d) };
              for (let a = 0; a < inLen; a++)
                for (let h = 1; a + h <= inLen; h++) {
                  const brute = bruteChanged(ax, a, h);
                  const [lo, hi] = changedOutputs(ax, a, h);
                  // Always a superset (exact: recomputing an unchanged output gives its old value) …
                  for (const o of brute) expect(o >= lo && o <= hi).toBe(true);
                  // … and tight when every output reads a contiguous run that no stride skips over.
                  if (d === 1 && s <= k)
                    expect(brute.length ? [lo, hi] : []).toEqual(brute.length ? [brute[0], brute.at(-1)] : []);
                  checked++;
                }
            }
    expect(checked).toBeGreaterThan(1000);
  });

  it('boxes: one size per batch, shifted inwards at the borders, covering every changed output', () => {
    const axis = { k: 3, s: 1, d: 1, pad: 1, inLen: 10, outLen: 10 };
    const strided = { k: 3, s: 2, d: 1, pad: 0, inLen: 10, outLen: 5 };
    const map = (h: number, w: number): [number, number] => [h, w];
    const conv = {
      output: 2,
      inputs: [1],
      op: { kind: 'window' as const, rows: axis, cols: strided },
      map: map(10, 5),
    };
    const input: BatchBox = { h: 3, w: 3, rows: Int32Array.from([0, 4, 7]), cols: Int32Array.from([0, 4, 7]) };
    const boxes = propagateBoxes([conv], new Map([[1, input]]));
    const b = boxes.get(2) as BatchBox;
    // Rows: changed [0,3], [3,7], [6,9] → size 5, starts min(lo, 10 − 5) = 0, 3, 5.
    expect([b.h, Array.from(b.rows)]).toEqual([5, [0, 3, 5]]);
    // Columns (stride 2, pad 0): [0,3) → outputs [0,1]; [4,7) → [1,3]; [7,10) → [3,4] → size 3 at 0, 1, 2.
    expect([b.w, Array.from(b.cols)]).toEqual([3, [0, 1, 2]]);
    // Element-wise: the union of the inputs' boxes per window; ZeroPadding2D: boxes move by the padding.
    const a: BatchBox = { h: 2, w: 2, rows: Int32Array.from([0, 6]), cols: Int32Array.from([1, 1]) };
    const c: BatchBox = { h: 2, w: 2, rows: Int32Array.from([3, 7]), cols: Int32Array.from([1, 2]) };
    const add = { output: 3, inputs: [1, 2], op: { kind: 'pointwise' as const }, map: map(8, 8) };
    const pad = { output: 4, inputs: [3], op: { kind: 'shift' as const, top: 1, left: 2 }, map: map(10, 12) };
    const out = propagateBoxes(
      [add, pad],
      new Map([
        [1, a],
        [2, c],
      ]),
    );
    const sum = out.get(3) as BatchBox;
    expect([sum.h, Array.from(sum.rows), sum.w, Array.from(sum.cols)]).toEqual([5, [0, 3], 3, [1, 1]]);
    const shifted = out.get(4) as BatchBox;
    expect([shifted.h, Array.from(shifted.rows), shifted.w, Array.from(shifted.cols)]).toEqual([5, [1, 4], 3, [3, 3]]);
  });

  it('patch indices read the cached map, the changed box and the padding row', () => {
    // A 3×4 map (flat 0…11), padding row 12, changed boxes from 13 on.
    const changed: BatchBox = { h: 1, w: 2, rows: Int32Array.from([1]), cols: Int32Array.from([1]) };
    const target: BatchBox = { h: 3, w: 3, rows: Int32Array.from([-1]), cols: Int32Array.from([0]) };
    expect(Array.from(patchIndices([3, 4], changed, target))).toEqual([12, 12, 12, 0, 1, 2, 4, 13, 14]);
    // Two windows: the second window's box values start after the first's (13 + 2).
    const two: BatchBox = { h: 1, w: 2, rows: Int32Array.from([0, 2]), cols: Int32Array.from([0, 2]) };
    const full: BatchBox = { h: 3, w: 4, rows: new Int32Array(2), cols: new Int32Array(2) };
    const idx = Array.from(patchIndices([3, 4], two, full));
    expect(idx.slice(0, 12)).toEqual([13, 14, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(idx.slice(12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16]);
  });

  it('copied patches equal the gather the indices describe (cached map, changed boxes, padding)', () => {
    const [H, W, C] = [5, 6, 2];
    const cached = Float32Array.from({ length: H * W * C }, (_, i) => i + 1);
    const changed: BatchBox = { h: 2, w: 3, rows: Int32Array.from([0, 3, 2]), cols: Int32Array.from([0, 3, 1]) };
    const values = Float32Array.from({ length: 3 * 2 * 3 * C }, (_, i) => -(i + 1));
    const target: BatchBox = { h: 4, w: 5, rows: Int32Array.from([-1, 2, 1]), cols: Int32Array.from([-2, 3, 0]) };
    const source = [...cached, ...new Array<number>(C).fill(-99), ...values];
    const idx = patchIndices([H, W], changed, target);
    const gathered = Array.from(idx).flatMap((r) => source.slice(r * C, (r + 1) * C));
    expect(Array.from(copyPatches([H, W, C], cached, changed, values, target, -99))).toEqual(gathered);
    expect(gathered.filter((v) => v < 0 && v !== -99).length).toBeGreaterThan(10); // the boxes are read
    expect(gathered.filter((v) => v === -99).length).toBeGreaterThan(10); // and the padding
  });
});
