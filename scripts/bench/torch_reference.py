#!/usr/bin/env python3
"""The PyTorch reference for `npm run bench` (issue #18): what a user would run instead of the dashboard.

Runs the same explanation methods as the dashboard, written the way a PyTorch user writes them (autograd for
saliency and gradient x input, every Integrated Gradients point and every SmoothGrad sample in one batch,
occlusion with a configurable number of windows per pass, Grad-CAM with a forward hook), on the SAME weights:

- ``--model DIR``: a bundled TF.js LayersModel (model.json + shards, NHWC) rebuilt in PyTorch layer by layer
  (Conv2D 'same', ReLU, MaxPooling2D, Flatten in TF.js's (h, w, c) order, Dense). The forward pass is checked
  against TF.js's own logits when ``--check-logits`` is given.
- ``--corpus NAME``: a torchvision classifier of the ONNX corpus (scripts/corpus/export_torchvision.py), rebuilt
  with the corpus's own seeded weights (the browser loads ``.corpus/onnx/NAME.onnx``); its logits are checked
  against the corpus's recorded outputs (``logitParity`` in the JSON).

Input: ``--input FILE.f32`` (float32 NHWC [1, H, W, C], the model input the browser used) or, without it, a
seeded random image. One thread (``torch.set_num_threads(1)``) unless ``--threads``. Each method runs once to
warm up, then ``--reps`` times; the median is reported.

Output: one JSON object on stdout (prefix ``REFERENCE ``): per method ``ms`` (median), ``reps``, ``config``
(the windows per pass, steps, samples), and the map (``values``, row-major [H, W], float) for the parity
check the bench makes against the browser's map. Nothing here is timed inside a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Callable, Dict, List

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


# ---------------------------------------------------------------------------------------------------------
# Models on identical weights


class NhwcFlatten(nn.Module):
    """Flatten an NCHW tensor in TF.js's NHWC (h, w, c) order, so Dense kernels load unchanged."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # noqa: D401
        return x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)


