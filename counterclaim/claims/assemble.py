"""The claims of one article: one per attribution whose content can be true or false, whoever it is about,
worded as its mentions word it; the references ("the accusation", "these reports") pointed at the claim
they name; and the article's own voice (its headline, and sentences it states as fact about a contested
matter) as claims by the outlet. Threads are made of these (threads/link.py)."""
from __future__ import annotations

from spacy.tokens import Doc

from ..actors import Actors
from ..attribution import cues
from ..attribution.extract import Found
from ..models import Claim, Party, Span, Speaker
from ..nlp import entities as doc_entities, sentences, span_text, text_of
from ..reading import Reading
from .entities import entity_of, keys_of_party, keys_of_words, name_key
from .extract import Proposition, finite, involvement
from .lexicon import act_of, keyed_by_object, object_class, predicate_of_verb


# Speech about procedure, feelings or the speaker's own plans: true or false of no one else, so such a
# claim starts no thread (it may still answer one: "I have no plans to step down").
NOT_CHECKABLE = {"want", "need", "hope", "wish", "feel", "like", "love", "investigate", "examine", "review",
                 "study", "apologise", "apologize", "regret", "thank", "welcome", "look", "try", "continue",
                 "seek", "aim", "expect", "think", "know", "see", "say", "tell", "mean", "seem", "believe",
                 "work", "plan", "intend", "cooperate", "consider", "monitor", "assess", "urge", "call", "ask"}
# Copulas and light verbs whose clause says nothing on its own ("it is part of ...") unless it has words.
MIN_CLAUSE_WORDS = 3
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART")
QUESTION_WORDS = {"who", "whom", "whose", "what", "which", "when", "where", "why", "how", "whether", "if"}
MAX_OUTLET_FACTS = 3  # sentences of the article's own voice taken as claims, besides its headline
HEDGED = {"reportedly", "allegedly", "apparently", "purportedly", "rumoured", "rumored", "may", "might",
          "could", "possibly", "probably", "likely", "unconfirmed", "suspected", "expected", "set"}
VAGUE_OBJECTS = {None, "any", "some", "it", "them", "anything", "none", "one", "this", "that"}


def assemble(r: Reading) -> None:
    """The article's attributed claims (fills r.claims), and for each attribution the claim it makes
    (r.claim_of); reads r.found and r.props."""
    by_key: dict[str, Claim] = {}
    claim_of: list[Claim | None] = []
    for f, prop in zip(r.found, r.props):
        if prop is None or refers_to_claim(prop) or not prop.clause:
            claim_of.append(None)
            continue
        claim_of.append(_claim_for(r, f, prop, by_key))
    r.claim_of = _merge_partial(claim_of, r.claims)
    for c in r.claims.values():
        c.mentions.sort(key=lambda m: m.start)


def refer(r: Reading) -> None:
    """"The charge", "these allegations", "a groundless rumour": each reference points to the claim the
    article is about, which may be the outlet's own report ("These reports are fiction", said of what
    the paper's investigation found). Reads r.found, r.speakers, r.props and r.outlet; fills r.claim_of
    where an attribution's content makes no claim of its own."""
    out = list(r.claim_of)
    for i, (f, prop) in enumerate(zip(r.found, r.props)):
        if out[i] is None and (f.nominal or (prop is not None and refers_to_claim(prop))):
            out[i] = _referent(r, f, r.speakers[i], out)
        elif out[i] is None and prop is None and _answers_a_matter(f):
            # Only a claim it names: "rejected the proposal" is no answer to the article's claim.
            out[i] = _referent(r, f, r.speakers[i], out, named_only=True)
        if out[i] is None and prop is None and not f.nominal:
            # No claim of the article is named: "denied any role in the shelling", "claimed responsibility
            # for the bombing" make one of their own, the speaker's part in the act.
            own = involvement(r.doc, f.content, r.speakers[i], r.text[slice(*f.source)] if f.source else None)
            if own is not None:
                r.props[i], out[i] = own, _claim_for(r, f, own, {})
    r.claim_of = out


