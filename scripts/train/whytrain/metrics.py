"""Evaluation metrics over plain arrays (logits [N,K], labels [N])."""

from __future__ import annotations

from typing import Dict, List, Sequence

import numpy as np


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits.astype(np.float64) - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def confusion_matrix(labels: np.ndarray, preds: np.ndarray, k: int) -> np.ndarray:
    """cm[true, predicted] counts."""
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (labels, preds), 1)
    return cm


def expected_calibration_error(probs: np.ndarray, labels: np.ndarray, bins: int = 15) -> float:
    """ECE with equal-width confidence bins (Guo et al. 2017, https://arxiv.org/abs/1706.04599):
    sum_b |B_b|/N * |acc(B_b) - conf(B_b)| over the top-1 confidence, bins (lo, hi] (first bin [0, hi])."""
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == labels
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    n = len(labels)
    for b in range(bins):
        lo, hi = edges[b], edges[b + 1]
        m = (conf > lo) & (conf <= hi) if b > 0 else (conf >= lo) & (conf <= hi)
        if m.any():
            ece += m.sum() / n * abs(correct[m].mean() - conf[m].mean())
    return float(ece)


def evaluate(logits: np.ndarray, labels: np.ndarray, names: Sequence[str]) -> Dict:
    k = len(names)
    preds = logits.argmax(axis=1)
    cm = confusion_matrix(labels, preds, k)
    probs = softmax(logits)
    per_class: List[Dict] = []
    for c in range(k):
        tp = int(cm[c, c])
        support = int(cm[c].sum())
        predicted = int(cm[:, c].sum())
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class.append({"label": names[c], "precision": precision, "recall": recall, "f1": f1,
                          "support": support})
    nll = float(-np.log(np.clip(probs[np.arange(len(labels)), labels], 1e-12, 1)).mean()) if len(labels) else 0.0
    return {
        "count": int(len(labels)),
        "accuracy": float((preds == labels).mean()) if len(labels) else 0.0,
        "macroF1": float(np.mean([p["f1"] for p in per_class])),
        "nll": nll,
        "ece15": expected_calibration_error(probs, labels, 15),
        "perClass": per_class,
        "confusionMatrix": cm.tolist(),
    }
