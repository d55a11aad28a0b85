#!/usr/bin/env python3
"""Writes the small hand-built ONNX files of lib/models/onnx/__fixtures__ (committed; each < 2 kB) with
onnx.helper: graphs the loader must refuse with a clear message, and an opset-18 graph (ReduceMean with its
axes as an input, which torch 1.13 cannot export) with a numpy reference output.

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

    # An op we do not translate: Resize between the conv and the head.
    save("unsupported-op", [conv, helper.make_node("Resize", ["c", "", "scales"], ["r"], name="upsample", mode="nearest")] + head,
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
    print("wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
