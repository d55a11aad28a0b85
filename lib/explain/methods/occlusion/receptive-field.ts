/**
 * Receptive-field geometry for exact incremental occlusion (Nakandala, Kumar & Papakonstantinou, "Incremental
 * and Approximate Inference for Faster Occlusion-based Deep CNN Explanations", SIGMOD 2019): which box of each layer's activation map an occluding patch can change,
 * and which box of the layer's input that box reads. Pure, tfjs-free (the algorithm: incremental.ts).
 *
 * Coordinates are integer rows/columns of one activation map (row-major, origin top-left). A "box" on an
 * axis is [start, start + size). Every window of a batch gets a box of the same size per tensor (so the batch
 * is one tensor [n, h, w, C]); a box is kept inside its map by shifting it inwards at the borders, which only
 * recomputes values that did not change (exact either way).
 *
 * A sliding-window op (conv, depthwise, separable, pooling) on one axis: kernel k, stride s, dilation d,
 * leading pad p (TensorFlow's 'same': floor(max((out − 1)·s + (k − 1)·d + 1 − in, 0) / 2); 'valid': 0).
 * Output o reads input rows o·s − p + j·d, j = 0…k − 1. An input box [a, b) therefore changes the outputs
 * o ∈ [ceil((a + p − (k − 1)·d) / s), floor((b − 1 + p) / s)] (clamped to the map), and an output box
 * [o, o + h) reads the input rows [o·s − p, o·s − p + (h − 1)·s + (k − 1)·d + 1) (rows outside the map are
 * the op's padding).
 */

/** One axis of a sliding-window op. `inLen`/`outLen`: map lengths on that axis. */
export interface AxisGeometry {
  k: number;
  s: number;
  d: number;
  pad: number;
  inLen: number;
  outLen: number;
}

/** How one spatial step moves a box from its inputs to its output. */
export type SpatialOp =
  /** Sliding window (conv, depthwise, separable conv, pooling); one input. */
  | { kind: 'window'; rows: AxisGeometry; cols: AxisGeometry }
  /** Per-pixel (activations, BatchNorm, element-wise Add/Multiply/…, channel Concatenate); same map size. */
  | { kind: 'pointwise' }
  /** ZeroPadding2D: the map grows by `top`/`left` in front; boxes move by that much. */
  | { kind: 'shift'; top: number; left: number };

/** One step of the geometry: output tensor id, input ids, op, the output map's [height, width]. */
export interface GeometryNode {
  output: number;
  inputs: number[];
  op: SpatialOp;
  map: [number, number];
}

/** Boxes of one tensor for every window of a batch: size h×w, starts rows[b], cols[b] (inside the map). */
export interface BatchBox {
  h: number;
  w: number;
  rows: Int32Array;
  cols: Int32Array;
}

/** Leading pad of a sliding window on one axis (TensorFlow / tfjs convention). */
export function leadingPad(padding: 'same' | 'valid', inLen: number, outLen: number, k: number, s: number, d: number) {
  if (padding === 'valid') return 0;
  return Math.floor(Math.max((outLen - 1) * s + (k - 1) * d + 1 - inLen, 0) / 2);
}

/** The outputs [lo, hi] (inclusive, clamped to the map) that an input box [a, a + h) can change. */
export function changedOutputs(ax: AxisGeometry, a: number, h: number): [number, number] {
  const lo = Math.ceil((a + ax.pad - (ax.k - 1) * ax.d) / ax.s);
  const hi = Math.floor((a + h - 1 + ax.pad) / ax.s);
  return [Math.max(lo, 0), Math.min(hi, ax.outLen - 1)];
}

/** The input rows an output box [o, o + h) reads: [start, length] (start may be < 0: padding). */
export function readInterval(ax: AxisGeometry, o: number, h: number): [number, number] {
  return [o * ax.s - ax.pad, (h - 1) * ax.s + (ax.k - 1) * ax.d + 1];
}

/**
 * One fixed-size box per window covering every [lo[b], hi[b]] (inclusive), kept inside [0, len): size =
 * the largest hi − lo + 1, start = min(lo, len − size).
 */
function fixedBoxes(lo: Int32Array, hi: Int32Array, len: number): { size: number; starts: Int32Array } {
  let size = 1;
  for (let b = 0; b < lo.length; b++) size = Math.max(size, (hi[b] as number) - (lo[b] as number) + 1);
  size = Math.min(size, len);
  const starts = Int32Array.from(lo, (l) => Math.max(0, Math.min(l, len - size)));
  return { size, starts };
}

/**
 * Propagates the windows' boxes through `nodes` (in evaluation order), starting from `known` (at least the
 * boxes of the input tensor: the occluding patches). Returns a new map with the boxes of every tensor
 * (`known`'s included). Throws when a node reads a tensor that has no box (callers pass spatial prefixes).
 */
