#!/usr/bin/env python3
"""Writes the small hand-built ONNX files of lib/models/onnx/__fixtures__ (committed; each < 2 kB) with
onnx.helper: graphs the loader must refuse with a clear message, an opset-18 graph (ReduceMean with its
axes as an input, which torch 1.13 cannot export) with a numpy reference output, and opset-variants.json:
the ops whose form changed between opsets 10 and 18 (Squeeze / Unsqueeze / ReduceSum axes and Split sizes
attribute → input at 13, Reduce* axes input and Split num_outputs and Pad axes at 18, Pad / Clip attributes
→ inputs at 11, Resize scales / sizes / coordinate modes 11–18), each as a tiny graph in its old and new
form, base64 in the JSON, with a reference output from numpy or torch.nn.functional (not from our code).

Usage: /usr/bin/python3 scripts/corpus/make_onnx_fixtures.py
"""

import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "lib", "models", "onnx", "__fixtures__")


def save(name, nodes, inputs, outputs, inits=(), opset=13):
    g = helper.make_graph(nodes, name, inputs, outputs, initializer=list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="make_onnx_fixtures")
    m.ir_version = 8
    onnx.save(m, os.path.join(OUT, name + ".onnx"))


def img(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(0)
    w = numpy_helper.from_array(rng.standard_normal((4, 3, 3, 3)).astype("float32"), "w")
    fc = numpy_helper.from_array(rng.standard_normal((4, 5)).astype("float32"), "fc")
    head = [
        helper.make_node("GlobalAveragePool", ["r"], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["f"], name="flat"),
        helper.make_node("MatMul", ["f", "fc"], ["y"], name="logits"),
    ]
    conv = helper.make_node("Conv", ["x", "w"], ["c"], name="conv1", pads=[1, 1, 1, 1])
    relu = helper.make_node("Relu", ["c"], ["r"], name="relu1")
    y = [img("y", ["N", 5])]

    # An op we do not translate: a cubic Resize between the conv and the head.
    save("unsupported-op", [conv, helper.make_node("Resize", ["c", "", "scales"], ["r"], name="upsample", mode="cubic")] + head,
         [img("x", ["N", 3, 8, 8])], y, [w, fc, numpy_helper.from_array(np.array([1, 1, 2, 2], "float32"), "scales")])
    # Height and width are symbolic.
    save("dynamic-size", [conv, relu] + head, [img("x", ["N", 3, "H", "W"])], y, [w, fc])
    # Not an image: [N, 10] floats.
    save("vector-input", [helper.make_node("MatMul", ["x", "m"], ["y"], name="mm")], [img("x", ["N", 10])], y,
         [numpy_helper.from_array(rng.standard_normal((10, 5)).astype("float32"), "m")])
    # Two inputs.
    save("two-inputs", [conv, helper.make_node("Add", ["c", "x2"], ["r"], name="add")] + head,
         [img("x", ["N", 3, 8, 8]), img("x2", ["N", 4, 8, 8])], y, [w, fc])
    # Four channels.
    w4 = numpy_helper.from_array(rng.standard_normal((4, 4, 3, 3)).astype("float32"), "w")
    save("four-channels", [conv, relu] + head, [img("x", ["N", 4, 8, 8])], y, [w4, fc])
    # Output is a feature map, not [N, classes].
    save("spatial-output", [conv, relu], [img("x", ["N", 3, 8, 8])], [img("r", ["N", 4, 8, 8])], [w])
    # Reshape that folds the batch into the features.
    save("reshape-batch", [conv, relu, helper.make_node("Reshape", ["r", "shape"], ["f"], name="fold_batch"),
                           helper.make_node("Reshape", ["f", "shape2"], ["y"], name="unfold")],
         [img("x", ["N", 3, 8, 8])], y,
         [w, numpy_helper.from_array(np.array([-1], "int64"), "shape"), numpy_helper.from_array(np.array([-1, 256], "int64"), "shape2")])

    # Static batch 1 (no dynamic_axes): the exporter bakes 1 into the Reshape target; any batch must still run.
    save("static-batch-reshape", [conv, relu, helper.make_node("Reshape", ["r", "shape"], ["f"], name="flatten_view"),
                                  helper.make_node("MatMul", ["f", "fc2"], ["y"], name="logits")],
         [img("x", [1, 3, 8, 8])], [img("y", [1, 5])],
         [w, numpy_helper.from_array(np.array([1, -1], "int64"), "shape"),
          numpy_helper.from_array(rng.standard_normal((256, 5)).astype("float32") * 0.1, "fc2")])

    # Opset 18: ReduceMean's axes are an input. Reference computed in numpy.
    save("opset18-reducemean", [conv, relu,
                                helper.make_node("ReduceMean", ["r", "axes"], ["y"], name="mean", keepdims=0)],
         [img("x", ["N", 3, 8, 8])], [img("y", ["N", 4])],
         [w, numpy_helper.from_array(np.array([2, 3], "int64"), "axes")], opset=18)
    x = rng.random((2, 3, 8, 8)).astype("float32")
    wn = numpy_helper.to_array(w)
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    c = np.zeros((2, 4, 8, 8), "float64")
    for i in range(8):
        for j in range(8):
            c[:, :, i, j] = np.einsum("nchw,ochw->no", xp[:, :, i:i + 3, j:j + 3], wn)
    ref = np.maximum(c, 0).mean(axis=(2, 3))
    with open(os.path.join(OUT, "opset18-reducemean.reference.json"), "w") as f:
        json.dump({"inputNCHW": x.flatten().tolist(), "shape": list(x.shape), "output": ref.flatten().tolist()}, f)
    opset_variants(rng)
    print("wrote", sorted(os.listdir(OUT)))


def i64(name, v):
    return numpy_helper.from_array(np.array(v, "int64"), name)


def f32(name, v):
    return numpy_helper.from_array(np.array(v, "float32"), name)


def short(a):
    """float32 values as JSON numbers with 9 significant digits (exact for float32)."""
    return [float(f"{v:.9g}") for v in np.asarray(a, "float32").tolist()]


def opset_variants(rng):
    """Each case: x [N, 3, 6, 6] -> the op(s) in one opset's form -> Flatten -> y [N, K]; reference from numpy/torch."""
    import base64
    import torch
    import torch.nn.functional as F

    x = rng.random((2, 3, 6, 6)).astype("float32")
    xt = torch.from_numpy(x)
    cases = []

    def case(name, opset, nodes, ref, inits=()):
        nodes = nodes + [helper.make_node("Flatten", ["z"], ["y"], name="flat")]
        g = helper.make_graph(nodes, name, [img("x", ["N", 3, 6, 6])], [img("y", ["N", int(np.prod(ref.shape[1:]))])], initializer=list(inits))
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="make_onnx_fixtures")
        m.ir_version = 8
        cases.append({"name": name, "opset": opset, "ops": sorted({n.op_type for n in nodes}),
                      "onnx": base64.b64encode(m.SerializeToString()).decode(), "output": short(ref.reshape(2, -1).flatten())})

    mean23 = x.mean(axis=(2, 3))
    # Squeeze / Unsqueeze: axes attribute (opset 11) vs input (opset 13).
    case("squeeze-unsqueeze-attr", 11, [
        helper.make_node("ReduceMean", ["x"], ["m"], axes=[2, 3], keepdims=1),
        helper.make_node("Squeeze", ["m"], ["s"], axes=[2, 3]),
        helper.make_node("Unsqueeze", ["s"], ["z"], axes=[1])], mean23[:, None, :])
    case("squeeze-unsqueeze-input", 13, [
        helper.make_node("ReduceMean", ["x"], ["m"], axes=[2, 3], keepdims=1),
        helper.make_node("Squeeze", ["m", "ax"], ["s"]),
        helper.make_node("Unsqueeze", ["s", "ax1"], ["z"])], mean23[:, None, :], [i64("ax", [2, 3]), i64("ax1", [1])])
    # ReduceSum: axes attribute (11) vs input (13); ReduceMean / ReduceMax: input at 18, keepdims=0.
    case("reducesum-attr", 11, [helper.make_node("ReduceSum", ["x"], ["z"], axes=[1], keepdims=1)], x.sum(axis=1, keepdims=True))
    case("reducesum-input", 13, [helper.make_node("ReduceSum", ["x", "ax"], ["z"], keepdims=1)], x.sum(axis=1, keepdims=True), [i64("ax", [1])])
    case("reduce-axes-input-18", 18, [
        helper.make_node("ReduceMax", ["x", "ax"], ["mx"], keepdims=1),
        helper.make_node("ReduceMean", ["mx", "ax2"], ["z"], keepdims=0)], x.max(axis=3, keepdims=True).mean(axis=(1, 3)),
        [i64("ax", [-1]), i64("ax2", [1, 3])])
    # Split: sizes attribute (11) vs input (13) vs num_outputs (18, uneven: 3 channels -> 2 + 1).
    parts = lambda k: [x[:, :k], x[:, k:]]
    for name, opset, split_node, inits in [
        ("split-attr", 11, helper.make_node("Split", ["x"], ["p", "q"], axis=1, split=[2, 1]), []),
        ("split-input", 13, helper.make_node("Split", ["x", "sp"], ["p", "q"], axis=1), [i64("sp", [2, 1])]),
        ("split-num-outputs-18", 18, helper.make_node("Split", ["x"], ["p", "q"], axis=1, num_outputs=2), []),
    ]:
        p_, q_ = parts(2)
        case(name, opset, [split_node, helper.make_node("Concat", ["q", "p"], ["z"], axis=1)], np.concatenate([q_, p_], axis=1), inits)
    # Pad: attributes (10) vs inputs (11, reflect) vs the axes input (18).
    case("pad-attr", 10, [helper.make_node("Pad", ["x"], ["z"], pads=[0, 0, 1, 2, 0, 0, 2, 1], value=0.5)],
         np.pad(x, ((0, 0), (0, 0), (1, 2), (2, 1)), constant_values=0.5))
    case("pad-input-reflect", 11, [helper.make_node("Pad", ["x", "pads"], ["z"], mode="reflect")],
         F.pad(xt, (2, 1, 1, 2), mode="reflect").numpy(), [i64("pads", [0, 0, 1, 2, 0, 0, 2, 1])])
    case("pad-axes-18", 18, [helper.make_node("Pad", ["x", "pads", "cv", "axes"], ["z"])],
         np.pad(x, ((0, 0), (0, 0), (1, 2), (2, 1)), constant_values=-1.0), [i64("pads", [1, 2, 2, 1]), f32("cv", -1.0), i64("axes", [2, 3])])
    # Clip: min/max attributes (10) vs optional inputs (11: min only; 13: both).
    case("clip-attr", 10, [helper.make_node("Clip", ["x"], ["z"], min=0.2, max=0.7)], np.clip(x, 0.2, 0.7))
    case("clip-min-input", 11, [helper.make_node("Clip", ["x", "lo"], ["z"])], np.maximum(x, 0.3), [f32("lo", 0.3)])
    case("clip-inputs", 13, [helper.make_node("Clip", ["x", "lo", "hi"], ["z"])], np.clip(x, 0.3, 0.6), [f32("lo", 0.3), f32("hi", 0.6)])
    # Resize: what torch exports (nearest asymmetric/floor, linear pytorch_half_pixel / align_corners), sizes, opset-18 axes.
    case("resize-nearest-11", 11, [helper.make_node("Resize", ["x", "roi", "sc"], ["z"], mode="nearest", coordinate_transformation_mode="asymmetric", nearest_mode="floor")],
         F.interpolate(xt, scale_factor=2, mode="nearest").numpy(), [f32("roi", []), f32("sc", [1, 1, 2, 2])])
    case("resize-linear-sizes-13", 13, [helper.make_node("Resize", ["x", "", "", "sz"], ["z"], mode="linear", coordinate_transformation_mode="pytorch_half_pixel")],
         F.interpolate(xt, size=(9, 4), mode="bilinear", align_corners=False).numpy(), [i64("sz", [2, 3, 9, 4])])
    case("resize-linear-align-corners-11", 11, [helper.make_node("Resize", ["x", "roi", "sc"], ["z"], mode="linear", coordinate_transformation_mode="align_corners")],
         F.interpolate(xt, scale_factor=1.5, mode="bilinear", align_corners=True).numpy(), [f32("roi", []), f32("sc", [1, 1, 1.5, 1.5])])
    case("resize-axes-18", 18, [helper.make_node("Resize", ["x", "", "sc"], ["z"], mode="linear", axes=[2, 3], coordinate_transformation_mode="half_pixel")],
         F.interpolate(xt, scale_factor=2, mode="bilinear", align_corners=False).numpy(), [f32("sc", [2, 2])])
    with open(os.path.join(OUT, "opset-variants.json"), "w") as f:
        json.dump({"inputNCHW": short(x.flatten()), "shape": list(x.shape), "cases": cases}, f)


if __name__ == "__main__":
    main()
