"""Link claims from many articles into threads and date each thread's status changes.

A thread is one proposition (who did what to whom, with what kind of thing) followed over time. Its
status moves as the record grows: unverified while only asserted or relayed; disputed once a party
denies what another asserts; confirmed when the accused itself admits the act; retracted when an
asserter takes it back; refuted when a third party with no stake shows it false."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..models import Thread
from .syndication import origins

RETRACT_CUES = {"retract", "withdraw"}
ADMIT_CUES = {"admit", "acknowledge", "concede", "confirm"}
PLAIN_CUES = {"say", "state", "announce", "tell", "add", "declare"}
REFUTE_CUES = {"refute", "debunk", "disprove"}


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


def thread_id(key: str) -> str:
    return "t" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def link(mentions: list[Mention], signatures: dict[str, list[int]] | None = None) -> list[Thread]:
    """Group mentions by claim key, then walk each group in date order to build its status history."""
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(m.claim_key, []).append(m)
    in_threads = {m.article for m in mentions}
    origin = origins({a: s for a, s in (signatures or {}).items() if a in in_threads}) if signatures else {}
    threads = []
    for key, group in groups.items():
        group.sort(key=lambda m: (m.date or "9999-99-99", m.order, m.position))
        threads.append(_thread(key, group, origin))
    threads.sort(key=lambda t: (t.first_seen or {}).get("date") or "", reverse=True)
    return threads


def _thread(key: str, group: list[Mention], origin: dict[str, str]) -> Thread:
    first = group[0]
    t = Thread(id=thread_id(key), claim=first.claim_text, key=key)
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
