import { describe, expect, it } from 'vitest';
import { checkWeightsFinite, weightByteLength, type WeightSpec } from './artifacts';

describe('weight checks', () => {
  it('sizes quantized weights by their stored dtype', () => {
    expect(weightByteLength({ name: 'w', shape: [3, 4], dtype: 'float32' })).toBe(48);
    expect(weightByteLength({ name: 'w', shape: [3, 4], dtype: 'float32', quantization: { dtype: 'uint8', scale: 1, min: 0 } })).toBe(12);
    expect(weightByteLength({ name: 'w', shape: [3, 4], dtype: 'float32', quantization: { dtype: 'float16' } })).toBe(24);
    expect(weightByteLength({ name: 'b', shape: [5], dtype: 'bool' })).toBe(5);
  });

  it('finds Infinity in float32 behind a misaligned uint8 weight, and names it', () => {
    const specs: WeightSpec[] = [
      { name: 'q', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.1, min: 0 } },
      { name: 'dense/kernel', shape: [2], dtype: 'float32' },
    ];
    const buf = new ArrayBuffer(3 + 8);
    new DataView(buf).setFloat32(3 + 4, Infinity, true);
    expect(() => checkWeightsFinite(specs, buf)).toThrow(/“dense\/kernel” contains 1 infinite value\./);
    new DataView(buf).setFloat32(3 + 4, 1.5, true);
    expect(() => checkWeightsFinite(specs, buf)).not.toThrow();
  });

  it('finds NaN in float16-quantized weights and a NaN quantization scale', () => {
    const half: WeightSpec[] = [{ name: 'h', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } }];
    const buf = new ArrayBuffer(4);
    new DataView(buf).setUint16(0, 0x3c00, true); // 1.0
    new DataView(buf).setUint16(2, 0x7e00, true); // NaN
    expect(() => checkWeightsFinite(half, buf)).toThrow(/“h” contains 1 NaN/);
    const q: WeightSpec[] = [{ name: 'u', shape: [2], dtype: 'float32', quantization: { dtype: 'uint8', scale: NaN, min: 0 } }];
    expect(() => checkWeightsFinite(q, new ArrayBuffer(2))).toThrow(expect.objectContaining({ code: 'nan-weights' }));
  });
});
