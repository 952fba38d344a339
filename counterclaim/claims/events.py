"""PLOVER/CAMEO event records from attributions. A reported allegation is ACCUSE (112, allege) by the
accuser; a denial is REJECT (016) toward the accuser. The alleged act is claim content, never an event."""
from __future__ import annotations

from ..actors import country_name
from ..attribution import cues
from ..models import Attribution, Claim, Event, Party
from .coder import goldstein
from .lexicon import is_hostile

# code: (PLOVER type, quad class); Goldstein scores come from data/events.json
CODES = {
    "016": ("REJECT", 3),
    "112": ("ACCUSE", 3),
    "015": ("CONCEDE", 1),
}


def make_event(eid: str, code: str, actor: Party, recipient: Party | None, mode: str | None,
               a: Attribution, claim: Claim | None) -> Event:
    plover, quad = CODES[code]
    return Event(id=eid, actor=actor, event=plover, mode=mode, recipient=recipient, cameo=code, quad_class=quad,
                 goldstein=goldstein(code), attribution=a.id, claim=claim.id if claim else None, sentence=a.sentence)


def events(article_id: str, attributions: list[Attribution], claims: dict[str, Claim],
           sentence_countries: dict[str, tuple[list[str], list[str]]]) -> list[Event]:
    """sentence_countries: per attribution, the countries its sentence names outside and inside its content."""
    out: list[Event] = []
    seen = set()
    asserters: dict[str, list[Attribution]] = {}
    for a in attributions:
        if a.claim and a.stance == "assert":
            asserters.setdefault(a.claim, []).append(a)
    deniers = {a.claim for a in attributions if a.claim and a.stance == "deny"}
    for a in attributions:
        if not a.speaker.country or a.claim is None:
            continue
        claim = claims[a.claim]
        speaker = Party(a.speaker.name or country_name(a.speaker.country), a.speaker.actor)
        lemma = a.cue_lemma
        record = None
        if a.stance == "deny":
            accuser = next((x for x in asserters.get(a.claim, []) if x.speaker.country and x.speaker.country != a.speaker.country), None)
            if accuser is not None:
                recipient = Party(country_name(accuser.speaker.country), accuser.speaker.country)
            else:
                # The accuser is often named beside the denial ("lashed out at the United States, rejecting ...").
                outside, inside = sentence_countries.get(a.id, ([], []))
                other = next((c for c in outside if c != a.speaker.country), None) or next(
                    (c for c in inside if c not in (a.speaker.country, claim.agent.country)), None)
                recipient = Party(country_name(other), other) if other else None
            if claim.agent.country in (a.speaker.country, None) or lemma in cues.DENY:
                record = ("016", recipient, None)
        elif a.stance == "assert" and claim.agent.country and claim.agent.country != a.speaker.country:
            alleging = lemma in cues.ACCUSE or is_hostile(claim.predicate) or a.claim in deniers
            if alleging:
                record = ("112", Party(claim.agent.name, claim.agent.country), "allege")
        elif a.stance == "assert" and lemma in cues.ADMIT and claim.agent.country == a.speaker.country:
            record = ("015", None, None)
        if record is None:
            continue
        code, recipient, mode = record
        key = (a.speaker.country, code, recipient.actor if recipient else None, a.claim)
        if key in seen:
            continue
        seen.add(key)
        out.append(make_event(f"{article_id}:e{len(out) + 1}", code, speaker, recipient, mode, a, claim))
    return out
