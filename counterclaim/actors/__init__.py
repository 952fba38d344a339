"""Actors: place a phrase ("North Korea's defence ministry", "John Kirby", "Pyongyang") as a CAMEO-style
code (country + sector). The dictionaries are data (counterclaim/data/actors.json), not code."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

SECTOR_ORDER = ["MIL", "SPY", "JRN", "LEG", "JUD", "COP", "BUS", "OPP", "REB", "NGO", "GOV"]
# Codes that stand whole, with no country part: international bodies (IGO...), non-governmental ones
# (NGO...) and militant groups (IMG...).
WHOLE_CODES = ("IGO", "NGO", "IMG")


def country_code(actor: str) -> str:
    """The code an actor is keyed and grouped by: its country, or the whole code of a body that belongs to
    no one country (IGOUNO, NGO...)."""
    return actor if actor.startswith(WHOLE_CODES) else actor[:3]


def split_code(actor: str | None) -> tuple[str | None, str | None]:
    """(country, sector) of an actor code: "PRKMIL" is (PRK, MIL); a whole code is its own country."""
    if not actor:
        return None, None
    if actor.startswith(WHOLE_CODES):
        return actor, None
    return actor[:3] or None, actor[3:] or None


@dataclass(frozen=True)
class Match:
    start: int  # offsets inside the phrase that was looked up
    end: int
    # person | organisation | media | seat | country | adjective | people, or place: where an unnamed doer acted
    kind: str
    name: str
    country: str | None
    sector: str | None
    role: str | None = None

    @property
    def actor(self) -> str | None:
        if self.country and self.country.startswith(WHOLE_CODES):
            return self.country
        return (self.country or "") + (self.sector or "") or None


@dataclass(frozen=True)
class Entry:
    kind: str
    name: str
    country: str | None
    sector: str | None
    role: str | None = None
    start_date: str | None = None
    end_date: str | None = None


class Dictionary:
    def __init__(self, data: dict):
        self.names: dict[str, str] = {}
        entries: dict[str, list[Entry]] = {}

        def add(alias: str, entry: Entry) -> None:
            entries.setdefault(alias, []).append(entry)

        for code, c in _pycountry_names().items():
            self.names.setdefault(code, c)
            add(c, Entry("country", c, code, None))
        for code, c in data["countries"].items():
            self.names[code] = c["name"]
            for alias in c.get("aliases", []):
                entries.pop(alias, None)
                add(alias, Entry("country", c["name"], code, None))
            for alias in c.get("adjectives", []):
                add(alias, Entry("adjective", c["name"], code, None))
                if alias.endswith(("an", "i")):  # the people: "Palestinians", "Israelis" (not "Chinese")
                    add(alias + "s", Entry("people", c["name"], code, None))
            for alias in c.get("seats", []):
                add(alias, Entry("seat", c["name"], code, "GOV"))
        for o in data["organisations"]:
            actor = o.get("actor") or ""
            country, sector = split_code(actor)
            for alias in o["aliases"]:
                add(alias, Entry("organisation", o["name"], country, sector))
        for m in data["media"]:
            for alias in m["aliases"]:
                add(alias, Entry("media", m["aliases"][0], m["country"], "JRN"))
        for p in data["persons"]:
            actor = p["actor"]
            country, sector = split_code(actor)
            for alias in [p["name"], *p.get("aliases", [])]:
                add(alias, Entry("person", p["name"], country, sector, p.get("role"), p.get("from"), p.get("to")))
        self.entries = entries
        self._found: dict[tuple[str, str | None], tuple[Match, ...]] = {}
        # Case-sensitive: "US" the country, never "us" the pronoun.
        self.pattern = re.compile(r"(?<![\w])(?:" + _trie_pattern(entries) + r")(?![\w])")
        roles = [(w, s) for s in SECTOR_ORDER for w in data["roles"].get(s, [])]
        self.role_sector = {w.lower(): s for w, s in reversed(roles)}  # matched case-blind ("NGO", "ngo")
        self.role_pattern = re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in sorted(self.role_sector, key=len, reverse=True)) + r")\b",
            re.IGNORECASE,
        )

    def find(self, phrase: str, date: str | None = None) -> list[Match]:
        """Every dictionary entry named in the phrase, in order."""
        key = (phrase, date)
        if key not in self._found:
            if len(self._found) > 20000:  # the same phrases recur within an article, rarely across many
                self._found.clear()
            self._found[key] = tuple(self._find(phrase, date))
        return list(self._found[key])

    def _find(self, phrase: str, date: str | None) -> list[Match]:
        found = []
        for m in self.pattern.finditer(phrase):
            if phrase[m.end():m.end() + 2].lstrip().startswith("$"):
                continue  # "US $50 million" is a currency, not the country
            entry = self._pick(self.entries[m.group(0)], date)
            found.append(Match(m.start(), m.end(), entry.kind, entry.name, entry.country, entry.sector, entry.role))
        return found

    def sector(self, phrase: str) -> tuple[str | None, str | None]:
        """(sector, the role words) from words like 'spokesman', 'defence ministry', 'journalists'."""
        words = [m.group(0).lower() for m in self.role_pattern.finditer(phrase)]
        if not words:
            return None, None
        sectors = {self.role_sector[w] for w in words}
        best = min(sectors, key=SECTOR_ORDER.index)
        return best, next(w for w in words if self.role_sector[w] == best)

    @staticmethod
    def _pick(entries: list[Entry], date: str | None) -> Entry:
        if len(entries) == 1 or not date:
            return entries[-1]
        for e in entries:
            if (e.start_date or "0000") <= date <= (e.end_date or "9999"):
                return e
        return entries[-1]


def _trie_pattern(words) -> str:
    """One regular expression for many words, branching letter by letter: Python's re tries the branches
    of an alternation one by one at every position, so a thousand aliases made every look-up slow. The
    longest alias wins, as in an alternation sorted by length: each optional tail is tried first."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _pycountry_names() -> dict[str, str]:
    import pycountry

    names = {}
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        if "," not in name and "(" not in name:
            names[c.alpha_3] = name
    return names


