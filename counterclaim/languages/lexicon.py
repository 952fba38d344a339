"""The words a rule reader needs to read news in a language other than English: quotation marks, speech and
denial verbs (each glossed by the English cue lemma the rest of the system keys on), negation, dismissive
and hedging words, "according to", that-words, and the names of countries, capitals, bodies and agencies
with their actor codes. The lexicons are data (counterclaim/data/languages.json, with their sources).

An entry is a stem: in a language written with spaces it matches at the start of a word (after one of the
language's clitic prefixes, for Arabic) with any ending, so one stem covers a verb's inflected forms; in
Chinese and Japanese, anywhere. An entry ending in "$" is a whole word ("США$"); one with a capital letter
matches in that case only."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Lists matched as substrings in every language: in Korean and Arabic a negation is a verb ending or a
# particle glued to the word before it, not a word of its own.
SUBSTRING_NEGATION = {"ko", "ar", "ja", "zh"}


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    entry: str  # the lexicon's entry that matched
    value: str  # what the entry stands for (a cue lemma, an actor code, a sector) or the entry itself


class Table:
    """One list of a lexicon, compiled to find its entries in a text."""

    def __init__(self, entries: dict[str, str], spaced: bool, prefixes: list[str], anywhere: bool = False):
        self.values = {}
        exact, folded = [], []
        for entry, value in entries.items():
            whole = entry.endswith("$")
            stem = entry[:-1] if whole else entry
            if not stem:
                continue
            key = stem if stem != stem.lower() else stem.lower()
            self.values[key] = value
            pattern = re.escape(stem) + (r"(?!\w)" if whole else "")
            (exact if stem != stem.lower() else folded).append((len(stem), pattern))
        if spaced and not anywhere:
            lead = r"(?<!\w)(?:" + "|".join(sorted(map(re.escape, prefixes), key=len, reverse=True)) + ")?" if prefixes else r"(?<!\w)"
        else:
            lead = ""
        self.patterns = [re.compile(lead + "(" + "|".join(p for _, p in sorted(group, reverse=True)) + ")", flags)
                         for group, flags in ((exact, 0), (folded, re.IGNORECASE)) if group]

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        """Every entry in text[start:end], the longest where two overlap, in order."""
        end = len(text) if end is None else end
        hits = []
        for pattern in self.patterns:
            for m in pattern.finditer(text, start, end):
                stem = m.group(1)
                value = self.values.get(stem, self.values.get(stem.lower(), stem))
                hits.append(Hit(m.start(1), m.end(1), stem, value))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        out: list[Hit] = []
        for h in hits:
            if not out or h.start >= out[-1].end:
                out.append(h)
        return out

    def first(self, text: str, start: int = 0, end: int | None = None) -> Hit | None:
        found = self.find(text, start, end)
        return found[0] if found else None


@dataclass(frozen=True)
class Lexicon:
    code: str
    name: str
    spaced: bool
    quotes: tuple[tuple[str, str], ...]
    cues: Table
    negation: Table
    dismissive: Table
    hedges: Table
    according: Table
    question: Table
    after: Table  # that-words: the reported content follows them
    before: Table  # quotative endings of verb-final languages: the content comes before them
    bodies: Table
    actors: Table
    source: str


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(resources.files("counterclaim").joinpath("data/languages.json").read_text("utf-8"))


def languages() -> list[str]:
    """The languages a lexicon is written for."""
    return sorted(_data()["languages"])


@lru_cache(maxsize=32)
def lexicon(code: str) -> Lexicon | None:
    """The lexicon of a language (ISO 639-1), or None where none is written."""
    d = _data()["languages"].get((code or "").split("-")[0])
    if d is None:
        return None
    spaced, prefixes = bool(d.get("spaced", True)), list(d.get("prefixes") or [])

    def table(entries, anywhere: bool = False) -> Table:
        if isinstance(entries, list):
            entries = {e: e for e in entries}
        return Table(entries or {}, spaced, prefixes, anywhere)

    complement = d.get("complement") or {}
    negation_anywhere = code in SUBSTRING_NEGATION
    return Lexicon(code=code, name=d.get("name", code), spaced=spaced,
                   quotes=tuple(tuple(q) for q in d.get("quotes") or [["\"", "\""]]),
                   cues=table(d.get("cues")), negation=table(d.get("negation"), negation_anywhere),
                   dismissive=table(d.get("dismissive")), hedges=table(d.get("hedges")),
                   according=table(d.get("according")), question=table(d.get("question"), negation_anywhere),
                   after=table(complement.get("after")), before=table(complement.get("before"), True),
                   bodies=table(d.get("bodies")), actors=table(d.get("actors")), source=d.get("source", ""))
