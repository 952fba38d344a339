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

from ..actors import UNDATED, Actors, Match, actors_of, place
from ..nlp import text_of
from .extract import _head_phrase

NAMES_2016 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# "is willing / ready / prepared to <act>": an intent (CAMEO 03), or a threat where the act is hostile (13).
INTENT_WORDS = {"willing", "ready", "prepared", "determined", "eager"}
HOSTILE = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"}  # announced, a boycott or strike is a threat too
# Acts (not words) whose announcement for the future is an intent, and the CAMEO "express intent to ..." codes.
ACTS = {"CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"} | HOSTILE
INTENT_CODES = {"RETREAT": "035", "CONCEDE": "035", "AID": "033", "COOPERATE": "031", "SUPPORT": "032", "CONSULT": "036"}
INTENT_VERBS = {"plan", "intend", "vow", "swear", "threaten", "aim", "prepare"}
REFUSALS = {"refuse", "fail", "decline"}
# The dependents the coder reads on from, outwards from the main clause.
FOLLOWED = {"ccomp", "xcomp", "conj", "advcl", "dobj", "nsubj", "nsubjpass", "attr", "relcl", "acl", "pcomp", "prep",
            "pobj", "acomp"}
LOCATIVE = {"in", "at", "near", "outside", "inside", "across", "along"}
# Heads whose "of" phrase holds the real object: "part of the aid programme", "ten days of war games".
PARTITIVES = {"part", "parts", "some", "all", "most", "days", "weeks", "series", "round", "wave", "effort", "efforts"}


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


def _object_keys(obj: Token) -> list[str]:
    """The names an object can be looked up by: the word, its lemma, with its compound ("war games",
    "martial law") or its "of" phrase ("state of emergency"), and the same for what it coordinates
    with and, after a partitive head ("part of the aid programme", "ten days of war games"), what it holds."""
    keys, todo = [], [obj]
    while todo:
        t = todo.pop(0)
        compound = " ".join(c.lower_ for c in t.children if c.dep_ in ("compound", "amod") and c.i < t.i)
        keys += [t.lower_, t.lemma_.lower()]
        if compound:
            keys += [f"{compound} {t.lower_}", f"{compound.split()[-1]} {t.lower_}"]
        keys += [c.lower_ for c in t.children if c.dep_ == "compound"]
        for c in t.children:
            if c.dep_ == "conj":
                todo.append(c)
            elif c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj":
                        keys.append(f"{t.lower_} of {g.lower_}")
                        if t.lower_ in PARTITIVES or t.pos_ == "NUM" or t.lemma_.lower() in PARTITIVES:
                            todo.append(g)
    return keys


def _objects(tok: Token, preps: tuple[str, ...] | None = None) -> list[Token]:
    # A noun complement is an object too: "stopped work" is parsed as xcomp.
    objects = [c for c in tok.children
               if c.dep_ in ("dobj", "nsubjpass", "attr") or c.dep_ == "xcomp" and c.pos_ == "NOUN"]
    return objects + [g for c in tok.children if c.dep_ == "prep" and (preps is None or c.lower_ in preps)
                      for g in c.children if g.dep_ == "pobj"]


def _verb_object(tok: Token, nominal: bool = False) -> tuple[str, str] | None:
    """Verbs whose event their object decides ("halted aid" SANCTION 162, "lifted the curfew" CONCEDE 081),
    from the verb_object groups of events.json; with nominal, the noun form ("a suspension of flights")."""
    lemma = tok.lemma_.lower()
    if lemma not in _verb_object_heads(nominal):
        return None  # most words head no entry: the objects are not worth reading
    particles = [f"{lemma} {c.lower_}" for c in tok.children if c.dep_ in ("prt", "prep")]
    particles += [f"{lemma} {a.lower_} {b.lower_}" for a in tok.children if a.dep_ == "prt"
                  for b in tok.children if b.dep_ == "prep"]
    objects = _objects(tok) if not nominal else [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                                                 for g in c.children if g.dep_ == "pobj"]
    keys = [k for obj in objects for k in _object_keys(obj)]
    for group in _data()["verb_object"]["groups"]:
        words = group.get("nominals", []) if nominal else group["verbs"]
        if lemma in words or any(p in words for p in particles):
            hit = next((group["objects"][k] for k in keys if k in group["objects"]), None)
            if hit is not None:
                return hit[0], hit[1]
    return None


