"""The learned span model: given a cue, which word heads its source and which heads its content.

Every word within MAX_STEPS of the cue in the parse is a candidate head (for the source, every noun
phrase's head there, and "no source"); a logistic regression over hashed features of the candidate and of
its dependency path to the cue scores each one and the best wins. The span is then the head's phrase in the parse. Trained on PolNeAR train with the cue
model (`make train-attribution`, counterclaim/attribution/train.py); the weights ship as
counterclaim/data/span-model.npz (no pickle): `source` and `content` (float32, one per hashed feature),
their biases and the features version, with the figures in the cue model's card."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .model import read_npz, summed_weights
from .words import Words

FEATURES_VERSION = 2
# Candidate heads lie at most this many steps from the cue in the parse: 97% of PolNeAR train's gold
# sources and contents do, and scoring the whole sentence made the attribution stage three times slower.
MAX_STEPS = 4
# A source is a noun phrase: 98% of the gold sources' heads are one of these.
SOURCE_POS = {"PROPN", "NOUN", "PRON", "NUM", "DET"}
_SUBJECTS = ("nsubj", "nsubjpass")


def reachable(w: Words, cue: int) -> list[tuple[int, str]]:
    """The words within MAX_STEPS of the cue in its parse, each with its path: the dependency labels from
    the cue up to the lowest common ancestor, then down to the word ("|nsubj" for the subject of "said",
    "ccomp^|" for the verb whose clause the cue is, "advcl^|nsubj" for that verb's subject)."""
    out: list[tuple[int, str]] = []
    ups: list[str] = []
    node, came_from = cue, -1
    dep, children = w.dep, w.children
    for k in range(MAX_STEPS + 1):
        prefix = "^".join(ups) + "|"
        if k:
            out.append((node, prefix))
        frontier = [(c, dep[c]) for c in children[node] if c != came_from]
        depth = 1
        while frontier and k + depth <= MAX_STEPS:
            deeper = []
            for t, p in frontier:
                out.append((t, prefix + p))
                deeper.extend((g, p + "v" + dep[g]) for g in children[t])
            frontier, depth = deeper, depth + 1
        if w.head[node] == node:
            break
        ups.append(dep[node])
        came_from, node = node, w.head[node]
    return out


def candidates(w: Words, cue: int, cue_tokens: set[int], role: str) -> list[tuple[int, str]]:
    return [(t, p) for t, p in reachable(w, cue)
            if not (w.skip[t] or t in cue_tokens) and (role != "s" or w.pos[t] in SOURCE_POS)]


def features(w: Words, cue: int, t: int | None, path: str, quoted: np.ndarray, role: str) -> list[str]:
    """Feature strings for candidate head `t` (None: no source) of the cue's `role` ("s" or "c")."""
    lem = w.lemma[cue]
    if t is None:
        kids = [w.dep[c] for c in w.children[cue]]
        subj = any(k in _SUBJECTS for k in kids)
        passive = "auxpass" in kids
        return [f"{role}none", f"{role}none|{lem}", f"{role}none|{w.dep[cue]}", f"{role}none|{w.pos[cue]}",
                f"{role}none|s{subj}", f"{role}none|p{passive}", f"{role}none|{w.tag[cue]}"]
    p, d = path, t - cue
    side = "l" if d < 0 else "r"
    dist = abs(d) if abs(d) < 6 else 8 if abs(d) < 12 else 15
    kind, pos = w.kind[t], w.pos[t]
    contains = w.left[t] <= cue <= w.right[t]
    word = w.lower[t] if pos in ("PRON", "DET", "ADP", "SCONJ") else "other"
    f = [f"{role}p={p}", f"{role}pl={p}|{lem}", f"{role}pP={p}|{w.pos[cue]}", f"{role}pk={p}|{kind}", f"{role}k={kind}",
         f"{role}dep={w.dep[t]}", f"{role}pos={pos}", f"{role}tag={w.tag[t]}", f"{role}dir={side}{dist}",
         f"{role}dk={side}|{kind}", f"{role}q={quoted[t]}{quoted[cue]}", f"{role}pq={p}|{quoted[t]}",
         f"{role}cd={w.dep[cue]}|{p}", f"{role}in={contains}", f"{role}pin={p}|{contains}", f"{role}w={word}"]
    if role == "c":
        size = min(w.right[t] - w.left[t] + 1, 10) // 3
        f += [f"cs={size}", f"cps={p}|{size}", f"cfirst={w.lower[w.left[t]]}"]
    return f


@dataclass
class SpanModel:
    # The biases change no choice among one cue's candidates; they are kept for the scores' sake.
    source: np.ndarray
    source_bias: float
    content: np.ndarray
    content_bias: float
    _cache: dict[str, dict[str, float]] = field(default_factory=dict, repr=False)

    def _best(self, weights: np.ndarray, w: Words, cue: int, options: list, quoted: np.ndarray, role: str):
        if not options:
            return None
        cache = self._cache.setdefault(role, {})
        scores = [summed_weights(weights, cache, features(w, cue, t, p, quoted, role)) for t, p in options]
        return options[scores.index(max(scores))][0]

    def source_head(self, w: Words, cue: int, cue_tokens: set[int], quoted: np.ndarray) -> int | None:
        """The token index of the source's head word, or None for no source."""
        return self._best(self.source, w, cue, candidates(w, cue, cue_tokens, "s") + [(None, "")], quoted, "s")

    def content_head(self, w: Words, cue: int, cue_tokens: set[int], quoted: np.ndarray) -> int | None:
        return self._best(self.content, w, cue, candidates(w, cue, cue_tokens, "c"), quoted, "c")


@lru_cache(maxsize=1)
def load() -> SpanModel | None:
    data = read_npz("span-model.npz", FEATURES_VERSION)
    if data is None:
        return None
    return SpanModel(data["source"].astype(np.float32), float(data["source_bias"]),
                     data["content"].astype(np.float32), float(data["content_bias"]))
