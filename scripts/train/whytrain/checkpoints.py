"""Checkpoint timeline: replay the bundled fashion-finetuned recipe and export a few checkpoints.

``python3 -m whytrain.checkpoints`` (PYTHONPATH=scripts/train) reads the recipe from
``models/fashion-finetuned/card.json`` (its options and the chosen fine-tuning variant), starts from the
bundled ``models/fashion-pretrained`` export (as ``--pretrained-from`` does: BatchNorm comes back folded) and
fine-tunes again with the pipeline's own functions (``fit``, ``fit_cfg``, ``rare_handling``, the clean
subset and validation split). It writes

* ``models/fashion-finetuned/checkpoints/<label>/model.json`` + shard for ``epoch-N``, the requested epochs
  and the last one; with an interpolating recipe (``--finetune-interpolate``, WiSE-FT, α < 1) the last epoch is
  the fine-tuned weights *before* interpolation and one more checkpoint, ``final``, holds
  ``(1 - a) * pretrained + a * fine-tuned`` with the card's recorded ``a`` (the bundled model's weights).
  The ``start`` checkpoint (the pretrained weights as loaded, before any change) points at the
  fashion-pretrained export itself when its weights are byte-identical;
* ``models/fashion-finetuned/checkpoints.json``: per checkpoint the epoch, optimiser step, training loss, and
  the accuracy on the clean validation split, the official test set (10,000) and the bundled evaluation set
  (the one the browser evaluates);
* ``checkpointsUrl`` on the fashion-finetuned entry of ``models/manifest.json``.

When the bundled run itself started from the bundled export (``--pretrained-from``) with BatchNorm frozen,
the replay is the same computation: its last checkpoint matches the bundled weights (checkpoints.json
records ``finalMatchesBundled``: the largest weight difference). Otherwise (the run started from unfolded
BatchNorm, or used another thread count) it is not bit-identical; checkpoints.json records both final test
accuracies.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import torch

from .cli import build_parser, fashion_like_source, fit_cfg, rare_handling, weak_label_noise
from .data import (REPO_ROOT, Split, apply_noise, class_indices, clean_budget, load_split, select_clean_subset,
                   validation_split)
from .export_tfjs import export_layers_model, import_layers_model
from .models import ConvNet, build, load_pretrained
from .train import fit, interpolate_state, logit_adjustment, predict_logits, seed_everything

DEFAULT_EPOCHS = (1, 2, 4, 8)


def log(msg: str) -> None:
    sys.stderr.write(f"[checkpoints] {msg}\n")
    sys.stderr.flush()


def recipe_from_card(card: Dict) -> Dict:
    """The fine-tuning variant the bundled model was trained with, plus the epochs it actually ran."""
    tr = card["training"]
    settings = dict(tr["finetuneVariant"]["settings"])
    settings["id"] = tr["finetuneVariant"]["id"]
    settings["ran_epochs"] = int(tr["phases"]["finetune"]["epochs"])
    if settings.get("interpolate"):  # the factor the bundled run used (chosen on validation by its ablation row)
        alpha = tr["phases"]["finetune"].get("interpolation_alpha")
        settings["alpha"] = None if alpha is None else float(alpha)
    return settings


def args_from_card(card: Dict, extra: Sequence[str] = ()) -> argparse.Namespace:
    """The pipeline's argparse namespace with the card's recorded options (unknown keys ignored)."""
    args = build_parser().parse_args(list(extra))
    for key, value in (card.get("options") or {}).items():
        if hasattr(args, key) and key not in ("out", "parity_dir", "models"):
            setattr(args, key, value)
    return args


def accuracy(logits: np.ndarray, labels: np.ndarray) -> Dict:
    pred = logits.argmax(1)
    rec = [float((pred[labels == c] == c).mean()) for c in np.unique(labels)]
    return {"accuracy": round(float((pred == labels).mean()), 6) if len(labels) else 0.0,
            "balancedAccuracy": round(float(np.mean(rec)), 6) if rec else 0.0, "count": int(len(labels))}


FINAL = "final"  # the label of the interpolated checkpoint


def label_for(epoch: int, interpolated: bool = False) -> str:
    return FINAL if interpolated else "start" if epoch == 0 else f"epoch-{epoch}"


def name_for(epoch: int, interpolated: bool = False, alpha: Optional[float] = None, before: bool = False) -> str:
    """The checkpoint's display name (checkpoints.json ``name``)."""
    if interpolated:
        return f"final: \u03b1 = {alpha:g} toward pretrained"
    if epoch == 0:
        return "start"
    return f"epoch {epoch} (before interpolation)" if before else f"epoch {epoch}"