@lru_cache(maxsize=1)
def dictionary() -> Dictionary:
    data = json.loads(resources.files("counterclaim").joinpath("data/actors.json").read_text("utf-8"))
    return Dictionary(data)


def country_name(code: str | None) -> str | None:
    return dictionary().names.get(code[:3]) if code else None


def place(phrase: str, date: str | None = None, speaking: bool = True) -> Match | None:
    """The one actor a phrase names, e.g. "North Korea's vice director ... of the Ministry of National
    Defense" -> PRK MIL. A speaker that is a bare country speaks for its government (GOV)."""
    d = dictionary()
    matches = d.find(phrase, date)
    sector, role = d.sector(phrase)
    if not matches:
        return Match(0, 0, "role", role, None, sector, role) if sector else None
    # A named person, outlet or organisation wins; among places, the first mentioned: a phrase's own
    # modifiers come before what is attached to it ("the Russian embassy in London" is Russia's).
    rank = {"person": 0, "media": 1, "organisation": 2, "seat": 3, "country": 3, "adjective": 3, "people": 3}
    best = min(matches, key=lambda m: (rank[m.kind], m.start))
    country = best.country
    if best.kind in ("country", "adjective", "seat", "people"):
        # A capital speaks for its government; as the doer of an act it is just the country. A people
        # ("Palestinians said") is not its government.
        sec = sector or (best.sector or "GOV" if speaking and best.kind != "people" else None)
        return Match(best.start, best.end, best.kind, best.name, country, sec, role)
    if best.kind == "organisation" and best.country is None:
        other = next((m.country for m in matches if m.kind in ("country", "adjective", "seat", "people")), None)
        return Match(best.start, best.end, best.kind, best.name, other, best.sector or sector, role)
    if best.kind == "media" and sector is None:
        sector = "JRN"
    if best.kind in ("organisation", "media") and sector is not None and best.sector is not None:
        sector = best.sector
    return Match(best.start, best.end, best.kind, best.name, country, sector or best.sector, best.role or role)


@dataclass(frozen=True)
class Actors:
    """The dictionary as it stood on one date (people hold offices for a while, "Bush" in 1990 is not
    "Bush" in 2003): what an article's stages look names up in. The pipeline binds one to each parsed
    article (bind), so a stage reaches it from any token (actors_of(tok.doc)), not through its arguments."""

    date: str | None = None

    def place(self, phrase: str, speaking: bool = True) -> Match | None:
        return place(phrase, self.date, speaking)

    def find(self, phrase: str) -> list[Match]:
        return dictionary().find(phrase, self.date)

    def countries(self, text: str) -> list[str]:
        """The countries the text names, in order (a person's or a body's country too)."""
        return [m.country for m in self.find(text) if m.country and len(m.country) == 3]


UNDATED = Actors()


def bind(doc, date: str | None) -> None:
    """Bind the dictionary as of the article's date to its parse."""
    doc.user_data["actors"] = Actors(date)


def actors_of(doc) -> Actors:
    """The dictionary bound to the article a parse holds (undated where none was bound)."""
    return doc.user_data.get("actors", UNDATED)