@lru_cache(maxsize=2)
def _verb_object_heads(nominal: bool) -> frozenset:
    """The first word of every verb (or noun) the verb_object groups list ("lift" of "lift up")."""
    return frozenset(w.split()[0] for group in _data()["verb_object"]["groups"]
                     for w in (group.get("nominals", []) if nominal else group["verbs"]))


def _has_party(tok: Token, nouns: list[str]) -> bool:
    """Whether an everyday verb ("give", "release") has a political object: a listed noun, a named person or
    an actor the dictionary places, as its object or after to / for / with; or an act it offers."""
    if any(c.dep_ == "xcomp" and c.pos_ == "VERB" for c in tok.children):
        return True  # "offered to negotiate": the act offered decides
    persons = _data()["persons_only"]
    if tok.lemma_.lower() in persons["verbs"]:
        # People released, not photographs "of the Russian trawler": the object itself decides.
        return any(obj.lemma_.lower() not in persons["things"] and obj.lower_ not in persons["things"] and (
            obj.ent_type_ == "PERSON" or any(k in nouns for k in _object_keys(obj))
            or _place(obj, UNDATED, whole=False) is not None)
            for obj in tok.children if obj.dep_ in ("dobj", "nsubjpass"))
    for obj in _objects(tok, ("to", "for", "with")) + [c for c in tok.children if c.dep_ in ("dative", "iobj")]:
        if obj.dep_ == "nsubjpass":
            continue
        if obj.ent_type_ == "PERSON" or any(k in nouns for k in _object_keys(obj)) or _place(obj, UNDATED) is not None:
            return True
    return False


def goldstein(cameo: str) -> float:
    """The code's Goldstein score: its own entry in events.json where it has one, else its root's."""
    data = _data()
    table = data["goldstein"]
    return float(table["codes"].get(cameo, table["roots"].get(cameo[:2], 0.0)))


def event_of_word(tok: Token) -> tuple[str, str] | None:
    """(PLOVER type, CAMEO code) of the act one verb or event noun names, or None."""
    return _match_word(tok)


def event_of_lemma(lemma: str, obj: str | None = None) -> tuple[str, str] | None:
    """(PLOVER type, CAMEO code) of a verb named by its lemma, with its object's words where known: the
    verb_object groups first ("supply" + "drones" is military aid, 072), then the verbs table."""
    words = set((obj or "").lower().replace("-", " ").split())
    for group in _data()["verb_object"]["groups"]:
        if lemma in group["verbs"]:
            hit = next((group["objects"][w] for w in sorted(words) if w in group["objects"]), None)
            if hit is not None:
                return hit[0], hit[1]
    return _lexicon()[0].get(lemma)