def weak_pool(args: argparse.Namespace, fsrc, train: Split, clean_idx: np.ndarray, k: int) -> Split:
    """The pretraining pool with its simulated weak labels, exactly as cli.fashion draws them (the images of
    the train split outside the clean subset; ``apply_noise`` with the seeded transition matrix)."""
    rest_idx = np.setdiff1d(np.arange(len(train.labels)), clean_idx)
    if args.quick:
        rest_idx = rest_idx[:2000]
    _, T = weak_label_noise(args, fsrc, k)
    return Split(train.images[rest_idx], apply_noise(train.labels[rest_idx], T, args.seed))


def with_replay(data: Split, pool: Split, replay_ratio: float, seed: int) -> Split:
    """cli's ``--finetune-replay``: R x (clean labels) weak-labelled pool images (seeded, numpy default_rng
    ([seed, 909]), sorted) appended to the clean set."""
    n_rep = min(len(pool.labels), int(round(float(replay_ratio) * len(data.labels))))
    pick = np.sort(np.random.default_rng([seed, 909]).choice(len(pool.labels), size=n_rep, replace=False))
    return Split(np.concatenate([data.images, pool.images[pick]]),
                 np.concatenate([data.labels, pool.labels[pick]]).astype(data.labels.dtype))


def moves_back(recipe: Dict) -> bool:
    """Whether the recipe's interpolation changes the fine-tuned weights: a recorded α below 1 (α = 1, chosen
    on validation, keeps them as they are — then the last epoch is the final model, no extra checkpoint)."""
    alpha = recipe.get("alpha")
    return bool(recipe.get("interpolate")) and alpha is not None and float(alpha) != 1.0


def replay(pretrained_dir: str, args: argparse.Namespace, recipe: Dict, data: Split, k: int,
           rare: List[int], epochs: Sequence[int], on_checkpoint: Callable[[int, ConvNet, bool], None],
           pool: Optional[Split] = None):
    """Fine-tune from the export in ``pretrained_dir`` exactly as the pipeline's ``finetune`` does.

    ``on_checkpoint(epoch, model, interpolated)`` is called with the model in eval mode for epoch 0 (the
    pretrained weights as loaded, before the classifier is re-initialised), every epoch in ``epochs`` and the
    last one (``interpolated`` False); then, when the recipe interpolates (``recipe["interpolate"]`` with a
    recorded ``recipe["alpha"]``, classifier not re-initialised, as cli's ``finetune``), once more with the
    interpolated weights (epoch = the last, ``interpolated`` True). It must not touch the torch RNG
    (exporting and evaluating do not), so the training trajectory is the one without checkpoints. Returns
    (final model, FitLog, whether it was interpolated).
    """
    in_shape = (*data.images.shape[1:], 1)
    source = build("fashion-cnn", k, in_shape)
    import_layers_model(source, pretrained_dir)
    state = source.state_dict()
    source.eval()
    on_checkpoint(0, source, False)

    seed_everything(args.seed + 1)  # as cli.fashion's finetune(): seed, build, load, maybe re-initialise
    model = build("fashion-cnn", k, in_shape)
    head_loaded = load_pretrained(model, state)
    reinit = (not head_loaded) or recipe["head"] == "always"
    if reinit:
        model.reinit_head()
    if recipe.get("replay"):  # as cli's finetune: the weak-labelled pool images mixed into the clean set
        if pool is None:
            raise ValueError("the recipe replays weak-labelled pool images (--finetune-replay): pass the pool")
        data = with_replay(data, pool, float(recipe["replay"]), args.seed)
    cw, sw = rare_handling(args, data.labels, rare, k, class_weights=recipe["class_weights"],
                           oversample=recipe["oversample"])
    cfg = fit_cfg(args, recipe["epochs"], "fine-tune (checkpoint replay)", lr=recipe["lr"],
                  head_mult=recipe["head_mult"], freeze=recipe["freeze"], class_weights=cw, sample_weights=sw,
                  augment=recipe["augment"], hard_every=recipe["hard_every"])
    cfg.bn_frozen = bool(recipe.get("bn_frozen", False))
    if recipe.get("logit_adjust"):
        cfg.logit_adjust = logit_adjustment(data.labels, k, float(recipe["logit_adjust"]))
    if recipe.get("early_stop"):
        cfg.stop_after = recipe["ran_epochs"]
    last = recipe["ran_epochs"]
    wanted = {e for e in epochs if 0 < e < last} | {last}
    seen = {"epoch": -1}

    def hook(m: ConvNet) -> float:
        # fit calls this before the first epoch and after each one (model in eval mode). A strictly rising
        # score makes fit keep (restore) the last epoch, as training without this hook would.
        seen["epoch"] += 1
        if seen["epoch"] in wanted:
            on_checkpoint(seen["epoch"], model, False)
        return float(seen["epoch"])

    cfg.val_score = hook
    if not cfg.bn_frozen and recipe["freeze"] < len(model.features):
        log("warning: the recipe updates BatchNorm statistics of unfrozen conv blocks, but the export's "
            "BatchNorm is folded (identity statistics): the replay differs from the bundled run")
    fl = fit(model, data.images, data.labels, cfg)
    model.eval()
    interpolated = moves_back(recipe) and not reinit
    if interpolated:  # as cli's finetune: (1 - a) * pretrained + a * fine-tuned, the recorded a
        ft_state = {kk: v.clone() for kk, v in model.state_dict().items()}
        model.load_state_dict(interpolate_state(state, ft_state, float(recipe["alpha"])))
        model.eval()
        on_checkpoint(last, model, True)
    return model, fl, interpolated


