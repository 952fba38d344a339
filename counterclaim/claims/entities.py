"""What a claim is about, as keys that threads block on: a party the actor dictionary places is its code
("Tehran", "Iranian" and "Iran" are all IRN); any other name is its distinctive word ("Northline Mobile"
and "Northline" are both "northline"; a person's is the surname: "Helen Varga", "Ms Varga", "Varga")."""
from __future__ import annotations

import re

from ..actors import Actors, country_code
from ..models import Party

# Words that name a kind of body rather than one body: "the Ministry of Defence" is keyed by its country.
GENERIC = {"the", "of", "and", "for", "in", "on", "a", "an", "ministry", "department", "office", "agency",
           "company", "group", "inc", "ltd", "plc", "corp", "co", "council", "city", "state", "national",
           "federal", "government", "party", "committee", "commission", "union", "university", "mr", "mrs",
           "ms", "dr", "sir", "president", "minister", "mayor", "spokesman", "spokeswoman", "spokesperson"}
STOPWORDS = GENERIC | {
    "a", "about", "after", "again", "all", "also", "any", "are", "as", "at", "be", "been", "before", "being",
    "but", "by", "can", "could", "did", "do", "does", "had", "has", "have", "he", "her", "his", "i", "if", "into",
    "is", "it", "its", "last", "more", "most", "no", "not", "now", "or", "other", "our", "over", "said", "says",
    "she", "since", "so", "some", "than", "that", "their", "them", "then", "there", "these", "they", "this",
    "those", "to", "was", "we", "were", "what", "when", "which", "while", "who", "will", "with", "would", "you",
    "year", "years", "week", "weeks", "day", "days", "month", "months", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "told", "according", "never", "been", "just", "only", "very"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
NEGATIVE_SUBJECTS = {"nobody", "none", "nothing", "noone"}  # "nobody has blocked": no one to key a claim on
PRONOUNS = {"i", "we", "he", "she", "it", "they", "you", "us", "them", "him", "her", "this", "that", "who",
            "someone", "somebody"} | NEGATIVE_SUBJECTS


def name_key(name: str, person: bool = False) -> str | None:
    words = [w.lower().strip("'-") for w in _WORD.findall(name.replace("'s ", " "))]
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    words = [w for w in words if w not in GENERIC and w not in STOPWORDS and len(w) > 1]
    if not words:
        return None
    return words[-1] if person else words[0]


def entity_of(text: str, label: str, actors: Actors) -> dict | None:
    """A named entity as the claim records it: its words, label, actor code (where placed) and key."""
    found = actors.find(text)
    code = next((m.actor for m in found if m.country), None)
    key = country_code(code) if code else name_key(text, person=label == "PERSON")
    if key is None:
        return None
    return {"name": text, "label": label, "actor": code, "key": key}


def keys_of_party(party: Party | None, actors: Actors, label: str | None = None) -> list[str]:
    """Keys of an agent or recipient: its code, else its name's key, else the head noun of the phrase that
    names it ("the vessel" -> "vessel"), so a claim about an unnamed thing still has something to meet on."""
    if party is None:
        return []
    if party.actor:
        return [country_code(party.actor)]
    name = party.name or ""
    if not name or name.lower() in PRONOUNS:
        return []
    found = actors.find(name)
    code = next((m.actor for m in found if m.country), None)
    if code:
        return [country_code(code)]
    capitalised = [w for w in name.split() if w[:1].isupper()]
    # Two capitalised words are a person's names ("Helen Varga": the surname), unless the parse says they
    # are a body's ("Harrowgate Developments": the first).
    person = label == "PERSON" if label else len(capitalised) >= 2
    key = name_key(" ".join(capitalised), person=person) if capitalised else None
    if key is None:
        words = [w.lower() for w in _WORD.findall(name) if w.lower() not in STOPWORDS]
        key = words[-1] if words else None
    return [key] if key else []


MAX_WORDS = 3000  # an article's first words are enough to say what it is about
_LONG_WORD = re.compile(r"[a-z][a-z'-]{2,}")  # _WORD over lower case, three letters or more


def keys_of_words_list(text: str) -> list[str]:
    """keys_of_words in order, repeats kept (for counting)."""
    return [w[:6] for w in _LONG_WORD.findall(text[:MAX_WORDS * 8].lower()) if w not in STOPWORDS]


def keys_of_words(text: str) -> set[str]:
    """The content words of a text, cut to six letters (a poor man's stem: "resigned" and "resigns" meet)."""
    return {w.lower()[:6] for w in _WORD.findall(text) if len(w) > 2 and w.lower() not in STOPWORDS}
