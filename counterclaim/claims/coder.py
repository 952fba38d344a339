"""A PLOVER/CAMEO event coder for plain statements of fact ("Israel and Lebanon renewed negotiations"):
the governing event word of a sentence, its actor and its recipient. Event words are data
(counterclaim/data/events.json). Words inside reported speech are left to the attribution stage, which
codes the speech itself (ACCUSE, REJECT) and keeps what is alleged as claim content."""
from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span as SpacySpan, Token

from ..actors import Match, dictionary, place
from .extract import _head_phrase

NAMES_2016 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# "is willing / ready / prepared to <act>": an intent (CAMEO 03), or a threat where the act is hostile (13).
INTENT_WORDS = {"willing", "ready", "prepared", "determined", "eager"}
HOSTILE = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"}  # announced, a boycott or strike is a threat too
# Acts (not words) whose announcement for the future is an intent, and the CAMEO "express intent to ..." codes.
ACTS = {"CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"} | HOSTILE
INTENT_CODES = {"RETREAT": "035", "CONCEDE": "035", "AID": "033", "COOPERATE": "031", "SUPPORT": "032", "CONSULT": "036"}
INTENT_VERBS = {"plan", "intend", "vow", "swear", "threaten", "aim"}
REFUSALS = {"refuse", "fail", "decline"}


@dataclass
class Coded:
    event: str
    cameo: str
    quad_class: int
    actor: Match | None
    recipient: Match | None
    word: Token


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(resources.files("counterclaim").joinpath("data/events.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]], set[str], dict[str, int]]:
    data = _data()
    verbs = {w: (t, c) for t, ws in data["verbs"].items() for w, c in ws.items()}
    nouns = {w: (t, c) for t, ws in data["nouns"].items() for w, c in ws.items()}
    return verbs, nouns, set(data["light_verbs"]), data["quad_class"]


MATERIAL = ("COOPERATE", "AID", "RETREAT", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


@lru_cache(maxsize=1)
def material_verbs() -> frozenset[str]:
    """Verbs of material acts (supplying, sanctioning, deploying, arresting, shelling...): never speech."""
    verbs = _data()["verbs"]
    return frozenset(w for t in MATERIAL for w in verbs.get(t, {}) if " " not in w)


def _stopped(tok: Token) -> tuple[str, str] | None:
    """"Japan halted economic aid to Serbia": ending a tie is CAMEO 16, reduce relations (SANCTION)."""
    table = _data()["stopped"]
    lemma = tok.lemma_.lower()
    particle = next((f"{lemma} {c.lower_}" for c in tok.children if c.dep_ in ("prt", "prep")), None)
    if lemma not in table["verbs"] and particle not in table["verbs"]:
        return None
    objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    objects += [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    for obj in objects:
        code = table["nouns"].get(obj.lower_) or table["nouns"].get(obj.lemma_.lower())
        if code:
            return "SANCTION", code
    return None


def goldstein(cameo: str) -> float:
    """The code's Goldstein score: its own entry in events.json where it has one, else its root's."""
    data = _data()
    table = data["goldstein"]
    return float(table["codes"].get(cameo, table["roots"].get(cameo[:2], 0.0)))


def _match_word(tok: Token) -> tuple[str, str] | None:
    verbs, nouns, light, _ = _lexicon()
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX"):
        stopped = _stopped(tok)
        if stopped is not None:
            return stopped
        for c in tok.children:
            if c.dep_ in ("prt", "prep") and f"{lemma} {c.lower_}" in verbs:
                return verbs[f"{lemma} {c.lower_}"]
        if lemma in light or lemma not in verbs:
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "attr")), None)
            if obj is not None and (obj.lower_ in nouns or obj.lemma_.lower() in nouns):
                return nouns.get(obj.lower_) or nouns[obj.lemma_.lower()]
        return verbs.get(lemma)
    if tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "ROOT"):
        return nouns.get(tok.lower_) or nouns.get(tok.lemma_.lower())
    return None


def code_sentence(sent: SpacySpan, date: str | None = None) -> Coded | None:
    """The event the sentence reports, read from its main clause outwards: the outer verb decides
    ("urged Iran to withdraw" is a REQUEST, "threatened to attack" a THREAT)."""
    _, _, _, quad = _lexicon()
    root = sent.root
    queue, seen = deque([root]), set()
    while queue:
        tok = queue.popleft()
        if tok.i in seen:
            continue
        seen.add(tok.i)
        lemma = tok.lemma_.lower()
        demand = _demand(tok, sent, date)
        if demand is not None:
            return demand
        hit = None if lemma in ("say", "tell", "report", "state", "announce") else _intent(tok) or _match_word(tok)
        if hit is not None:
            event, cameo = _announced(tok, hit)
            actor, recipient = _parties(tok, sent, date)
            return Coded(event, cameo, quad[event], actor, recipient, tok)
        for c in tok.children:
            if c.dep_ in ("ccomp", "xcomp", "conj", "advcl", "dobj", "nsubj", "nsubjpass", "attr", "relcl", "acl", "pcomp", "prep", "pobj"):
                queue.append(c)
    return None


