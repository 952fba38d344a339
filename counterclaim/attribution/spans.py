"""The learned span model: given a cue, which word heads its source and which heads its content.

Every word of the cue's sentence is a candidate head (the source also has "no source"); a logistic
regression over hashed features of the candidate and of its dependency path to the cue scores each one and
the best wins. The span is then the head's phrase in the parse. Trained on PolNeAR train with the cue
model (`make train-attribution`, counterclaim/attribution/train.py); the weights ship as
counterclaim/data/span-model.npz (no pickle): `source` and `content` (float32, one per hashed feature),
their biases and the features version, with the figures in the cue model's card."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from spacy.tokens import Token

from .model import index

FEATURES_VERSION = 1
MAX_PATH = 8
_SUBJECTS = ("nsubj", "nsubjpass")


def path(cue: Token, t: Token) -> str:
    """The dependency labels from the cue up to the lowest common ancestor, then down to t: "nsubj" seen
    from "said" is "|nsubj", a clause two levels up is "ccomp^xcomp|"."""
    depth: dict[int, int] = {}
    x = cue
    for k in range(MAX_PATH):
        depth[x.i] = k
        if x.head.i == x.i:
            break
        x = x.head
    down: list[str] = []
    x = t
    for _ in range(MAX_PATH):
        if x.i in depth:
            ups, y = [], cue
            while y.i != x.i:
                ups.append(y.dep_)
                y = y.head
            return "^".join(ups) + "|" + "v".join(reversed(down))
        down.append(x.dep_)
        if x.head.i == x.i:
            break
        x = x.head
    return "far"


def features(cue: Token, t: Token | None, quoted: np.ndarray, role: str) -> list[str]:
    """Feature strings for candidate head `t` (None: no source) of the cue's `role` ("s" or "c")."""
    lem = cue.lemma_.lower()
    if t is None:
        subj = any(c.dep_ in _SUBJECTS for c in cue.children)
        passive = any(c.dep_ == "auxpass" for c in cue.children)
        return [f"{role}none", f"{role}none|{lem}", f"{role}none|{cue.dep_}", f"{role}none|{cue.pos_}",
                f"{role}none|s{subj}", f"{role}none|p{passive}", f"{role}none|{cue.tag_}"]
    p = path(cue, t)
    d = t.i - cue.i
    side = "l" if d < 0 else "r"
    dist = abs(d) if abs(d) < 6 else 8 if abs(d) < 12 else 15
    kind = t.lower_ if t.pos_ == "PRON" else (t.ent_type_ or t.pos_)
    contains = t.left_edge.i <= cue.i <= t.right_edge.i
    word = t.lower_ if t.pos_ in ("PRON", "DET", "ADP", "SCONJ") else "other"
    f = [f"{role}p={p}", f"{role}pl={p}|{lem}", f"{role}pP={p}|{cue.pos_}", f"{role}pk={p}|{kind}", f"{role}k={kind}",
         f"{role}dep={t.dep_}", f"{role}pos={t.pos_}", f"{role}tag={t.tag_}", f"{role}dir={side}{dist}",
         f"{role}dk={side}|{kind}", f"{role}q={quoted[t.i]}{quoted[cue.i]}", f"{role}pq={p}|{quoted[t.i]}",
         f"{role}cd={cue.dep_}|{p}", f"{role}in={contains}", f"{role}pin={p}|{contains}", f"{role}w={word}"]
    if role == "c":
        size = min(t.right_edge.i - t.left_edge.i + 1, 10) // 3
        f += [f"cs={size}", f"cps={p}|{size}", f"cfirst={t.left_edge.lower_}"]
    return f


def candidates(cue: Token, cue_tokens: set[int]) -> list[Token]:
    return [t for t in cue.sent if not (t.is_punct or t.is_space) and t.i not in cue_tokens]


@dataclass
class SpanModel:
    source: np.ndarray
    source_bias: float
    content: np.ndarray
    content_bias: float

    def _best(self, weights: np.ndarray, bias: float, cue: Token, options: list, quoted: np.ndarray, role: str):
        best, best_score = None, -np.inf
        for t in options:
            z = bias + float(weights[[index(f) for f in features(cue, t, quoted, role)]].sum())
            if z > best_score:
                best, best_score = t, z
        return best

    def source_head(self, cue: Token, cue_tokens: set[int], quoted: np.ndarray) -> Token | None:
        return self._best(self.source, self.source_bias, cue, candidates(cue, cue_tokens) + [None], quoted, "s")

    def content_head(self, cue: Token, cue_tokens: set[int], quoted: np.ndarray) -> Token | None:
        return self._best(self.content, self.content_bias, cue, candidates(cue, cue_tokens), quoted, "c")


@lru_cache(maxsize=1)
def load() -> SpanModel | None:
    path_ = resources.files("counterclaim").joinpath("data/span-model.npz")
    if not path_.is_file():
        return None
    with path_.open("rb") as fh:
        data = np.load(fh, allow_pickle=False)
        if int(data["features_version"]) != FEATURES_VERSION:
            return None
        return SpanModel(data["source"].astype(np.float32), float(data["source_bias"]),
                         data["content"].astype(np.float32), float(data["content_bias"]))
