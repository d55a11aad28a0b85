"""Export a :class:`~whytrain.models.ConvNet` to a TensorFlow.js LayersModel (model.json + .bin shards).

Layout conversions (PyTorch -> Keras/TF.js):

* BatchNorm (eval statistics) is folded into the preceding conv: ``W' = W * g``, ``b' = beta - mu * g``
  with ``g = gamma / sqrt(var + eps)`` per output channel.
* Conv kernels: PyTorch OIHW -> Keras HWIO (``transpose(2, 3, 1, 0)``).
* Dense kernels: PyTorch [out, in] -> Keras [in, out] (transpose).
* Flatten order: PyTorch flattens NCHW as (c, h, w); Keras/TF.js flattens NHWC as (h, w, c). The rows of the
  first dense kernel after Flatten are permuted so that row (h, w, c) of the Keras kernel is row (c, h, w) of
  the PyTorch one.

The exported model takes NHWC float32 [null, H, W, C] pixels p in [0,1] and returns logits (no softmax).
:func:`reference_forward` is an independent numpy NHWC implementation of the exported graph, used by the
tests to check the conversion without Node.
"""

from __future__ import annotations

import json
import os
from typing import Dict, List, Tuple

import numpy as np
import torch
from torch import nn

from . import __version__
from .models import ConvNet

SHARD_BYTES = 4 * 1024 * 1024


def fold_bn(conv: nn.Conv2d, bn: nn.BatchNorm2d) -> Tuple[np.ndarray, np.ndarray]:
    """Return (kernel OIHW, bias [O]) of the conv with ``bn`` (eval mode) folded in, in float64."""
    w = conv.weight.detach().double().numpy()
    b = conv.bias.detach().double().numpy() if conv.bias is not None else np.zeros(w.shape[0])
    g = bn.weight.detach().double().numpy() / np.sqrt(bn.running_var.detach().double().numpy() + bn.eps)
    w = w * g[:, None, None, None]
    b = (b - bn.running_mean.detach().double().numpy()) * g + bn.bias.detach().double().numpy()
    return w, b


def chw_to_hwc_rows(w_out_in: np.ndarray, c: int, h: int, w: int) -> np.ndarray:
    """Dense weight [out, C*H*W] (PyTorch flatten order) -> Keras kernel [H*W*C, out] (TF.js flatten order)."""
    out = w_out_in.shape[0]
    return w_out_in.reshape(out, c, h, w).transpose(0, 2, 3, 1).reshape(out, h * w * c).T


def _layer(class_name: str, name: str, **config) -> dict:
    return {"class_name": class_name, "config": {"name": name, "trainable": True, "dtype": "float32", **config}}


def _init(kind: str) -> dict:
    return {"class_name": kind, "config": {"seed": None} if kind == "GlorotUniform" else {}}


