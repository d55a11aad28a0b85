/**
 * Gives the gradients of tfjs' fused ops (`tf.fused.conv2d`, `tf.fused.depthwiseConv2d`, `tf.fused.matMul`)
 * the attributes (strides, padding, transposes …) of the kernel they ran.
 *
 * Why: inside a gradient tape, a fused op with a linear activation runs as a `tf.customGrad` whose gradient
 * function computes the input, filter and bias gradients eagerly, all at once (tfjs-core 4.22
 * `ops/fused/*.js`). The tape records that node under the name of the op's scope (`fusedConv2d__op` …), and
 * `Engine.addTapeNode` prefers a gradient registered under that name (`tf.registerGradient`) over the
 * custom one — but hands it `attrs = undefined`, because a custom op has none. This module records the
 * attributes of each fused *kernel* call (a wrapper around the registered kernel, on every backend) keyed
 * by its output's data id, and passes them on when the tape node of the enclosing op is recorded.
 *
 * The hook is one wrapper around the engine's `addTapeNode`: for the three fused scopes it fills in the
 * recorded attributes; every other node passes through unchanged. Nothing else in tfjs changes.
 */
import * as tf from '@tensorflow/tfjs';

/** The fused kernels and the scope names of the ops that call them through `customGrad`. */
export const FUSED_KERNEL_OF_SCOPE: Readonly<Record<string, string>> = {
  fusedConv2d__op: 'FusedConv2D',
  fusedDepthwiseConv2d__op: 'FusedDepthwiseConv2D',
  fusedMatMul__op: '_FusedMatMul',
};

/** Backends whose fused kernels are wrapped (those not registered are skipped). */
const BACKENDS = ['cpu', 'wasm', 'webgl', 'webgpu'] as const;

const attrsByData = new WeakMap<object, tf.NamedAttrMap>();
const wrapped = new Set<string>();
let hooked = false;

type TapeHook = (
  kernelName: string,
  inputs: unknown,
  outputs: tf.Tensor[],
  gradientsFunc: unknown,
  saved: unknown,
  attrs: unknown,
) => void;

function wrapKernel(kernelName: string, backendName: string): void {
  const key = `${kernelName}@${backendName}`;
  if (wrapped.has(key)) return;
  const k = tf.getKernel(kernelName, backendName);
  if (!k) return;
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({
    ...k,
    kernelFunc: (args) => {
      const out = k.kernelFunc(args) as tf.TensorInfo | tf.TensorInfo[];
      const first = Array.isArray(out) ? out[0] : out;
      if (first) attrsByData.set(first.dataId, { ...args.attrs });
      return out;
    },
  });
  wrapped.add(key);
}

/**
 * Installs the kernel wrappers and the tape hook (idempotent). Backends imported later are covered by
 * calling it again (the worker and the test setup call it after importing every backend).
 */
export function installFusedAttrCapture(): void {
  for (const kernel of Object.values(FUSED_KERNEL_OF_SCOPE)) for (const b of BACKENDS) wrapKernel(kernel, b);
  if (hooked) return;
  const engine = tf.engine() as unknown as { addTapeNode: TapeHook };
  const original = engine.addTapeNode.bind(engine) as TapeHook;
  engine.addTapeNode = (kernelName, inputs, outputs, gradientsFunc, saved, attrs) => {
    let a = attrs;
    if (a == null && kernelName in FUSED_KERNEL_OF_SCOPE) {
      const out = outputs[0];
      if (out) a = attrsByData.get(out.dataId);
    }
    original(kernelName, inputs, outputs, gradientsFunc, saved, a);
  };
  hooked = true;
}

/**
 * The attributes handed to a fused op's registered gradient, or a clear error when they are missing (the
 * op ran before `installFusedAttrCapture`, or through a path this module does not know).
 */
export function requireFusedAttrs<T>(attrs: tf.NamedAttrMap | undefined, op: string): T {
  if (attrs == null || Object.keys(attrs).length === 0) {
    throw new Error(
      `the gradient of ${op} did not receive its attributes: install the gradients (installGradients) before running the model`,
    );
  }
  return attrs as unknown as T;
}
