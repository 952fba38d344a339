"""The speaker's position toward the claim: assert, deny, question or report, and how certain."""
from __future__ import annotations

from ..attribution import cues
from ..attribution.extract import Found
from .extract import Proposition


def stance(f: Found, prop: Proposition | None, content_text: str) -> str:
    lemma = f.cue_lemma
    if lemma in cues.DENY or f.dismissive:
        return "deny"
    if lemma in cues.QUESTION or content_text.rstrip().endswith("?"):
        return "question"
    if prop is not None and prop.negated:
        # "We have never supplied arms" denies "X supplies arms"; "officials said Iran has not sent
        # drones" likewise. The claim itself is stated positively.
        return "deny"
    if prop is not None and prop.dismissive and not prop.nested:
        return "deny"
    if prop is not None and prop.nested:
        return "report"
    if lemma in cues.REPORT or f.passive:
        return "report"
    return "assert"


def certainty(f: Found, prop: Proposition | None) -> str:
    if f.cue_lemma in cues.BELIEF:
        return "probable"
    if prop is not None and prop.hedge:
        return prop.hedge
    if f.passive:
        return "unverified"
    return "certain"