def build_topology(model: ConvNet, model_name: str) -> Tuple[dict, List[Tuple[str, np.ndarray]]]:
    """Keras 2 style Sequential config plus the ordered (weight name, float32 array) list."""
    spec = model.spec
    h, w, c = spec.in_shape
    layers: List[dict] = [
        {
            "class_name": "InputLayer",
            "config": {"batch_input_shape": [None, h, w, c], "dtype": "float32", "sparse": False, "name": "input"},
        }
    ]
    weights: List[Tuple[str, np.ndarray]] = []
    for i, block in enumerate(model.features, start=1):
        conv, bn = block[0], block[1]
        kernel, bias = fold_bn(conv, bn)
        layers.append(
            _layer(
                "Conv2D",
                f"conv{i}",
                filters=conv.out_channels,
                kernel_size=list(conv.kernel_size),
                strides=list(conv.stride),
                padding="same",
                data_format="channels_last",
                dilation_rate=[1, 1],
                activation="linear",
                use_bias=True,
                kernel_initializer=_init("GlorotUniform"),
                bias_initializer=_init("Zeros"),
                kernel_regularizer=None,
                bias_regularizer=None,
                activity_regularizer=None,
                kernel_constraint=None,
                bias_constraint=None,
            )
        )
        weights.append((f"conv{i}/kernel", kernel.transpose(2, 3, 1, 0)))
        weights.append((f"conv{i}/bias", bias))
        layers.append(_layer("ReLU", f"relu{i}", max_value=None))
        if len(block) > 3:
            layers.append(
                _layer("MaxPooling2D", f"pool{i}", pool_size=[2, 2], padding="valid", strides=[2, 2],
                       data_format="channels_last")
            )
    layers.append(_layer("Flatten", "flatten", data_format="channels_last"))
    fc, first_dense = 0, True
    linears = [m for m in model.head if isinstance(m, nn.Linear)]
    for m in model.head:
        if isinstance(m, nn.Linear):
            fc += 1
            is_last = m is linears[-1]
            name = "logits" if is_last else f"fc{fc}"
            wt = m.weight.detach().double().numpy()
            if first_dense:
                kernel = chw_to_hwc_rows(wt, *model.flat_shape)
                first_dense = False
            else:
                kernel = wt.T
            layers.append(
                _layer("Dense", name, units=m.out_features, activation="linear", use_bias=True,
                       kernel_initializer=_init("GlorotUniform"), bias_initializer=_init("Zeros"),
                       kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                       kernel_constraint=None, bias_constraint=None)
            )
            weights.append((f"{name}/kernel", kernel))
            weights.append((f"{name}/bias", m.bias.detach().double().numpy()))
        elif isinstance(m, nn.ReLU):
            layers.append(_layer("ReLU", f"fc{fc}_relu", max_value=None))
        elif isinstance(m, nn.Dropout):
            layers.append(_layer("Dropout", f"dropout{fc}", rate=float(m.p), noise_shape=None, seed=None))
    topology = {
        "class_name": "Sequential",
        "config": {"name": model_name.replace("-", "_"), "layers": layers},
        "keras_version": "2.15.0",
        "backend": "tensorflow",
    }
    return topology, [(n, np.ascontiguousarray(a, dtype=np.float32)) for n, a in weights]


