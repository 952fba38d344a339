"""What the stance models read, beyond word counts: the sentence encoder over the claim and the body's
sentences that matter (the lede and the sentences whose words are closest to the claim), the claim set
against its own denial and hedge, and the article's own voices (its attributions and claims) that speak
to it. A learnt model weighs these; nothing here decides.

The claim is encoded once with four rewordings ("It is not true that ...", "... is a false rumor and a
hoax", ...): a sentence closer to the denial of the claim than to the claim itself is evidence against
it, and the encoder, which was never trained to tell the two apart, gets that comparison for free."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..attribution import cues
from .classifier import REFUTE as REFUTE_WORDS
from .classifier import SENTENCE_BREAK, Featurizer, content_words, words

PICKED = 4  # sentences by words, besides the lede: what the encoder reads of a body
TEMPLATES = ("It is not true that {}.", "{} is a false rumor and a hoax.", "It has been confirmed that {}.",
             "Reports say {}, but this is unconfirmed.")
REFUTE = cues.SENTENCE_REFUTE
HEDGE = cues.SENTENCE_HEDGE
STANCES = ("assert", "deny", "question", "report")
MATCH = 0.4  # a voice speaks to the claim from this much word cover or encoder similarity
ENCODED = ("enc_best", "enc_top3", "enc_lede", "enc_mean", "enc_share_05", "enc_count_04",
           "refute_top3", "refute_lede", "hedge_top3", "hedge_lede")
NEGATED = tuple(f"{name}_{i}" for i in range(len(TEMPLATES)) for name in ("d_max", "d_best", "d_top3", "t_max"))
VOICED = (tuple(f"voice_{s}" for s in STANCES) + tuple(f"voice_{s}_best" for s in STANCES)
          + ("voice_best", "voice_outlet_deny", "voice_any", "first_hand_deny", "first_hand_assert"))


@dataclass
class Voice:
    """Something the article itself says about a matter: an attribution's content or a claim (its text, the
    speaker's or outlet's stance, and its encoder vector where the pipeline encoded it)."""
    text: str
    stance: str
    vector: np.ndarray | None = None
    outlet: bool = False
    speaker: str = ""  # the speaker's name, role and country, in words: who is speaking, to tell a first-hand voice
    name: str = ""  # the speaker as shown: the name, else the role


def speaker_words(name: str | None, role: str | None, country: str | None) -> str:
    """The words a claim may name a speaker by: the name, the role, and the country's name."""
    import pycountry

    place = pycountry.countries.get(alpha_3=country) if country else None
    names = [place.name, getattr(place, "common_name", "")] if place else []
    return " ".join(w for w in (name, role, *names) if w)


def polarity(claim: str) -> dict[str, str]:
    """How a voice's stance reads against the claim: a denial contradicts a plain claim, and agrees with a
    claim that is itself a denial ("Apple denies that phones bend", as many headlines go)."""
    if any(w in REFUTE_WORDS for w in words(claim)):
        return {"assert": "deny", "deny": "assert"}
    return {}


def first_hand(claim_words: set[str], speaker: str) -> bool:
    """The speaker is a party the claim is about: a word of its name, role or country is the claim's, or
    shares its stem ("Iranian" of "Iran", "Russian" of "Russia")."""
    for w in content_words(speaker):
        for c in claim_words:
            short, long_ = sorted((w, c), key=len)
            if len(short) >= 4 and long_.startswith(short[:max(4, len(short) - 1)]):
                return True
    return False


def sentences(body: str) -> list[str]:
    return [s.strip() for s in SENTENCE_BREAK.split(body) if s.strip()] or [""]


def voices_of(analysis) -> list[Voice]:
    """The voices of an analysed article: each attribution (with its claim's vector) and each outlet claim."""
    claims = {c.id: c for c in analysis.claims}
    out = []
    for a in analysis.attributions:
        c = claims.get(a.claim)
        who = speaker_words(a.speaker.name, a.speaker.role, a.speaker.country)
        out.append(Voice(" ".join(s.text for s in a.content), a.stance, None if c is None else c.vector, speaker=who,
                         name=a.speaker.name or a.speaker.role or ""))
    out += [Voice(c.text, c.stance or "assert", c.vector, True, name="the outlet")
            for c in analysis.claims if c.voice == "outlet"]
    return out


def voices_of_record(record: dict, vectors: dict[str, np.ndarray]) -> list[Voice]:
    """The same from a stored article record (contract layout), with the store's claim vectors by claim id."""
    out = [Voice(" ".join(s["text"] for s in a["content"]), a["stance"], vectors.get(a.get("claim") or ""),
                 speaker=speaker_words(a["speaker"].get("name"), a["speaker"].get("role"), a["speaker"].get("country")),
                 name=a["speaker"].get("name") or a["speaker"].get("role") or "")
           for a in record.get("attributions", [])]
    out += [Voice(c["text"], c.get("stance") or "assert", vectors.get(c["id"]), True, name="the outlet")
            for c in record.get("claims", []) if c.get("voice") == "outlet"]
    return out


