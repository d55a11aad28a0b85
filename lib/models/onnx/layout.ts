/**
 * The one layout rule of the ONNX → TensorFlow.js translation.
 *
 * ONNX (PyTorch) tensors are NCHW; TensorFlow.js convolutions and pools are NHWC. We do not transpose per
 * op. Instead every 4-D value is *stored* channels-last: an ONNX value of shape [a, b, c, d] lives in
 * TensorFlow.js as [a, c, d, b] (ONNX axis 1 → stored axis 3, 2 → 1, 3 → 2). Values of any other rank are
 * stored exactly as in ONNX. Consequences:
 * - The graph input [N, C, H, W] is stored [N, H, W, C] — exactly the adapter's pixel batch, so the input
 *   edge costs nothing. The output [N, K] is rank 2 — stored as is.
 * - Conv / pool / BatchNorm / element-wise / Concat / Slice / Split / Pad / Reduce* / Softmax work on the
 *   stored tensor directly: their axis attributes go through {@link storedAxis}; constant operands are
 *   converted once at load time ({@link storedConstDims}: broadcast to rank 4, then permuted).
 * - Ops that change rank or reorder axes (Flatten, Reshape, Transpose, Squeeze, Unsqueeze, MatMul on 4-D,
 *   Gather) are the edges: they bring the value to ONNX order (`toOnnx`), apply ONNX semantics, and store
 *   the result by the rule (`fromOnnx`). A Transpose composes the three permutations into one; when
 *   H·W = 1 or C = 1 the two layouts share memory order and a reshape replaces the transpose.
 */

/** Stored position of ONNX axis a (rank 4); identity otherwise. */
export function storedAxis(axis: number, rank: number): number {
  if (rank !== 4) return axis;
  return [0, 3, 1, 2][axis] as number;
}

/** ONNX axis held at stored position j (rank 4). */
export function onnxAxisAt(j: number, rank: number): number {
  if (rank !== 4) return j;
  return [0, 2, 3, 1][j] as number;
}

/** Stored dims of an ONNX shape. */
export function storedDims(shape: readonly number[]): number[] {
  if (shape.length !== 4) return [...shape];
  return [shape[0] as number, shape[2] as number, shape[3] as number, shape[1] as number];
}

/** Permutation that takes a stored rank-4 tensor to ONNX order (and its inverse). */
export const STORED_TO_ONNX = [0, 3, 1, 2] as const;
export const ONNX_TO_STORED = [0, 2, 3, 1] as const;

/** True when a rank-4 ONNX shape's two layouts have the same memory order (C = 1 or H·W = 1). */
export function layoutsAgree(shape: readonly number[]): boolean {
  return shape.length !== 4 || shape[1] === 1 || (shape[2] as number) * (shape[3] as number) === 1;
}

/** transpose(transpose(x, a), b) = transpose(x, compose(a, b)). */
export function composePerm(a: readonly number[], b: readonly number[]): number[] {
  return b.map((i) => a[i] as number);
}

export const isIdentityPerm = (p: readonly number[]): boolean => p.every((v, i) => v === i);