def _answers_a_matter(f: Found) -> bool:
    """"denied any role", "could not confirm the accounts of the shelling": a denial or an unconfirmed
    account of something the content only names speaks to the claim the article is about."""
    return f.cue_lemma in cues.DENY or f.cue_lemma in cues.OPEN_WHEN_NEGATED


def refers_to_claim(prop: Proposition) -> bool:
    """'The US is spreading a groundless rumour': the content is about a claim, not a new act."""
    return prop.dismissive and predicate_of_verb(prop.predicate) is None


def _procedure(doc: Doc, prop: Proposition) -> bool:
    """Speech about procedure, feelings or plans ("we are working with the police"), which is not a claim;
    but whom someone works for is ("the vessel was working for a research institute", "worked as a
    courier")."""
    if prop.predicate not in NOT_CHECKABLE:
        return False
    return not (prop.predicate == "work" and prop.verb >= 0
                and any(c.dep_ == "prep" and c.lower_ in ("for", "as") for c in doc[prop.verb].children))


def _act(c: Claim) -> str:
    """Who did what to whom (and with what kind of thing), for merging one article's mentions of a claim."""
    target = c.recipient.country if c.recipient and c.recipient.actor else ""
    what = object_class(c.object) if keyed_by_object(c.predicate) or not target else ""
    return "|".join([c.agent.country or (c.agent.name or "?").lower(), c.predicate, target, what])


def _claim_for(r: Reading, f: Found, prop: Proposition, by_key: dict[str, Claim]) -> Claim:
    doc, claims = r.doc, r.claims
    ents = _entities(doc, f.content, r.actors)
    label = next((e.label_ for e in doc_entities(doc, *ENTITY_LABELS) if span_text(e) == prop.agent.name), None)
    subject = keys_of_party(prop.agent, r.actors, label)
    if not prop.agent.actor and not (prop.agent.name or "")[:1].isupper():
        # "customer records stolen from Northline", "the ship was spying for Moscow": the named body or
        # person in the claim is who it is about, more than the thing its grammar starts with.
        subject = sorted(set(subject) | {e["key"] for e in ents if e["label"] in ("ORG", "PERSON", "GPE", "NORP")})
    words = prop.clause.split()
    checkable = (not _procedure(doc, prop) and len(words) >= MIN_CLAUSE_WORDS
                 and not (prop.self_subject and prop.hedge == "possible")  # "we will consider ..."
                 and words[0].lower() not in QUESTION_WORDS)  # "how her operation was going" asks, claims nothing
    # The act in the event coder's terms: claims of different kinds of act ("shelled the village",
    # "blocked the convoys") are different claims.
    event = act_of(prop.predicate, doc[prop.verb] if prop.verb >= 0 else None, prop.object)
    claim = Claim(id="", text=prop.clause, agent=prop.agent, predicate=prop.predicate, recipient=prop.recipient,
                  object=prop.object, event=event, negated=prop.negated,
                  entities=ents, subject=subject, checkable=checkable, whole=prop.whole)
    mention = Span.of(text_of(doc), *prop.span)
    # Who did what to whom, when the act is one the lexicon knows: within one article the same act is the
    # same claim, and its mentions are one claim with several mentions (its text: the first full telling).
    key = _act(claim) if predicate_of_verb(prop.predicate) and prop.agent.actor else None
    existing = by_key.get(key) if key else None
    if existing is not None:
        existing.mentions.append(mention)
        existing.entities += [e for e in ents if e not in existing.entities]
        if existing.object is None and claim.object:
            existing.object = claim.object
        if existing.negated and not claim.negated:  # the claim reads best as stated, not as denied
            existing.text, existing.negated, existing.whole = claim.text, False, claim.whole
        return existing
    claim.id = f"{r.id}:c{len(claims) + 1}"
    claim.mentions.append(mention)
    if key:
        by_key[key] = claim
    claims[claim.id] = claim
    return claim


def _entities(doc: Doc, spans: list[tuple[int, int]], actors: Actors) -> list[dict]:
    return _entity_records([ent for ent in doc_entities(doc, *ENTITY_LABELS)
                            if any(s <= ent.start_char and ent.end_char <= e for s, e in spans)], actors)


