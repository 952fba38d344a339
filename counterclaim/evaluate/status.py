"""Thread status against settled truth: FNC-1 train stories joined through their headlines to the claims
Emergent.info's editors settled (`emergent/train_with_veracity.csv`, claimTruth true / false / unknown).
The truth measures status; nothing in the product reads it."""
from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

STATUS_ORDER = ("confirmed", "refuted", "disputed", "retracted", "unverified")
TRUTHS = ("true", "false", "unknown")
CAUTION = {"unknown": 2, "false": 1}  # a story whose headlines' truths tie takes the more cautious one


@dataclass
class Story:
    name: str
    truth: str       # true, false or unknown: the settled truth of most of its headlines' claims
    debunked: bool   # some body disagrees with one of its headlines (FNC-1 gold)
    bodies: list[str] = field(default_factory=list)


def truths(stances: str | Path, veracity: str | Path, story: dict[str, str]) -> dict[str, Story]:
    """Story name -> Story, for the stories whose headlines Emergent settled. `story`: body id -> story."""
    settled: dict[str, Counter] = {}
    with open(veracity, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            settled.setdefault(r["articleHeadline"].strip(), Counter())[r["claimTruth"].strip()] += 1
    votes: dict[str, Counter] = {}
    debunked: set[str] = set()
    with open(stances, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            label = r["Stance"].strip()
            if label == "unrelated" or r["Body ID"] not in story:
                continue
            s = story[r["Body ID"]]
            votes.setdefault(s, Counter()).update(settled.get(r["Headline"].strip(), Counter()))
            if label == "disagree":
                debunked.add(s)
    out = {}
    for s, c in votes.items():
        if c:
            truth = max(c, key=lambda t: (c[t], CAUTION.get(t, 0)))
            out[s] = Story(s, truth, s in debunked, sorted((b for b, st in story.items() if st == s), key=int))
    return out


def story_status(stories: dict[str, Story], threads_of: dict[str, set[str]], status_of: dict[str, str]) -> dict[str, str]:
    """Each story's status: that of the thread holding most of its bodies (ties: the thread seen first by
    id order), unverified where none of its bodies is in a thread."""
    out = {}
    for s, st in stories.items():
        counts = Counter(t for b in st.bodies for t in threads_of.get(b, ()))
        out[s] = status_of[min(counts, key=lambda t: (-counts[t], t))] if counts else "unverified"
    return out


def lenient(truth: str, status: str) -> float:
    """True -> confirmed; false -> refuted (disputed half right); unknown -> unverified or disputed."""
    if truth == "true":
        return float(status == "confirmed")
    if truth == "false":
        return 1.0 if status == "refuted" else 0.5 if status == "disputed" else 0.0
    return float(status in ("unverified", "disputed"))


@dataclass
class StatusScores:
    stories: int
    hoaxes_confirmed: int
    confirmed: int
    confirmed_right: int
    debunked_false: int        # false claims some body disagrees with
    debunked_false_refuted: int
    lenient: float
    all_disputed: float        # lenient accuracy of answering "disputed" every time
    confusion: dict[str, Counter]  # truth -> status -> stories

    @property
    def confirmed_precision(self) -> float:
        return self.confirmed_right / self.confirmed if self.confirmed else 0.0

    @property
    def refuted_share(self) -> float:
        return self.debunked_false_refuted / self.debunked_false if self.debunked_false else 0.0


def score(stories: dict[str, Story], status: dict[str, str]) -> StatusScores:
    confusion = {t: Counter() for t in TRUTHS}
    for s, st in stories.items():
        confusion.setdefault(st.truth, Counter())[status[s]] += 1
    n = len(stories)
    false = [s for s, st in stories.items() if st.truth == "false"]
    debunked = [s for s in false if stories[s].debunked]
    confirmed = [s for s in stories if status[s] == "confirmed"]
    return StatusScores(
        stories=n,
        hoaxes_confirmed=sum(1 for s in false if status[s] == "confirmed"),
        confirmed=len(confirmed),
        confirmed_right=sum(1 for s in confirmed if stories[s].truth == "true"),
        debunked_false=len(debunked),
        debunked_false_refuted=sum(1 for s in debunked if status[s] == "refuted"),
        lenient=sum(lenient(st.truth, status[s]) for s, st in stories.items()) / n if n else 0.0,
        all_disputed=sum(lenient(st.truth, "disputed") for st in stories.values()) / n if n else 0.0,
        confusion=confusion,
    )
