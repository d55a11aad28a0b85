/**
 * Where occlusion's windows go (pure, tfjs-free: the cost formula in meta.ts and the algorithm share it).
 * Window positions per axis: 0, stride, 2·stride, … while the window fits, plus one final window flush with
 * the far edge when the last regular one does not reach it, so every pixel is covered.
 */

/** Window start offsets along one axis of length `len` for a window `win` and a step `stride` (all ≥ 1). */
export function windowStarts(len: number, win: number, stride: number): number[] {
  const w = Math.min(win, len);
  const out: number[] = [];
  for (let p = 0; p + w <= len; p += stride) out.push(p);
  const last = out[out.length - 1] ?? 0;
  if (out.length === 0 || last + w < len) out.push(len - w);
  return out;
}

/** Number of windows on an h×w image. */
export function windowCount(height: number, width: number, windowSize: number, stride: number): number {
  return windowStarts(height, windowSize, stride).length * windowStarts(width, windowSize, stride).length;
}