class Reader:
    """Features of (claim, body, voices) for the two stance networks. `encode` maps texts to unit vectors; the
    training script passes a cached one."""

    def __init__(self, featurizer: Featurizer, encode: Callable[[list[str]], np.ndarray] | None = None):
        if encode is None:
            from ..nlp.encoder import encode
        self.featurizer, self.encode = featurizer, encode
        self._claim: tuple[str, np.ndarray] | None = None

    def claim_vectors(self, claim: str) -> np.ndarray:
        """The claim and its rewordings, (1 + len(TEMPLATES), DIM); the last claim is kept, since a run
        reads many bodies against one claim."""
        if self._claim is None or self._claim[0] != claim:
            bare = claim.strip().rstrip(".?!")
            self._claim = (claim, self.encode([claim] + [t.format(bare) for t in TEMPLATES]))
        return self._claim[1]

    def picked(self, claim: str, sents: list[str]) -> list[int]:
        """The lede and the PICKED sentences whose TF-IDF vectors are closest to the claim's."""
        fz = self.featurizer
        head = fz._vector(words(claim), idf=True)
        sims = [fz._cos(head, fz._vector(words(s), idf=True)) for s in sents]
        return sorted({0, *sorted(range(len(sents)), key=lambda i: -sims[i])[:PICKED]})

    def features(self, claim: str, body: str, voices: list[Voice] = ()) -> tuple[np.ndarray, list[str]]:
        """ENCODED + NEGATED + VOICED features, and the picked sentences closest to the claim by meaning."""
        sents = sentences(body)
        picked = [sents[i] for i in self.picked(claim, sents)]
        cv = self.claim_vectors(claim)
        s = self.encode(picked)
        sims = s @ cv[0]
        order = np.argsort(-sims)
        top = order[:3]
        mean = s.mean(axis=0)
        mean /= np.linalg.norm(mean) + 1e-9

        def count(lexicon, idx) -> float:
            return float(sum(w in lexicon for i in idx for w in words(picked[i])))

        f = [sims.max(), sims[top].mean(), sims[0], float(mean @ cv[0]), float((sims > 0.5).mean()),
             float((sims > 0.4).sum()), count(REFUTE, top), count(REFUTE, [0]), count(HEDGE, top), count(HEDGE, [0])]
        best = int(order[0])
        for t in cv[1:]:
            ts = s @ t
            d = ts - sims
            f += [d.max(), d[best], d[top].mean(), ts.max()]
        f += self.voiced(claim, cv[0], voices)
        evidence = [picked[i] for i in sorted(top) if sims[i] > 0.3]
        return np.asarray(f, np.float32), evidence

    @staticmethod
    def voiced(claim: str, vector: np.ndarray, voices: list[Voice]) -> list[float]:
        """How much of what the article's voices say speaks to the claim, by stance: a first-hand denial that
        matches the claim is the strongest evidence there is."""
        weight = {s: 0.0 for s in STANCES}
        best = {s: 0.0 for s in STANCES}
        outlet_deny = 0.0
        first = {"deny": 0.0, "assert": 0.0}
        for h in heard(claim, vector, voices):
            best[h.stance] = max(best[h.stance], h.match)
            if h.match >= MATCH:
                weight[h.stance] += h.match
                if h.voice.outlet and h.stance == "deny":
                    outlet_deny = max(outlet_deny, h.match)
                if h.stance in first and h.first_hand:
                    first[h.stance] = max(first[h.stance], h.match)
        total = sum(weight.values())
        return ([weight[s] / total if total else 0.0 for s in STANCES] + [best[s] for s in STANCES]
                + [max(best.values()), outlet_deny, float(total > 0), first["deny"], first["assert"]])


@dataclass
class Heard:
    """A voice as read against one claim."""
    voice: Voice
    match: float  # its cover of the claim's words, or its encoder similarity where encoded, whichever is higher
    stance: str  # its stance toward the claim: a denial of a claim that is itself a denial asserts it
    first_hand: bool  # the speaker is a party the claim is about


def heard(claim: str, vector: np.ndarray, voices: list[Voice]) -> list[Heard]:
    """Every voice read against the claim, the best match first."""
    wanted = set(content_words(claim))
    flip = polarity(claim)
    out = []
    for v in voices:
        cover = len(wanted & set(content_words(v.text))) / max(len(wanted), 1)
        sim = float(np.asarray(v.vector, np.float32) @ vector) if v.vector is not None else 0.0
        stance = v.stance if v.stance in STANCES else "assert"
        out.append(Heard(v, max(cover, sim), flip.get(stance, stance), bool(v.speaker) and first_hand(wanted, v.speaker)))
    return sorted(out, key=lambda h: -h.match)


def speaking(claim: str, vector: np.ndarray, voices: list[Voice]) -> list[Heard]:
    """The voices that speak to the claim, best first."""
    return [h for h in heard(claim, vector, voices) if h.match >= MATCH]
