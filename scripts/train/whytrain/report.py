"""Results table and targets across the bundled models (reads cards + ablations.json, writes RESULTS.md).

Targets (official test sets):
  * fashion-finetuned >= 90 % accuracy;
  * fashion-finetuned >= fashion-pretrained >= fashion-scratch + 5 points (and fashion-finetuned >= scratch + 5);
  * rare-class recall with class weights > without (ablation rows ``recipe`` vs ``no-class-weights``, both on
    the clean fit split), for every rare class;
  * mnist-cnn >= 99 %.
Each card.json gets a ``targets`` list (fashion cards also the ablation table) and card.md is re-rendered;
``python3 -m whytrain.report <dir>``.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Dict, List, Optional

from .cards import render_card_md

FASHION = ("fashion-scratch", "fashion-pretrained", "fashion-finetuned")
MODELS = FASHION + ("mnist-cnn",)


def _load(path: str) -> Optional[Dict]:
    if not os.path.isfile(path):
        return None
    with open(path) as fh:
        return json.load(fh)


def _recall(ev: Dict, label: str) -> float:
    return next(p["recall"] for p in ev["perClass"] if p["label"] == label)


def _row(ablation: Optional[Dict], id_: str) -> Optional[Dict]:
    if not ablation:
        return None
    return next((r for r in ablation.get("rows", []) if r["id"] == id_), None)


def compute_targets(cards: Dict[str, Dict], ablation: Optional[Dict]) -> Dict[str, List[Dict]]:
    out: Dict[str, List[Dict]] = {k: [] for k in cards}
    sc, pre, ft, mn = (cards.get(m) for m in MODELS)

    def add(mid: str, what: str, met: bool, actual: str, also: Optional[List[str]] = None) -> None:
        t = {"what": what, "met": bool(met), "actual": actual}
        for m in [mid] + (also or []):
            if m in out:
                out[m].append(t)

    acc = lambda c: c["evaluation"]["accuracy"]
    if ft:
        add("fashion-finetuned", "accuracy >= 90 %", acc(ft) >= 0.90, f"{acc(ft) * 100:.2f} %")
        if pre:
            gap = (acc(ft) - acc(pre)) * 100
            add("fashion-finetuned", ">= fashion-pretrained (fine-tuning helps)", gap >= 0, f"{gap:+.2f} points",
                ["fashion-pretrained"])
        if sc:
            gap = (acc(ft) - acc(sc)) * 100
            add("fashion-finetuned", ">= 5 points above fashion-scratch", gap >= 5.0, f"{gap:+.2f} points",
                ["fashion-scratch"])
        a, b = _row(ablation, "recipe"), _row(ablation, "no-class-weights")
        rare = ft["data"]["cleanLabels"]["rareClasses"]
        if a and b and rare:
            parts, met = [], True
            for r in rare:
                x, y = a["test"]["rareRecall"][r], b["test"]["rareRecall"][r]
                parts.append(f"{r} {x * 100:.1f} % vs {y * 100:.1f} %")
                met = met and x > y
            add("fashion-finetuned", "rare-class recall higher with class weights than without (ablation, fit split)",
                met, "; ".join(parts))
    if pre and sc:
        gap = (acc(pre) - acc(sc)) * 100
        add("fashion-pretrained", ">= 5 points above fashion-scratch (pretraining helps)", gap >= 5.0,
            f"{gap:+.2f} points", ["fashion-scratch"])
    if mn:
        add("mnist-cnn", "accuracy >= 99 %", acc(mn) >= 0.99, f"{acc(mn) * 100:.2f} %")
    return out


def _pct(x: Optional[float]) -> str:
    return "" if x is None else f"{x * 100:.2f} %"


def ablation_markdown(ablation: Optional[Dict]) -> List[str]:
    """The ablation and transfer tables (markdown lines); empty without ablations.json."""
    if not ablation:
        return []
    lines: List[str] = []
    rows = ablation.get("rows") or []
    rare = ablation.get("rareClasses") or []
    if rows:
        lines += ["### Ablation (clean fit split → validation; test reported, not used to choose)", "",
                  ablation.get("selection", ""), "",
                  "| Row | What | Validation acc. | Validation balanced acc. | Validation balanced NLL | Epochs kept | "
                  "Test acc. | Test macro F1 | Test rare recall | Time |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---|---:|"]
        chosen = (ablation.get("chosen") or {}).get("id")
        for r in rows:
            rr = ", ".join(f"{k} {v * 100:.1f} %" for k, v in r["test"]["rareRecall"].items()) or "—"
            mark = " ★" if r["id"] == chosen and r.get("group") == "fine-tune" else ""
            va = r["validation"]["accuracy"] if r.get("validation") else None
            vb = r["validation"].get("balancedAccuracy") if r.get("validation") else None
            vn = r["validation"].get("balancedNll") if r.get("validation") else None
            kept = r.get("bestEpoch")
            kept_s = "—" if r.get("group") != "fine-tune" else (
                f"{kept} of {r['settings']['epochs']}" if kept is not None else f"all {r.get('epochs', 0)}") + (
                f", α {r['interpolationAlpha']:g}" if r.get("interpolationAlpha") is not None else "")
            lines.append(f"| `{r['id']}`{mark} | {r['what']} | {_pct(va) or '—'} | {_pct(vb) or '—'} | "
                         f"{'—' if vn is None else f'{vn:.4f}'} | {kept_s} | "
                         f"{_pct(r['test']['accuracy'])} | {r['test']['macroF1']:.4f} | {rr} | {r['seconds']:.0f} s |")
        ch = ablation.get("chosen") or {}
        lines += ["", f"★ = the variant the bundled `fashion-finetuned` uses ({ch.get('rule', '')}), retrained on "
                  "all clean labels. α = weight interpolation (1-α)·pretrained + α·fine-tuned, chosen on "
                  "validation." + (
            f" Rare classes: {', '.join(rare)}." if rare else ""), ""]
    tr = ablation.get("transfer")
    if tr:
        lines += ["### Transfer to new classes (re-initialised classifier)", "", tr["what"] + ". New classes: " +
                  "; ".join(f"{n} = {' + '.join(g)}" for n, g in tr["groups"].items()) + ".", "",
                  "| Clean labels | Row | What | Validation acc. | Test acc. | Test macro F1 | Time |",
                  "|---|---|---|---:|---:|---:|---:|"]
        for r in tr["rows"]:
            lines.append(f"| {r['labels']:,} ({r['budget']} per class) | `{r['id']}` | {r['what']} | "
                         f"{_pct(r['validation']['accuracy'])} | {_pct(r['test']['accuracy'])} | "
                         f"{r['test']['macroF1']:.4f} | {r['seconds']:.0f} s |")
        lines.append("")
    return lines


def results_markdown(cards: Dict[str, Dict], ablation: Optional[Dict], run: Optional[Dict]) -> str:
    lines = ["# Bundled models: results", "",
             "Generated by `python3 -m whytrain.report` from the cards and `ablations.json`. Accuracy etc. on the "
             "official test sets (all 10,000 images unless the card says otherwise); settings were chosen on the "
             "clean validation split, never on the test set.", "",
             "| Model | Test accuracy | Macro F1 | ECE (15 bins) | Rare-class recall | Params | Train time | "
             "Parity (argmax mismatches / max abs logit diff) |",
             "|---|---:|---:|---:|---|---:|---:|---|"]
    rare: List[str] = []
    for mid in FASHION:
        if mid in cards:
            rare = cards[mid]["data"]["cleanLabels"]["rareClasses"]
            break

    for mid in MODELS:
        c = cards.get(mid)
        if not c:
            continue
        ev = c["evaluation"]
        rr = ", ".join(f"{r} {_recall(ev, r) * 100:.1f} %" for r in rare) if mid in FASHION and rare else "—"
        par = c.get("parity")
        par_s = (f"{par['argmaxMismatches']} / {par['maxAbsLogitDiff']:.2g} on {par['images']:,}"
                 if par and "pass" in par else "—")
        lines.append(f"| `{mid}` | {ev['accuracy'] * 100:.2f} % | {ev['macroF1']:.4f} | {ev['ece15']:.4f} | {rr} | "
                     f"{c['architecture']['params']:,} | {c['training']['seconds']:.0f} s | {par_s} |")
    lines += ["", "Targets:", ""]
    seen = set()
    targets = compute_targets(cards, ablation)
    for mid in ("fashion-finetuned", "fashion-pretrained", "fashion-scratch", "mnist-cnn"):
        for t in targets.get(mid, []):
            key = (t["what"], t["actual"])
            if key in seen:
                continue
            seen.add(key)
            lines.append(f"- `{mid}`: {t['what']}: **{'met' if t['met'] else 'MISSED'}** ({t['actual']})")
    lines.append("")
    lines += ablation_markdown(ablation)
    total = sum(c["training"]["seconds"] for m, c in cards.items() if m != "fashion-finetuned") + \
        (cards["fashion-finetuned"]["training"]["phases"]["finetune"]["seconds"] if "fashion-finetuned" in cards else 0)
    lines += [f"Training time of the bundled models (pretraining counted once): {total:.0f} s ({total / 60:.1f} min), "
              "excluding the ablation rows and the parity checks (tfjs CPU backend, a few minutes per model on the "
              "full test set). Machine: 2 CPU cores shared with other jobs; torch threads per model: " +
              ", ".join(f"{m} {c['env']['threads']}" for m, c in cards.items()) + "."]
    if run:
        what = ("the transfer only (--transfer-only)" if run.get("transferOnly") else
                "ablation, transfer, evaluation-set export and parity")
        lines.append(f"Last run: models {', '.join(run['models'])}, wall time {run['totalSeconds']:.0f} s including {what}.")
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = argv[0] if argv else os.path.join(os.path.dirname(__file__), "..", "..", "..", "models")
    cards = {}
    for mid in MODELS:
        c = _load(os.path.join(out, mid, "card.json"))
        if c:
            cards[mid] = c
    ablation = _load(os.path.join(out, "ablations.json"))
    if ablation is not None and "rows" not in ablation:
        ablation = None  # an older format
    targets = compute_targets(cards, ablation)
    for mid, card in cards.items():
        card["targets"] = targets.get(mid, [])
        if mid in FASHION and ablation:
            card["ablation"] = ablation
        with open(os.path.join(out, mid, "card.json"), "w") as fh:
            json.dump(card, fh, indent=1)
            fh.write("\n")
        with open(os.path.join(out, mid, "card.md"), "w") as fh:
            fh.write(render_card_md(card))
    md = results_markdown(cards, ablation, _load(os.path.join(out, "training-run.json")))
    with open(os.path.join(out, "RESULTS.md"), "w") as fh:
        fh.write(md)
    sys.stdout.write(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