def read_eval_set(models_dir: str, dataset_id: str) -> Optional[Split]:
    d = os.path.join(models_dir, "datasets", dataset_id)
    if not os.path.isfile(os.path.join(d, "dataset.json")):
        return None
    with open(os.path.join(d, "dataset.json")) as fh:
        meta = json.load(fh)
    imgs = np.fromfile(os.path.join(d, "images.u8"), np.uint8).reshape(meta["count"], meta["height"], meta["width"])
    labels = np.fromfile(os.path.join(d, "labels.u8"), np.uint8).astype(np.int64)
    return Split(imgs, labels)


def shard_bytes(model_dir: str) -> bytes:
    """The weight bytes of an export (its shards, in weightsManifest order)."""
    with open(os.path.join(model_dir, "model.json")) as fh:
        mj = json.load(fh)
    blob = b""
    for group in mj["weightsManifest"]:
        for p in group["paths"]:
            with open(os.path.join(model_dir, p), "rb") as fh:
                blob += fh.read()
    return blob


def sha256_of(model_dir: str) -> str:
    return hashlib.sha256(shard_bytes(model_dir)).hexdigest()


def dedupe_start(rows: List[Dict], mdir: str, pre_dir: str) -> None:
    """The start checkpoint is the pretrained export itself when their weights are byte-identical: point at
    that export instead of keeping a second copy (saves one model's size)."""
    for row in rows:
        d = os.path.join(mdir, os.path.dirname(row["modelUrl"]))
        if row["epoch"] == 0 and shard_bytes(d) == shard_bytes(pre_dir):
            shutil.rmtree(d)
            row["modelUrl"] = os.path.relpath(os.path.join(pre_dir, "model.json"), mdir).replace(os.sep, "/")
            row["sameAs"] = os.path.basename(os.path.normpath(pre_dir))
            row["bytes"] = 0


