"""Article-level stance toward a claim (agree / disagree / discuss / unrelated), read from the article's
own attributions: who asserts the claim, who denies it, who only relays it. The claim is matched by who
did what to whom when it parses into the same proposition, else by shared content words."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Analysis

LABELS = ("agree", "disagree", "discuss", "unrelated")
VOTE = {"assert": "agree", "deny": "disagree", "report": "discuss", "question": "discuss"}
_WORD = re.compile(r"[a-z][a-z'-]+")
_STOP = set("the a an of to in on at by for with and or but is are was were be been has have had that this it its "
            "their his her they he she we our from as into over said says say will would could may might not no".split())


@dataclass
class Stance:
    label: str
    probabilities: dict[str, float]
    evidence: list[str]  # the sentences that decided it


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def claim_key(claim: str) -> str | None:
    """The claim's proposition key, by reading it as something an official said."""
    from ..pipeline import analyze_text

    analysis = analyze_text(f"Officials said {claim.rstrip('.')}.")
    return analysis.claims[0].key if analysis.claims else None


def stance(claim: str, analysis: Analysis, key: str | None = None) -> Stance:
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
        best = max((len(wanted & words(s)) / max(len(wanted), 1) for s in re.split(r"(?<=[.!?])\s+", text)), default=0.0)
        votes["discuss" if best >= 0.5 else "unrelated"] = 1.0
    total = sum(votes.values()) + 0.2 * len(LABELS)  # a little smoothing: no label is ever certain
    probs = {label: round((v + 0.2) / total, 3) for label, v in votes.items()}
    label = max(LABELS, key=lambda k: votes[k])
    if label in ("agree", "disagree") and min(votes["agree"], votes["disagree"]) >= 0.6 * votes[label]:
        label = "discuss"  # both sides given about equal voice: the article reports a dispute
    return Stance(label, probs, list(dict.fromkeys(evidence)))
