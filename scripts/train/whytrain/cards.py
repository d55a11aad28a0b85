"""Model cards (card.json + card.md), labels.json, bundled evaluation subsets and models/manifest.json.

The manifest follows the ``Manifest`` type in lib/models/types.ts exactly. Each card.json carries the
model's manifest entry under ``manifestEntry``, so the manifest can be rebuilt from whatever model folders
exist in the output directory (training one model keeps the others listed).
"""

from __future__ import annotations

import json
import os
from typing import Dict, List, Optional

import numpy as np

from .data import DatasetSource, Split, stratified_eval_indices
from .export_tfjs import build_topology
from .models import ConvNet, param_count

#: Pixels enter as p in [0,1]; the bundled models were trained on exactly that (no mean/std).
NORMALIZATION = {"scale": 1, "mean": [0], "std": [1]}
MODEL_ORDER = ["fashion-finetuned", "fashion-pretrained", "fashion-scratch", "mnist-cnn"]
DATASET_ORDER = ["fashion-test-2k", "mnist-test-2k"]


def preprocessing(h: int, w: int) -> Dict:
    return {"height": h, "width": w, "channels": 1, "channelOrder": "rgb", "normalization": NORMALIZATION,
            "resize": "stretch"}


def _dump(path: str, obj) -> None:
    with open(path, "w") as fh:
        json.dump(obj, fh, indent=1)
        fh.write("\n")


# ---------------------------------------------------------------------------------------------------------
# Evaluation subsets


def write_eval_set(out: str, dataset_id: str, src: DatasetSource, test: Split, per_class: int, seed: int) -> Dict:
    """Stratified, seeded subset of the official test split, interleaved by class (image i has class i % K).

    Files: images.u8 (uint8 [N,H,W,1] row-major), labels.u8 (uint8 [N]), indices.json (source indices in
    the official test split), dataset.json (this set's ManifestDataset entry, URLs relative to the manifest).
    """
    k = len(src.labels)
    idx = stratified_eval_indices(test.labels, per_class, seed, k)
    d = os.path.join(out, "datasets", dataset_id)
    os.makedirs(d, exist_ok=True)
    imgs = test.images[idx]
    np.ascontiguousarray(imgs[..., None], dtype=np.uint8).tofile(os.path.join(d, "images.u8"))
    test.labels[idx].astype(np.uint8).tofile(os.path.join(d, "labels.u8"))
    _dump(os.path.join(d, "indices.json"), [int(i) for i in idx])
    h, w = imgs.shape[1:3]
    entry = {
        "id": dataset_id,
        "name": f"{src.name} test subset ({len(idx):,} images, {per_class} per class)",
        "imagesUrl": f"datasets/{dataset_id}/images.u8",
        "labelsUrl": f"datasets/{dataset_id}/labels.u8",
        "count": int(len(idx)),
        "height": int(h),
        "width": int(w),
        "channels": 1,
        "labels": list(src.labels),
        "provenance": f"Seeded stratified sample (seed {seed}) of the official {src.name} TEST split "
                      f"({os.path.basename(src.path('test_images'))}, {src.package}); never used for training. "
                      f"Ordered class by class: image i has class i mod {k}.",
        "sourceIndicesUrl": f"datasets/{dataset_id}/indices.json",
    }
    _dump(os.path.join(d, "dataset.json"), entry)
    return entry


# ---------------------------------------------------------------------------------------------------------
# Cards


