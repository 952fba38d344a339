"""Stance corpora (FNC-1 and its ARC twin; Emergent) and their scores: the FNC-1 weighted score, accuracy,
macro-F1, per-class F1 and a confusion matrix."""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

FNC_LABELS = ("agree", "disagree", "discuss", "unrelated")
EMERGENT_LABELS = ("for", "against", "observing")
# Emergent's labels in FNC's terms, so one classifier serves both.
EMERGENT_TO_FNC = {"for": "agree", "against": "disagree", "observing": "discuss"}


@dataclass
class Pair:
    headline: str
    body: str
    label: str
    group: str  # what a fair split keeps together: the body (FNC) or the claim (Emergent)
    row: dict   # the input row as read, for the predictions file


def read_fnc(bodies: str | Path, stances: str | Path) -> list[Pair]:
    with open(bodies, encoding="utf-8", newline="") as f:
        text = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    with open(stances, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    missing = {r["Body ID"] for r in rows} - text.keys()
    if missing:
        raise ValueError(f"{len(missing)} body id(s) of {stances} are not in {bodies}, e.g. {sorted(missing)[0]}")
    return [Pair(r["Headline"], text[r["Body ID"]], (r.get("Stance") or "").strip(), r["Body ID"], r) for r in rows]


def read_emergent(path: str | Path) -> list[Pair]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [Pair(r["claimHeadline"], r["articleHeadline"], r.get("articleHeadlineStance", "").strip(), r["claimId"], r)
            for r in rows]


def story_folds(pairs: list[Pair], folds: int = 5) -> list[tuple[int, int]]:
    """Each pair's (claim fold, body fold), whole stories to a fold: a story is the connected group of
    headlines and the bodies related to them (agree, disagree or discuss), so that a dev fold shares no
    claim, and no body telling one of its claims, with the others. A headline related to no body is a story
    of its own, and so is such a body."""
    from ..threads.sets import DisjointSets

    sets = DisjointSets([f"b{p.group}" for p in pairs] + [f"h{p.headline}" for p in pairs])
    for p in pairs:
        if p.label != "unrelated":
            a, b = sets.find(f"b{p.group}"), sets.find(f"h{p.headline}")
            if a != b:
                sets.attach(a, b)
    members: dict[str, list[str]] = {}
    for node in sets.parent:
        members.setdefault(sets.find(node), []).append(node)
    name = {node: min(group) for group in members.values() for node in group}  # stable whatever the union order

    def fold(node: str) -> int:
        return held_out_fold(name[sets.find(node)], folds)

    return [(fold(f"h{p.headline}"), fold(f"b{p.group}")) for p in pairs]


def held_out_fold(story: str, folds: int = 5) -> int:
    """The fold a story falls in, by a hash of its name: the same on every machine and run."""
    return int(hashlib.sha1(story.encode()).hexdigest(), 16) % folds


def fnc_score(gold: list[str], pred: list[str]) -> float:
    """FNC-1's weighted score: 0.25 for telling related from unrelated, 0.75 more for the right related label."""
    score = 0.0
    for g, p in zip(gold, pred):
        if g == p:
            score += 0.25
            if g != "unrelated":
                score += 0.50
        if g != "unrelated" and p != "unrelated":
            score += 0.25
    return score


def report(gold: list[str], pred: list[str], labels: tuple[str, ...]) -> dict:
    confusion = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, pred):
        confusion[g][p] += 1
    per_class = {}
    for c in labels:
        tp = confusion[c][c]
        fp = sum(confusion[g][c] for g in labels) - tp
        fn = sum(confusion[c].values()) - tp
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per_class[c] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    out = {"n": len(gold), "accuracy": sum(g == p for g, p in zip(gold, pred)) / max(len(gold), 1),
           "macro_f1": sum(per_class.values()) / len(labels), "f1": per_class, "confusion": confusion}
    if "unrelated" in labels:
        best = fnc_score(gold, gold)
        out["fnc_score"] = fnc_score(gold, pred)
        out["fnc_max"] = best
        out["fnc_relative"] = out["fnc_score"] / best if best else 0.0
    return out


def write_predictions(pairs: list[Pair], pred: list[str], path: str | Path) -> None:
    """The input's columns plus Predicted."""
    fields = [k for k in pairs[0].row if k] + ["Predicted"] if pairs else ["Predicted"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        for p, label in zip(pairs, pred):
            w.writerow({**p.row, "Predicted": label})