def _entity_records(ents, actors: Actors) -> list[dict]:
    """spaCy's named entities as the claim records them, once each."""
    out = []
    for ent in ents:
        if ent.label_ in ENTITY_LABELS:
            e = entity_of(span_text(ent), ent.label_, actors)
            if e is not None and e not in out:
                out.append(e)
    return out


def _merge_partial(claim_of: list[Claim | None], claims: dict[str, Claim]) -> list[Claim | None]:
    """A claim that leaves out whom ("we have not provided any weapons") is the article's fuller claim
    with the same agent, act and kind of object, when there is exactly one."""
    for c in list(claims.values()):
        if c.recipient is not None or not c.agent.country or not predicate_of_verb(c.predicate):
            continue
        cls = object_class(c.object) if c.object not in VAGUE_OBJECTS else ""
        fuller = [o for o in claims.values() if o is not c and o.recipient is not None
                  and o.agent.country == c.agent.country and o.predicate == c.predicate
                  and (not cls or object_class(o.object) == cls)]
        if len(fuller) == 1:
            fuller[0].mentions.extend(c.mentions)
            if fuller[0].negated and not c.negated:
                fuller[0].negated = False
            del claims[c.id]
            claim_of = [fuller[0] if x is c else x for x in claim_of]
    return claim_of


def _referent(r: Reading, f: Found, speaker: Speaker, claim_of: list[Claim | None],
              named_only: bool = False) -> Claim | None:
    """The claim a noun like "the accusation" points to: the one that shares most words with what the
    content names ("any role in the shelling"), then one about the speaker's own side (its country, or
    the speaker named in it) when the speaker denies it, then an act the lexicon knows, then the one the
    article attributes most often, then the nearest before. The outlet's own reports are candidates too:
    what the article states as fact is what "these reports" may be. With `named_only`, only a claim that
    shares a word with the content."""
    pos, text, outlet = f.content[0][0], r.text, r.outlet
    candidates: dict[str, tuple[int, int]] = {}
    # What tells this very denial ("Iran has denied any role ...", a spokesman said) is not the matter it
    # answers.
    telling = {c.id for g, c in zip(r.found, claim_of) if named_only and c is not None
               and any(s <= f.cue[0] < e for s, e in g.content)}
    for g, c in zip(r.found, claim_of):
        if c is not None and c.checkable and c.id not in telling:
            n, first = candidates.get(c.id, (0, g.content[0][0]))
            candidates[c.id] = (n + 1, min(first, g.content[0][0]))
    for c in outlet:
        if c.checkable and c.stance == "assert":
            candidates.setdefault(c.id, (1, c.mentions[0].start if c.mentions else 0))
    if not candidates:
        return None
    by_id = {c.id: c for c in list(claim_of) + list(outlet) if c is not None}
    who = {k for k in (name_key(speaker.name), name_key(speaker.name, person=True)) if k} if speaker.name else set()

    # Five letters: "the shelling" names what "shelled" says.
    named = {w[:5] for w in keys_of_words(" ".join(text[s:e] for s, e in f.content))} - {w[:5] for w in cues.CLAIM_NOUNS}

    def score(cid: str):
        n, first = candidates[cid]
        c = by_id[cid]
        own = (c.agent.country == speaker.country if speaker.country else False) or bool(who & set(c.subject))
        shared = len(named & {w[:5] for w in keys_of_words(c.text)})
        return (shared, own, c.event is not None, n, first <= pos, -abs(pos - first))

    best = max(candidates, key=score)
    return None if named_only and not score(best)[0] else by_id[best]


# --- the article's own voice -----------------------------------------------------------------------

