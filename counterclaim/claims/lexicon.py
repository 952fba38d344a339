"""The predicate lexicon (counterclaim/data/predicates.json) as lookups; acts are coded in the event coder's
vocabulary (events.json, claims/coder.py)."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(resources.files("counterclaim").joinpath("data/predicates.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, str]]:
    verbs, nouns = {}, {}
    for name, p in _data()["predicates"].items():
        verbs.update({v: name for v in p["verbs"]})
        nouns.update({n: name for n in p["nouns"]})
    return verbs, nouns


def predicate_of_verb(lemma: str) -> str | None:
    return _index()[0].get(lemma)


def predicate_of_noun(lemma: str) -> str | None:
    return _index()[1].get(lemma)


MILITARY_AID = "072"


def act_of(predicate: str, verb=None, obj: str | None = None) -> dict | None:
    """The act a claim claims, in the event coder's one vocabulary (events.json): its verb with the claim's
    object ("hacked" is COERCE 176, "supplied drones" AID 072), or the verb as the coder reads it in the
    sentence, else, for a predicate the lexicon knows, the predicate's own verb with the claim's object
    ("shipped drones" is supply: AID 072). The PLOVER context
    is the predicate's, military for military aid; None where neither names a known act."""
    from .coder import event_of_lemma, event_of_word

    p = _data()["predicates"].get(predicate)
    coded = None
    if p is not None and verb is not None:
        # The claim's own object first: "supplied a small number of drones" hands over drones.
        coded = event_of_lemma(verb.lemma_.lower(), obj)
    if coded is None and verb is not None:
        coded = event_of_word(verb)
    if coded is None and p is not None:
        coded = event_of_lemma(predicate, obj)
    if coded is None:
        return None
    context = [] if p is None else ["military"] if coded[1] == MILITARY_AID else list(p["context"])
    return {"plover": coded[0], "mode": None, "context": context, "cameo": coded[1]}


def is_hostile(predicate: str) -> bool:
    return predicate in _data()["hostile"]


def object_class(obj: str | None) -> str:
    """'artillery shells' and 'weapons' are both 'arms'; unknown objects keep their last word."""
    if not obj:
        return ""
    words = obj.lower().replace("-", " ").split()
    for name, members in _data()["object_classes"].items():
        if set(words) & set(members):
            return name
    return words[-1] if words else ""  # an object of hyphens alone ("--") names no kind of thing


def keyed_by_object(predicate: str) -> bool:
    return predicate in _data()["keyed_by_object"]