def _match_word(tok: Token) -> tuple[str, str] | None:
    verbs, nouns, light, _ = _lexicon()
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX"):
        hit = _verb_object(tok)
        if hit is not None:
            return hit
        if lemma == "protest" and any(c.dep_ == "ccomp" for c in tok.children):
            return "ACCUSE", "111"  # "protested that the refugees' rights were ignored": a complaint, not a march
        # "called for sanctions", and "pushed for the US to back the plan" (the "for" marks a clause)
        # ("gave in" is a particle; "gave a speech in parliament" a place)
        particles = [c for c in tok.children if c.dep_ == "prt" or c.dep_ == "prep" and not (
            c.lower_ in LOCATIVE | {"up", "down", "back", "out", "off", "over"}
            and any(g.dep_ == "pobj" for g in c.children))]
        particles += [m for c in tok.children if c.dep_ == "advcl" for m in c.children if m.dep_ == "mark"]
        if any(f"{lemma} {c.lower_}" in _data()["not_events"]["phrasal"] for c in particles):
            return None
        for c in particles:
            if f"{lemma} {c.lower_}" in verbs:
                return verbs[f"{lemma} {c.lower_}"]
        if lemma in light or lemma not in verbs:
            # "held talks", "launched a mediation effort", "engaged in ethnic cleansing", "put under investigation"
            for obj in _objects(tok, ("in", "under", "on", "into")):
                if obj.dep_ == "nsubjpass":
                    continue
                hit = _verb_object(obj, nominal=True)
                if hit is not None:
                    return hit
                key = next((k for k in _object_keys(obj) if k in nouns), None)
                if key is not None:
                    return nouns[key]
        hit = verbs.get(lemma)
        if hit is not None and lemma in _data()["needs_party"] and not _has_party(tok, _data()["needs_party"][lemma]):
            return None
        return hit
    if tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "ROOT"):
        hit = nouns.get(tok.lower_) or nouns.get(tok.lemma_.lower())
        # "The Paris agreement binds ...": an agreement named is a document; "talks began" is an act.
        return hit if hit is None or hit[0] != "AGREE" else None
    return None


def code_sentence(sent: SpacySpan) -> Coded | None:
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
        demand = _demand(tok, sent)
        if demand is not None:
            return demand
        hit = None if lemma in ("say", "tell", "report", "state") else _intent(tok) or _match_word(tok)
        if hit is not None and hit[0] == "ASSAULT":
            hit = _purpose(tok) or hit
        elif hit == ("MOBILIZE", "151") and _joint(tok):
            hit = "COOPERATE", "062"
        if hit is not None:
            event, cameo = _announced(tok, hit)
            actor, recipient = _parties(tok, sent, violent=quad[event] == 4)
            return Coded(event, cameo, quad[event], actor, recipient, tok)
        for c in tok.children:
            if c.dep_ in FOLLOWED:
                queue.append(c)
    return None


def _purpose(tok: Token) -> tuple[str, str] | None:
    """"Police opened fire to disperse the demonstrators": force used to end dissent is repression (COERCE)."""
    for c in tok.children:
        if c.dep_ in ("advcl", "xcomp"):
            hit = _verb_object(c)
            if hit is not None and hit[0] == "COERCE":
                return hit
    return None


