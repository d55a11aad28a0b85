#!/usr/bin/env python3
"""Export one large ONNX model for the "a 100 MB file loads in the worker" check: torchvision resnet101
(44.5 M parameters, ≈ 178 MB, one file, opset 17, 64×64 input, dynamic batch), seeded weights as in the
test corpus (scripts/corpus/export_torchvision.py). Git-ignored output, never committed.

Usage:  /usr/bin/python3 scripts/corpus/export_big.py [--out .corpus/onnx-big]
Writes OUT/resnet101.onnx and OUT/manifest.json ({name, files, bytes, opset, inputShape, exportSeconds}).
The bench (scripts/bench/formats.mjs) calls it when the file is missing; about 30 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export_torchvision import ROOT, calm_logits, export, imagenet_input, seeded_init  # noqa: E402

NAME, OPSET, SIZE = "resnet101", 17, 64


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, ".corpus", "onnx-big"))
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    import torchvision.models as tvm

    t0 = time.perf_counter()
    model = tvm.resnet101()
    seeded_init(model, 900)
    x = imagenet_input(2, SIZE, 901)
    calm_logits(model, x)
    path = os.path.join(args.out, NAME + ".onnx")
    export(model, x, path, OPSET, True)
    entry = {"name": NAME, "files": [NAME + ".onnx"], "bytes": os.path.getsize(path), "opset": OPSET,
             "inputShape": list(x.shape), "exportSeconds": round(time.perf_counter() - t0, 2)}
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        f.write(json.dumps(entry, indent=1))
    print(f"[corpus] {NAME}: {entry['bytes'] / 1e6:.1f} MB, opset {OPSET}, {entry['exportSeconds']} s -> {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
