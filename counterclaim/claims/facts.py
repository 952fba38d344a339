"""Events the article states as fact, outside any attribution: the coder's event for each sentence whose
event word is not reported speech ("Israel and Lebanon renewed negotiations"), and event nouns with a doer
("joint US-South Korean war drills"). Reported speech is left to the attribution stage: what a speaker
alleges stays claim content. Sentences about earlier events ("last week's missile launches", "in 2019")
give events marked `background`, so that a reader counting new events can leave them out."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ..actors import Match, actors_of, country_name
from ..models import Attribution, Event, Party
from ..nlp import sentences, text_of
from .coder import _lexicon, code_sentence, goldstein

# Event nouns whose PLOVER mode the noun itself gives.
MODES = {"drills": "troops", "exercises": "troops", "exercise": "troops", "deployment": "troops",
         "launches": "weapons", "launch": "weapons", "test": "weapons", "tests": "weapons"}
CONTEXTS = {noun: ["military"] for noun in MODES}
_EARLIER = re.compile(
    r"\b(?:last (?:week|month|year|summer|spring|autumn|fall|winter)(?:'s)?|earlier this (?:week|month|year)|"
    r"(?:days|weeks|months|years|decades) ago|previously|in the past|had (?:\w+ly )?(?:been|\w+ed)|in (?:19|20)\d\d)\b",
    re.IGNORECASE)


def fact_events(doc: Doc, article_id: str, attributions: list[Attribution], focus: str | None,
                first: int = 1) -> list[Event]:
    """Events told as fact, outside reported speech; `focus` is the country the article is about, the doer
    of an event noun whose own words name none but point away ("launches out of the north")."""
    # Words inside reported speech, and the cues that report it, are the attribution stage's.
    text = text_of(doc)
    spoken = bytearray(len(text) + 1)
    for a in attributions:
        for s, e in [(c.start, c.end) for c in a.content] + [(a.cue.start, a.cue.end)]:
            spoken[s:e] = b"\x01" * (e - s)

    def said(tok: Token) -> bool:
        return bool(spoken[tok.idx])

    out: list[Event] = []
    seen: set[tuple] = set()
    for sent in sentences(doc):
        if all(said(t) for t in sent if not t.is_space):
            continue  # a sentence wholly reported speech has nothing told as fact
        background = bool(_EARLIER.search(text, sent.start_char, sent.end_char))
        found = []
        coded = code_sentence(sent)
        if coded is not None and (not _doer(coded.actor) or said(coded.word) or not _told_as_done(coded.word)):
            coded = None  # an event needs a doer; the word may still be an event noun with one
        if coded is not None:
            found.append((coded.event, coded.cameo, coded.actor, coded.recipient, coded.word))
        for tok in sent:
            if coded is not None and tok.i == coded.word.i or said(tok):
                continue
            hit = _event_noun(tok, focus)
            if hit is not None:
                found.append(hit)
        for event, cameo, actor, recipient, word in found:
            key = (event, actor.actor, recipient.actor if recipient else None, sent.start)
            if key in seen:
                continue
            seen.add(key)
            out.append(Event(
                id=f"{article_id}:e{first + len(out)}", actor=_party(actor), event=event,
                mode=MODES.get(word.lower_), recipient=_party(recipient) if recipient else None, cameo=cameo,
                quad_class=_lexicon()[3][event], goldstein=goldstein(cameo), attribution=None, claim=None,
                sentence=(sent.start_char, sent.end_char), context=CONTEXTS.get(word.lower_, []),
                background=background))
    return out


HYPOTHETICAL_MARKS = {"if", "unless", "whether", "once"}
HYPOTHETICAL_AUX = {"would", "could", "might", "may", "should", "must", "can", "to"}


def _doer(m: Match | None) -> bool:
    """A country, or an international or non-governmental body, named as the doer: a role alone ("police")
    places no event, nor does the country where an unnamed doer acted."""
    return m is not None and bool(m.country) and m.kind != "place"


def _told_as_done(word: Token) -> bool:
    """The text says the act happens or happened: not negated ("did not attack"), not hypothetical ("would
    attack", "if they attack"), not a purpose or plan ("to provide food")."""
    if any(c.dep_ == "neg" for c in word.children):
        return False
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in HYPOTHETICAL_AUX for c in word.children):
        return False
    for t in [word, *word.ancestors]:
        if any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS for c in t.children):
            return False
    return True


def _event_noun(tok: Token, focus: str | None):
    """(event, cameo, actor, recipient, word) for an event noun with a doer: its own modifiers ("US
    drills"), a "by X" phrase, or a "from / out of" phrase (the article's focus country where that names
    no actor itself)."""
    _, nouns, _, _ = _lexicon()
    # A noun where the parse has one ("launches" is often tagged a verb); never a modifier ("war drills").
    nominal = tok.pos_ == "NOUN" or tok.dep_ in ("pobj", "dobj", "nsubj", "nsubjpass", "appos")
    if not nominal or tok.dep_ in ("compound", "amod", "nmod", "ROOT"):
        return None
    before = " ".join(t.lower_ for t in tok.lefts if t.dep_ in ("compound", "amod"))
    keys = [tok.lower_, tok.lemma_.lower()] + ([f"{before.split()[-1]} {tok.lower_}"] if before else [])
    event, cameo = next((nouns[k] for k in keys if k in nouns), (None, None))
    if event is None or event == "AGREE":
        return None  # "the Paris agreement", "immunity deals": an agreement named is a document, not an act
    left = [t for t in tok.lefts if t.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod")]
    words = " ".join(" ".join(x.text for x in t.subtree) for t in left)
    actor = _country(tok, words)
    for prep in (c for c in tok.rights if c.dep_ == "prep"):
        obj = next((g for g in prep.subtree if g.dep_ == "pobj"), None)  # "out of the north": two words
        if actor is None and obj is not None and prep.lower_ in ("by", "from", "out"):
            actor = _country(tok, " ".join(t.text for t in obj.subtree))
            if actor is None and focus and prep.lower_ in ("from", "out"):
                actor = Match(0, 0, "country", focus, focus, None)
    if not _doer(actor):
        return None
    return event, cameo, actor, None, tok


def _country(tok: Token, phrase: str) -> Match | None:
    m = actors_of(tok.doc).place(phrase, speaking=False) if phrase.strip() else None
    return m if m is not None and m.country else None


def _party(m: Match) -> Party:
    return Party(m.name if m.kind != "country" or not m.country else country_name(m.country) or m.name, m.actor)


__all__ = ["fact_events"]
