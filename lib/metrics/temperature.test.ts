import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@/lib/random';
import { argmaxRows } from './common';
import { calibration } from './calibration';
import { applyTemperature, fitTemperature, meanNll, splitHalves, temperatureReport } from './temperature';

/** Labels drawn from softmax(z) and posteriors softmax(3·z): a model three times too confident. */
function overconfident(n: number, k: number, seed: number, sharpen = 3) {
  const rnd = mulberry32(seed);
  const probs = new Float32Array(n * k);
  const labels = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const z = Array.from({ length: k }, () => 1.5 * (rnd() * 2 - 1) * 2);
    const soft = (s: number) => {
      const e = z.map((v) => Math.exp(s * v));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    };
    const truth = soft(1);
    let u = rnd();
    let y = 0;
    while (y < k - 1 && u > truth[y]!) u -= truth[y++]!;
    labels[r] = y;
    soft(sharpen).forEach((v, j) => (probs[r * k + j] = v));
  }
  return { probs, labels };
}

describe('temperature scaling', () => {
  it('applyTemperature: T = 1 is the identity, rows sum to 1, order (argmax) is kept, T > 1 softens', () => {
    const p = Float32Array.from([0.7, 0.2, 0.1, 0, 0.5, 0.5]);
    const same = applyTemperature(p, 3, 1);
    same.forEach((v, i) => expect(v).toBeCloseTo(p[i]!, 6));
    const soft = applyTemperature(p, 3, 2);
    expect(soft[0]! + soft[1]! + soft[2]!).toBeCloseTo(1, 6);
    expect(soft[0]).toBeLessThan(0.7);
    expect(soft[3]).toBe(0); // a 0 stays 0
    expect(argmaxRows(soft, 3)).toEqual(argmaxRows(p, 3));
  });

  it('recovers T ≈ 3 for a model three times too confident; held-out NLL and ECE drop; argmax unchanged', () => {
    const { probs, labels } = overconfident(4000, 5, 21);
    const r = temperatureReport(probs, labels, 5);
    expect(r.temperature).toBeGreaterThan(2.6);
    expect(r.temperature).toBeLessThan(3.4);
    expect(r.fitCount + r.heldOutCount).toBe(4000);
    expect(r.after.nll!).toBeLessThan(r.before.nll! - 0.05);
    expect(r.after.ece!).toBeLessThan(r.before.ece!);
    expect(argmaxRows(applyTemperature(probs, 5, r.temperature), 5)).toEqual(argmaxRows(probs, 5));
  });

  it('an under-confident model gets T < 1', () => {
    const { probs, labels } = overconfident(3000, 4, 5, 0.5);
    expect(fitTemperature(probs, labels, 4)).toBeLessThan(0.7);
  });

  it('the fitted T minimises the NLL on the rows it was fitted on', () => {
    const { probs, labels } = overconfident(1000, 3, 9);
    const t = fitTemperature(probs, labels, 3);
    const at = (x: number) => meanNll(applyTemperature(probs, 3, x), labels, 3)!;
    expect(at(t)).toBeLessThan(at(t * 1.1));
    expect(at(t)).toBeLessThan(at(t / 1.1));
    expect(calibration(applyTemperature(probs, 3, t), labels, 3).ece!).toBeLessThan(calibration(probs, labels, 3).ece!);
  });

  it('splitHalves alternates within each class; bad input has clear messages', () => {
    const { fit, heldOut } = splitHalves([0, 0, 1, 0, 1, 1], 2);
    expect(Array.from(fit)).toEqual([0, 2, 3, 5]);
    expect(Array.from(heldOut)).toEqual([1, 4]);
    expect(() => temperatureReport([1, 0], [0], 2)).toThrow(/two images/);
    expect(() => applyTemperature([1, 0], 2, 0)).toThrow(/temperature must be/);
    expect(() => fitTemperature([1, 0], [0], 2, [])).toThrow(/zero images/);
  });
});