def outlet_claims(r: Reading) -> None:
    """The headline, and up to MAX_OUTLET_FACTS sentences the article states as fact about what its
    attributions contest (sharing a party and words with one of its claims): "the mayor resigned on
    Monday" is the outlet's own report. A headline or sentence with a cue ("X says", "X denies") relays.
    Reads r.doc, r.title_doc, r.found and r.claims; fills r.outlet."""
    out: list[Claim] = []
    doc, title_doc = r.doc, r.title_doc
    if title_doc is not None and len(title_doc) >= MIN_CLAUSE_WORDS:
        c = _outlet_claim(title_doc, r.actors, f"{r.id}:h", mention=None)
        if c is not None:
            out.append(c)
    attributed = [c for c in r.claims.values() if c.checkable]
    spoken = [f.sentence for f in r.found]
    known_keys = {k for c in attributed for k in c.keys}
    known_words = {w for c in attributed for w in keys_of_words(c.text)}
    text = text_of(doc)
    lede = True
    verdict = None
    for sent in sentences(doc):
        full = len(out) > MAX_OUTLET_FACTS
        if full and verdict is not None:
            break
        bounds = (sent.start_char, sent.end_char)
        sent_text = text[bounds[0]:bounds[1]]  # sent.text rebuilds it from the tokens
        if full and not cues.is_verdict(sent_text):
            continue  # the facts are taken: only a verdict is still looked for
        words = keys_of_words(sent_text)
        if len(words) < MIN_CLAUSE_WORDS or sent_text.rstrip().endswith("?"):
            continue
        # A sentence in quotation marks is someone's words, even where no cue says whose.
        said = sent_text.lstrip()[:1] in "\"“‘'«" or any(s < bounds[1] and bounds[0] < e for s, e in spoken)
        if verdict is None and not said and cues.is_verdict(sent_text):
            # The outlet's verdict on the story it tells ("the story was a hoax"): its denial of the
            # story's claim, whatever words it shares with it; one is enough.
            verdict = _verdict_claim(sent, sent_text, r.actors, f"{r.id}:v1", Span.of(text, *bounds))
            continue
        if full:
            continue
        # The lede tells the story in the outlet's words; later sentences count when they speak to what the
        # article's speakers contest.
        if said or not (lede or len(words & known_words) >= 2):
            lede = lede and said
            continue
        c = _outlet_claim(sent, r.actors, f"{r.id}:o{len(out) + 1}", mention=Span.of(text, *bounds))
        if c is not None and (lede or set(c.keys) & known_keys):
            out.append(c)
        lede = False
    r.outlet = out + ([verdict] if verdict is not None else [])


def _verdict_claim(sent, sent_text: str, actors: Actors, cid: str, mention: Span) -> Claim:
    """The outlet's verdict on a story, in its own words: a denial, and no claim to start a thread with."""
    ents = _entity_records([e for e in doc_entities(sent.doc, *ENTITY_LABELS)
                            if e.start >= sent.start and e.end <= sent.end], actors)
    return Claim(id=cid, text=" ".join(sent_text.split()), agent=Party(None, None), predicate=sent.root.lemma_.lower(),
                 recipient=None, object=None, entities=ents, voice="outlet", stance="deny", certainty="certain",
                 checkable=False, mentions=[mention])