export function propagateBoxes(
  nodes: readonly GeometryNode[],
  known: ReadonlyMap<number, BatchBox>,
): Map<number, BatchBox> {
  const boxes = new Map<number, BatchBox>(known);
  const n = (known.values().next().value as BatchBox | undefined)?.rows.length ?? 0;
  const get = (id: number): BatchBox => {
    const b = boxes.get(id);
    if (!b) throw new Error(`receptive-field: tensor ${id} has no box`);
    return b;
  };
  for (const node of nodes) {
    const [H, W] = node.map;
    const loR = new Int32Array(n);
    const hiR = new Int32Array(n);
    const loC = new Int32Array(n);
    const hiC = new Int32Array(n);
    const op = node.op;
    if (op.kind === 'window') {
      const src = get(node.inputs[0] as number);
      for (let b = 0; b < n; b++) {
        [loR[b], hiR[b]] = changedOutputs(op.rows, src.rows[b] as number, src.h);
        [loC[b], hiC[b]] = changedOutputs(op.cols, src.cols[b] as number, src.w);
      }
    } else if (op.kind === 'shift') {
      const src = get(node.inputs[0] as number);
      for (let b = 0; b < n; b++) {
        loR[b] = (src.rows[b] as number) + op.top;
        hiR[b] = (loR[b] as number) + src.h - 1;
        loC[b] = (src.cols[b] as number) + op.left;
        hiC[b] = (loC[b] as number) + src.w - 1;
      }
    } else {
      loR.fill(H);
      loC.fill(W);
      hiR.fill(-1);
      hiC.fill(-1);
      for (const id of node.inputs) {
        const src = get(id);
        for (let b = 0; b < n; b++) {
          loR[b] = Math.min(loR[b] as number, src.rows[b] as number);
          hiR[b] = Math.max(hiR[b] as number, (src.rows[b] as number) + src.h - 1);
          loC[b] = Math.min(loC[b] as number, src.cols[b] as number);
          hiC[b] = Math.max(hiC[b] as number, (src.cols[b] as number) + src.w - 1);
        }
      }
    }
    const r = fixedBoxes(loR, hiR, H);
    const c = fixedBoxes(loC, hiC, W);
    boxes.set(node.output, { h: r.size, w: c.size, rows: r.starts, cols: c.starts });
  }
  return boxes;
}

/**
 * Gather indices that read, for every window b, the box `target` (size h×w at rows[b], cols[b]; it may reach
 * outside the map) of a tensor whose values are the cached full-image map (H×W, flat index y·W + x) except
 * inside `changed` (window b's recomputed box). The gather source is [cached map (H·W rows); one padding
 * row; the changed boxes (n·h·w rows, window-major)]: indices outside the map point at the padding row.
 * Returns n·h·w indices, window-major, row-major within a window.
 */
export function patchIndices(map: [number, number], changed: BatchBox, target: BatchBox): Int32Array {
  const [H, W] = map;
  const n = target.rows.length;
  const pad = H * W;
  const base = pad + 1;
  const out = new Int32Array(n * target.h * target.w);
  let i = 0;
  for (let b = 0; b < n; b++) {
    const cr = changed.rows[b] as number;
    const cc = changed.cols[b] as number;
    const tr = target.rows[b] as number;
    const tc = target.cols[b] as number;
    const boxBase = base + b * changed.h * changed.w;
    for (let dy = 0; dy < target.h; dy++) {
      const y = tr + dy;
      const inY = y >= 0 && y < H;
      const inBoxY = y >= cr && y < cr + changed.h;
      for (let dx = 0; dx < target.w; dx++) {
        const x = tc + dx;
        if (!inY || x < 0 || x >= W) out[i++] = pad;
        else if (inBoxY && x >= cc && x < cc + changed.w) out[i++] = boxBase + (y - cr) * changed.w + (x - cc);
        else out[i++] = y * W + x;
      }
    }
  }
  return out;
}

/** Whether two batch boxes are the same boxes (then no gather is needed). */
export function sameBoxes(a: BatchBox, b: BatchBox): boolean {
  if (a.h !== b.h || a.w !== b.w || a.rows.length !== b.rows.length) return false;
  for (let i = 0; i < a.rows.length; i++) if (a.rows[i] !== b.rows[i] || a.cols[i] !== b.cols[i]) return false;
  return true;
}

/**
 * The same patches as {@link patchIndices} reads, copied on the CPU: for every window b, the box `target` of a
 * map (H×W×C, HWC) whose values are `cached` except inside `changed` (whose values, [n, h, w, C], are `values`);
 * positions outside the map get `padValue`. Returns [n, target.h, target.w, C] (row segments are copied whole,
 * which is what makes it fast: the WASM backend's gather costs ~300 ns per element).
 */
export function copyPatches(
  map: [number, number, number],
  cached: Float32Array,
  changed: BatchBox,
  values: Float32Array,
  target: BatchBox,
  padValue: number,
): Float32Array {
  const [H, W, C] = map;
  const n = target.rows.length;
  const { h: th, w: tw } = target;
  const out = new Float32Array(n * th * tw * C);
  if (padValue !== 0) out.fill(padValue);
  for (let b = 0; b < n; b++) {
    const cr = changed.rows[b] as number;
    const cc = changed.cols[b] as number;
    const tr = target.rows[b] as number;
    const tc = target.cols[b] as number;
    const x0 = Math.max(tc, 0);
    const x1 = Math.min(tc + tw, W);
    if (x1 <= x0) continue;
    const bx0 = Math.max(x0, cc);
    const bx1 = Math.min(x1, cc + changed.w);
    for (let dy = 0; dy < th; dy++) {
      const y = tr + dy;
      if (y < 0 || y >= H) continue;
      const rowOut = (b * th + dy) * tw;
      out.set(cached.subarray((y * W + x0) * C, (y * W + x1) * C), (rowOut + x0 - tc) * C);
      if (y >= cr && y < cr + changed.h && bx1 > bx0) {
        const rowBox = (b * changed.h + y - cr) * changed.w;
        out.set(values.subarray((rowBox + bx0 - cc) * C, (rowBox + bx1 - cc) * C), (rowOut + bx0 - tc) * C);
      }
    }
  }
  return out;
}
