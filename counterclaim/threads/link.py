"""Link claims from many articles into threads and date each thread's status changes.

A thread is one proposition (who did what to whom, with what kind of thing) followed over time. Its
status moves as the record grows: unverified while only asserted or relayed; disputed once a party
denies what another asserts; confirmed when the accused itself admits the act; retracted when an
asserter takes it back; refuted when a third party with no stake shows it false.

Claims join one thread when they have the same key (who, what, whom, what kind of thing), and also by
meaning: a claim that leaves out whom joins the one thread that has the rest of its key, and claims
about the same parties with the same PLOVER type join when their own words mostly agree ("Russia hacked
the election commission" and "Russia attacked the election commission's servers"). A thread is also
bounded in time: after a silence of WINDOW_DAYS the same claim starts a new thread (an old accusation
revived years later is a new story, with its own status)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from ..models import Thread
from .sets import DisjointSets
from .syndication import origins

RETRACT_CUES = {"retract", "withdraw"}
ADMIT_CUES = {"admit", "acknowledge", "concede", "confirm"}
PLAIN_CUES = {"say", "state", "announce", "tell", "add", "declare"}
REFUTE_CUES = {"refute", "debunk", "disprove"}
WINDOW_DAYS = 365
SAME_WORDS = 0.5  # Jaccard overlap of two claims' own words (parties left out) to be one claim
_WORD = re.compile(r"[a-z]{3,}")


@dataclass
class Mention:
    """One attribution of a claim, with what threads need to know about its article."""

    attribution: str
    article: str
    date: str | None
    order: int  # position of the article in the store, to order same-day mentions stably
    position: int  # offset of the cue in its article
    outlet: str | None
    speaker: str | None
    actor: str | None
    country: str | None
    sector: str | None
    stance: str
    certainty: str
    cue: str
    claim_id: str
    claim_key: str
    claim_text: str
    agent_country: str | None
    plover: str | None = None
    parties: str = ""  # the claim's agent and recipient as named in it
    thread: str | None = None  # set by link()


def thread_id(key: str) -> str:
    return "t" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def link(mentions: list[Mention], signatures: dict[str, list[int]] | None = None,
         window_days: int = WINDOW_DAYS) -> list[Thread]:
    """Group mentions into threads (by key, then by meaning, then split at long silences) and walk each in
    date order to build its status history. Sets each mention's `thread`."""
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(m.claim_key, []).append(m)
    groups = merge_by_meaning(groups)
    in_threads = {m.article for m in mentions}
    origin = origins({a: s for a, s in (signatures or {}).items() if a in in_threads}) if signatures else {}
    threads = []
    for key, group in groups.items():
        group.sort(key=lambda m: (m.date or "9999-99-99", m.order, m.position))
        for n, part in enumerate(_split_at_silences(group, window_days)):
            # The first thread of a key keeps the plain id, so ids stay stable as the store grows.
            t = _thread(key, part, origin, thread_id(key if n == 0 else f"{key}@{part[0].date}"))
            for m in part:
                m.thread = t.id
            threads.append(t)
    threads.sort(key=lambda t: (t.first_seen or {}).get("date") or "", reverse=True)
    return threads


def _parts(key: str) -> list[str]:
    parts = key.split("|")
    return parts + [""] * (4 - len(parts))


def _own_words(group: list[Mention]) -> set[str]:
    """The claim's words without its parties' names: what is claimed, not who is in it (cut to six letters,
    a poor man's stem)."""
    text = " ".join(dict.fromkeys(m.claim_text for m in group)).lower()
    names = " ".join(dict.fromkeys(m.parties for m in group)).lower()
    return {w[:6] for w in _WORD.findall(text)} - {w[:6] for w in _WORD.findall(names)}


