#!/usr/bin/env python3
"""Export the ONNX test corpus: torchvision classifiers (seeded random weights) + small op models + the
bundled TF.js models rebuilt in PyTorch, each with fixed inputs and PyTorch's outputs as reference.

Usage:  /usr/bin/python3 scripts/corpus/export_torchvision.py [--out .corpus/onnx] [--only NAME,...]

Needs Debian's python3-torch (1.13), python3-torchvision (0.14) and python3-onnx. Writes, per model NAME:
  NAME.onnx            the graph as torch.onnx.export writes it (resnet18: weights in NAME.onnx.data beside it)
  NAME.input.bin       float32 NCHW [n, c, h, w], the exact tensor fed to the ONNX graph (model space)
  NAME.output.bin      float32 [n, classes], PyTorch's output for that input (eval mode)
  NAME.grad.bin        float32 NCHW, d(sum_n output[n, 1]) / d input, by torch.autograd
and manifest.json listing every model: name, file(s), opset, input shape, output classes, dynamic batch,
seconds to export, the op types in the graph. The weights are seeded (the ops and shapes are real; the
numbers are not a trained model's). BatchNorm running statistics are randomised too, so BN is not a no-op.

Nothing here is committed: the folder is git-ignored and rebuilt when this script changes (see
scripts/corpus/ensure-corpus.mjs, run once per `vitest` run by its global setup).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Callable, Dict, List

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

GRAD_CLASS = 1
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def seeded_init(model: nn.Module, seed: int) -> None:
    """Deterministic weights with sane activation scales, BN statistics randomised (so BN matters)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) * (2.0 / fan_in) ** 0.5)
                if m.bias is not None:
                    m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.05)
            elif isinstance(m, (nn.BatchNorm2d, nn.LayerNorm)):
                if getattr(m, "weight", None) is not None:
                    m.weight.copy_(1.0 + 0.2 * torch.randn(m.weight.shape, generator=g))
                    m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=g))
                if isinstance(m, nn.BatchNorm2d):
                    m.running_mean.copy_(0.1 * torch.randn(m.running_mean.shape, generator=g))
                    m.running_var.copy_(0.5 + torch.rand(m.running_var.shape, generator=g))
    model.eval()


def calm_logits(model: nn.Module, x: torch.Tensor, target_std: float = 2.0) -> None:
    """Rescale the last Linear/Conv (positively homogeneous up to the output) so logits have std ≈ 2.

    Deep nets with random weights give logits in the hundreds; softmax then saturates to one-hot and
    black-box methods on probabilities see no change at all. The ops and shapes stay the same.
    """
    last = [m for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d))][-1]
    with torch.no_grad():
        std = float(model(x).std())
        k = target_std / max(std, 1e-6)
        last.weight.mul_(k)
        if last.bias is not None:
            last.bias.mul_(k)


def imagenet_input(n: int, size: int, seed: int) -> torch.Tensor:
    """n images of pixels p in [0,1] (smooth random blobs + noise), ImageNet-normalised, NCHW."""
    g = torch.Generator().manual_seed(seed)
    low = torch.rand((n, 3, 8, 8), generator=g)
    x = F.interpolate(low, size=(size, size), mode="bilinear", align_corners=False)
    x = (0.8 * x + 0.2 * torch.rand((n, 3, size, size), generator=g)).clamp(0, 1)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    return (x - mean) / std


# --- small models that exercise ops torchvision's classifiers do not (or only in one form) -----------------


