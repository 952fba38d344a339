"""Who is speaking: resolve each source mention to a named person or body and an actor code, following
pronouns ("he said"), descriptions ("the statement added", "the ministry") and last names back to the
speaker they refer to."""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc

from ..actors import WHOLE_CODES, Actors, actors_of, place
from ..models import Speaker
from .extract import Found
from ..nlp import entities, text_of

PERSONAL = {"he", "she", "him", "her"}
GROUP = {"they", "them"}
THING = {"it"}
FIRST = {"we", "i", "us", "our", "my"}
# What a body finds or writes, and speaks through: "an investigation by the Herald", "a report from the UN".
FINDINGS = {"investigation", "report", "inquiry", "review", "audit", "study", "analysis", "survey", "probe",
            "assessment", "examination"}
# Heads of descriptions that refer back to a speaker named earlier.
DESCRIPTIONS = {"statement", "ministry", "spokesman", "spokeswoman", "spokesperson", "official", "officials",
                "agency", "government", "minister", "president", "embassy", "department", "office",
                "administration", "leader", "regime", "report", "communique", "source", "diplomat",
                "envoy", "commander", "military", "army", "newspaper", "outlet", "broadcaster", "channel"}
UNNAMED = {"official", "officials", "source", "sources", "commander", "commanders", "spokesman", "spokeswoman",
           "spokesperson", "officer", "officers", "lawmaker", "lawmakers", "researcher", "researchers", "analyst", "analysts", "expert", "experts",
           "observer", "observers", "people", "diplomat", "diplomats", "witness", "witnesses", "person",
           "critic", "critics", "resident", "residents", "insider", "insiders", "aide", "aides"}
# Who speaks for a person ("Paul Rudd's rep", "the singer's lawyer").
REPRESENTATIVES = {"rep", "representative", "publicist", "spokesman", "spokeswoman", "spokesperson", "lawyer",
                   "attorney", "agent", "manager", "aide"}
# Who speaks on condition of not being named ("a U.S. official", "a source within the army"), where a body's
# spokesman or "police" speak for it on the record.
ANONYMOUS = {"official", "source", "insider", "aide"}
_EDGE = re.compile(r"^(?:(?:the|a|an|and|of|in|from|for)\b|[^\w])+|(?:\b(?:and|of|the|in|from|for)|[^\w.])+$",
                   re.IGNORECASE)


# Documents, pictures and labels: they speak for whoever wrote or published them ("the report said",
# "photos showed", a fact-check page's "Claim:").
DOCUMENTS = {"report", "story", "article", "statement", "photo", "photograph", "picture", "image", "video",
             "footage", "paper", "document", "record", "data", "letter", "tweet", "post", "claim", "disclaimer",
             "headline", "label", "rating", "origin", "symptom", "figure", "analysis", "study", "survey", "map",
             "email", "message", "website", "site", "page", "memo", "filing", "release", "note", "clip", "rumor",
             "rumour", "account", "blog"}


def resolve(doc: Doc, found: list[Found], outlet: str | None = None) -> list[Speaker]:
    """Each attribution's speaker, named as the article names it, placed in the dictionary bound to the
    parse (actors.bind). A pronoun with no antecedent, or a document with no author, is the outlet's voice
    (`outlet`, the article's source; unnamed where the article has none)."""
    out: list[Speaker] = []
    for f in found:
        if f.source is None:
            sp = Speaker(name=None, via="unnamed")
        else:
            sp = _resolve_one(doc, f, out, found) or _outlet(outlet)
            sp = _owned(sp, doc, f, _before(f, out, found))
        out.append(sp)
    return out


_OWNERS = {"his": "he", "her": "she", "their": "they", "its": "it"}
# They lead a description of someone ("one of the sources"); alone ("others said") they name no one.
QUANTIFIERS = {"one", "others", "some", "many", "several", "both", "all", "most", "few", "none", "another"}


def _owned(sp: Speaker, doc: Doc, f: Found, prior: list[Speaker]) -> Speaker:
    """"his attorney" names whose attorney: "Josh Paler Lin's attorney", when the pronoun's antecedent is
    known."""
    described = sp.role if sp.name is None else None
    first, _, rest = (described or "").partition(" ")
    if not rest or first.lower() not in _OWNERS:
        return sp
    ante = _antecedent(_OWNERS[first.lower()], prior, doc, f.source[0])
    owner = ante and (ante.name or ante.role)
    if not owner:
        return sp
    suffix = "'" if owner.endswith("s") else "'s"
    return Speaker(sp.name, f"{owner}{suffix} {rest}", sp.actor, sp.country, sp.sector, sp.via)


def _before(f: Found, earlier: list[Speaker], found: list[Found]) -> list[Speaker]:
    """The speakers resolved so far whose cue comes before f's."""
    return [sp for sp, g in zip(earlier, found) if g.cue[0] < f.cue[0]]