def _joint(tok: Token) -> bool:
    """Exercises held together ("joint drills", "France and Egypt launched war games") are military
    cooperation (CAMEO 062); held alone, a show of force (151)."""
    words = [t for c in tok.children if c.dep_ in ("dobj", "nsubj") for t in c.subtree]
    return any(t.lower_ in ("joint", "combined") for t in words) or any(
        c.dep_ == "nsubj" and any(g.dep_ == "conj" for g in c.subtree) for c in tok.children)


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
    inspectors back", "vowed to fight"), it is an intent: an act of force, a boycott, or an act held over
    the other side ("will withdraw unless ...") a THREATEN (130); anything else, offers on a condition
    included ("would meet the envoy if ..."), an AGREE (03). Preparing to attack is a MOBILIZE (150)."""
    event, _ = hit
    if event not in ACTS and event != "AGREE":
        return hit
    if any(c.dep_ == "neg" for c in tok.children) or tok.dep_ == "xcomp" and tok.head.lemma_.lower() in REFUSALS:
        # "Syria will not accept more refugees", "failed to reach agreement": a refusal of a cooperative act.
        return ("REJECT", "120") if event not in HOSTILE else hit
    if event == "AGREE":
        return hit
    aux = {c.lower_ for c in tok.children if c.dep_ == "aux"}
    marks = {m.lower_ for c in tok.children if c.dep_ == "advcl" for m in c.children if m.dep_ == "mark"}
    # The verbs this act is the complement of: "vowed to (continue to) fight", "prepared to resume shelling".
    governors, cur = set(), tok
    while cur.dep_ == "xcomp":
        cur = cur.head
        governors.add(cur.lemma_.lower())
    if "prepare" in governors and event in ("ASSAULT", "COERCE"):
        return "MOBILIZE", "150"  # "the army prepared to resume shelling": a show of force, the attack not yet made
    vowed = bool(governors & INTENT_VERBS)
    if not (aux & {"will", "would", "shall", "'ll"} or vowed or marks & {"if", "unless"} and aux & {"may", "might"}):
        return hit
    # "will withdraw unless Peru apologises" is a threat; "would meet the mediator if he ..." a conditional offer.
    if "unless" in marks or event in HOSTILE:
        return "THREATEN", "130"
    return "AGREE", INTENT_CODES.get(event, "030")


def _demand(tok: Token, sent: SpacySpan) -> Coded | None:
    """"X said that Y must act": X demands it of Y (CAMEO 10), whatever X's verb of saying."""
    if tok.i == sent.root.i or not any(c.dep_ == "aux" and c.lower_ == "must" for c in tok.children):
        return None
    head = tok.head
    while head.i != sent.root.i and head.dep_ not in ("ROOT",) and head.pos_ != "VERB":
        head = head.head
    actor, _ = _parties(head, sent)
    subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    recipient = _place(subj)
    if actor is None or recipient is None or actor.country == recipient.country:
        return None
    _, _, _, quad = _lexicon()
    return Coded("REQUEST", "100", quad["REQUEST"], actor, recipient, tok)


def actor_of(sent: SpacySpan) -> Match | None:
    """Who the sentence is about doing something, where no event word was recognised: its main subject."""
    return _parties(sent.root, sent)[0]


