/**
 * ONNX graph → a plan of TensorFlow.js steps (NHWC storage, see layout.ts). Built once at load time:
 * constants are folded on the host (fold.ts), every other node is translated by the converter of its op
 * (the registry in ops/: one file per family, weights converted to TensorFlow.js layouts once), static
 * shapes are inferred for every value. Running the plan is synchronous and uses only ops whose gradients
 * exist on CPU, WebGL and WASM: unfused `tf.conv2d`, a portable depthwise conv, explicit `tf.pad`, slices
 * (never `gather`), matrix products for resizing — so every method works.
 *
 * Ownership: the plan owns the constant tensors it created (`consts`); `disposePlan` releases them.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelError } from '../types';
import { BATCH, FOLDABLE, foldNode, size, sliceRange } from './fold';
import { showShape, unsupported, type Ctx, type Value } from './ops/common';
import { lowerNode } from './ops';
import { attrs, dataTypeName, defaultOpset, readTensor, toNum, type ExternalReader, type HostTensor, type ModelProto } from './proto';

export type { Value } from './ops/common';
export { SUPPORTED_OPS } from './ops';

export interface Step {
  /** Node name (or its first output's name when the node is unnamed). */
  name: string;
  op: string;
  /** Names of the dynamic inputs, aligned with `run`'s `ins` (undefined for constant/missing ones). */
  inputs: (string | undefined)[];
  outputs: string[];
  /** Output ONNX shapes (batch as BATCH). */
  shapes: number[][];
  /** Float parameters this node reads from initializers. */
  params: number;
  /**
   * The learned parameters of this node as the plan holds them (converted layouts, e.g. a conv filter and
   * its bias), as variables; empty for structural constants (pooling divisors, resize matrices, shapes).
   */
  weights: tf.Variable[];
  run(ins: (tf.Tensor | undefined)[], n: number): tf.Tensor[];
}

export interface OnnxPlan {
  opset: number;
  producer: string;
  inputName: string;
  /** [channels, height, width] of the image input. */
  inputChw: [number, number, number];
  outputName: string;
  numClasses: number;
  steps: Step[];
  consts: tf.Tensor[];
  paramCount: number;
  /** Op types of the nodes of the file (after folding some disappear from `steps`). */
  opTypes: string[];
}

/**
 * Builds the plan. `read` resolves external data files. Throws ModelError: 'multiple-inputs',
 * 'not-image-input' (not [N, C, H, W] float, C ∉ {1, 3}, or dynamic H/W), 'unknown-op' (op or attribute
 * we do not translate, naming the node), 'bad-output' (not one [N, K] output), 'missing-weights'.
 */