def load_tfjs_layers(model_dir: str) -> nn.Sequential:
    """Rebuild a TF.js LayersModel (the layer kinds our exporter writes) in PyTorch, NCHW inside."""
    # The pipeline's own reader of exported models (shards checked against the manifest).
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "train"))
    from whytrain.export_tfjs import load_exported  # noqa: WPS433

    mj, arrays = load_exported(model_dir)
    layers: List[nn.Module] = []
    names: List[str] = []  # the TF.js layer name of each module (a Conv2D with a fused ReLU names both)
    for layer in mj["modelTopology"]["config"]["layers"]:
        cls, cfg = layer["class_name"], layer["config"]
        name = cfg["name"]
        if cls in ("InputLayer", "Dropout"):
            continue
        if cls == "Conv2D":
            k = arrays[f"{name}/kernel"]  # [kh, kw, in, out]
            kh, kw, cin, cout = k.shape
            if cfg.get("padding") != "same" or tuple(cfg.get("strides", [1, 1])) != (1, 1):
                raise ValueError(f"{name}: only stride-1 'same' convolutions are supported")
            conv = nn.Conv2d(cin, cout, (kh, kw), padding=((kh - 1) // 2, (kw - 1) // 2))
            conv.weight.data = torch.from_numpy(np.ascontiguousarray(k.transpose(3, 2, 0, 1)))
            conv.bias.data = torch.from_numpy(arrays[f"{name}/bias"].copy())
            layers.append(conv)
            names.append(name)
            if cfg.get("activation", "linear") == "relu":
                layers.append(nn.ReLU())
                names.append(name)
            continue
        elif cls == "ReLU" or (cls == "Activation" and cfg.get("activation") == "relu"):
            layers.append(nn.ReLU())
        elif cls == "MaxPooling2D":
            layers.append(nn.MaxPool2d(tuple(cfg["pool_size"]), tuple(cfg["strides"])))
        elif cls == "Flatten":
            layers.append(NhwcFlatten())
        elif cls == "Dense":
            k = arrays[f"{name}/kernel"]  # [in, out]
            lin = nn.Linear(k.shape[0], k.shape[1])
            lin.weight.data = torch.from_numpy(np.ascontiguousarray(k.T))
            lin.bias.data = torch.from_numpy(arrays[f"{name}/bias"].copy())
            layers.append(lin)
            names.append(name)
            act = cfg.get("activation", "linear")
            if act == "relu":
                layers.append(nn.ReLU())
                names.append(name)
            elif act not in ("linear", "softmax"):  # softmax: the scores explained are the logits
                raise ValueError(f"{name}: activation {act} is not supported")
            continue
        else:
            raise ValueError(f"{name}: layer {cls} is not supported by the reference")
        names.append(name)
    seq = nn.Sequential(*layers).eval()
    seq.tfjs_names = names  # type: ignore[attr-defined]
    return seq


def layer_named(model: nn.Module, name: str) -> nn.Module:
    """The LAST module carrying TF.js layer name ``name`` (its output is that layer's output)."""
    names = getattr(model, "tfjs_names", None)
    if not names or name not in names:
        raise SystemExit(f"--grad-cam-layer {name}: no such layer ({', '.join(names or [])})")
    return list(model.children())[len(names) - 1 - names[::-1].index(name)]


def corpus_model(name: str):
    """The corpus model ``name`` with the corpus's seeded weights, its input shape [H, W, C], and the max
    |logit difference| against the outputs the corpus recorded (``None`` when the corpus was not generated)."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(here, "..", "corpus"))
    import export_torchvision as ev  # noqa: WPS433 (the corpus's own recipe: same seeds, same weights)

    index = [i for i, row in enumerate(ev.CORPUS) if row[0] == name]
    if not index:
        raise SystemExit(f"{name} is not a torchvision model of the corpus: {', '.join(r[0] for r in ev.CORPUS)}")
    i = index[0]
    _, key, _, size, _, _ = ev.CORPUS[i]
    model = ev.torchvision_models()[key]()
    ev.seeded_init(model, 100 + i)
    ev.calm_logits(model, ev.imagenet_input(2, size, 200 + i))
    model.eval()
    parity = None
    recorded = os.path.join(ev.ROOT, ".corpus", "onnx", name + ".output.bin")
    if os.path.exists(recorded):
        x = torch.from_numpy(np.fromfile(os.path.join(ev.ROOT, ".corpus", "onnx", name + ".input.bin"), dtype="<f4"))
        with torch.no_grad():
            y = model(x.view(2, 3, size, size)).numpy().ravel()
        parity = float(np.abs(y - np.fromfile(recorded, dtype="<f4")).max())
    return model, [size, size, 3], parity


def last_conv(model: nn.Module) -> nn.Module:
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    if not convs:
        raise ValueError("the model has no convolution: Grad-CAM needs one")
    return convs[-1]


# ---------------------------------------------------------------------------------------------------------
# Methods, written as a PyTorch user would (NCHW input [1, C, H, W]; maps [H, W])


def saliency(model: nn.Module, x: torch.Tensor, c: int) -> torch.Tensor:
    x = x.clone().requires_grad_(True)
    model(x)[0, c].backward()
    return x.grad[0].abs().amax(0)


def gradient_x_input(model: nn.Module, x: torch.Tensor, c: int) -> torch.Tensor:
    x = x.clone().requires_grad_(True)
    model(x)[0, c].backward()
    return (x.grad[0] * x[0].detach()).sum(0)


def integrated_gradients(model: nn.Module, x: torch.Tensor, c: int, steps: int) -> torch.Tensor:
    """Trapezoid rule over steps + 1 points from a black baseline, every point in one batch."""
    alphas = torch.linspace(0, 1, steps + 1).view(-1, 1, 1, 1)
    path = (alphas * x).requires_grad_(True)
    model(path)[:, c].sum().backward()
    w = torch.full((steps + 1, 1, 1, 1), 1.0 / steps)
    w[0] = w[-1] = 0.5 / steps
    return ((path.grad * w).sum(0) * x[0]).sum(0)


def smoothgrad(model: nn.Module, x: torch.Tensor, c: int, samples: int, frac: float, seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    sigma = frac * float(x.max() - x.min())
    noisy = (x + sigma * torch.randn((samples,) + tuple(x.shape[1:]), generator=g)).requires_grad_(True)
    model(noisy)[:, c].sum().backward()
    return noisy.grad.abs().amax(1).mean(0)


def grad_cam(model: nn.Module, x: torch.Tensor, c: int, layer: nn.Module | None = None) -> torch.Tensor:
    """Grad-CAM on ``layer``'s output (default: the last convolution), bilinear up to the input size."""
    store: Dict[str, torch.Tensor] = {}

    def hook(_m, _i, out):
        out.retain_grad()
        store["a"] = out

    h = (layer or last_conv(model)).register_forward_hook(hook)
    try:
        model(x)[0, c].backward()
    finally:
        h.remove()
    a = store["a"]
    w = a.grad.mean((2, 3), keepdim=True)
    cam = F.relu((w * a).sum(1))[0]
    return F.interpolate(cam[None, None], size=x.shape[2:], mode="bilinear", align_corners=False)[0, 0].detach()


@torch.no_grad()
def occlusion(model: nn.Module, x: torch.Tensor, c: int, window: int, stride: int, per_pass: int) -> torch.Tensor:
    """Zero-filled square windows; each pixel's value = mean drop in the class PROBABILITY (softmax of the
    logits, as the dashboard's occlusion) over the windows covering it."""
    _, ch, h, w = x.shape
    ys = list(range(0, h - window + 1, stride))
    xs = list(range(0, w - window + 1, stride))
    boxes = [(y, xx) for y in ys for xx in xs]
    base = float(F.softmax(model(x), 1)[0, c])
    total = torch.zeros(h, w)
    count = torch.zeros(h, w)
    for i in range(0, len(boxes), per_pass):
        chunk = boxes[i : i + per_pass]
        batch = x.repeat(len(chunk), 1, 1, 1)
        for j, (y, xx) in enumerate(chunk):
            batch[j, :, y : y + window, xx : xx + window] = 0
        drops = base - F.softmax(model(batch), 1)[:, c]
        for j, (y, xx) in enumerate(chunk):
            total[y : y + window, xx : xx + window] += float(drops[j])
            count[y : y + window, xx : xx + window] += 1
    return torch.where(count > 0, total / count.clamp(min=1), torch.zeros_like(total))


@torch.no_grad()
def rise(model: nn.Module, x: torch.Tensor, c: int, masks: int, grid: int, p: float, per_pass: int) -> torch.Tensor:
    """RISE (Petsiuk et al. 2018): random upsampled binary grids, randomly shifted, batched."""
    _, ch, h, w = x.shape
    g = torch.Generator().manual_seed(0)
    cell_h, cell_w = -(-h // grid), -(-w // grid)
    total = torch.zeros(h, w)
    for i in range(0, masks, per_pass):
        n = min(per_pass, masks - i)
        small = (torch.rand((n, 1, grid + 1, grid + 1), generator=g) < p).float()
        up = F.interpolate(small, size=((grid + 1) * cell_h, (grid + 1) * cell_w), mode="bilinear", align_corners=False)
        dy = torch.randint(0, cell_h, (n,), generator=g)
        dx = torch.randint(0, cell_w, (n,), generator=g)
        m = torch.stack([up[j, 0, dy[j] : dy[j] + h, dx[j] : dx[j] + w] for j in range(n)])
        scores = F.softmax(model(x * m[:, None]), 1)[:, c]
        total += (scores.view(-1, 1, 1) * m).sum(0)
    return total / (masks * p)


# ---------------------------------------------------------------------------------------------------------


def timed(fn: Callable[[], torch.Tensor], reps: int) -> Dict[str, object]:
    out = fn()  # warm-up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return {"ms": statistics.median(times), "allMs": times, "reps": reps, "values": out.flatten().tolist()}


def main(argv: List[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--model", help="directory of a bundled TF.js LayersModel")
    src.add_argument("--corpus", help="a torchvision model of the ONNX corpus, e.g. mobilenet_v3_small_224")
    ap.add_argument("--input", help="float32 NHWC [1,H,W,C] file (the browser's model input)")
    ap.add_argument("--shape", help="H,W,C of --input (default: the model's)")
    ap.add_argument("--target", type=int, default=-1, help="class to explain (default: argmax)")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--methods", default="saliency,gradient-x-input,smoothgrad,integrated-gradients,grad-cam,occlusion,rise")
    ap.add_argument("--ig-steps", type=int, default=64)
    ap.add_argument("--sg-samples", type=int, default=25)
    ap.add_argument("--occlusion", default="8,4", help="window,stride")
    ap.add_argument("--occlusion-per-pass", default="1,64", help="windows per pass, each timed")
    ap.add_argument("--rise-masks", type=int, default=500)
    ap.add_argument("--rise-per-pass", type=int, default=32)
    ap.add_argument("--grad-cam-layer", default="", help="TF.js layer name (--model only; default: last conv)")
    ap.add_argument("--no-values", action="store_true", help="leave the maps out of the JSON")
    a = ap.parse_args(argv)

    torch.set_num_threads(a.threads)
    if a.model:
        model = load_tfjs_layers(a.model)
        shape = [28, 28, 1]
        with open(os.path.join(a.model, "model.json")) as fh:
            mj = json.load(fh)
        batch_shape = mj["modelTopology"]["config"]["layers"][0]["config"].get("batch_input_shape")
        if batch_shape:
            shape = [int(v) for v in batch_shape[1:]]
        name = os.path.basename(os.path.normpath(a.model))
    else:
        model, shape, logit_parity = corpus_model(a.corpus)
        name = a.corpus
    if a.model:
        logit_parity = None
    if a.shape:
        shape = [int(v) for v in a.shape.split(",")]
    h, w, ch = shape
    if a.input:
        data = np.fromfile(a.input, dtype="<f4")
        if data.size != h * w * ch:
            raise SystemExit(f"--input holds {data.size} floats, expected {h}x{w}x{ch}")
        x = torch.from_numpy(data.reshape(1, h, w, ch).transpose(0, 3, 1, 2).copy())
    else:
        x = torch.rand((1, ch, h, w), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        logits = model(x)[0]
    target = a.target if a.target >= 0 else int(logits.argmax())
    win, stride = (int(v) for v in a.occlusion.split(","))
    runs: Dict[str, Callable[[], torch.Tensor]] = {
        "saliency": lambda: saliency(model, x, target),
        "gradient-x-input": lambda: gradient_x_input(model, x, target),
        "smoothgrad": lambda: smoothgrad(model, x, target, a.sg_samples, 0.15),
        "integrated-gradients": lambda: integrated_gradients(model, x, target, a.ig_steps),
        "grad-cam": lambda: grad_cam(model, x, target, layer_named(model, a.grad_cam_layer) if a.grad_cam_layer else None),
        "rise": lambda: rise(model, x, target, a.rise_masks, 7, 0.5, a.rise_per_pass),
    }
    configs = {
        "smoothgrad": {"numSamples": a.sg_samples, "batch": a.sg_samples},
        "integrated-gradients": {"steps": a.ig_steps, "points": a.ig_steps + 1, "batch": a.ig_steps + 1},
        "rise": {"numMasks": a.rise_masks, "batch": a.rise_per_pass},
    }
    results: Dict[str, object] = {}
    for m in a.methods.split(","):
        if m == "occlusion":
            for per in (int(v) for v in a.occlusion_per_pass.split(",")):
                r = timed(lambda per=per: occlusion(model, x, target, win, stride, per), a.reps)
                r["config"] = {"windowSize": win, "stride": stride, "windowsPerPass": per}
                results[f"occlusion@{per}"] = r
            continue
        if m not in runs:
            raise SystemExit(f"unknown method {m}")
        r = timed(runs[m], a.reps)
        r["config"] = configs.get(m, {})
        results[m] = r
    if a.no_values:
        for r in results.values():
            r.pop("values", None)
    out = {
        "model": name,
        "shape": shape,
        "target": target,
        "logits": logits.tolist(),
        "threads": torch.get_num_threads(),
        "logitParity": logit_parity,
        "torch": torch.__version__,
        "methods": results,
    }
    print("REFERENCE " + json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