class OpsZoo(nn.Module):
    """Reflect pad, dilated + grouped conv, channel shuffle, AvgPool(ceil, count_include_pad=False),
    LayerNorm over channels (permute), GELU (Erf), MatMul, Softmax output."""

    def __init__(self) -> None:
        super().__init__()
        self.pad = nn.ReflectionPad2d((1, 2, 1, 0))
        self.conv1 = nn.Conv2d(3, 8, 3, stride=1, padding=0)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=2)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
        self.ln = nn.LayerNorm(8)
        self.conv3 = nn.Conv2d(8, 12, 1)
        self.proj = nn.Parameter(torch.randn(12, 6) * 0.3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.conv1(self.pad(x)))
        x = self.conv2(x)
        n, c, h, w = x.shape
        x = x.view(n, 2, c // 2, h, w).transpose(1, 2).reshape(n, c, h, w)  # channel shuffle
        x = self.pool(x)
        x = self.ln(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        x = F.gelu(self.conv3(x))
        x = F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True)
        x = x.mean(dim=(2, 3))
        return torch.softmax(torch.matmul(x, self.proj), dim=1)


class ClipAttr(nn.Module):
    """ReLU6 exported at opset 10: Clip with min/max attributes (opset ≥ 11 exports them as inputs)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3, stride=2, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(6)
        self.fc = nn.Linear(6 * 8 * 8, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu6(self.bn(self.conv(x)) * 3.0)
        return self.fc(torch.flatten(x, 1))


def torchvision_models() -> Dict[str, Callable[[], nn.Module]]:
    import torchvision.models as tvm

    return {
        "resnet18": lambda: tvm.resnet18(),
        "mobilenet_v2": lambda: tvm.mobilenet_v2(),
        "mobilenet_v3_small": lambda: tvm.mobilenet_v3_small(),
        "efficientnet_b0": lambda: tvm.efficientnet_b0(),
        "densenet121": lambda: tvm.densenet121(),
        "squeezenet1_1": lambda: tvm.squeezenet1_1(),
        "shufflenet_v2_x0_5": lambda: tvm.shufflenet_v2_x0_5(),
        "regnet_x_400mf": lambda: tvm.regnet_x_400mf(),
    }


# name -> (factory key, opset, input size, dynamic batch, external data)
CORPUS = [
    ("resnet18", "resnet18", 11, 64, True, True),
    ("mobilenet_v2", "mobilenet_v2", 12, 64, True, False),
    ("mobilenet_v3_small", "mobilenet_v3_small", 14, 64, True, False),
    ("efficientnet_b0", "efficientnet_b0", 13, 64, True, False),
    ("densenet121", "densenet121", 15, 64, True, False),
    ("squeezenet1_1", "squeezenet1_1", 16, 64, False, False),
    ("shufflenet_v2_x0_5", "shufflenet_v2_x0_5", 17, 64, True, False),
    ("regnet_x_400mf", "regnet_x_400mf", 13, 64, False, False),
    ("mobilenet_v3_small_224", "mobilenet_v3_small", 17, 224, True, False),
]


def export(model: nn.Module, x: torch.Tensor, path: str, opset: int, dynamic: bool) -> None:
    kwargs = {}
    if dynamic:
        kwargs["dynamic_axes"] = {"input": {0: "batch"}, "output": {0: "batch"}}
    torch.onnx.export(
        model,
        x,
        path,
        opset_version=opset,
        input_names=["input"],
        output_names=["output"],
        do_constant_folding=True,
        **kwargs,
    )


def to_external(path: str) -> List[str]:
    """Rewrite `path` with its initializers in `<name>.data` beside it (the external-data layout)."""
    import onnx

    m = onnx.load(path)
    data_name = os.path.basename(path) + ".data"
    onnx.save_model(m, path, save_as_external_data=True, all_tensors_to_one_file=True, location=data_name, size_threshold=1024)
    return [data_name]


def op_types(path: str) -> List[str]:
    import onnx

    m = onnx.load(path, load_external_data=False)
    return sorted({n.op_type for n in m.graph.node})


def write_case(out: str, name: str, model: nn.Module, x: torch.Tensor, opset: int, dynamic: bool, external: bool, extra: dict) -> dict:
    path = os.path.join(out, name + ".onnx")
    t0 = time.perf_counter()
    export(model, x, path, opset, dynamic)
    files = [name + ".onnx"]
    if external:
        files += to_external(path)
    export_s = time.perf_counter() - t0
    xg = x.clone().requires_grad_(True)
    y = model(xg)
    # Reference input gradient: d(sum over the batch of output[:, GRAD_CLASS]) / d input (NCHW).
    (grad,) = torch.autograd.grad(y[:, GRAD_CLASS].sum(), xg)
    y = y.detach()
    x.numpy().astype("<f4").tofile(os.path.join(out, name + ".input.bin"))
    y.numpy().astype("<f4").tofile(os.path.join(out, name + ".output.bin"))
    grad.numpy().astype("<f4").tofile(os.path.join(out, name + ".grad.bin"))
    entry = {
        "name": name,
        "files": files,
        "opset": opset,
        "inputShape": list(x.shape),
        "outputShape": list(y.shape),
        "dynamicBatch": dynamic,
        "gradClass": GRAD_CLASS,
        "exportSeconds": round(export_s, 3),
        "ops": op_types(path),
    }
    entry.update(extra)
    print(f"[corpus] {name}: opset {opset}, input {list(x.shape)}, {export_s:.2f} s, ops {' '.join(entry['ops'])}", flush=True)
    return entry


# --- the bundled TF.js models, rebuilt in PyTorch from their own weights ---------------------------------


class BundledNet(nn.Module):
    """The architecture of scripts/train/whytrain/models.py as exported (BN folded): conv+bias → ReLU →
    MaxPool per block, Flatten (C,H,W order), Dense → ReLU → (Dropout) → Dense logits."""

    def __init__(self, convs: List[np.ndarray], biases: List[np.ndarray], fcs: List[tuple], in_hw: tuple) -> None:
        super().__init__()
        self.convs = nn.ModuleList()
        for k, b in zip(convs, biases):
            kh, kw, cin, cout = k.shape
            conv = nn.Conv2d(cin, cout, (kh, kw), padding=(kh // 2, kw // 2))
            with torch.no_grad():
                conv.weight.copy_(torch.from_numpy(np.ascontiguousarray(k.transpose(3, 2, 0, 1))))
                conv.bias.copy_(torch.from_numpy(b))
            self.convs.append(conv)
        h, w = in_hw
        for _ in convs:
            h, w = h // 2, w // 2
        c = convs[-1].shape[3]
        self.fcs = nn.ModuleList()
        for i, (k, b) in enumerate(fcs):
            lin = nn.Linear(k.shape[0], k.shape[1])
            wt = k.T  # [out, in] with `in` in TF.js (h, w, c) order
            if i == 0:  # reorder the inputs to PyTorch's (c, h, w) flatten order
                wt = wt.reshape(k.shape[1], h, w, c).transpose(0, 3, 1, 2).reshape(k.shape[1], -1)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(np.ascontiguousarray(wt)))
                lin.bias.copy_(torch.from_numpy(b))
            self.fcs.append(lin)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for conv in self.convs:
            x = F.max_pool2d(F.relu(conv(x)), 2)
        x = torch.flatten(x, 1)
        for i, fc in enumerate(self.fcs):
            x = fc(x)
            if i < len(self.fcs) - 1:
                x = F.relu(x)
        return x


def load_tfjs_weights(folder: str) -> Dict[str, np.ndarray]:
    with open(os.path.join(folder, "model.json")) as f:
        mj = json.load(f)
    out: Dict[str, np.ndarray] = {}
    for group in mj["weightsManifest"]:
        buf = b"".join(open(os.path.join(folder, p), "rb").read() for p in group["paths"])
        off = 0
        for spec in group["weights"]:
            assert spec["dtype"] == "float32", spec
            n = int(np.prod(spec["shape"])) if spec["shape"] else 1
            out[spec["name"]] = np.frombuffer(buf, dtype="<f4", count=n, offset=off).reshape(spec["shape"]).copy()
            off += 4 * n
    return out


def bundled_cases(out: str, only: set) -> List[dict]:
    entries = []
    with open(os.path.join(ROOT, "models", "manifest.json")) as f:
        manifest = json.load(f)
    for m in manifest["models"]:
        name = "bundled-" + m["id"]
        if only and name not in only:
            continue
        folder = os.path.join(ROOT, "models", os.path.dirname(m["modelUrl"]))
        w = load_tfjs_weights(folder)
        convs = sorted(k[: -len("/kernel")] for k in w if k.startswith("conv") and k.endswith("/kernel"))
        fcs = [k[: -len("/kernel")] for k in ("fc1/kernel", "logits/kernel") if k in w]
        h, wd, c = m["inputShape"]
        net = BundledNet([w[k + "/kernel"] for k in convs], [w[k + "/bias"] for k in convs], [(w[k + "/kernel"], w[k + "/bias"]) for k in fcs], (h, wd)).eval()
        g = torch.Generator().manual_seed(5)
        x = torch.rand((2, c, h, wd), generator=g)
        entries.append(write_case(out, name, net, x, 13, True, False, {"bundledId": m["id"], "modelJson": os.path.relpath(os.path.join(folder, "model.json"), ROOT)}))
    return entries


def main(argv: List[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, ".corpus", "onnx"))
    ap.add_argument("--only", default="", help="comma-separated names (default: all)")
    args = ap.parse_args(argv)
    only = {s for s in args.only.split(",") if s}
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    t_all = time.perf_counter()
    entries: List[dict] = []
    factories = torchvision_models()
    for i, (name, key, opset, size, dynamic, external) in enumerate(CORPUS):
        if only and name not in only:
            continue
        model = factories[key]()
        seeded_init(model, 100 + i)
        x = imagenet_input(2, size, 200 + i)
        calm_logits(model, x)
        entries.append(write_case(args.out, name, model, x, opset, dynamic, external, {"family": key, "normalization": "imagenet"}))
    small = [("ops_zoo", OpsZoo, 17, 20, True), ("clip_attr", ClipAttr, 10, 16, True)]
    for i, (name, cls, opset, size, dynamic) in enumerate(small):
        if only and name not in only:
            continue
        torch.manual_seed(300 + i)
        model = cls()
        seeded_init(model, 300 + i)
        x = imagenet_input(2, size, 400 + i)
        entries.append(write_case(args.out, name, model, x, opset, dynamic, False, {"family": name, "normalization": "imagenet"}))
    entries += bundled_cases(args.out, only)
    manifest = {
        "generatedBy": "scripts/corpus/export_torchvision.py",
        "torch": torch.__version__,
        "torchvision": __import__("torchvision").__version__,
        "onnx": __import__("onnx").__version__,
        "totalSeconds": round(time.perf_counter() - t_all, 2),
        "models": entries,
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"[corpus] {len(entries)} models in {manifest['totalSeconds']} s -> {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
