/**
 * The registry of ONNX op converters: one family per file (conv/pool, element-wise, shape, pad/resize,
 * reduce, normalisation, linear), merged into one table. `SUPPORTED_OPS`, the error message for an
 * unknown op and the README's op list (scripts/docs/onnx-ops.mjs) all derive from it.
 */
import { ModelError } from '../../types';
import { FOLDABLE } from '../fold';
import type { Attrs, NodeProto } from '../proto';
import type { Ctx, Lowered, OpConverter, Value } from './common';
import { CONV_POOL_OPS } from './conv-pool';
import { ELEMENTWISE_OPS } from './elementwise';
import { LINEAR_OPS } from './linear';
import { NORMALIZATION_OPS } from './normalization';
import { PAD_RESIZE_OPS } from './pad-resize';
import { REDUCE_OPS } from './reduce';
import { SHAPE_OPS } from './shape';

export type { Ctx, Lowered, OpConverter, Value } from './common';

/** Op families by concept, in the order the README lists them. */
export const OP_FAMILIES = [
  { title: 'Convolution and pooling', ops: CONV_POOL_OPS },
  { title: 'Element-wise and activations', ops: ELEMENTWISE_OPS },
  { title: 'Matrix products', ops: LINEAR_OPS },
  { title: 'Normalisation', ops: NORMALIZATION_OPS },
  { title: 'Reductions and softmax', ops: REDUCE_OPS },
  { title: 'Shape', ops: SHAPE_OPS },
  { title: 'Padding and resizing', ops: PAD_RESIZE_OPS },
] as const;

const CONVERTERS: ReadonlyMap<string, OpConverter> = new Map(OP_FAMILIES.flatMap((f) => Object.entries(f.ops)));

/** Ops evaluated on the host at load time only (their inputs must be constant or shapes): Shape, Size, and the folder's. */
const HOST_OPS = ['Shape', 'Size', 'Constant', 'ConstantOfShape', 'Range'] as const;

/** Every op type a graph may contain (translated or folded on the host), sorted. */
export const SUPPORTED_OPS: readonly string[] = [...new Set([...CONVERTERS.keys(), ...HOST_OPS])].sort((p, q) => p.localeCompare(q, 'en'));

/** Ops folded on the host when all their inputs are constant (the shape idiom before a flatten). */
export const FOLDED_OPS: readonly string[] = [...FOLDABLE].sort((p, q) => p.localeCompare(q, 'en'));

/** Translates one node whose inputs are not all constant, or throws ModelError('unknown-op') naming it. */
export function lowerNode(ctx: Ctx, node: NodeProto, a: Attrs, ins: (Value | undefined)[]): Lowered {
  const convert = CONVERTERS.get(node.opType);
  if (!convert) {
    throw new ModelError(
      'unknown-op',
      `The ONNX op ${node.opType}${node.domain ? ` (domain ${node.domain})` : ''} of node “${node.name || node.output[0]}” is not supported. ` +
        `Supported ops: ${SUPPORTED_OPS.join(', ')}.`,
    );
  }
  return convert(ctx, node, a, ins);
}