export function buildPlan(model: ModelProto, read?: ExternalReader): OnnxPlan {
  const graph = model.graph;
  if (!graph) throw new ModelError('not-a-model', 'The ONNX file holds no graph.');
  const opset = defaultOpset(model);
  const values = new Map<string, Value>();
  let paramCount = 0;
  for (const init of graph.initializer) {
    const t = readTensor(init, read);
    if (t.kind === 'float') paramCount += size(t.dims);
    values.set(init.name, { kind: 'const', t });
  }
  const inputs = graph.input.filter((i) => !values.has(i.name));
  if (inputs.length !== 1) {
    throw new ModelError('multiple-inputs', `The ONNX graph has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); an image classifier has exactly one.`);
  }
  const input = inputs[0] as (typeof inputs)[number];
  const tt = input.type?.tensorType;
  const dims = tt?.shape?.dim ?? [];
  const dimVals = dims.map((d) => (d.dimValue !== null && d.dimValue !== undefined && toNum(d.dimValue) > 0 ? toNum(d.dimValue) : undefined));
  const desc = dims.map((d, i) => (dimVals[i] ?? (d.dimParam || '?'))).join(', ');
  if (!tt || tt.elemType !== 1 || dims.length !== 4) {
    throw new ModelError('not-image-input', `The ONNX input “${input.name}” is ${tt ? `${dataTypeName(tt.elemType)} [${desc}]` : 'untyped'}; an image classifier takes float32 [batch, channels, height, width].`);
  }
  const [, c, h, w] = dimVals;
  if (h === undefined || w === undefined) {
    throw new ModelError('not-image-input', `The ONNX input “${input.name}” [${desc}] has a dynamic height or width; export with a fixed image size (e.g. torch.onnx.export with a 1×3×224×224 example and dynamic_axes only for the batch).`);
  }
  if (c !== 1 && c !== 3) throw new ModelError('not-image-input', `The ONNX input “${input.name}” [${desc}] has ${c ?? 'a dynamic number of'} channels; only 1 (grey) or 3 (colour) are supported.`);
  const ctx: Ctx = { opset, consts: [], declaredBatch: dimVals[0] };
  values.set(input.name, { kind: 'dyn', shape: [BATCH, c, h, w] });

  const steps: Step[] = [];
  try {
    for (const node of graph.node) {
      if (node.domain && node.domain !== 'ai.onnx') {
        throw new ModelError('unknown-op', `The node “${node.name || node.output[0]}” uses the op ${node.opType} of domain “${node.domain}”; only standard ONNX ops are supported.`);
      }
      const ins = node.input.map((name) => (name ? values.get(name) : undefined));
      node.input.forEach((name, i) => {
        if (name && !ins[i]) throw new ModelError('load-failed', `The node “${node.name}” reads “${name}”, which no node or initializer produces (is the graph sorted?).`);
      });
      const allConst = ins.every((v) => v === undefined || v.kind === 'const');
      if (node.opType === 'Shape' || node.opType === 'Size') {
        const v = ins[0];
        const shape = v ? (v.kind === 'dyn' ? v.shape : v.t.dims) : [];
        const a = attrs(node);
        let sh = shape;
        if (node.opType === 'Shape' && (a.has('start') || a.has('end'))) {
          const [b, cnt] = sliceRange(a.int('start', 0), a.int('end', shape.length), shape.length);
          sh = shape.slice(b, b + cnt);
        }
        const t: HostTensor = node.opType === 'Size' ? { kind: 'int', dims: [], data: [size(shape.filter((d) => d !== BATCH))] } : { kind: 'int', dims: [sh.length], data: [...sh] };
        if (node.opType === 'Size' && shape.includes(BATCH)) unsupported(node, 'the size depends on the batch');
        values.set(node.output[0] as string, { kind: 'const', t });
        continue;
      }
      if (allConst && (FOLDABLE.has(node.opType) || node.opType === 'Constant')) {
        const outs = foldNode(node, ins.map((v) => (v?.kind === 'const' ? v.t : undefined)), opset);
        outs.forEach((t, i) => {
          const name = node.output[i];
          if (name) values.set(name, { kind: 'const', t });
        });
        continue;
      }
      const firstConst = ctx.consts.length;
      const lowered = lowerNode(ctx, node, attrs(node), ins);
      const outputs = node.output.slice(0, lowered.shapes.length);
      lowered.shapes.forEach((shape, i) => {
        const name = outputs[i];
        if (name) values.set(name, { kind: 'dyn', shape });
      });
      const params = node.input.reduce((acc, name, i) => {
        const v = ins[i];
        return acc + (name && v?.kind === 'const' && v.t.kind === 'float' && graph.initializer.some((g) => g.name === name) ? size(v.t.dims) : 0);
      }, 0);
      steps.push({
        name: node.name || (node.output[0] as string),
        op: node.opType,
        inputs: node.input.map((name, i) => (ins[i]?.kind === 'dyn' ? name : undefined)),
        outputs,
        shapes: lowered.shapes,
        params,
        weights:
          params > 0 && LEARNED_OPS.has(node.opType)
            ? ctx.consts.slice(firstConst).filter((t): t is tf.Variable => t instanceof tf.Variable)
            : [],
        run: lowered.run,
      });
    }
    const outs = graph.output;
    if (outs.length !== 1) throw new ModelError('bad-output', `The ONNX graph has ${outs.length} outputs; a classifier has one output with a score per class.`);
    const outName = (outs[0] as (typeof outs)[number]).name;
    const ov = values.get(outName);
    if (!ov || ov.kind !== 'dyn') throw new ModelError('bad-output', `The ONNX output “${outName}” does not depend on the input image.`);
    if (ov.shape.length !== 2 || ov.shape[0] !== BATCH) {
      throw new ModelError('bad-output', `The ONNX output “${outName}” has shape ${showShape(ov.shape)}; a classifier gives [batch, classes].`);
    }
    return {
      opset,
      producer: `${model.producerName} ${model.producerVersion}`.trim(),
      inputName: input.name,
      inputChw: [c, h, w],
      outputName: outName,
      numClasses: ov.shape[1] as number,
      steps: pruneSteps(steps, outName),
      consts: ctx.consts,
      paramCount,
      opTypes: [...new Set(graph.node.map((n) => n.opType))].sort(),
    };
  } catch (e) {
    tf.dispose(ctx.consts);
    throw e;
  }
}