def _parties(tok: Token, sent: SpacySpan, violent: bool = False) -> tuple[Match | None, Match | None]:
    cur, subj, passive = tok, None, False
    for _ in range(4):
        subj = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            # "Serb forces were engaged in ethnic cleansing": passive in form only
            passive = subj.dep_ == "nsubjpass" and cur.lemma_.lower() not in ("engage", "involve")
            break
        if cur.head.i == cur.i:
            break
        cur = cur.head
    agent = next((g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
    actor_tok, target_tok = (agent, subj) if passive else (subj, None)
    if actor_tok is not None and actor_tok.pos_ == "PRON":
        actor_tok = _antecedent(actor_tok) or actor_tok
    actors = actors_of(sent.doc)
    actor = _place(actor_tok)
    if target_tok is None:
        for c in tok.children:
            if c.dep_ in ("dobj", "dative", "iobj"):
                target_tok = c
            elif c.dep_ == "prep" and c.lower_ in ("to", "against", "with", "on", "into", "from", "at"):
                target_tok = next((g for g in c.children if g.dep_ == "pobj"), None)
            if _place(target_tok) is not None:
                break
    recipient = _place(target_tok)
    sent_text = text_of(sent.doc)[sent.start_char:sent.end_char]  # sent.text rebuilds it from the tokens
    if actor is None and not passive:
        # "Senior Hungarian officials" parsed oddly: the first actor the sentence names before the verb
        # (in a passive without its agent, that is the one acted on)
        actor = actors.place(sent_text[: tok.idx - sent.start_char]) or None
    if recipient is None:
        rest = actors.place(sent_text[tok.idx - sent.start_char:], speaking=False)
        if rest is not None and rest.country and (actor is None or rest.country != actor.country):
            recipient = rest
    named = _named(sent_text, actors)
    if actor is not None and actor_tok is not None and (actor.kind == "people" or _ethnic(actor_tok)):
        actor = _residence(actor, actor_tok, tok, named) or actor
    if actor is None:
        # No named doer ("prisoners rioted at a jail in Dili", "a roadside bomb killed two soldiers"): the
        # event is placed where it happened, the first country the sentence names; for violence or in a
        # passive, other than the target's (the victims' country is no sign of who attacked them).
        exclude = recipient.country if recipient is not None and (violent or passive) else None
        where = next((m for m in named if m.country != exclude), None)
        # kind "place": a placement, not a named doer (the pipeline codes no event of fact on it)
        actor = replace(where, kind="place", sector=None) if where is not None else None
    if actor is not None and actor.country is None and actor.sector not in (None, "NGO"):
        # "President Museveni threatened to ban Ugandan opposition candidates": a title with no country
        # of its own belongs to the one country the sentence names, if it names only one.
        countries = {m.country for m in named}
        if len(countries) == 1:
            actor = replace(actor, country=countries.pop())
    return actor, recipient


def _named(text: str, actors: Actors) -> list[Match]:
    """The countries a sentence names, in order (the dictionary keeps its look-ups, so asking again for
    each clause the coder tries costs nothing)."""
    return [m for m in actors.find(text)
            if m.kind in ("country", "adjective", "seat", "people") and m.country]


def _antecedent(pron: Token) -> Token | None:
    """"Iraq said it would allow the inspectors back": a pronoun doer is the subject of the clause that
    reports it."""
    head = pron.head
    while head.head.i != head.i and head.dep_ in ("ccomp", "xcomp", "conj", "advcl"):
        head = head.head
        subj = next((c for c in head.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
        if subj is not None:
            return subj
    return None


def _residence(actor: Match, subj: Token, verb: Token, named: list[Match]) -> Match | None:
    """An ethnic group is placed where it lives, as CAMEO codes it: "ethnic Albanians in south Serbia",
    "the Albanians of southern Serbia", "ethnic Turks protested against Sweden's decision"."""
    places = [g for c in (*subj.children, *verb.children) if c.dep_ == "prep" and c.lower_ in ("in", "of")
              for g in c.children if g.dep_ == "pobj"]
    for g in places:
        m = place(" ".join(t.text for t in g.subtree), speaking=False)
        if m is not None and m.country and m.country != actor.country and m.kind in ("country", "seat"):
            return replace(m, sector=None)
    if _ethnic(subj):
        other = next((m for m in named if m.country != actor.country), None)
        if other is not None:
            return replace(other, sector=None)
    return None


def _ethnic(subj: Token) -> bool:
    return any(t.lower_ == "ethnic" for t in subj.doc[subj.left_edge.i:subj.i])


def _place(tok: Token | None, actors: Actors | None = None, whole: bool = True) -> Match | None:
    """The actor a token's phrase names, in the dictionary bound to its parse (or `actors`); without
    `whole`, by the noun and its own modifiers only, not by what it is of."""
    if tok is None:
        return None
    actors = actors or actors_of(tok.doc)
    if tok.pos_ == "PROPN":
        # The name itself before what modifies it: "NATO-member Norway" is Norway.
        first = min([tok.i] + [c.i for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"])
        own = actors.place(tok.doc[first:tok.i + 1].text, speaking=False)
        if own is not None and own.kind in ("country", "seat") and own.country:
            return own
    # The whole phrase where its head names no one ("members of the Albanian government"), but not where
    # it only says where ("a bomb in Somalia": the bomb is not Somalia's).
    where = {t.i for c in tok.children if c.dep_ == "prep" and c.lower_ in LOCATIVE for t in c.subtree}
    m = actors.place(_head_phrase(tok), speaking=False) or (actors.place(
        " ".join(t.text for t in tok.subtree if t.i not in where), speaking=False) if whole else None)
    return m if m is not None and m.country else None


__all__ = ["Coded", "NAMES_2016", "actor_of", "code_sentence", "goldstein", "material_verbs"]
