"""Article-level stance toward a claim (agree / disagree / discuss / unrelated). One learnt model reads the
claim against the article's words, its sentences by meaning (the sentence encoder), and the article's own
voices: its attributions and claims that speak to the claim, with their stances, both as the model's
inputs and as a vote mixed with its probabilities (blend.py), so that a first-hand denial counts by
weights learnt on the dev split rather than by hand-set ones. The cross-encoder (cross.py), where shipped,
reads the claim and the body's nearest sentences together, mixed in as its card says (_read_together). The
headline, where there is one, also gets Emergent's for / against / observing."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..models import Analysis
from .blend import Blend, blend, read_with, split_with, vote
from .classifier import content_words
from .reading import Voice, speaking, voices_of

LABELS = ("agree", "disagree", "discuss", "unrelated")


@dataclass
class Stance:
    label: str
    probabilities: dict[str, float]
    evidence: list[str]  # the sentences that decided it: the voices that speak to the claim, then the body's
    headline: dict[str, float] | None = None  # the title's own stance (for / against / observing), when titled
    # The article's voices that speak to the claim, best match first: who, their stance toward the claim
    # (assert, deny, question, report), whether they are a party the claim is about, and what they said.
    # The label is the article's own position, as FNC-1's annotators read it; a denial by the accused
    # that the article only relays is here, whatever the label.
    voices: list[dict] = field(default_factory=list)


def stance(claim: str, analysis: Analysis, text_only: bool = False) -> Stance:
    """The article's stance toward the claim; text_only leaves the article's voices out."""
    article = analysis.article
    return judge(claim, article.text, article.title, [] if text_only else voices_of(analysis))


def judge(claim: str, text: str, title: str | None, voices: list[Voice]) -> Stance:
    """The stance of a text (with its title and voices) toward the claim."""
    from . import headline
    from .classifier import load

    model = load()
    p, by_text = model.probabilities(claim, text, voices)
    vector = model.reader.claim_vectors(claim)[0]
    rule = Blend.of(model.card)
    voted = vote(claim, vector, voices, rule.first_hand)
    p = blend(p, voted, rule)
    spoken = speaking(claim, vector, voices)
    p = _read_together(claim, text, p, voiced=voted is not None, denied=any(h.stance == "deny" for h in spoken))
    label = LABELS[int(p.argmax())]
    voiced = [{"speaker": h.voice.name or None, "stance": h.stance, "outlet": h.voice.outlet,
               "first_hand": h.first_hand, "text": h.voice.text, "match": round(h.match, 2)} for h in spoken]
    evidence = list(dict.fromkeys([h.voice.text for h in spoken] + by_text))
    # The headline model knows no "unrelated": it speaks only of articles about the claim.
    head = headline.load().probabilities(claim, title) if title and label != "unrelated" else None
    return Stance(label, {k: round(float(v), 3) for k, v in zip(LABELS, p)}, evidence, head, voiced)


def _read_together(claim: str, text: str, p: np.ndarray, voiced: bool, denied: bool) -> np.ndarray:
    """The cross-encoder's reading of the claim against the body's nearest sentences, where the article is
    about the claim, mixed as chosen on the FNC-1 dev stories (data/cross-encoder.json, `mixed_dev`). Mode
    "everywhere": it splits the related share into agree / disagree / discuss in every article. Mode "split":
    so only where no voice of the article speaks to the claim; where voices assert or relay it, it splits only
    agree against discuss, and where a voice denies it, it is not read (a model that read written denials as
    agreement)."""
    from . import cross

    if p[3] >= p[:3].sum() or not cross.available():
        return p
    mix = cross.card().get("mixed_dev") or {}
    everywhere = mix.get("mode") == "everywhere"
    if denied and not everywhere:
        return p
    split = voiced and not everywhere
    weight = float(mix.get("voiced_weight" if split else "weight", 0.0))
    if not weight:
        return p
    q = cross.probabilities([(claim, cross.passage(claim, text))])[0]
    return split_with(p, q, weight) if split else read_with(p, q, weight)


def related_hint(claim: str, claim_vector: np.ndarray, text: str, vectors: np.ndarray) -> bool:
    """Whether a stored article may speak to the claim at all: one of its encoded claims is near it in
    meaning, or its text has enough of the claim's words, rare words counting more (the model's idf).
    What fails both is unrelated without being read."""
    from .classifier import load

    near = float((vectors @ claim_vector).max()) if len(vectors) else 0.0
    if near >= GATE_SIMILARITY:
        return True
    fz = load().featurizer
    top = float(fz.idf.max())

    def idf(w: str) -> float:
        i = fz.vocab.get(w)
        return float(fz.idf[i]) if i is not None else top  # a word unseen in training is a rare one

    wanted = set(content_words(claim))
    shared = wanted & set(content_words(text))
    return sum(map(idf, shared)) >= GATE_COVER * sum(map(idf, wanted)) > 0


# Chosen on the FNC-1 dev stories: the gate loses 0.8% of their related pairs and spares reading 86% of the
# unrelated ones. Debate comments (ARC) would lose more: they share few words and have few encoded claims,
# so the gate is for stores of news articles (`stance --db`), and `stance FILE...` reads everything.
GATE_SIMILARITY = 0.3
GATE_COVER = 0.2