def _outlet_claim(span, actors: Actors, cid: str, mention: Span | None) -> Claim | None:
    """The outlet's own claim in a headline or sentence. A headline that reports speech ("Coastguard says
    trawler was watching cables") relays the clause it reports: that clause is the claim, and it may start
    a thread, but the outlet takes no side."""
    root = span.root if hasattr(span, "root") else next(iter(span.sents)).root
    if root.pos_ not in ("VERB", "AUX"):
        return None
    words = {t.lower_ for t in span}
    lemma = root.lemma_.lower()
    relays = (lemma in cues.SPEECH or lemma in cues.DENY or lemma in cues.ACCUSE or "according" in words
              or any(t.lemma_.lower() in cues.SPEECH for t in span if t.pos_ == "VERB" and t.dep_ != "ROOT"
                     and t.head.i == root.i and t.dep_ in ("parataxis", "ccomp")))
    reported = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")), None)
    focus = reported if relays and lemma in cues.SPEECH and reported is not None else root
    toks = sorted(focus.subtree, key=lambda t: t.i) if focus is not root else list(span)
    claim_text = " ".join("".join(t.text_with_ws for t in toks).split()).strip(" .;:,")
    hedged = bool(words & HEDGED) or any(words & ws for ws in cues.HEDGES.values())
    doc = getattr(span, "doc", span)  # a sentence, or a headline's own Doc
    ents = _entity_records([e for e in doc_entities(doc, *ENTITY_LABELS) if e.start >= span.start and e.end <= span.end]
                           if doc is not span else doc_entities(doc, *ENTITY_LABELS), actors)
    subj = next((t for t in focus.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    subj_text = " ".join(t.text for t in subj.subtree) if subj is not None else ""
    subject = {e["key"] for e in ents if subj_text and e["name"] in subj_text}
    if subj is not None and not subject:
        subject = set(keys_of_party(Party(subj_text, None), actors))
    return Claim(id=cid, text=claim_text, agent=Party(subj_text or None, None),
                 predicate=focus.lemma_.lower(), recipient=None, object=None, entities=ents,
                 subject=sorted(subject), voice="outlet", stance="report" if relays or hedged else "assert",
                 certainty="unverified" if hedged else "certain",
                 checkable=len(claim_text.split()) >= MIN_CLAUSE_WORDS and focus.lemma_.lower() not in NOT_CHECKABLE,
                 done=not relays and not hedged and _told_done(focus),
                 whole=subj is not None and subj.pos_ != "PRON" and finite(focus),
                 mentions=[mention] if mention is not None else [])


def _told_done(verb) -> bool:
    """The verb tells its act as done: "resigned", "has resigned", "was sacked" (not "resigns", "will
    resign", "is slated to open")."""
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(c.tag_ == "MD" for c in aux):
        return False
    return verb.tag_ == "VBD" or verb.tag_ == "VBN" and any(c.lemma_ == "have" or c.tag_ == "VBD" for c in aux)


# The encoder costs about as much per word as the parse: an article's claims are read in their first words
# (subject, act, object), and only so many of them, the headline and what its speakers assert first. A
# claim left unread has no direction of its own: it joins the story its article continues, or nothing.
MAX_ENCODED = 6
ENCODED_WORDS = 12


def encoding_order(claims: list[tuple[str, bool, int]]) -> list[int]:
    """Which claims of an article the encoder reads, given (voice, checkable, position) for each: the
    headline, then checkable claims in the order the article tells them, then the rest."""
    return sorted(range(len(claims)), key=lambda i: (claims[i][2] >= 0, not claims[i][1], claims[i][0] != "attribution",
                                                     claims[i][2]))[:MAX_ENCODED]


def vectors(texts: list[str], claims: list[tuple[str, bool, int]]):
    """Vectors for one article's claims (zero where the encoder does not read them)."""
    return vectors_many([(texts, claims)])[0]


def vectors_many(articles: list[tuple[list[str], list[tuple[str, bool, int]]]]):
    """vectors() for several articles at once, in one call of the encoder: the claims of many articles,
    sorted by length, pad less than one article's (a quarter of one article's tokens were padding)."""
    import numpy as np

    from ..nlp import encoder

    out = [np.zeros((len(texts), encoder.DIM), dtype=np.float32) for texts, _ in articles]
    chosen = [encoding_order(claims) for _, claims in articles]
    read = encoder.encode([" ".join(texts[i].split()[:ENCODED_WORDS])
                           for (texts, _), picked in zip(articles, chosen) for i in picked])
    at = 0
    for vecs, picked in zip(out, chosen):
        vecs[picked] = read[at:at + len(picked)]
        at += len(picked)
    return out


def embed(claims: list[Claim]) -> None:
    """Give the article's claims their vectors."""
    embed_many([claims])


def embed_many(articles: list[list[Claim]]) -> None:
    """Give each article's claims their vectors, the articles' claims read together."""
    done = vectors_many([([c.text for c in claims], [(c.voice, c.checkable, c.mentions[0].start if c.mentions else -1)
                                                     for c in claims]) for claims in articles])
    for claims, vecs in zip(articles, done):
        for c, v in zip(claims, vecs):
            c.vector = v
