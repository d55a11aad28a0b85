import { mulberry32 } from '@/lib/random';

/** Max |a − b| over two equally long arrays (Infinity when the lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** Seeded RGB noise (size×size×3, HWC) with a bright square, as a stand-in photo for the 224×224 network. */
export function syntheticRgb(size: number, seed: number): Uint8Array {
  const rand = mulberry32(seed);
  const px = new Uint8Array(size * size * 3);
  for (let i = 0; i < px.length; i++) {
    const r = rand();
    const p = Math.floor(i / 3);
    const [y, x] = [Math.floor(p / size), p % size];
    const inSquare = y > size / 3 && y < (2 * size) / 3 && x > size / 4 && x < size / 2;
    px[i] = inSquare ? 200 + Math.floor(r * 8) : Math.floor(r * 128);
  }
  return px;
}
