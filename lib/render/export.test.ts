import { describe, expect, it } from 'vitest';
import { attributionToJson, decodeNpy, encodeNpy } from './export';
import type { Attribution } from '@/lib/explain/types';

describe('encodeNpy', () => {
  it('is byte-identical to numpy.save(np.array([[1, -2.5, 0], [3.25, 0, 7]], dtype="<f4"))', () => {
    const bytes = encodeNpy([1, -2.5, 0, 3.25, 0, 7], 2, 3);
    // Expected bytes were produced with NumPy (152 bytes: 128-byte header + 24 data bytes).
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + ' '.repeat(58) + '\n';
    expect(header.length).toBe(118);
    const expected = [
      0x93,
      78,
      85,
      77,
      80,
      89,
      1,
      0,
      118,
      0,
      ...Array.from(header, (c) => c.charCodeAt(0)),
      0,
      0,
      128,
      63,
      0,
      0,
      32,
      192,
      0,
      0,
      0,
      0,
      0,
      0,
      80,
      64,
      0,
      0,
      0,
      0,
      0,
      0,
      224,
      64,
    ];
    expect(bytes.length).toBe(152);
    expect(Array.from(bytes)).toEqual(expected);
  });

  it('keeps the 64-byte alignment for larger shapes and round-trips', () => {
    const v = Float32Array.from({ length: 224 * 224 }, (_, i) => Math.sin(i));
    const bytes = encodeNpy(v, 224, 224);
    const headerLen = bytes[8]! | (bytes[9]! << 8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(bytes[10 + headerLen - 1]).toBe(0x0a);
    const back = decodeNpy(bytes);
    expect(back.height).toBe(224);
    expect(back.width).toBe(224);
    expect(Array.from(back.values.subarray(0, 5))).toEqual(Array.from(v.subarray(0, 5)));
    expect(() => encodeNpy([1, 2], 2, 2)).toThrow();
  });
});

describe('attributionToJson', () => {
  it('turns typed arrays into numbers and survives JSON round-trip', () => {
    const a: Attribution = {
      method: 'occlusion',
      target: 1,
      width: 2,
      height: 1,
      values: Float32Array.from([0.5, -0.25]),
      signed: true,
      scoreKind: 'probability',
      config: { windowSize: 4 },
      timings: { totalMs: 3, forwardPasses: 2 },
      extras: { perClass: { classes: [0, 1], maps: [Float32Array.from([1, NaN])] } },
    };
    const j = JSON.parse(JSON.stringify(attributionToJson(a)));
    expect(j.values).toEqual([0.5, -0.25]);
    expect(j.extras.perClass.maps).toEqual([[1, null]]);
    expect(j.format).toBe('why-dashboard.attribution/1');
  });
});
