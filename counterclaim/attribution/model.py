"""The learned cue detector: a logistic regression over hashed features of a word and its place in the
dependency parse, trained on PolNeAR train (`make train-attribution`, counterclaim/attribution/train.py).

The weights ship as counterclaim/data/cue-model.npz (no pickle): `weights` (float32, one per hashed
feature), `bias`, `threshold`, plus the JSON card cue-model.json with the figures it reached."""
from __future__ import annotations

import zlib
from functools import lru_cache
from importlib import resources

import numpy as np
from spacy.tokens import Doc, Token

from . import cues
from .words import Words

DIM = 1 << 18
FEATURES_VERSION = 1
_PRONOUNS = {"i", "we", "you", "he", "she", "they", "it"}
_PERSON_PRONOUNS = {"i", "he", "she"}
# Words that open a noun phrase after the cue ("made the case", "offered no details") belong to its object.
_NOUN_PHRASE_DEPS = {"det", "amod", "nummod", "poss", "compound"}
_CHILD_LEMMA_DEPS = {"prep", "dobj", "prt", "aux", "neg", "advmod", "acomp", "xcomp", "ccomp", "agent", "dative"}
CANDIDATE_POS = {"VERB"}
CANDIDATE_WORDS = {":", "according"}


def is_candidate(t: Token) -> bool:
    return t.pos_ in CANDIDATE_POS or t.lower_ in CANDIDATE_WORDS


def never_a_cue(w: Words, i: int) -> bool:
    """Verbs of material acts ("imposed sanctions", "shelled") report no one's words, whatever the model says."""
    from ..claims.coder import material_verbs

    lemma = w.lemma[i]
    if lemma not in material_verbs() or lemma in cues.SPEECH:
        return False
    # "Trump attacked Clinton for her vote": a person's attack in politics is words; leave it to the model.
    subj = next((c for c in w.children[i] if w.dep[c] == "nsubj"), None)
    return not (subj is not None and (w.ent[subj] == "PERSON" or w.lower[subj] in _PERSON_PRONOUNS))


def features(w: Words, i: int, quoted: np.ndarray, first: int, end: int) -> list[str]:
    """Feature strings for candidate word `i`, whose sentence spans words `first` to `end` (exclusive).
    `quoted[i]` is 1 for words inside quotation marks."""
    lem, low, dep, h = w.lemma[i], w.lower[i], w.dep[i], w.head[i]
    q = quoted[i]
    f = [f"l={lem}", f"w={low}", f"p={w.pos[i]}", f"t={w.tag[i]}", f"d={dep}", f"ld={lem}|{dep}",
         f"lt={lem}|{w.tag[i]}", f"h={w.lemma[h]}|{dep}", f"hp={w.pos[h]}|{dep}",
         f"lex={lem in cues.SPEECH}", f"q={q}", f"lq={lem}|{q}"]
    deps = set()
    subj = None
    for c in w.children[i]:
        d = w.dep[c]
        deps.add(d)
        if d in _CHILD_LEMMA_DEPS:
            f.append(f"c={d}|{w.lemma[c]}")
        if d in ("nsubj", "nsubjpass") and subj is None:
            subj = c
    for d in deps:
        f.append(f"cd={d}")
        f.append(f"lcd={lem}|{d}")
    for d in ("ccomp", "xcomp", "dobj", "nsubj", "prep", "advcl"):
        if d not in deps:
            f.append(f"no={d}")
    if subj is not None:
        kind = w.lower[subj] if w.lower[subj] in _PRONOUNS else (w.ent[subj] or w.pos[subj])
        f += [f"s={kind}", f"ls={lem}|{kind}", f"sq={kind}|{q}"]
    else:
        f.append("s=none")
    n = len(w.lower)
    nxt_low = w.lower[i + 1] if i + 1 < n else "</s>"
    f.append(f"pw={w.lower[i - 1] if i > 0 else '<s>'}")
    f.append(f"nw={nxt_low}")
    f.append(f"np={w.pos[i + 1] if i + 1 < n else '</s>'}")
    f.append(f"lnw={lem}|{nxt_low}")
    # Quotation next to the word: '..., he said' and 'said: "..."'.
    near_before = bool(quoted[max(0, i - 4):i].any())
    near_after = bool(quoted[i + 1:min(n, i + 5)].any())
    f += [f"qb={near_before}", f"qa={near_after}", f"lqa={lem}|{near_before}|{near_after}"]
    f.append(f"pos={'first' if i == first else 'last' if i >= end - 2 else 'mid'}")
    return f