def architecture(model: ConvNet) -> Dict:
    topo, weights = build_topology(model, "x")
    rows = []
    wmap = {n: a for n, a in weights}
    h, w, c = model.spec.in_shape
    shape: List[Optional[int]] = [None, h, w, c]
    for layer in topo["config"]["layers"]:
        cls, cfg = layer["class_name"], layer["config"]
        if cls == "Conv2D":
            shape = [None, shape[1], shape[2], cfg["filters"]]
        elif cls == "MaxPooling2D":
            shape = [None, shape[1] // 2, shape[2] // 2, shape[3]]
        elif cls == "Flatten":
            shape = [None, int(np.prod(shape[1:]))]
        elif cls == "Dense":
            shape = [None, cfg["units"]]
        params = sum(a.size for n, a in wmap.items() if n.split("/")[0] == cfg["name"])
        rows.append({"name": cfg["name"], "className": cls, "outputShape": list(shape), "params": int(params)})
    return {"description": model.spec.description, "layers": rows, "params": param_count(model),
            "trainingGraph": "Conv2d(bias=False)+BatchNorm2d+ReLU(+MaxPool) blocks; BatchNorm folded into the "
                             "conv at export"}


def _pct(x: float) -> str:
    return f"{100 * x:.2f} %"


def render_card_md(card: Dict) -> str:
    ev = card["evaluation"]
    lines = [f"# {card['name']} (`{card['id']}`, v{card['version']})", "", card["description"], ""]
    lines += ["## Summary", "", "| | |", "|---|---|",
              f"| Test accuracy (official test split, {ev['count']:,} images) | **{_pct(ev['accuracy'])}** |",
              f"| Macro F1 | {ev['macroF1']:.4f} |",
              f"| Expected calibration error (15 bins) | {ev['ece15']:.4f} |",
              f"| NLL | {ev['nll']:.4f} |",
              f"| Parameters | {card['architecture']['params']:,} |",
              f"| Weights | {card['export']['bytes']:,} bytes float32 in {len(card['export']['shards'])} shard(s) |",
              f"| Training time | {card['training']['seconds']:.0f} s on {card['env']['cpus']} CPU cores "
              f"({card['env']['threads']} torch threads) |",
              f"| Seed | {card['options']['seed']} |"]
    if card.get("targets"):
        for t in card["targets"]:
            lines.append(f"| Target: {t['what']} | {'met' if t['met'] else 'MISSED'} ({t['actual']}) |")
    lines += ["", "## Architecture", "", card["architecture"]["description"], "",
              "| Layer | Class | Output shape | Params |", "|---|---|---|---:|"]
    for r in card["architecture"]["layers"]:
        lines.append(f"| {r['name']} | {r['className']} | {r['outputShape']} | {r['params']:,} |")
    lines += ["", f"Input: NHWC float32 `[null, {card['inputShape'][0]}, {card['inputShape'][1]}, 1]`, pixels "
              "p in [0,1] (grey, white = 1). Output: logits (no softmax).",
              "Exported to a TensorFlow.js LayersModel; " + card["architecture"]["trainingGraph"] + ".", ""]
    d = card["data"]
    lines += ["## Data", "", f"- Dataset: {card['dataset']['name']} — {card['dataset']['package']}"
              + (f" ({card['dataset']['homepage']})" if card['dataset']['homepage'] else ""),
              f"- Files: {', '.join(card['dataset']['files'].values())}",
              "- Split: the OFFICIAL train split for training, the OFFICIAL test split for evaluation."]
    c = d.get("cleanLabels")
    if isinstance(c, dict):
        lines += [f"- Clean-label budget: {c['count']:,} labels from the train split "
                  f"({c['perClassBudget']} per class; rare classes {', '.join(c['rareClasses']) or 'none'} get "
                  f"{c['rareBudget']} each = fraction {c['rareFraction']}); {c['selection']}.",
                  "- Clean labels per class: " + ", ".join(f"{k}: {v}" for k, v in c["perClass"].items())]
    else:
        lines.append(f"- Training examples: {d['train']['count']:,} (all official labels)")
    wl = d.get("weakLabels")
    if wl:
        lines += ["", "### Weak labels (simulated)", "",
                  f"- Pool: {wl['pool']}.",
                  f"- Kind: `{wl['kind']}`, rate {wl['rate']}, extra uniform {wl['uniform']}; observed flip rate "
                  f"{wl['observedFlipRate']:.3f}.",
                  "- Confusion groups: " + "; ".join(" / ".join(g) for g in wl["groups"]) if wl["groups"] else
                  "- Confusion groups: none",
                  f"- {wl['note']}", "", "Transition matrix T[true → weak] (rows: true class):", "",
                  "| true \\ weak | " + " | ".join(card["labels"]) + " |",
                  "|---|" + "---:|" * len(card["labels"])]
        for name, row in zip(card["labels"], wl["transitionMatrix"]):
            lines.append(f"| {name} | " + " | ".join(f"{x:.3f}" if x else "" for x in row) + " |")
    rh = d.get("rareHandling")
    if rh:
        lines += ["", "### Rare-class handling", "",
                  f"- Class weights: `{rh['classWeightsSpec']}` → {rh['classWeights']}",
                  f"- Oversampling: `{rh['oversample']}` (factor {rh['oversampleFactor']})",
                  f"- Hard-example mining: every {rh['hardMining']['every']} epochs (0 = off), top "
                  f"{rh['hardMining']['fraction']} by loss drawn ×{rh['hardMining']['boost']}"]
    lines += ["", "## Training", ""]
    for phase, info in card["training"]["phases"].items():
        lines.append(f"- {phase}: {info['epochs']} epochs, {info['seconds']} s, final train loss "
                     f"{info['final_train_loss']:.4f}, train accuracy {info['final_train_acc']:.4f}")
    for k in ("loss", "gceQ", "bootstrapBeta", "pretrainCached", "pretrainLoss", "pretrainedTestAccuracy",
              "headReinit", "headReinitRule", "headLrMult", "finetuneLr", "freezeBlocks"):
        if card["training"].get(k) is not None:
            lines.append(f"- {k}: {card['training'][k]}")
    lines += ["", "All options:", "", "```json", json.dumps(card["options"], indent=1), "```", "",
              f"Determinism: {card['determinism']}", "",
              f"Environment: Python {card['env']['python']}, PyTorch {card['env']['torch']}, numpy "
              f"{card['env']['numpy']}, {card['env']['machine']}.", ""]
    lines += ["## Evaluation on the official test split", "",
              "| Class | Precision | Recall | F1 | Support |", "|---|---:|---:|---:|---:|"]
    for p in ev["perClass"]:
        lines.append(f"| {p['label']} | {p['precision']:.4f} | {p['recall']:.4f} | {p['f1']:.4f} | {p['support']} |")
    lines += ["", "Confusion matrix (rows: true, columns: predicted):", "",
              "| | " + " | ".join(card["labels"]) + " |", "|---|" + "---:|" * len(card["labels"])]
    for name, row in zip(card["labels"], ev["confusionMatrix"]):
        lines.append(f"| {name} | " + " | ".join(str(x) for x in row) + " |")
    par = card.get("parity")
    lines += ["", "## Export parity (TF.js vs PyTorch)", ""]
    if par and "pass" in par:
        lines.append(f"{par['images']:,} test images through the exported model on the tfjs {par['backend']} "
                     f"backend: {par['argmaxMismatches']} argmax mismatches, max |logit diff| "
                     f"{par['maxAbsLogitDiff']:.3g} (tolerance {par['tolerance']}) → "
                     f"{'PASS' if par['pass'] else 'FAIL'}.")
    else:
        lines.append("Not run.")
    if card.get("ablation"):
        from .report import ablation_markdown  # local: report imports this module

        lines += ["", "## Ablation and transfer (from models/ablations.json)", ""]
        lines += [ln.replace("### ", "#### ") if ln.startswith("### ") else ln for ln in ablation_markdown(card["ablation"])]
    return "\n".join(lines) + "\n"


def write_card(*, out: str, model_id: str, name: str, version: str, model: ConvNet, src: DatasetSource,
               dataset_id: str, export: Dict, evaluation: Dict, parity: Optional[Dict], description: str,
               provenance: str, data: Dict, training: Dict, options: Dict, env: Dict, determinism: str,
               targets: Optional[List[Dict]] = None) -> Dict:
    d = os.path.join(out, model_id)
    os.makedirs(d, exist_ok=True)
    h, w, _ = model.spec.in_shape
    _dump(os.path.join(d, "labels.json"), list(src.labels))
    entry = {
        "id": model_id, "name": name, "version": version, "task": "image-classification", "format": "layers",
        "modelUrl": f"{model_id}/model.json", "inputShape": [h, w, 1], "preprocessing": preprocessing(h, w),
        "labels": list(src.labels), "outputKind": "logits", "provenance": provenance,
        "cardUrl": f"{model_id}/card.md", "cardJsonUrl": f"{model_id}/card.json", "datasetId": dataset_id,
        "description": description,
    }
    per_class = (data.get("train") or {}).get("perClass")
    if per_class:  # the training mix (class counts in label order): Evaluate's "training mix" priors preset
        entry["trainingMix"] = [int(per_class[label]) for label in src.labels]
    card = {
        "id": model_id, "name": name, "version": version, "description": description, "labels": list(src.labels),
        "inputShape": [h, w, 1], "outputKind": "logits", "preprocessing": preprocessing(h, w),
        "architecture": architecture(model),
        "dataset": {"id": src.id, "name": src.name, "package": src.package, "homepage": src.homepage,
                    "files": {k: os.path.basename(src.path(k)) for k in
                              ("train_images", "train_labels", "test_images", "test_labels")},
                    "split": "official train / official test"},
        "data": data, "training": training, "options": options, "env": env, "determinism": determinism,
        "evaluation": {"split": "official test", **evaluation}, "parity": parity, "export": export,
        "targets": targets or [], "manifestEntry": entry,
    }
    _dump(os.path.join(d, "card.json"), card)
    with open(os.path.join(d, "card.md"), "w") as fh:
        fh.write(render_card_md(card))
    return card


# ---------------------------------------------------------------------------------------------------------
# Manifest


def _order(ids: List[str], preferred: List[str]) -> List[str]:
    return [i for i in preferred if i in ids] + sorted(i for i in ids if i not in preferred)


def build_manifest(out: str) -> Dict:
    """Rebuild <out>/manifest.json from <out>/*/card.json and <out>/datasets/*/dataset.json."""
    models: Dict[str, Dict] = {}
    for name in os.listdir(out):
        p = os.path.join(out, name, "card.json")
        if os.path.isfile(p) and os.path.isfile(os.path.join(out, name, "model.json")):
            with open(p) as fh:
                models[name] = json.load(fh)["manifestEntry"]
            if os.path.isfile(os.path.join(out, name, "checkpoints.json")):  # whytrain.checkpoints' timeline
                models[name]["checkpointsUrl"] = f"{name}/checkpoints.json"
    datasets: Dict[str, Dict] = {}
    dd = os.path.join(out, "datasets")
    if os.path.isdir(dd):
        for name in os.listdir(dd):
            p = os.path.join(dd, name, "dataset.json")
            if os.path.isfile(p):
                with open(p) as fh:
                    datasets[name] = json.load(fh)
    ids = _order(list(models), MODEL_ORDER)
    explain = "fashion-finetuned" if "fashion-finetuned" in models else (ids[0] if ids else "")
    a = "fashion-scratch" if "fashion-scratch" in models else (ids[0] if ids else "")
    b = "fashion-finetuned" if "fashion-finetuned" in models else (ids[-1] if ids else "")
    manifest = {
        "version": 1,
        "models": [models[i] for i in ids],
        "datasets": [datasets[i] for i in _order(list(datasets), DATASET_ORDER)],
        "defaults": {"explain": explain, "compare": [a, b]},
    }
    _dump(os.path.join(out, "manifest.json"), manifest)
    return manifest
