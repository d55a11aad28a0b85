"""Training loops (PyTorch, CPU), evaluation, and seeding.

Determinism: :func:`seed_everything` seeds ``random``, numpy and torch and turns on
``torch.use_deterministic_algorithms``; data order and augmentation come from seeded numpy generators.
A run is reproducible on the same machine/PyTorch build; bit-exactness across CPUs, thread counts or
PyTorch versions is NOT guaranteed (float reduction order in oneDNN/OpenMP kernels differs).
"""

from __future__ import annotations

import copy
import math
import random
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

import numpy as np
import torch
import torch.nn.functional as F

from .data import EpochSampler, augment_batch, hardest, pixels_to_tensor_input
from .models import ConvNet
from .progress import Progress


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


LOSSES = ("ce", "gce", "bootstrap")


def loss_fn(logits: torch.Tensor, y: torch.Tensor, weight: Optional[torch.Tensor] = None, kind: str = "ce",
            gce_q: float = 0.7, bootstrap_beta: float = 0.8) -> torch.Tensor:
    """Mean training loss over a batch. ``logits`` float [N,K], ``y`` int64 [N] in [0,K), ``weight`` [K] or None.

    * ``ce``: cross entropy ``-log p_y`` (class-weighted mean = sum_i w_{y_i} l_i / sum_i w_{y_i}, as PyTorch).
    * ``gce``: generalised cross entropy (Zhang & Sabuncu 2018), ``(1 - p_y^q) / q`` with q in (0, 1]:
      q -> 0 is cross entropy, q = 1 is the (bounded, noise-robust) MAE; gradients of confidently
      "wrong" (likely mislabelled) examples are down-weighted by ``p_y^q``.
    * ``bootstrap``: soft bootstrapping (Reed et al. 2015), cross entropy against the target
      ``beta * onehot(y) + (1 - beta) * p`` with ``p`` the model's own (detached) softmax, beta in [0, 1].
    Class weights apply to every kind as the same weighted mean.
    """
    if kind == "ce":
        return F.cross_entropy(logits, y, weight=weight)
    logp = F.log_softmax(logits, dim=1)
    if kind == "gce":
        if not 0 < gce_q <= 1:
            raise ValueError(f"gce q must be in (0, 1], got {gce_q}")
        p_y = logp.gather(1, y[:, None])[:, 0].exp()
        per = (1 - p_y.clamp_min(1e-12) ** gce_q) / gce_q
    elif kind == "bootstrap":
        if not 0 <= bootstrap_beta <= 1:
            raise ValueError(f"bootstrap beta must be in [0, 1], got {bootstrap_beta}")
        target = bootstrap_beta * F.one_hot(y, logits.shape[1]).to(logp.dtype) + \
            (1 - bootstrap_beta) * logp.detach().exp()
        per = -(target * logp).sum(1)
    else:
        raise ValueError(f"unknown loss {kind!r}; choose from {', '.join(LOSSES)}")
    if weight is None:
        return per.mean()
    w = weight[y]
    return (w * per).sum() / w.sum()


@dataclass
class FitConfig:
    epochs: int
    lr: float = 1e-3
    head_lr_mult: float = 1.0
    weight_decay: float = 1e-4
    batch_size: int = 128
    freeze_blocks: int = 0
    class_weights: Optional[np.ndarray] = None
    sample_weights: Optional[np.ndarray] = None  # oversampling (per-example weights)
    hard_every: int = 0  # 0 = off
    hard_fraction: float = 0.1
    hard_boost: float = 3.0
    max_shift: int = 0
    hflip: bool = False
    label: str = "train"
    seed: int = 0
    loss: str = "ce"  # see loss_fn
    gce_q: float = 0.7
    bootstrap_beta: float = 0.8
    # Fine-tuning: keep every BatchNorm layer in eval mode (running statistics of the large pool kept).
    bn_frozen: bool = False
    # Early stopping: called after every epoch (and once before the first, epoch 0) with the model in eval
    # mode; returns a score (higher is better). The best epoch's weights are restored at the end.
    val_score: Optional[Callable[["ConvNet"], float]] = None
    # Logit adjustment (Menon et al. 2021): the training loss sees ``logits + logit_adjust`` (tau * log of
    # the training class priors, see :func:`logit_adjustment`); predictions use the raw logits, which then
    # estimate the class-balanced posterior. An alternative to class weights for a skewed clean set.
    logit_adjust: Optional[np.ndarray] = None
    # Stop after this many epochs of the schedule (the cosine decay still spans ``epochs``): retrains the
    # epoch count early stopping chose, on more data, with the same learning-rate curve.
    stop_after: Optional[int] = None


