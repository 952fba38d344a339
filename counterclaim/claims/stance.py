"""The speaker's position toward the claim: assert, deny, question or report, and how certain."""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ..attribution import cues
from ..attribution.extract import Found
from .extract import Proposition


def stance(f: Found, prop: Proposition | None, content_text: str, cue_negated: bool = False) -> str:
    lemma = f.cue_lemma
    if lemma in cues.DENY or f.dismissive:
        return "deny"
    opening = content_text.lstrip().lower()
    if (lemma in cues.QUESTION or content_text.rstrip().endswith("?") or opening.startswith(("whether ", "if "))
            or " whether " in f" {opening}"):  # "was investigating whether records were taken" leaves it open
        return "question"
    if cue_negated and lemma in cues.FINDING:
        return "deny"
    if cue_negated and lemma in cues.OPEN_WHEN_NEGATED:
        return "question"  # "could not confirm that the records came from Northline" leaves it open
    if prop is not None and prop.negated and (prop.predicate in cues.OPEN_WHEN_NEGATED
                                              or prop.clause.lower().startswith(WH)):
        return "question"  # "said the UN was not able to say who had shelled the village", "did not know who"
    if ONGOING.search(content_text):
        return "question"  # "we are looking into the reports": an inquiry under way settles nothing yet
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


WH = ("who ", "what ", "which ", "where ", "when ", "how ", "why ", "whether ")
# An inquiry under way, in the content's own words.
ONGOING = re.compile(r"\b(?:is|are|was|were|will be|has been|have been)\s+(?:now\s+|still\s+)?"
                     r"(?:looking into|investigating|examining|probing|checking)\b", re.I)


def cue_negated(doc: Doc, f: Found) -> bool:
    """'could not confirm', 'did not say', 'never confirmed': the cue verb itself is negated, or the verb
    or adjective it hangs from ('was not yet able to say', 'unable to confirm')."""
    span = doc.char_span(*f.cue, alignment_mode="expand")
    if span is None:
        return False
    if any(c.dep_ == "neg" for t in span for c in t.children):
        return True
    head = span.root
    for _ in range(3):
        if head.dep_ not in ("xcomp", "acomp") or head.head.i == head.i:
            return False
        head = head.head
        if head.lower_ == "unable" or any(c.dep_ == "neg" for c in head.children):
            return True
    return False
