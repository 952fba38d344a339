"""The predicate lexicon (counterclaim/data/predicates.json) as lookups."""
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


def event_for(predicate: str, obj: str | None) -> dict | None:
    p = _data()["predicates"].get(predicate)
    if p is None:
        return None
    words = set((obj or "").lower().replace("-", " ").split())
    if "military_event" in p and words & set(_data()["military_objects"]):
        return dict(p["military_event"])
    return dict(p["event"])


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