def export_layers_model(model: ConvNet, out_dir: str, model_name: str) -> Dict:
    """Write ``model.json`` and ``group1-shard{i}of{n}.bin`` into ``out_dir``; returns a summary dict."""
    model.eval()
    os.makedirs(out_dir, exist_ok=True)
    topology, weights = build_topology(model, model_name)
    blob = b"".join(a.tobytes() for _, a in weights)  # little-endian float32 on every platform we run
    n_shards = max(1, -(-len(blob) // SHARD_BYTES))
    paths = [f"group1-shard{i + 1}of{n_shards}.bin" for i in range(n_shards)]
    for old in os.listdir(out_dir):
        if old.startswith("group1-shard") and old.endswith(".bin") and old not in paths:
            os.remove(os.path.join(out_dir, old))
    for i, p in enumerate(paths):
        with open(os.path.join(out_dir, p), "wb") as fh:
            fh.write(blob[i * SHARD_BYTES:(i + 1) * SHARD_BYTES])
    model_json = {
        "format": "layers-model",
        "generatedBy": f"why-dashboard scripts/train (whytrain {__version__}, PyTorch {torch.__version__})",
        "convertedBy": f"whytrain.export_tfjs {__version__} (BN folded, OIHW->HWIO, CHW->HWC flatten order)",
        "modelTopology": topology,
        "weightsManifest": [
            {
                "paths": paths,
                "weights": [{"name": n, "shape": list(a.shape), "dtype": "float32"} for n, a in weights],
            }
        ],
    }
    with open(os.path.join(out_dir, "model.json"), "w") as fh:
        json.dump(model_json, fh, indent=1)
    return {"bytes": len(blob), "shards": paths, "params": sum(a.size for _, a in weights)}


# ---------------------------------------------------------------------------------------------------------
# Independent NHWC reference implementation of the exported graph (numpy, float64)


def load_exported(out_dir: str) -> Tuple[dict, Dict[str, np.ndarray]]:
    with open(os.path.join(out_dir, "model.json")) as fh:
        mj = json.load(fh)
    arrays: Dict[str, np.ndarray] = {}
    for group in mj["weightsManifest"]:
        blob = b""
        for p in group["paths"]:
            with open(os.path.join(out_dir, p), "rb") as fh:
                blob += fh.read()
        off = 0
        for spec in group["weights"]:
            n = int(np.prod(spec["shape"])) if spec["shape"] else 1
            arrays[spec["name"]] = np.frombuffer(blob, dtype="<f4", count=n, offset=off).reshape(spec["shape"])
            off += 4 * n
        if off != len(blob):
            raise ValueError(f"{out_dir}: weights manifest covers {off} bytes but shards hold {len(blob)}")
    return mj, arrays


def _conv_same_nhwc(x: np.ndarray, k: np.ndarray, b: np.ndarray) -> np.ndarray:
    kh, kw, _, o = k.shape
    ph, pw = (kh - 1) // 2, (kw - 1) // 2
    xp = np.pad(x, ((0, 0), (ph, kh - 1 - ph), (pw, kw - 1 - pw), (0, 0)))
    n, h, w, _ = x.shape
    out = np.zeros((n, h, w, o))
    for dy in range(kh):
        for dx in range(kw):
            out += np.einsum("nhwc,co->nhwo", xp[:, dy:dy + h, dx:dx + w, :], k[dy, dx])
    return out + b


def reference_forward(out_dir: str, x_nhwc: np.ndarray) -> np.ndarray:
    """Run the exported model.json in numpy (NHWC, float64). Supports the layer kinds this exporter writes."""
    mj, wts = load_exported(out_dir)
    x = x_nhwc.astype(np.float64)
    for layer in mj["modelTopology"]["config"]["layers"]:
        cls, cfg = layer["class_name"], layer["config"]
        name = cfg["name"]
        if cls == "InputLayer" or cls == "Dropout":
            continue
        if cls == "Conv2D":
            x = _conv_same_nhwc(x, wts[f"{name}/kernel"].astype(np.float64), wts[f"{name}/bias"])
        elif cls == "ReLU":
            x = np.maximum(x, 0)
        elif cls == "MaxPooling2D":
            n, h, w, c = x.shape
            h2, w2 = h // 2, w // 2
            x = x[:, : h2 * 2, : w2 * 2, :].reshape(n, h2, 2, w2, 2, c).max(axis=(2, 4))
        elif cls == "Flatten":
            x = x.reshape(x.shape[0], -1)  # row-major NHWC = (h, w, c) order, like TF.js
        elif cls == "Dense":
            x = x @ wts[f"{name}/kernel"].astype(np.float64) + wts[f"{name}/bias"]
        else:
            raise ValueError(f"reference_forward: unsupported layer {cls}")
    return x


def import_layers_model(model: ConvNet, out_dir: str) -> None:
    """Load an export of this architecture (``model.json`` + shards in ``out_dir``) back into ``model``.

    The inverse of :func:`build_topology`: HWIO -> OIHW, [in, out] -> [out, in], the first dense kernel's
    rows back from TF.js's (h, w, c) to PyTorch's (c, h, w) order. BatchNorm was folded into the conv at
    export, so each BN becomes the identity in eval mode (gamma 1, beta = the folded bias, running mean 0,
    running var 1 - eps): eval-mode outputs equal the export's; train-mode BN (batch statistics) would not,
    so fine-tune such a model with BatchNorm statistics kept (``bn_frozen``).
    """
    _, arrays = load_exported(out_dir)
    with torch.no_grad():
        for i, block in enumerate(model.features, start=1):
            conv, bn = block[0], block[1]
            conv.weight.copy_(torch.from_numpy(arrays[f"conv{i}/kernel"].transpose(3, 2, 0, 1).copy()))
            bn.weight.fill_(1.0)
            bn.bias.copy_(torch.from_numpy(arrays[f"conv{i}/bias"].copy()))
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)
        linears = [m for m in model.head if isinstance(m, nn.Linear)]
        c, h, w = model.flat_shape
        for j, m in enumerate(linears):
            name = "logits" if m is linears[-1] else f"fc{j + 1}"
            k = arrays[f"{name}/kernel"]  # [in, out]
            if j == 0:
                k = k.T.reshape(m.out_features, h, w, c).transpose(0, 3, 1, 2).reshape(m.out_features, c * h * w).T
            m.weight.copy_(torch.from_numpy(np.ascontiguousarray(k.T)))
            m.bias.copy_(torch.from_numpy(arrays[f"{name}/bias"].copy()))