/**
 * Ops whose constant inputs from initializers are learned parameters (weights, biases, normalisation
 * scales); Resize's scales, Pad's pads, Reshape's shape and the like are structure, never re-drawn.
 */
const LEARNED_OPS = new Set([
  'Conv',
  'ConvTranspose',
  'Gemm',
  'MatMul',
  'BatchNormalization',
  'LayerNormalization',
  'InstanceNormalization',
  'PRelu',
  'Add',
  'Sub',
  'Mul',
  'Div',
]);

/**
 * The weighted steps from the output to the input (the sanity check's cascade order), each with the
 * variables it reads. Re-drawing them (`assign`) changes what the plan computes; only do it on a copy.
 */
export function weightsTopDown(plan: OnnxPlan): { name: string; weights: tf.Variable[] }[] {
  return plan.steps
    .filter((s) => s.weights.length > 0)
    .map((s) => ({ name: s.name, weights: s.weights }))
    .reverse();
}

/** The steps that value `name` depends on, in order (what must run to compute it). */
export function upstreamOf(steps: readonly Step[], name: string): Step[] {
  const needed = new Set([name]);
  const keepIdx: number[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i] as Step;
    if (s.outputs.some((o) => needed.has(o))) {
      keepIdx.push(i);
      for (const inp of s.inputs) if (inp) needed.add(inp);
    }
  }
  return keepIdx.reverse().map((i) => steps[i] as Step);
}

/** Drops steps whose outputs never reach the graph output. */
function pruneSteps(steps: Step[], outName: string): Step[] {
  const needed = new Set([outName]);
  const keepIdx = new Set<number>();
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i] as Step;
    if (s.outputs.some((o) => needed.has(o))) {
      keepIdx.add(i);
      for (const inp of s.inputs) if (inp) needed.add(inp);
    }
  }
  return steps.filter((_, i) => keepIdx.has(i));
}

/** Runs steps in order over `env` (name → stored tensor), writing their outputs into it. Synchronous. */
export function runSteps(steps: readonly Step[], env: Map<string, tf.Tensor>, n: number): void {
  for (const s of steps) {
    const ins = s.inputs.map((name) => (name ? env.get(name) : undefined));
    const outs = s.run(ins, n);
    s.outputs.forEach((name, i) => {
      const t = outs[i];
      if (t) env.set(name, t);
    });
  }
}

/** Indices of the steps downstream of value `name` (those that must be recomputed when it changes). */
export function downstreamOf(steps: readonly Step[], name: string): Step[] {
  const dirty = new Set([name]);
  const out: Step[] = [];
  for (const s of steps) {
    if (s.inputs.some((i) => i !== undefined && dirty.has(i))) {
      out.push(s);
      for (const o of s.outputs) dirty.add(o);
    }
  }
  return out;
}

export function disposePlan(plan: OnnxPlan): void {
  tf.dispose(plan.consts);
  plan.consts.length = 0;
}