@dataclass
class FitLog:
    seconds: float = 0.0
    epochs: List[Dict[str, float]] = field(default_factory=list)
    hard_mining_rounds: List[Dict[str, float]] = field(default_factory=list)
    # Early stopping: the validation score per epoch (index 0 = before training) and the epoch kept.
    val_scores: List[float] = field(default_factory=list)
    best_epoch: Optional[int] = None
    # Weight interpolation with the pretrained weights (see :func:`interpolate_state`): the alpha kept and
    # the validation score of every alpha tried (filled by the caller).
    interpolation_alpha: Optional[float] = None
    interpolation_scores: Dict[str, float] = field(default_factory=dict)


def logit_adjustment(labels: np.ndarray, num_classes: int, tau: float = 1.0) -> np.ndarray:
    """``tau * log(prior_c)`` of the training labels, centred to mean 0 (float32 [K]).

    Added to the logits inside the training loss only (:attr:`FitConfig.logit_adjust`): a frequent class
    must then win by a margin, so the raw logits learn the class-balanced decision rule without the
    high-variance gradients of large class weights on a handful of rare examples. Classes absent from
    ``labels`` get the prior of one example (no -inf)."""
    counts = np.bincount(labels, minlength=num_classes).astype(np.float64)
    prior = np.maximum(counts, 1.0) / max(float(counts.sum()), 1.0)
    adj = tau * np.log(prior)
    return (adj - adj.mean()).astype(np.float32)


def interpolate_state(pre: Dict[str, torch.Tensor], ft: Dict[str, torch.Tensor], alpha: float) -> Dict[str, torch.Tensor]:
    """Weight-space interpolation ``(1 - alpha) * pre + alpha * ft`` (WiSE-FT, Wortsman et al. 2022).

    alpha = 0 is the pretrained network, 1 the fine-tuned one. Floating tensors (weights, BatchNorm
    statistics) are interpolated; integer buffers (BatchNorm's batch counter) come from ``ft``. Both
    states must come from the same architecture and label set."""
    if set(pre) != set(ft):
        raise ValueError("interpolate_state: the two states have different tensors")
    out = {}
    for k, v in ft.items():
        p = pre[k]
        if p.shape != v.shape:
            raise ValueError(f"interpolate_state: {k} has shape {tuple(p.shape)} vs {tuple(v.shape)}")
        out[k] = ((1 - alpha) * p + alpha * v).to(v.dtype) if v.is_floating_point() else v.clone()
    return out


def set_frozen(model: ConvNet, n_blocks: int) -> None:
    """Freeze the first ``n_blocks`` conv blocks (weights and BatchNorm statistics); unfreeze the rest.

    :func:`fit` additionally freezes the hidden dense layers when ``n_blocks`` exceeds the number of conv
    blocks (a linear probe: only the classifier trains)."""
    for i, block in enumerate(model.features):
        frozen = i < n_blocks
        for p in block.parameters():
            p.requires_grad_(not frozen)


def _train_mode(model: ConvNet, n_frozen: int, bn_frozen: bool = False) -> None:
    model.train()
    for i, block in enumerate(model.features):
        if i < n_frozen:
            block.eval()  # keep frozen BN running stats fixed
    if bn_frozen:
        for mod in model.modules():
            if isinstance(mod, torch.nn.BatchNorm2d):
                mod.eval()  # BN parameters still train; the pool's running statistics stay