def merge_by_meaning(groups: dict[str, list[Mention]]) -> dict[str, list[Mention]]:
    """Join key groups that are one claim told differently; the larger group's key names the thread."""
    sets = DisjointSets(groups)
    find = sets.find

    def union(a: str, b: str) -> None:
        a, b = find(a), find(b)
        if a != b:
            big, small = (a, b) if (len(groups[a]), b) >= (len(groups[b]), a) else (b, a)
            sets.attach(small, big)
            groups[big] = groups[big] + groups[small]

    # Whom left out: "Iran supplies drones" joins "Iran supplies drones to Russia" when that is the only such.
    full: dict[tuple, list[str]] = {}
    for key in groups:
        agent, pred, recipient, obj = _parts(key)
        if agent and recipient:
            full.setdefault((agent, pred, obj), []).append(key)
    for key in list(groups):
        agent, pred, recipient, obj = _parts(key)
        if agent and not recipient and len(full.get((agent, pred, obj), [])) == 1:
            union(full[(agent, pred, obj)][0], key)
    # Other words for the same act between the same parties.
    buckets: dict[tuple, list[str]] = {}
    for key, group in groups.items():
        agent, _, recipient, _ = _parts(key)
        plover = next((m.plover for m in group if m.plover), None)
        if agent and recipient and plover and find(key) == key:
            buckets.setdefault((agent, recipient, plover), []).append(key)
    for keys in buckets.values():
        if len(keys) < 2:
            continue
        words = {k: _own_words(groups[k]) for k in keys}
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                wa, wb = words[a], words[b]
                if wa and wb and len(wa & wb) / len(wa | wb) >= SAME_WORDS:
                    union(a, b)
    return {k: g for k, g in groups.items() if find(k) == k}


def _split_at_silences(group: list[Mention], window_days: int) -> list[list[Mention]]:
    parts, last = [[]], None
    for m in group:
        day = date.fromisoformat(m.date) if m.date else None
        if day and last and (day - last).days > window_days and parts[-1]:
            parts.append([])
        parts[-1].append(m)
        last = day or last
    return parts


def _thread(key: str, group: list[Mention], origin: dict[str, str], tid: str) -> Thread:
    first = group[0]
    t = Thread(id=tid, claim=first.claim_text, key=key)
    t.first_seen = {"date": first.date, "article": first.article, "speaker": first.speaker or first.actor}
    asserted: dict[str, dict] = {}
    denied: dict[str, dict] = {}
    asserters: set[str] = set()
    deniers: set[str] = set()
    status = None
    for m in group:
        party = m.actor or m.country or (m.speaker or "unknown")
        side = m.country or party
        new = status
        if m.stance == "assert":
            _side(asserted, party, m)
            if m.agent_country and m.country == m.agent_country and (
                    m.cue in ADMIT_CUES or m.cue in PLAIN_CUES and m.certainty == "certain"):
                new = "confirmed"  # the accused itself says it did it
            elif status in (None, "unverified"):
                new = "disputed" if deniers - {side} else "unverified"
            elif status == "retracted":
                new = "disputed" if deniers - {side} else "unverified"
            asserters.add(side)
        elif m.stance == "deny":
            _side(denied, party, m)
            if status == "confirmed":
                pass  # an admission stands; later denials are recorded, not believed
            elif side in asserters and (m.cue in RETRACT_CUES or not (asserters - {side})):
                new = "retracted"
            elif m.cue in REFUTE_CUES and side != m.agent_country and m.sector in ("IGO", "JRN", "JUD"):
                new = "refuted"
            elif asserters - {side}:
                new = "disputed"
            elif status is None:
                new = "unverified"
            deniers.add(side)
        else:
            new = status or "unverified"
        if new != status:
            t.status_history.append({"date": m.date, "status": new, "because": m.attribution})
            status = new
    t.status = status or "unverified"
    t.asserted_by = list(asserted.values())
    t.denied_by = list(denied.values())
    t.articles = list(dict.fromkeys(m.article for m in group))
    outlets = {m.article: m.outlet for m in group}
    t.reported_by = sorted({o for o in outlets.values() if o})
    t.independent_sources = len({origin.get(a, a) for a in t.articles})
    t.last_seen = group[-1].date
    return t


def _side(sides: dict[str, dict], party: str, m: Mention) -> None:
    entry = sides.setdefault(party, {"actor": m.actor or m.country, "names": [], "attributions": []})
    if m.speaker and m.speaker not in entry["names"]:
        entry["names"].append(m.speaker)
    entry["attributions"].append(m.attribution)
