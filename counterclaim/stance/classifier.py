"""The learned stance classifier: a claim (or headline) against an article body -> agree / disagree /
discuss / unrelated. Trained on FNC-1 and FNC-ARC train stories by counterclaim/stance/train.py
(`make train-stance`); it ships as counterclaim/data/stance-model.npz (no pickle) and stance-model.json
(vocabulary, idf, the choices made on dev and the figures reached there).

The input is word features of claim and body (TF-IDF cosines, how much of the claim the body's best
sentences cover, refuting and hedging words in them) and what reading.py adds: the sentence encoder over
the body's sentences that matter, and the article's own voices. No term frequencies of the texts
themselves: on a split that shares no claim with training they only learnt the claims. Inference is numpy
only: two networks of one hidden ReLU layer each."""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from ..attribution import cues

LABELS = ("agree", "disagree", "discuss", "unrelated")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
STOP = frozenset("""a about above after again against all am an and any are as at be because been before being below
between both but by can did do does doing down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my myself now of off on once only or other
our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who whom why will with
you your yours yourself yourselves s t""".split())
# Words that carry the stance rather than the topic; counted near the claim's best-matching sentences.
REFUTE = cues.STANCE_REFUTE
HEDGE = cues.STANCE_HEDGE
AGREE = cues.STANCE_AGREE
DENSE = ("cos_body", "cos_lead", "cos_best", "cos_top3", "cover_body", "cover_lead", "cover_best", "bigram_cover",
         "refute_head", "hedge_head", "question_head", "refute_body", "hedge_body", "agree_body", "refute_best",
         "hedge_best", "agree_best", "refute_lead", "hedge_lead", "not_best", "log_len", "unrelated_hint")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOP]


@dataclass
class Prediction:
    label: str
    probabilities: dict[str, float]
    evidence: list[str]  # the body sentences closest to the claim


