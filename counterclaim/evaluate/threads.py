"""Thread linking against FNC-1's stories: bodies related to the same headline are one story, and stories
join through shared headlines. Two bodies should share a thread exactly when they tell the same story."""
from __future__ import annotations

import csv
import hashlib
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from ..threads.sets import DisjointSets


def stories(bodies: str | Path, stances: str | Path) -> tuple[dict[str, str], dict[str, str]]:
    """(body id -> text, body id -> story id): the story is the connected group of bodies and the
    headlines related to them (agree, disagree or discuss)."""
    with open(bodies, encoding="utf-8", newline="") as f:
        text = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    with open(stances, encoding="utf-8", newline="") as f:
        related = [(r["Body ID"], r["Headline"]) for r in csv.DictReader(f) if r["Stance"].strip() != "unrelated"]
    sets = DisjointSets([f"b{b}" for b in text] + [f"h{h}" for _, h in related])
    for body, headline in related:
        a, b = sets.find(f"b{body}"), sets.find(f"h{headline}")
        if a != b:
            sets.attach(a, b)
    groups: dict[str, list[str]] = {}
    for b in text:
        groups.setdefault(sets.find(f"b{b}"), []).append(b)
    story = {}
    for members in groups.values():
        name = min(members, key=int)  # named by its first body: stable whatever the union order
        for b in members:
            story[b] = name
    return text, story


def held_out(story_id: str, folds: int = 5) -> bool:
    """Whole stories held back for dev: one in `folds`, chosen by a hash of the story's name."""
    return int(hashlib.sha1(story_id.encode()).hexdigest(), 16) % folds == 0


@dataclass
class PairScores:
    precision: float
    recall: float
    f1: float
    bodies: int
    in_thread: float  # share of bodies in any thread
    largest: dict[str, float]  # per story, the share of its bodies held by its largest thread


def score(threads_of: dict[str, set[str]], story: dict[str, str]) -> PairScores:
    """threads_of: body id -> the threads it is in (bodies not given are in none)."""
    bodies = sorted(story)
    tp = fp = fn = 0
    for a, b in combinations(bodies, 2):
        same = story[a] == story[b]
        shared = bool(threads_of.get(a, set()) & threads_of.get(b, set()))
        tp += same and shared
        fp += shared and not same
        fn += same and not shared
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    members: dict[str, list[str]] = {}
    for b in bodies:
        members.setdefault(story[b], []).append(b)
    largest = {}
    for s, bs in members.items():
        counts = Counter(t for b in bs for t in threads_of.get(b, ()))
        largest[s] = counts.most_common(1)[0][1] / len(bs) if counts else 0.0
    return PairScores(p, r, 2 * p * r / (p + r) if p + r else 0.0, len(bodies),
                      sum(1 for b in bodies if threads_of.get(b)) / len(bodies) if bodies else 0.0, largest)


def threads_of_bodies(store) -> dict[str, set[str]]:
    """Body id -> the shown threads its claims are in, from a store of bodies with ids fnc-<Body ID>."""
    out: dict[str, set[str]] = {}
    for article, thread in store.query(
            "SELECT DISTINCT c.article_id, tc.thread_id FROM thread_claims tc JOIN claims c ON c.id = tc.claim_id"):
        out.setdefault(article.removeprefix("fnc-"), set()).add(thread)
    return out