def index(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (DIM - 1)


def summed_weights(weights: np.ndarray, cache: dict[str, float], feats: list[str]) -> float:
    """The sum of the features' hashed weights, each feature's weight remembered in `cache`: the same
    strings recur across candidates and articles, and hashing them again cost more than the sum."""
    total = 0.0
    for f in feats:
        v = cache.get(f)
        if v is None:
            if len(cache) > 1 << 20:
                cache.clear()
            v = cache[f] = float(weights[index(f)])
        total += v
    return total


def quoted_tokens(doc: Doc, quote_parts: list[tuple[int, int]]) -> np.ndarray:
    q = np.zeros(len(doc) + 1, dtype=np.int8)
    if not quote_parts:
        return q
    starts = doc.to_array("IDX")
    for s, e in quote_parts:
        lo, hi = np.searchsorted(starts, s), np.searchsorted(starts, e)
        q[lo:hi] = 1
    return q


class CueModel:
    def __init__(self, weights: np.ndarray, bias: float, threshold: float):
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        self._cache: dict[str, float] = {}

    def score(self, feats: list[str]) -> float:
        return 1.0 / (1.0 + np.exp(-(self.bias + summed_weights(self.weights, self._cache, feats))))


def read_npz(name: str, features_version: int) -> dict[str, np.ndarray] | None:
    """A shipped model's arrays from counterclaim/data, or None where the file is missing or was made for
    other features (then the rules run alone)."""
    path = resources.files("counterclaim").joinpath(f"data/{name}")
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        data = np.load(fh, allow_pickle=False)
        if int(data["features_version"]) != features_version:
            return None
        return {k: data[k] for k in data.files}


@lru_cache(maxsize=1)
def load() -> CueModel | None:
    data = read_npz("cue-model.npz", FEATURES_VERSION)
    if data is None:
        return None
    return CueModel(data["weights"].astype(np.float32), float(data["bias"]), float(data["threshold"]))


# --- how far a cue reaches beyond its verb ("has said", "called for", "said in a statement", "said:") ----

def neighbour_keys(n: Token, head: Token, side: str) -> tuple[str, str, str]:
    """Keys from most to least specific describing a word next to a cue's head word: "called for" keeps
    its "for", "said in" does not keep its "in"."""
    if n.head.i == head.i and n.i != head.i:
        rel = n.dep_
    elif n.head.head.i == head.i and n.head.i != head.i:
        rel = f"{n.head.dep_}>{n.dep_}"
    else:
        rel = "other"
    return f"{side}|{rel}|{n.lower_}|{head.lemma_.lower()}", f"{side}|{rel}|{n.lower_}", f"{side}|{rel}"


@lru_cache(maxsize=1)
def extent_table() -> dict[str, float]:
    path = resources.files("counterclaim").joinpath("data/cue-extent.json")
    if not path.is_file():
        return {}
    import json

    return json.loads(path.read_text("utf-8"))["include"]


def extent(head: Token) -> tuple[int, int]:
    """Token range [start, end) of the cue around its head word, word by word outwards while the table
    learned from PolNeAR says annotators include such a word."""
    table = extent_table()
    doc = head.doc

    def include(n: Token, side: str) -> bool:
        rate = next((table[k] for k in neighbour_keys(n, head, side) if k in table), None)
        return rate is not None and rate >= 0.5

    start = head.i
    while start - 1 >= max(0, head.i - 4) and include(doc[start - 1], "L"):
        start -= 1
    end = head.i + 1
    while end < min(len(doc), head.i + 6) and include(doc[end], "R") and doc[end].dep_ not in _NOUN_PHRASE_DEPS:
        end += 1
    return start, end