class Featurizer:
    """The word features of (claim, body): TF-IDF similarities, claim cover, stance and hedge word rates."""

    def __init__(self, vocab: list[str], idf: list[float]):
        self.vocab = {w: i for i, w in enumerate(vocab)}
        self.idf = np.asarray(idf, dtype=np.float32)

    def _vector(self, toks: list[str], idf: bool) -> dict[int, float]:
        """The unit-length term-frequency (or TF-IDF) vector of the words, stop words left out."""
        counts = Counter(self.vocab[w] for w in toks if w in self.vocab and w not in STOP)
        vec = {i: v * float(self.idf[i]) for i, v in counts.items()} if idf else counts
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {i: v / norm for i, v in vec.items()}

    @staticmethod
    def _cos(a: dict[int, float], b: dict[int, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(v * b.get(i, 0.0) for i, v in a.items())

    def dense(self, headline: str, body: str) -> tuple[list[float], list[str]]:
        """The dense features, and the body sentences that match the headline best (the evidence)."""
        head = content_words(headline)
        head_set = set(head)
        sentences = [s.strip() for s in SENTENCE_BREAK.split(body) if s.strip()] or [""]
        sent_words = [words(s) for s in sentences]
        h = self._vector(head, idf=True)
        body_words = [w for ws in sent_words for w in ws]
        lead_words = [w for ws in sent_words[:3] for w in ws]
        sims = [self._cos(h, self._vector(ws, idf=True)) for ws in sent_words]
        order = sorted(range(len(sentences)), key=lambda i: -sims[i])
        best = order[:3]
        best_words = [w for i in best for w in sent_words[i]]

        def cover(ws: list[str]) -> float:
            return len(head_set & set(ws)) / max(len(head_set), 1)

        def rate(ws: list[str], lexicon: frozenset) -> float:
            return sum(w in lexicon for w in ws) / max(math.sqrt(len(ws)), 1.0)

        head_bigrams = set(zip(head, head[1:]))
        body_content = [w for w in body_words if w not in STOP]
        bigram_cover = len(head_bigrams & set(zip(body_content, body_content[1:]))) / max(len(head_bigrams), 1)
        head_all = words(headline)
        cos_body = self._cos(h, self._vector(body_words, idf=True))
        f = [cos_body, self._cos(h, self._vector(lead_words, idf=True)), sims[order[0]],
             sum(sims[i] for i in best) / len(best), cover(body_words), cover(lead_words), cover(sent_words[order[0]]),
             bigram_cover, float(any(w in REFUTE for w in head_all)), float(any(w in HEDGE for w in head_all)),
             float("?" in headline), rate(body_words, REFUTE), rate(body_words, HEDGE), rate(body_words, AGREE),
             rate(best_words, REFUTE), rate(best_words, HEDGE), rate(best_words, AGREE), rate(lead_words, REFUTE),
             rate(lead_words, HEDGE), float(sum(w in ("not", "no", "never", "n't") for w in best_words)),
             math.log1p(len(body_words)) / 10, float(cos_body < 0.05 and cover(body_words) < 0.3)]
        evidence = [sentences[i] for i in sorted(best) if sims[i] > 0]
        return f, evidence


class Network:
    """A standardised input, one hidden ReLU layer and a softmax (or, with one output, a sigmoid)."""

    def __init__(self, arrays: dict[str, np.ndarray], prefix: str):
        self.mean, self.scale, self.w1, self.b1, self.w2, self.b2 = (
            arrays[f"{prefix}{k}"].astype(np.float32) for k in ("mean", "scale", "w1", "b1", "w2", "b2"))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        z = np.maximum(((x - self.mean) / self.scale) @ self.w1 + self.b1, 0.0) @ self.w2 + self.b2
        if z.shape[-1] == 1:
            return 1.0 / (1.0 + np.exp(-z))
        p = np.exp(z - z.max(axis=-1, keepdims=True))
        return p / p.sum(axis=-1, keepdims=True)


class StanceModel:
    """Two networks: relatedness over the word and encoder similarities, and agree / disagree / discuss over
    those and the denial, hedge and voice features (reading.py). Weights from the npz (r_* and s_*), the
    vocabulary, the prior on each stance chosen on dev and the figures from the card."""

    def __init__(self, card: dict, arrays: dict[str, np.ndarray], encode=None):
        from .reading import Reader

        self.card = card
        self.labels = tuple(card["labels"])  # agree, disagree, discuss, unrelated: the last is "not related"
        self.featurizer = Featurizer(card["vocab"], card["idf"])
        self.reader = Reader(self.featurizer, encode)
        self.related, self.stance = Network(arrays, "r_"), Network(arrays, "s_")
        self.prior = np.asarray(card.get("prior", [1.0, 1.0, 1.0]), np.float32)

    def inputs(self, claim: str, body: str, voices=()) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(relatedness input, stance input, evidence sentences)."""
        from .reading import ENCODED

        dense, by_words = self.featurizer.dense(claim, body)
        read, by_meaning = self.reader.features(claim, body, voices)
        rel = np.concatenate([np.asarray(dense, np.float32), read[:len(ENCODED)]])
        return rel, np.concatenate([np.asarray(dense, np.float32), read]), list(dict.fromkeys(by_meaning + by_words))

    def combine(self, rel: np.ndarray, st: np.ndarray) -> np.ndarray:
        """Rows of probabilities over the four labels from rows of inputs."""
        related = self.related(rel)[:, :1]
        p = self.stance(st) * self.prior
        p /= p.sum(axis=1, keepdims=True)
        return np.hstack([related * p, 1.0 - related])

    def probabilities(self, claim: str, body: str, voices=()) -> tuple[np.ndarray, list[str]]:
        rel, st, evidence = self.inputs(claim, body, voices)
        return self.combine(rel[None], st[None])[0], evidence

    def predict(self, claim: str, body: str, voices=()) -> Prediction:
        p, evidence = self.probabilities(claim, body, voices)
        probs = {label: round(float(v), 3) for label, v in zip(self.labels, p)}
        return Prediction(self.labels[int(p.argmax())], probs, evidence)


@lru_cache(maxsize=1)
def load() -> StanceModel:
    base = resources.files("counterclaim") / "data"
    card = json.loads((base / "stance-model.json").read_text())
    with resources.as_file(base / "stance-model.npz") as path, np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    return StanceModel(card, arrays)