def _names(tokens) -> bool:
    """A proper name among the tokens, a date aside ("a report on Tuesday" names no author)."""
    return any(t.pos_ == "PROPN" and t.ent_type_ not in ("DATE", "TIME") for t in tokens)


def _outlet(outlet: str | None) -> Speaker:
    return Speaker(name=outlet or None, via="unnamed")


def _resolve_one(doc: Doc, f: Found, earlier: list[Speaker], found: list[Found]) -> Speaker | None:
    """The speaker the source mention names or refers to; None where it names no one (a pronoun with no
    antecedent, a document with no author): the outlet's voice."""
    text = text_of(doc)
    actors = actors_of(doc)
    s, e = f.source
    phrase = text[s:e]
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or not len(span) or not phrase.strip():
        return Speaker(name=None, via="unnamed")
    head = doc[f.source_root] if f.source_root is not None else span.root
    if head.tag_ in ("WP", "WDT") and head.head.dep_ == "relcl" and head.head.head.i < head.i:
        # "officials who asked not to be named": "who" stands for the noun its clause hangs on.
        noun = head.head.head
        start = noun.left_edge.idx
        referent = replace(f, source=(start, start + len(text[start:head.idx].rstrip(" ,"))), source_root=noun.i)
        sp = _resolve_one(doc, referent, earlier, found)
        return _copy(sp, via="coreference") if sp is not None else None
    rel = next((c for c in head.children if c.dep_ == "relcl" and c.i > head.i and c.left_edge.idx > s), None)
    if rel is not None:
        # "Maria Diaz, who runs the food bank, said": the relative clause describes, it does not name.
        e = s + len(text[s:rel.left_edge.idx].rstrip(" ,"))
        phrase = text[s:e]
        span = doc.char_span(s, e, alignment_mode="expand") or span
    low = head.lower_
    prior = _before(f, earlier, found)
    by = next((c for c in head.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None) \
        if head.lemma_.lower() in FINDINGS else None
    author = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
    if author is not None:
        # "an investigation by the Herald has found": the Herald says so, in its investigation.
        start, end = author.left_edge.idx, author.right_edge.idx + len(author.right_edge)
        sp = _resolve_one(doc, replace(f, source=(start, end), source_root=author.i), earlier, found)
        if sp is not None and (sp.name or sp.role):
            return Speaker(sp.name, sp.role or _clean_role(text[s:by.idx]), sp.actor, sp.country, sp.sector, sp.via)

    # "we"/"our information" inside a quotation: the quotation's own speaker.
    if low in FIRST or any(t.lower_ in ("our", "my") for t in span):
        outer = _quoting_speaker(f, found, earlier)
        if outer is not None:
            return _copy(outer, via="coreference")
    if head.pos_ == "PRON" and low in PERSONAL | GROUP | THING:
        ante = _antecedent(low, prior, doc, s)
        if ante is not None:
            return _copy(ante, via="coreference")
        return None
    if head.pos_ == "PRON" and len(span) <= 2:
        return None  # "we", "you", "one" with no one to stand for
    if head.lower_ in QUANTIFIERS:
        # "others", "some" or "one of them" alone name no one. ("One of the sources" is left as it is said:
        # naming it by the group moved threads on FNC-1 dev stories, pair F1 0.930 -> 0.923.)
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        whole = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if whole is None or whole.pos_ == "PRON":
            return None

    if all(t.pos_ == "PROPN" for t in span) and len(span) == 1:
        full = _full_name(span.text, prior, doc, s)
        same = next((sp for sp in reversed(prior) if sp.name == full), None) if full != span.text else None
        if same is not None:  # "Price told reporters" after "spokesman Ned Price said"
            return _copy(same, via="coreference")
        if full != span.text and not any(span.start <= ent.start and ent.end <= span.end
                                         for ent in entities(doc, "PERSON")):
            # "Varga again insisted" after "the minister, Helen Varga": the parser did not tag the surname
            # alone as a person, but the article named her in full.
            m = actors.place(full)
            person = m is not None and m.kind == "person"
            return _speaker(full, m.role if person else None, m.country if person else None,
                            m.sector if person else None, "coreference")
    persons = [ent for ent in entities(doc, "PERSON") if ent.start >= span.start and ent.end <= span.end]
    if persons and persons[-1].root.dep_ == "poss" and persons[-1].root.head.i == head.i \
            and head.lemma_.lower() in REPRESENTATIVES:
        # "Paul Rudd's rep confirmed": someone left unnamed speaks for the person, who is not the speaker.
        whom = _strip_det(re.sub(r"['’]s$", "", persons[-1].text))
        m = actors.place(whom)  # speaking for a person the dictionary knows, the rep speaks for their side
        person = m is not None and m.kind == "person"
        return _speaker(None, f"{head.lower_} for {whom}", m.country if person else None,
                        m.sector if person else None, "unnamed")
    if persons:
        person = persons[-1]
        name = person.text
        full = _full_name(name, prior, doc, s)
        via = "mention"
        if full != name:
            name, via = full, "coreference"
        match = actors.place(name) or actors.place(phrase)
        ctx = actors.place(phrase.replace(person.text, ""))
        role = _clean_role(phrase.replace(person.text, "")) or (match.role if match and match.kind == "person" else None)
        country = match.country if match and match.kind == "person" else (ctx.country if ctx else None)
        sector = match.sector if match and match.kind == "person" else (ctx.sector if ctx else None)
        if via == "coreference":
            same = next((sp for sp in reversed(prior) if sp.name == name), None)
            if same is not None:
                return _copy(same, via="coreference")
        return _speaker(name, role, country, sector, via)

    proper = any(t.pos_ == "PROPN" for t in span) or any(
        span.start <= ent.start and ent.end <= span.end for ent in entities(doc, "ORG", "GPE", "NORP"))
    match = actors.place(phrase)
    definite = span[0].lower_ in ("the", "this", "that", "these", "those")
    if not proper and definite and head.lemma_.lower() in DESCRIPTIONS and (match is None or match.country is None):
        # "the statement added", "the ministry said": the body named earlier. An indefinite description
        # ("a spokesman said") introduces someone new.
        ante = _description_antecedent(head.lemma_.lower(), prior)
        if ante is not None:
            return _copy(ante, via="coreference")
    if head.lemma_.lower() in DOCUMENTS:
        # "a Reddit post", "the Post report": its named author speaks; with none, the outlet does.
        # ("the statement from Pyongyang" names its author further on: the phrase is placed below.)
        named = next((c for c in head.children if c.dep_ in ("compound", "poss", "nmod", "appos") and c.pos_ == "PROPN"),
                     None)
        if named is None:
            # "a report in the Free Beacon", "footage released by Isis": the outlet or body it names (not
            # "a report on Tuesday").
            preps = [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("in", "from", "on", "by", "of")]
            preps += [a for c in head.children if c.dep_ == "acl" for a in c.children if a.dep_ == "agent"]
            named = next((o for p in preps for o in p.children if o.dep_ == "pobj" and _names(o.subtree)), None)
        if named is not None:
            start, end = named.left_edge.idx, named.right_edge.idx + len(named.right_edge)
            return _resolve_one(doc, replace(f, source=(start, end), source_root=named.i), earlier, found)
        if not _names(span):
            return None
    if head.lemma_.lower() in UNNAMED or head.lower_ in UNNAMED:
        # "US officials", "Navy commanders", "a source close to the talks": people left unnamed.
        return _speaker(None, _clean_role(phrase), match.country if match else None, match.sector if match else None,
                        "unnamed")
    if match is None:
        if not proper:  # "the governor", "a farmer": someone the text describes but does not name
            return Speaker(name=None, role=_clean_role(phrase), via="unnamed")
        app = next((c for c in head.children if c.dep_ == "appos" and c.i > head.i and c.pos_ == "NOUN"
                    and s < c.left_edge.idx and c.right_edge.idx < e), None) if head.pos_ == "PROPN" else None
        if app is not None:
            # "said Helena Fischer, the partner who led the audit" (the parser not knowing her for a
            # person): a name, then what she is; the whole phrase is no one's name.
            name = text[s:app.left_edge.idx].rstrip(" ,")
            return Speaker(name=name, role=_clean_role(text[app.left_edge.idx:e]), via="mention")
        return Speaker(name=phrase, via="mention")
    orgs = [ent.text for ent in entities(doc, "ORG") if span.start <= ent.start and ent.end <= span.end
            and _unplaced(ent.text, actors)]
    if match.kind in ("media", "organisation"):
        name, via = match.name, "organisation"
    elif orgs:
        name, via = _strip_det(orgs[-1]), "organisation"
    elif match.kind == "role":
        return _speaker(None, _clean_role(phrase), None, match.sector, "unnamed")
    else:
        name = match.name
        via = "metonym" if match.kind in ("seat", "country", "adjective") else "mention"
        if head.lemma_.lower() in UNNAMED:
            return _speaker(None, _clean_role(phrase), match.country, match.sector, "unnamed")
    role = _clean_role(phrase.replace(name, "").replace(phrase[match.start:match.end], ""))
    return _speaker(name, role, match.country, match.sector, via)


def _speaker(name, role, country, sector, via) -> Speaker:
    if country and country.startswith(WHOLE_CODES):
        return Speaker(name=name, role=role or None, actor=country, country=None, sector=country[:3], via=via)
    actor = (country or "") + (sector or "") if country else None
    return Speaker(name=name, role=role or None, actor=actor, country=country, sector=sector, via=via)


def _unplaced(name: str, actors: Actors) -> bool:
    m = actors.place(name)
    return m is None or m.kind == "role"


def _copy(sp: Speaker, via: str) -> Speaker:
    return Speaker(sp.name, sp.role, sp.actor, sp.country, sp.sector, via)


def _antecedent(pronoun: str, prior: list[Speaker], doc: Doc, pos: int) -> Speaker | None:
    """The nearest earlier speaker that fits the pronoun; failing that, the nearest person named."""
    for sp in reversed(prior):
        if sp.name is None and sp.role is None:
            continue
        is_person = (sp.via in ("mention", "coreference") and sp.name and _looks_person(sp.name, doc)
                     or sp.name is None and _one_person(sp.role))
        if pronoun in PERSONAL and is_person:
            return sp
        if pronoun in GROUP | THING and not is_person:
            return sp
    if pronoun in PERSONAL:
        people = [ent for ent in entities(doc, "PERSON") if ent.end_char <= pos]
        described = [t for t in doc if t.idx < pos and t.dep_ == "nsubj" and t.lemma_.lower() in PERSON_NOUNS]
        if described and (not people or described[-1].idx > people[-1].start_char):
            # "The mayor spoke to parents. ... she said": a described person, not a named one.
            phrase = doc[described[-1].left_edge.i:described[-1].i + 1].text
            m = place(phrase)
            return _speaker(None, _clean_role(phrase), m.country if m else None, m.sector if m else None, "coreference")
        if people:
            name = people[-1].text
            full = _full_name(name, [], doc, people[-1].start_char)
            m = place(full)
            return _speaker(full, m.role if m else None, m.country if m else None, m.sector if m else None, "coreference")
    return None


# Words for one person: "she said" after "the mayor told reporters" is the mayor.
PERSON_NOUNS = {"spokesman", "spokeswoman", "spokesperson", "minister", "president", "mayor", "governor", "official",
                "general", "commander", "ambassador", "diplomat", "senator", "lawmaker", "doctor", "farmer", "leader",
                "secretary", "chief", "director", "adviser", "advisor", "aide", "envoy", "prosecutor", "judge",
                "officer", "analyst", "expert", "witness", "resident", "source", "researcher", "professor", "woman",
                "man", "candidate", "chairman", "chairwoman", "head", "owner", "executive", "premier", "king", "queen"}


def _one_person(role: str | None) -> bool:
    words = (role or "").lower().replace(",", " ").split()
    return any(w in PERSON_NOUNS for w in words[-3:])


def _description_antecedent(noun: str, prior: list[Speaker]) -> Speaker | None:
    for sp in reversed(prior):
        words = f"{sp.name or ''} {sp.role or ''}".lower()
        if noun in words:
            return sp
    for sp in reversed(prior):
        if sp.actor and not (sp.name and sp.via == "mention" and " " in sp.name and sp.role):
            return sp
    return None


def _quoting_speaker(f: Found, found: list[Found], speakers: list[Speaker]) -> Speaker | None:
    for g, sp in zip(found, speakers):
        if g is f:
            continue
        if any(s <= f.cue[0] < e for s, e in g.content) and not (g.cue[0] <= f.cue[0] < g.cue[1]):
            return sp
    return None


def _full_name(name: str, prior: list[Speaker], doc: Doc, pos: int) -> str:
    """'Kirby' -> 'John Kirby' when the article named him in full earlier."""
    if " " in name:
        return name
    for sp in reversed(prior):
        if sp.name and sp.name.split()[-1] == name:
            return sp.name
    for ent in reversed([e for e in entities(doc, "PERSON") if e.end_char <= pos]):
        if " " in ent.text and ent.text.split()[-1] == name:
            return ent.text
    return name


def _looks_person(name: str, doc: Doc) -> bool:
    m = place(name)
    if m is not None:
        return m.kind == "person"
    return any(ent.text == name for ent in entities(doc, "PERSON")) or len(name.split()) in (2, 3) and name.istitle()


MAX_ROLE_WORDS = 8
# Where a long description's head ends: "Family members with patients in the emergency room" is family members.
_ROLE_END = re.compile(r",|\s(?:who|whom|which|that|with|at|in|from|on|for|working|living|familiar|close)\s")


def _clean_role(role: str) -> str | None:
    role = _trim(role.replace("’s", "").replace("'s", ""))
    if len(role.split()) > MAX_ROLE_WORDS:
        cut = next((m.start() for m in _ROLE_END.finditer(role) if len(role[:m.start()].split()) >= 2), None)
        role = _trim(role[:cut]) if cut is not None else role
    return role or None


def _trim(role: str) -> str:
    prev = None
    while prev != role:
        prev = role
        role = _EDGE.sub("", role).strip()
    return role


def _strip_det(name: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", name, flags=re.IGNORECASE)
