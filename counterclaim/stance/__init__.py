"""Article-level stance toward a claim (agree / disagree / discuss / unrelated), from two readings: the
learned classifier over claim and text (classifier.py), and the article's own attributions: who asserts
the claim, who denies it, who only relays it (the claim matched by who did what to whom when it parses
into the same proposition, else by shared content words). Where attributions speak to the claim, the two
readings are blended; the evidence lists the attributed sentences first."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Analysis

LABELS = ("agree", "disagree", "discuss", "unrelated")
# The classifier learnt FNC-1's topics as much as its stances and is sure of itself even on a plain
# denial it misreads ("We have never sent drones"), so its probabilities are softened (temperature) and
# the article's own attributions, where they speak to the claim, weigh more. Set on FNC-1 dev: the most
# attribution weight that keeps it over the project's aims (relative score 0.894 -> 0.878, macro-F1 0.785 -> 0.747).
TEMPERATURE = 3.0
ATTRIBUTION_WEIGHT = 0.6
VOTE = {"assert": "agree", "deny": "disagree", "report": "discuss", "question": "discuss"}
_WORD = re.compile(r"[a-z][a-z'-]+")
_STOP = set("the a an of to in on at by for with and or but is are was were be been has have had that this it its "
            "their his her they he she we our from as into over said says say will would could may might not no".split())


@dataclass
class Stance:
    label: str
    probabilities: dict[str, float]
    evidence: list[str]  # the sentences that decided it
    headline: dict[str, float] | None = None  # the title's own stance (for / against / observing), when titled


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def claim_key(claim: str) -> str | None:
    """The claim's proposition key, by reading it as something an official said."""
    return claim_keys([claim])[claim]


def claim_keys(claims: list[str]) -> dict[str, str | None]:
    from ..ingest import make_article
    from ..pipeline import analyze_many

    unique = list(dict.fromkeys(claims))
    articles = []
    for c in unique:
        a = make_article(f"Officials said {c.rstrip('.')}.")
        a.language, a.warnings = "en", []  # a one-line claim is English enough to read
        articles.append(a)
    return {c: (x.claims[0].key if x.claims else None) for c, x in zip(unique, analyze_many(articles))}


def stance(claim: str, analysis: Analysis, key: str | None = None, text_only: bool = False) -> Stance:
    """The article's stance toward the claim; text_only leaves the attributions out."""
    from . import headline
    from .classifier import load

    predicted = load().predict(claim, analysis.article.text)
    voiced = None if text_only else from_attributions(claim, analysis, key)
    if voiced is None:
        label, probs, evidence = predicted.label, predicted.probabilities, predicted.evidence
    else:
        soft = {k: max(v, 1e-6) ** (1 / TEMPERATURE) for k, v in predicted.probabilities.items()}
        norm = sum(soft.values())
        probs = {k: round((1 - ATTRIBUTION_WEIGHT) * soft[k] / norm + ATTRIBUTION_WEIGHT * voiced.probabilities[k], 3)
                 for k in LABELS}
        label = max(LABELS, key=lambda k: probs[k])
        evidence = list(dict.fromkeys(voiced.evidence + predicted.evidence))
    # The headline model knows no "unrelated": it speaks only of articles about the claim.
    title = analysis.article.title
    head = headline.load().probabilities(claim, title) if title and label != "unrelated" and not text_only else None
    return Stance(label, probs, evidence, head)


def from_attributions(claim: str, analysis: Analysis, key: str | None = None) -> Stance | None:
    """The stance the article's attributions give, or None where none of them speaks to the claim."""
    text = analysis.article.text
    wanted = words(claim)
    keys = {c.id: c.key for c in analysis.claims}
    votes = {label: 0.0 for label in LABELS}
    evidence = []
    for a in analysis.attributions:
        content = " ".join(c.text for c in a.content)
        overlap = len(wanted & words(content)) / max(len(wanted), 1)
        same = key is not None and a.claim is not None and keys.get(a.claim) == key
        weight = 1.0 if same else overlap if overlap >= 0.4 else 0.0
        if weight:
            votes[VOTE[a.stance]] += weight
            evidence.append(text[a.sentence[0]:a.sentence[1]].strip())
    if not any(votes.values()):
        return None
    if min(votes["agree"], votes["disagree"]) >= 0.6 * max(votes["agree"], votes["disagree"]):
        # Both sides given about equal voice: the article reports a dispute, and takes neither side.
        votes["discuss"] += votes["agree"] + votes["disagree"]
        votes["agree"] = votes["disagree"] = 0.0
    total = sum(votes.values()) + 0.2 * len(LABELS)  # a little smoothing: no label is ever certain
    probs = {label: round((v + 0.2) / total, 3) for label, v in votes.items()}
    return Stance(max(LABELS, key=lambda k: votes[k]), probs, list(dict.fromkeys(evidence)))