@torch.no_grad()
def predict_logits(model: ConvNet, images: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """uint8 [N,H,W] -> float32 logits [N,K] (eval mode)."""
    model.eval()
    out = []
    for s in range(0, len(images), batch_size):
        x = torch.from_numpy(pixels_to_tensor_input(images[s:s + batch_size]))
        out.append(model(x).numpy())
    return np.concatenate(out) if out else np.zeros((0, model.spec.num_classes), np.float32)


@torch.no_grad()
def per_example_loss(model: ConvNet, images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    logits = torch.from_numpy(predict_logits(model, images))
    return F.cross_entropy(logits, torch.from_numpy(labels), reduction="none").numpy()


def fit(model: ConvNet, images: np.ndarray, labels: np.ndarray, cfg: FitConfig) -> FitLog:
    """Train ``model`` in place on uint8 images [N,H,W] and int labels [N]. Adam + cosine LR decay.

    Parameter groups: the conv body at ``lr``, the dense head at ``lr * head_lr_mult``. Loss: cross
    entropy with optional per-class weights. Epoch order from :class:`EpochSampler` (a permutation, or a
    weighted draw when oversampling / hard-example mining is active).
    """
    log = FitLog()
    if cfg.epochs <= 0:
        return log
    set_frozen(model, cfg.freeze_blocks)
    linear_probe = cfg.freeze_blocks > len(model.features)  # conv blocks and hidden dense layers frozen
    if linear_probe:
        for p in model.body_parameters():
            p.requires_grad_(False)
    body = [p for p in model.body_parameters() if p.requires_grad]
    groups = [{"params": model.head_parameters(), "lr": cfg.lr * cfg.head_lr_mult}]
    if body:
        groups.insert(0, {"params": body, "lr": cfg.lr})
    opt = torch.optim.Adam(groups, weight_decay=cfg.weight_decay)
    base_lrs = [g["lr"] for g in opt.param_groups]
    n = len(labels)
    steps_per_epoch = math.ceil(n / cfg.batch_size)
    total_steps = steps_per_epoch * cfg.epochs
    sampler = EpochSampler(n, cfg.seed, cfg.sample_weights)
    aug_rng = np.random.default_rng([cfg.seed, 606])
    cw = torch.tensor(cfg.class_weights, dtype=torch.float32) if cfg.class_weights is not None else None
    la = torch.tensor(cfg.logit_adjust, dtype=torch.float32) if cfg.logit_adjust is not None else None
    labels_t = torch.from_numpy(labels.astype(np.int64))
    run_epochs = cfg.epochs if cfg.stop_after is None else max(0, min(cfg.epochs, cfg.stop_after))
    bar = Progress(steps_per_epoch * run_epochs, cfg.label)
    step = 0
    t0 = time.time()
    best_state = None
    if cfg.val_score is not None:
        log.val_scores.append(float(cfg.val_score(model)))
        log.best_epoch = 0
        best_state = copy.deepcopy(model.state_dict())
    for epoch in range(run_epochs):
        if cfg.hard_every > 0 and epoch > 0 and epoch % cfg.hard_every == 0:
            losses = per_example_loss(model, images, labels)
            hard = hardest(losses, cfg.hard_fraction)
            sampler.set_hard(hard, cfg.hard_boost)
            log.hard_mining_rounds.append(
                {"epoch": epoch, "count": int(len(hard)), "mean_loss_hard": float(losses[hard].mean()),
                 "mean_loss_all": float(losses.mean())}
            )
        order = sampler.epoch()
        _train_mode(model, cfg.freeze_blocks, cfg.bn_frozen)
        tot_loss, tot_correct, tot_n = 0.0, 0, 0
        for s in range(0, n, cfg.batch_size):
            idx = order[s:s + cfg.batch_size]
            batch = images[idx]
            if cfg.max_shift > 0 or cfg.hflip:
                batch = augment_batch(batch, aug_rng, cfg.max_shift, cfg.hflip)
            x = torch.from_numpy(pixels_to_tensor_input(batch))
            y = labels_t[idx]
            lr_scale = 0.5 * (1 + math.cos(math.pi * step / total_steps))
            for g, base in zip(opt.param_groups, base_lrs):
                g["lr"] = base * lr_scale
            logits = model(x)
            loss = loss_fn(logits if la is None else logits + la, y, cw, cfg.loss, cfg.gce_q, cfg.bootstrap_beta)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            tot_loss += float(loss) * len(idx)
            tot_correct += int((logits.argmax(1) == y).sum())
            tot_n += len(idx)
            bar.update(1, epoch=epoch + 1, loss=tot_loss / tot_n, acc=tot_correct / tot_n)
        log.epochs.append({"epoch": epoch + 1, "loss": tot_loss / tot_n, "train_acc": tot_correct / tot_n})
        if cfg.val_score is not None:
            score = float(cfg.val_score(model))
            log.val_scores.append(score)
            if score > max(log.val_scores[:-1]):  # strictly better: ties keep the earlier (shorter) epoch
                log.best_epoch = epoch + 1
                best_state = copy.deepcopy(model.state_dict())
    bar.close()
    if best_state is not None:
        model.load_state_dict(best_state)
    set_frozen(model, 0)
    for p in model.parameters():
        p.requires_grad_(True)
    log.seconds = time.time() - t0
    return log