def _intent(tok: Token) -> tuple[str, str] | None:
    """"X is willing to send troops": the intent, coded AGREE (030) or, for a hostile act, THREATEN (138)."""
    if tok.lemma_.lower() != "be":
        return None
    word = next((c for c in tok.children if c.dep_ == "acomp" and c.lower_ in INTENT_WORDS), None)
    act = next((c for c in word.children if c.dep_ == "xcomp"), None) if word is not None else None
    if act is None:
        return None
    hit = _match_word(act)
    return ("THREATEN", "138") if hit and hit[0] in HOSTILE else ("AGREE", "030")


def _announced(tok: Token, hit: tuple[str, str]) -> tuple[str, str]:
    """How CAMEO codes an act that is not told as done. Refused or negated cooperation ("will not accept",
    "failed to reach agreement") is a REJECT (120). Announced for the future ("said it would allow the
    inspectors back", "vowed to fight"), it is an intent: an act of force, a boycott, or any act on a
    condition ("will withdraw unless ...") a THREATEN (130); anything else an AGREE (03)."""
    event, _ = hit
    if event not in ACTS and event != "AGREE":
        return hit
    if any(c.dep_ == "neg" for c in tok.children) or tok.dep_ == "xcomp" and tok.head.lemma_.lower() in REFUSALS:
        # "Syria will not accept more refugees", "failed to reach agreement": a refusal of a cooperative act.
        return ("REJECT", "120") if event not in HOSTILE else hit
    if event == "AGREE":
        return hit
    aux = {c.lower_ for c in tok.children if c.dep_ == "aux"}
    conditional = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
                      for c in tok.children)
    vowed = tok.dep_ == "xcomp" and tok.head.lemma_.lower() in INTENT_VERBS
    if not (aux & {"will", "would", "shall", "'ll"} or vowed or conditional and aux & {"may", "might"}):
        return hit
    if conditional or event in HOSTILE:
        return "THREATEN", "130"
    return "AGREE", INTENT_CODES.get(event, "030")


def _demand(tok: Token, sent: SpacySpan, date: str | None) -> Coded | None:
    """"X said that Y must act": X demands it of Y (CAMEO 10), whatever X's verb of saying."""
    if tok.i == sent.root.i or not any(c.dep_ == "aux" and c.lower_ == "must" for c in tok.children):
        return None
    head = tok.head
    while head.i != sent.root.i and head.dep_ not in ("ROOT",) and head.pos_ != "VERB":
        head = head.head
    actor, _ = _parties(head, sent, date)
    subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    recipient = _place(subj, date)
    if actor is None or recipient is None or actor.country == recipient.country:
        return None
    _, _, _, quad = _lexicon()
    return Coded("REQUEST", "100", quad["REQUEST"], actor, recipient, tok)


def actor_of(sent: SpacySpan, date: str | None = None) -> Match | None:
    """Who the sentence is about doing something, where no event word was recognised: its main subject."""
    return _parties(sent.root, sent, date)[0]


def _parties(tok: Token, sent: SpacySpan, date: str | None) -> tuple[Match | None, Match | None]:
    cur, subj, passive = tok, None, False
    for _ in range(4):
        subj = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            passive = subj.dep_ == "nsubjpass"
            break
        if cur.head.i == cur.i:
            break
        cur = cur.head
    agent = next((g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
    actor_tok, target_tok = (agent, subj) if passive else (subj, None)
    actor = _place(actor_tok, date)
    if target_tok is None:
        for c in tok.children:
            if c.dep_ in ("dobj", "dative", "iobj"):
                target_tok = c
            elif c.dep_ == "prep" and c.lower_ in ("to", "against", "with", "on", "into", "from", "at"):
                target_tok = next((g for g in c.children if g.dep_ == "pobj"), None)
            if _place(target_tok, date) is not None:
                break
    recipient = _place(target_tok, date)
    if actor is None:  # "Senior Hungarian officials" parsed oddly: the first actor the sentence names
        actor = place(sent.text[: tok.idx - sent.start_char], date) or None
    if recipient is None:
        rest = place(sent.text[tok.idx - sent.start_char:], date, speaking=False)
        if rest is not None and rest.country and (actor is None or rest.country != actor.country):
            recipient = rest
    if actor is not None and actor.country is None and actor.sector:
        # "President Museveni threatened to ban Ugandan opposition candidates": a title with no country
        # of its own belongs to the one country the sentence names, if it names only one.
        named = {m.country for m in dictionary().find(sent.text, date)
                 if m.kind in ("country", "adjective", "seat", "people") and m.country}
        if len(named) == 1:
            actor = replace(actor, country=named.pop())
    return actor, recipient


def _place(tok: Token | None, date: str | None) -> Match | None:
    if tok is None:
        return None
    m = place(_head_phrase(tok), date, speaking=False) or place(
        " ".join(t.text for t in tok.subtree), date, speaking=False)
    return m if m is not None and m.country else None


__all__ = ["Coded", "NAMES_2016", "actor_of", "code_sentence", "goldstein", "material_verbs"]