def patch_manifest(models_dir: str, model_id: str, url: Optional[str]) -> bool:
    """Set (or with ``url=None`` remove) ``checkpointsUrl`` on one manifest entry; True when it changed."""
    path = os.path.join(models_dir, "manifest.json")
    with open(path) as fh:
        manifest = json.load(fh)
    changed = False
    for entry in manifest["models"]:
        if entry["id"] == model_id and entry.get("checkpointsUrl") != url:
            if url is None:
                entry.pop("checkpointsUrl", None)
            else:
                entry["checkpointsUrl"] = url
            changed = True
    if changed:
        with open(path, "w") as fh:
            json.dump(manifest, fh, indent=1)
            fh.write("\n")
    return changed


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m whytrain.checkpoints", description=__doc__.split("\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--models-dir", default=os.path.join(REPO_ROOT, "models"), help="the bundled models folder")
    p.add_argument("--model", default="fashion-finetuned", help="the fine-tuned model whose card holds the recipe")
    p.add_argument("--pretrained", default=None, help="the pretrained export (default <models-dir>/fashion-pretrained)")
    p.add_argument("--epochs", default=",".join(map(str, DEFAULT_EPOCHS)),
                   help="comma list of epochs to save besides start (0) and the last epoch")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    p.add_argument("--quick", action="store_true", help="tests: 20 clean labels per class, 500 test images")
    p.add_argument("--no-manifest", action="store_true", help="do not write checkpointsUrl into manifest.json")
    argv = list(sys.argv[1:] if argv is None else argv)
    opts = p.parse_args(argv)
    torch.set_num_threads(max(1, opts.threads))
    t0 = time.time()
    mdir = os.path.join(opts.models_dir, opts.model)
    pre_dir = opts.pretrained or os.path.join(opts.models_dir, "fashion-pretrained")
    with open(os.path.join(mdir, "card.json")) as fh:
        card = json.load(fh)
    args = args_from_card(card)
    recipe = recipe_from_card(card)
    if opts.quick:
        args.clean_per_class, args.rare_fraction = 20, 0.25
        recipe["epochs"] = recipe["ran_epochs"] = min(recipe["ran_epochs"], 2)
    epochs = sorted({int(e) for e in opts.epochs.split(",") if e.strip()})

    fsrc = fashion_like_source(args)
    train, test = load_split(fsrc, "train"), load_split(fsrc, "test")
    if opts.quick:
        test = Split(test.images[:500], test.labels[:500])
    k = len(fsrc.labels)
    rare = class_indices(fsrc.labels, args.rare_classes.split(",")) if args.rare_classes else []
    budget = clean_budget(k, args.clean_per_class, rare, args.rare_fraction)
    clean_idx = select_clean_subset(train.labels, budget, args.seed)
    clean = Split(train.images[clean_idx], train.labels[clean_idx])
    fit_i, val_i = validation_split(clean.labels, args.val_fraction, args.seed)
    val = Split(clean.images[val_i], clean.labels[val_i])
    final = clean if args.final_fit == "all" else Split(clean.images[fit_i], clean.labels[fit_i])
    dataset_id = card["manifestEntry"].get("datasetId")
    eval_set = read_eval_set(opts.models_dir, dataset_id) if dataset_id else None
    log(f"recipe {recipe['id']}: {recipe['ran_epochs']} epochs on {len(final.labels):,} clean labels, from {pre_dir}")

    out_root = os.path.join(mdir, "checkpoints")
    shutil.rmtree(out_root, ignore_errors=True)
    pool = weak_pool(args, fsrc, train, clean_idx, k) if recipe.get("replay") else None
    # The images of one fine-tuning epoch: the clean labels, plus the replayed pool images with a replay recipe.
    fine_n = len(with_replay(final, pool, float(recipe["replay"]), args.seed).labels) if pool is not None else len(final.labels)
    steps_per_epoch = -(-fine_n // args.batch_size)
    rows: List[Dict] = []

    interpolating = moves_back(recipe)

    def save(epoch: int, m: ConvNet, interpolated: bool) -> None:
        label = label_for(epoch, interpolated)
        exp = export_layers_model(m, os.path.join(out_root, label), f"{opts.model}-{label}")
        name = name_for(epoch, interpolated, recipe.get("alpha"), before=interpolating and epoch > 0)
        row = {"label": label, "name": name, "epoch": epoch, "step": epoch * steps_per_epoch,
               "interpolated": interpolated,
               "modelUrl": f"checkpoints/{label}/model.json", "bytes": exp["bytes"],
               "validation": accuracy(predict_logits(m, val.images), val.labels),
               "test": accuracy(predict_logits(m, test.images), test.labels)}
        if eval_set is not None:
            row["evalSet"] = accuracy(predict_logits(m, eval_set.images), eval_set.labels)
        rows.append(row)
        log(f"{name}: test {row['test']['accuracy']:.4f}, validation {row['validation']['accuracy']:.4f}")

    _, fl, interpolated = replay(pre_dir, args, recipe, final, k, rare, epochs, save, pool)
    for row in rows:  # the running training loss of the epoch that ended at the checkpoint (none after the
        # interpolation: those weights were never trained on)
        row["trainLoss"] = (round(fl.epochs[row["epoch"] - 1]["loss"], 6)
                            if row["epoch"] > 0 and not row["interpolated"] else None)
    dedupe_start(rows, mdir, pre_dir)
    # How far the replay's final weights are from the bundled model's (0 up to float rounding when the
    # replay is the bundled run's computation).
    a_w = np.frombuffer(shard_bytes(os.path.join(mdir, os.path.dirname(rows[-1]["modelUrl"]))), np.float32)
    b_w = np.frombuffer(shard_bytes(mdir), np.float32)
    diff = float(np.abs(a_w - b_w).max()) if a_w.shape == b_w.shape else None
    log(f"final checkpoint vs bundled weights: max |diff| = {diff}")
    doc = {
        "version": 1,
        "modelId": opts.model,
        "startsFrom": os.path.basename(os.path.normpath(pre_dir)),
        # The exports this timeline was made from: a rebundle changes them (tests/test_checkpoints.py checks).
        "sources": {"pretrained": sha256_of(pre_dir), "bundled": sha256_of(mdir)},
        "recipe": {kk: recipe[kk] for kk in recipe if kk != "ran_epochs"},
        "epochs": recipe["ran_epochs"],
        "interpolation": {"alpha": recipe["alpha"], "toward": os.path.basename(os.path.normpath(pre_dir)),
                          "weights": "(1 - alpha) * pretrained + alpha * fine-tuned (WiSE-FT), after the last epoch"}
        if interpolated else None,
        "finalMatchesBundled": {"maxAbsWeightDiff": diff, "checkpoint": rows[-1]["label"]},
        "stepsPerEpoch": steps_per_epoch,
        "trainLabels": int(len(final.labels)),
        "validation": {"count": int(len(val.labels)), "inTraining": args.final_fit == "all",
                       "note": "the clean validation split; the bundled recipe retrains on all clean labels "
                               "(validation included), so these scores are on training images"
                       if args.final_fit == "all" else "the clean validation split (not trained on)"},
        "test": {"count": int(len(test.labels)), "split": "official test"},
        "evalSet": None if eval_set is None else {"id": dataset_id, "count": int(len(eval_set.labels))},
        "bundledTestAccuracy": card["evaluation"]["accuracy"],
        "quick": opts.quick,
        "seconds": round(time.time() - t0, 1),
        "command": "PYTHONPATH=scripts/train /usr/bin/python3 -m whytrain.checkpoints"
                   + (" " + " ".join(argv) if argv else ""),
        "note": ("start = the pretrained weights before fine-tuning"
                 + (" (its classifier may then be re-initialised, so epoch 1 can score below start)"
                    if recipe["head"] == "always" else "")
                 + (f"; epochs 1-{recipe['ran_epochs']} are the fine-tuned weights before interpolation, 'final' is "
                    f"the bundled model: the weights moved back toward the pretrained ones, "
                    f"(1 - {recipe['alpha']:g}) x pretrained + {recipe['alpha']:g} x fine-tuned"
                    if interpolated else f"; epoch {recipe['ran_epochs']} is the bundled model"
                    + (" (its interpolation factor, chosen on validation, is 1: the fine-tuned weights as they are)"
                       if recipe.get("interpolate") else ""))
                 + ("; the replay matches the bundled weights (finalMatchesBundled)" if diff is not None and diff < 1e-5
                    else "; the replay of the recipe is not bit-identical to the bundled model "
                         "(bundledTestAccuracy vs the last checkpoint's test accuracy)")),
        "checkpoints": rows,
    }
    with open(os.path.join(mdir, "checkpoints.json"), "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    if not opts.no_manifest:
        patch_manifest(opts.models_dir, opts.model, f"{opts.model}/checkpoints.json")
    log(f"{len(rows)} checkpoints, {sum(r['bytes'] for r in rows) / 1e6:.2f} MB written, {doc['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
