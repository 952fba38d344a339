"""The proposition inside an attribution's content: agent, predicate, recipient, object, read off the
dependency parse, with negation noted so the stance can absorb it."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..actors import actors_of, country_name
from ..attribution import cues
from ..models import Party, Speaker
from .entities import NEGATIVE_SUBJECTS
from .lexicon import predicate_of_noun, predicate_of_verb

LIGHT_VERBS = {"have", "make", "conduct", "carry", "engage", "do", "hold", "be"}
QUANTITY = {"number", "lot", "batch", "quantity", "amount", "millions", "thousands", "hundreds", "dozens",
            "supply", "stock", "load", "consignment", "shipment", "range"}
EVIDENCE = {"evidence", "proof", "information", "intelligence", "indication", "sign", "confirmation", "report",
            "knowledge", "assessment"}
INTENT = {"intend", "plan", "want", "willing", "ready", "prepared", "seek", "hope", "aim", "consider", "offer",
          "threaten", "propose"}
_PRONOUN_SELF = {"we", "us", "our", "i", "my"}


@dataclass
class Proposition:
    agent: Party
    predicate: str
    recipient: Party | None
    object: str | None
    negated: bool
    nested: bool  # the content reports someone else's speech ("X denied that ...")
    dismissive: bool  # the content calls something a rumour, lie, baseless ...
    hedge: str | None
    span: tuple[int, int]
    clause: str = ""  # the claim in the content's own words: the innermost clause, as a reader would quote it
    self_subject: bool = False  # the clause's subject is the speaker ("I", "we", "it" for the speaker's side)
    verb: int = -1  # token index of the clause's verb
    whole: bool = True  # the clause reads as a sentence on its own (clause_text)



def proposition(doc: Doc, content: list[tuple[int, int]], speaker: Speaker) -> Proposition | None:
    """Read the claim out of an attribution's content spans. A content of several quotations ("In
    September, they denied it ... " / "However, our information indicates that they are supplying ...")
    makes its claim in the first one, unless that one only relays someone else's words and a later one
    says something of the speaker's own."""
    first = _proposition(doc, content, speaker)
    if first is not None and first.negated and _demonstrative_subject(doc, first.verb):
        # "This was not how a fishing boat behaves. The ship was mapping our infrastructure.": what the
        # speaker says is not so points back at someone's account; the next sentence says what is.
        for part in _sentences(doc, content)[1:]:
            later = _proposition(doc, [part], speaker)
            if later is not None and not later.negated and not later.nested and later.clause \
                    and not _demonstrative_subject(doc, later.verb):
                return later
    if len(content) < 2 or first is None or not first.nested:
        return first
    for part in content[1:]:
        later = _proposition(doc, [part], speaker)
        if later is not None and not later.nested and later.clause:
            return later
    return first


# "denied any role in the shelling", "admitted responsibility for the attack": a noun of taking part, with
# what was done, names a claim about the speaker. Told as a sentence, the way a reader would say it.
INVOLVEMENT = {"role": ("had a role", "in"), "part": ("had a part", "in"), "hand": ("had a hand", "in"),
               "involvement": ("was involved", "in"), "participation": ("took part", "in"),
               "complicity": ("was complicit", "in"), "responsibility": ("was responsible", "for")}


def involvement(doc: Doc, content: list[tuple[int, int]], speaker: Speaker, source: str | None = None
                ) -> Proposition | None:
    """The claim in a content that only names the speaker's part in an act ("any role in the shelling"):
    "the army had a role in the shelling", the speaker (else its words, `source`) its agent; None for any
    other content."""
    span = doc.char_span(content[0][0], content[-1][1], alignment_mode="expand") if content else None
    name = (speaker.name or source or "").strip()
    if span is None or not name or name.split()[0].lower() in NEGATIVE_SUBJECTS | {"no"}:
        return None  # "no one has claimed responsibility" names no one who did
    noun = span.root
    frame = INVOLVEMENT.get(noun.lemma_.lower())
    # The parser hangs "in the shelling" on the noun or on the denying verb.
    prep = next((c for c in list(noun.children) + list(noun.head.children) if c.dep_ == "prep" and c.i > noun.i
                 and c.lower_ == frame[1]), None) if frame else None
    act = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if act is None:
        return None
    # Whose part it is: the speaker's, unless the noun names another's ("Rogen's role in the film", "a role
    # for his sister in the succession").
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)
    if owner is None and frame[1] != "for":
        beneficiary = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "for"), None)
        owner = next((c for c in beneficiary.children if c.dep_ == "pobj"), None) if beneficiary is not None else None
    if owner is not None:
        agent = _party_or_phrase(owner)
    else:
        agent = _own_side(speaker) if speaker.actor and speaker.country and speaker.sector == "GOV" else None
        agent = agent or Party(name, speaker.actor)
    what = doc[min(t.i for t in act.subtree):max(t.i for t in act.subtree) + 1].text
    clause = f"{agent.name} {frame[0]} {frame[1]} {what}"
    return Proposition(agent=agent, predicate=predicate_of_noun(act.lemma_.lower()) or act.lemma_.lower(),
                       recipient=None, object=_object_phrase(act), negated=False, nested=False, dismissive=False,
                       hedge=None, span=(span.start_char, span.end_char), clause=clause)


def _demonstrative_subject(doc: Doc, verb: int) -> bool:
    return verb >= 0 and any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("this", "that", "it")
                             for c in doc[verb].children)


def _sentences(doc: Doc, content: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The content spans cut at sentence ends."""
    parts = []
    for s, e in content:
        span = doc.char_span(s, e, alignment_mode="expand")
        for sent in span.sents if span is not None else ():
            lo, hi = max(s, sent.start_char), min(e, sent.end_char)
            if hi > lo:
                parts.append((lo, hi))
    return parts


def _proposition(doc: Doc, content: list[tuple[int, int]], speaker: Speaker) -> Proposition | None:
    toks = []
    for s, e in content:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            toks.extend(span)
    if not toks:
        return None
    inside = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
    verbs = [t for t in roots if t.pos_ in ("VERB", "AUX")] or [t for t in toks if t.pos_ == "VERB"][:1]
    words = {t.lower_ for t in toks}
    dismissive = bool(words & cues.DISMISSIVE) or bool(words & cues.DISMISSIVE_OF_CLAIMS and words & cues.CLAIM_WORDS)
    hedge = next((level for level, ws in cues.HEDGES.items() if words & ws), None)
    accused = _accused(roots) if not verbs or roots[0].pos_ in ("PROPN", "NOUN") and verbs[0].i > roots[0].i else None
    if accused is not None:
        verbs = [accused[1]]
    if not verbs:
        return None
    verb, nested = verbs[0], False
    # Descend through speech and light frames: "our information indicates that X", "we make clear that X".
    for _ in range(3):
        lemma = verb.lemma_.lower()
        inner = next((c for c in verb.children if c.dep_ == "ccomp" and c.i in inside and c.pos_ in ("VERB", "AUX")), None)
        frame = next((c for c in verb.children if c.dep_ in ("ccomp", "acomp", "oprd", "dobj")
                      and c.lower_ in ("clear", "sure", "plain", "known")), None)
        if frame is not None and lemma in LIGHT_VERBS:
            inner = next((c for c in frame.children if c.dep_ in ("ccomp", "csubj") and c.i in inside), inner)
        if inner is None:
            break
        if lemma in cues.SPEECH:
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            inner_subj = next((c for c in inner.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            # "Varga had told colleagues she would step down": what a named person said of themself, told
            # on as fact, is asserted by the one who tells it, not relayed as another's claim.
            own = (lemma in ("say", "tell") and subj is not None and subj.pos_ == "PROPN"
                   and inner_subj is not None and inner_subj.lower_ in ("he", "she"))
            nested = nested or not own and (lemma in cues.DENY or lemma in ("say", "tell", "claim", "report"))
            if subj is not None and subj.pos_ != "PRON" and subj.lower_ not in ("information",):
                # Inside "X denied that it ...", "it" is X, not the outer speaker.
                m = actors_of(doc).place(_phrase(subj))
                if m is not None and m.country:
                    speaker = Speaker(name=m.name, actor=m.actor, country=m.country, sector=m.sector)
            verb = inner
        elif lemma in LIGHT_VERBS:
            verb = inner
        else:
            break
    # "it had clear evidence that Iran is supplying drones": the claim is the evidence's clause.
    for _ in range(2):
        if verb.lemma_.lower() not in LIGHT_VERBS and verb.lemma_.lower() not in ("see", "find", "show", "gather", "obtain"):
            break
        noun = next((c for c in verb.children if c.dep_ in ("dobj", "attr") and c.lemma_.lower() in EVIDENCE), None)
        clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.pos_ in ("VERB", "AUX")), None) if noun is not None else None
        if clause is None:
            break
        verb = clause
    # "intended to provide", "is willing to send", "has been supplying": the act is the inner verb, and an
    # intention is not a deed.
    for _ in range(2):
        x = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
        if x is None:
            acomp = next((c for c in verb.children if c.dep_ == "acomp"), None)
            x = next((c for c in acomp.children if c.dep_ == "xcomp"), None) if acomp is not None else None
        if x is None or predicate_of_verb(verb.lemma_.lower()):
            break
        if verb.lemma_.lower() in INTENT or any(c.lemma_.lower() in INTENT for c in verb.children if c.dep_ == "acomp"):
            hedge = hedge or "possible"
        verb = x
    negated = _negated(verb) or any(_negated(h) for h in verb.ancestors if h.i in inside)
    if not negated:
        # "the road had been closed to clear landmines, and that no convoy had been stopped": of two
        # clauses told together, the one that denies something is what the speaker answers to. Not an
        # elliptical one ("should have been declared, and they were not"), which only says it was not done.
        denial = next((c for c in verb.children if c.dep_ == "conj" and c.i in inside and c.pos_ == "VERB"
                       and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children) and _negated(c)), None)
        if denial is not None:
            verb, negated = denial, True
    predicate, obj_tok = predicate_of_verb(verb.lemma_.lower()), None
    dobj = next((c for c in verb.children if c.dep_ in ("dobj", "attr")), None)
    if predicate is None and verb.lemma_.lower() in LIGHT_VERBS and dobj is not None:
        noun_pred = predicate_of_noun(dobj.lemma_.lower()) or predicate_of_noun(dobj.lower_)
        if noun_pred:
            predicate = noun_pred
            obj_tok = next((c for c in dobj.children if c.dep_ == "compound"), None)
    if predicate is None:
        predicate = verb.lemma_.lower()
    agent = _party_or_phrase(accused[0]) if accused is not None else _agent(verb, speaker)
    recipient, obj = _recipient_and_object(verb, dobj, obj_tok, speaker)
    if agent is None:
        return None
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    clause, whole = clause_text(verb, inside, agent, accused[0] if accused is not None else None,
                                positive=negated, speaker=speaker)
    return Proposition(agent=agent, predicate=predicate, recipient=recipient, object=obj, negated=negated,
                       nested=nested, dismissive=dismissive, hedge=hedge,
                       span=(min(t.idx for t in toks), max(t.idx + len(t) for t in toks)),
                       clause=clause, whole=whole,
                       self_subject=subj is not None and subj.pos_ == "PRON" and subj.lower_ in _PRONOUN_SELF | {"it", "they"},
                       verb=verb.i)


MAX_CLAUSE_WORDS = 40  # the encoder's cost grows with length, and a claim is rarely longer


SINGULAR = {"have": "has", "are": "is", "were": "was", "do": "does", "am": "is"}


def clause_text(verb: Token, inside: set[int], agent: Party | None, accused: Token | None = None,
                positive: bool = False, speaker: Speaker | None = None) -> tuple[str, bool]:
    """The verb's clause inside the content, without its leading "that" and closing punctuation; a
    pronoun subject is replaced by the agent it stands for ("it had sent" -> "Iran had sent"), and
    "accused Iran of supplying drones" reads "Iran supplying drones". With `positive`, the clause's own
    negation is left out, since a claim is stated as what would be true ("We have never supplied weapons
    to Russia" claims "Iran has supplied weapons to Russia"; the denial is the stance). With the text,
    whether it reads as a sentence on its own: a subject that names someone (no pronoun left standing for no
    one) and a finite verb ("its forces had shelled the village" and "to start a hedge fund" do not)."""
    # One proposition: a second clause joined after a comma ("had taken money from the developer, and
    # called for an inquiry") is another claim, or another speaker's act the parser hung here.
    doc = verb.doc
    glued = {g.i for c in verb.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and c.i > verb.i
             and any(k.dep_ == "cc" and k.i < c.i and k.i > 0 and doc[k.i - 1].text == "," for k in verb.children)
             for g in c.subtree}
    toks = sorted((t for t in verb.subtree if t.i in inside and t.i not in glued), key=lambda t: t.i)
    while toks and (toks[0].dep_ in ("mark", "cc", "punct") or toks[0].is_space or toks[0].lower_ == "that"):
        toks.pop(0)
    while toks and (toks[-1].is_punct or toks[-1].is_space or toks[-1].dep_ == "cc"):
        toks.pop()
    toks = toks[:MAX_CLAUSE_WORDS]
    if not toks:
        return "", False
    named = agent is not None and agent.name and agent.name.lower() not in _PRONOUN_SELF | {"you", "it", "they"}
    # "we" and "our" are the speaker's side, whoever speaks ("we have never", the ministry said); "it", "its"
    # and "their" may be anyone named before, so they are the speaker's only when it is a state.
    owner = _owner(speaker)
    own = owner if speaker is not None and speaker.country else None
    subject_toks = {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    # A subject pronoun stands for the agent _agent found for it (the speaker's side, in reported speech):
    # "we have sent" claims "Iran has sent", "she had resigned" claims "Helen Varga had resigned".
    pronouns = ("it", "he", "she", "they") + tuple(_PRONOUN_SELF)
    words, replaced, resolved = [], False, set()
    for t in toks:
        w = t.text
        if positive and (t.dep_ == "neg" or t.lower_ == "never" and t.head.i == verb.i):
            continue
        if positive and t.lower_ in ("no", "any") and t.dep_ == "det":
            continue  # "offered no evidence" claims "offered evidence"
        if positive and t.head.i == verb.i and _negative_subject(t):  # "nobody has blocked" claims someone has
            words.append(("someone" if words else "Someone") + (t.whitespace_ and " "))
            continue
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.i == verb.i and t.lower_ in pronouns and named:
            w, replaced = agent.name, True
        elif t.dep_ in ("nsubj", "nsubjpass") and t.head.i == verb.i and t.lower_ in _PRONOUN_SELF and owner:
            w, replaced = owner, True
        elif t.i in subject_toks and t.dep_ == "poss" and (t.lower_ in ("our", "my") and owner
                                                           or t.lower_ in ("its", "their") and own):
            # "our forces" -> "the army's forces" (the army speaking); "its intelligence services" -> "Russia's".
            who = owner if t.lower_ in ("our", "my") else own
            w = who + ("'" if who.endswith("s") else "'s")
        elif t.i in subject_toks and t.dep_ == "poss" and t.lower_ in ("his", "her") and (who := person_for(t, speaker)):
            w = who + ("'" if who.endswith("s") else "'s")  # "his net worth" -> "Mark Cuban's net worth"
        elif replaced and (t.i == verb.i or t.head.i == verb.i and t.dep_ in ("aux", "auxpass")):
            # Only the finite verb of the clause whose subject was replaced: "we were" -> "Iran was", "we'll"
            # -> "Iran will", "we only turn" -> "Iran only turns"; not "should have", nor another clause's.
            w, replaced = _agreeing(t), False
        if w != t.text:
            resolved.add(t.i)
        words.append(w + (t.whitespace_ and " "))
    text = "".join(words).strip()
    subject = next((t for t in toks if t.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") and t.head.i == verb.i), None)
    named_subject = subject is not None and not any(
        t.i not in resolved and t.tag_ in ("PRP", "PRP$", "WP", "WDT") and t.lower_ != "someone"
        for t in subject.subtree if t.i in subject_toks)
    if accused is not None and not text.startswith(accused.text):
        text, named_subject = f"{_head_phrase(accused)} {text}", True
    elif (subject is None and named
          and verb.dep_ in ("xcomp", "ccomp", "ROOT", "conj", "acl") and toks[0].lower_ == "to"):
        text, named_subject = f"{agent.name} {text}", True  # "is preparing to resign" -> "Helen Varga to resign"
    text = " ".join(text.split())
    stated = _stated(text, toks, verb)
    return stated, named_subject and (stated != text or finite(verb))


def finite(verb: Token) -> bool:
    return verb.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ", "VBP", "MD") for c in verb.children)


CLITICS = {"'d": "would", "'s": "is", "'re": "is", "'ve": "has", "'ll": "will", "'m": "is"}
PERFECT_CLITICS = {"'d": "had", "'s": "has"}  # before a past form: "we'd searched", "she's left"


def _agreeing(t: Token) -> str:
    """The finite verb after a subject pronoun replaced by one named party: spelled out where it was a
    clitic ("we'll" -> "Iran will"), singular where it was plural."""
    low = t.lower_.replace("’", "'")
    if low in CLITICS:
        # The small model tags the participle after "'d" as often VBD as VBN: only a bare verb takes "would".
        past = t.head.tag_ == "VBN" or low == "'d" and t.head.tag_ == "VBD"
        return " " + (PERFECT_CLITICS[low] if past and low in PERFECT_CLITICS else CLITICS[low])
    if low in SINGULAR and t.tag_ in ("VBP", "VBD"):
        return SINGULAR[low]
    if t.tag_ == "VBP" and t.pos_ == "VERB":  # "turn" -> "turns", "try" -> "tries", "push" -> "pushes"
        if low.endswith(("s", "sh", "ch", "x", "z", "o")):
            return t.text + "es"
        if low.endswith("y") and low[-2:-1] not in "aeiou":
            return t.text[:-1] + "ies"
        return t.text + "s"
    return t.text


def _stated(text: str, toks: list[Token], verb: Token) -> str:
    """An infinitive told as a statement: "Helen Varga to resign" -> "Helen Varga will resign", "the
    Apple Watch to have sold out" -> "the Apple Watch has sold out", "500 Britons to be fighting" -> "500
    Britons are fighting"."""
    # Only the clause's own verb ("to establish the facts" of "working ... to establish" is a purpose).
    to = next((t for t in toks if t.lower_ == "to" and t.dep_ == "aux" and t.head.i == verb.i), None)
    if to is None or f" {to.text} " not in text:
        return text  # no "to", or no one named before it to do it: left as it was said
    before, after = text.split(f" {to.text} ", 1)
    doer = next((t for t in reversed(toks) if t.i < to.i and t.pos_ in ("NOUN", "PROPN", "PRON", "NUM")), None)
    plural = doer is not None and (doer.tag_ in ("NNS", "NNPS") or doer.lower_ in ("they", "we")
                                   or any(c.dep_ == "conj" for c in doer.children))
    nxt = after.split(" ", 1)
    if nxt[0] == "have" and len(nxt) > 1:
        return f"{before} {'have' if plural else 'has'} {nxt[1]}"
    if nxt[0] == "be" and len(nxt) > 1:
        return f"{before} {'are' if plural else 'is'} {nxt[1]}"
    return f"{before} will {after}"


def _accused(roots: list[Token]) -> tuple[Token, Token] | None:
    """The content of "accused Iran of supplying drones" is "Iran of supplying drones": the noun is the
    agent and the gerund the act (the "of" may hang from the noun or from the cue outside)."""
    for r in roots:
        if r.pos_ not in ("PROPN", "NOUN"):
            continue
        preps = [c for c in list(r.children) + list(r.head.children)
                 if c.dep_ == "prep" and c.lower_ in ("of", "for", "over")]
        for p in preps:
            act = next((g for g in p.children if g.dep_ == "pcomp" and g.pos_ == "VERB"), None)
            if act is not None:
                return r, act
    return None


def _negative_subject(tok: Token) -> bool:
    """"nobody", "nothing", "no one" as the subject of its verb."""
    return tok.dep_ in ("nsubj", "nsubjpass") and (
        tok.lower_ in NEGATIVE_SUBJECTS or tok.lower_ == "one" and any(g.lower_ == "no" for g in tok.children))


def _negated(tok: Token) -> bool:
    """"has not sent", "never supplied", "offered no evidence", "nobody has blocked", "no convoy was stopped",
    "there has been no breach"."""
    if any(c.dep_ == "neg" or c.lower_ in ("never", "no") and c.dep_ in ("advmod", "det", "neg") for c in tok.children):
        return True
    # "There has been no breach": the existential's noun is its subject in all but name.
    nouns = ("dobj", "nsubj", "nsubjpass") + (("attr",) if any(c.dep_ == "expl" for c in tok.children) else ())
    return any(_negative_subject(c) or c.dep_ in nouns
               and any(g.dep_ == "det" and g.lower_ in ("no", "neither") for g in c.children)
               for c in tok.children)


def _agent(verb: Token, speaker: Speaker) -> Party | None:
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)
    cur = verb
    while subj is None and cur.dep_ in ("xcomp", "conj", "advcl", "acomp", "csubj") and cur.head.i != cur.i:
        # "Varga was expected to resign": the passive's subject is the subject of its infinitive.
        deps = ("nsubj", "nsubjpass") if cur.dep_ == "xcomp" else ("nsubj",)
        cur = cur.head
        subj = next((c for c in cur.children if c.dep_ in deps), None)
    if subj is None:
        agentp = next((c for c in verb.children if c.dep_ == "agent"), None)
        subj = next((c for c in agentp.children if c.dep_ == "pobj"), None) if agentp is not None else None
    if subj is None:
        # A passive with no doer named is a claim about what it was done to ("the records had been
        # stolen", "customer records stolen from Northline"): that is who or what the claim is about.
        subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subj is None and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            subj = verb.head
        if subj is None and any(c.dep_ == "expl" for c in verb.children):
            subj = next((c for c in verb.children if c.dep_ == "attr"), None)  # "there has been a breach"
    if subj is None:
        return None
    low = subj.lower_
    if subj.pos_ == "PRON":
        if low in ("he", "she"):
            # A person: the speaker when the speaker is one ("Smith said he ..."), else the one person named
            # just before ("Police said he had ..."); never a state.
            who = person_for(subj, speaker)
            return Party(who, speaker.actor if who == speaker.name else None) if who else Party(subj.text, None)
        if low in _PRONOUN_SELF or low in ("it", "they"):
            # In reported speech the subject pronoun is, far more often than not, the speaker's own side
            # ("Iran said it had never sent drones"; "we have never had arms dealings").
            return _own_side(speaker) or Party(speaker.name, speaker.actor)
        return Party(subj.text, None)
    phrase = _head_phrase(subj)
    m = actors_of(verb.doc).place(phrase, speaking=False)
    if (m is None or not m.country) and any(c.dep_ == "poss" and c.lower_ in ("its", "their", "our") for c in subj.children):
        # "Russia denied that its intelligence services ...": the owner is the speaker's side.
        side = _own_side(speaker)
        if side is not None:
            return Party(side.name, side.actor + (m.sector if m is not None and m.sector else ""))
    if m is not None and m.country:
        name = country_name(m.country) if m.kind in ("country", "adjective", "seat") else m.name
        return Party(name, m.actor if m.kind != "role" else None)
    return Party(phrase, None)


def _recipient_and_object(verb: Token, dobj: Token | None, obj_tok: Token | None, speaker: Speaker):
    recipient = None
    obj_phrase = None
    preps = {c.lower_: c for c in verb.children if c.dep_ == "prep"}
    if dobj is not None and obj_tok is None:
        owner = next((c for c in dobj.children if c.dep_ == "poss"), None)
        owner_party = None
        if owner is not None:
            # A possessive pronoun in reported speech is the speaker's side: Britain accused Russia of
            # attacking "its" commission; Russia denied that "its" services did it.
            owner_party = _own_side(speaker) if owner.lower_ in ("its", "their", "our") else _party(owner)
        party = _party(dobj)
        if party is not None and party.actor and "with" in preps:
            # "supplying Russia('s war) with shells": the dobj is the recipient, "with" the object.
            recipient = party
            dobj = next((c for c in preps["with"].children if c.dep_ == "pobj"), None)
        elif owner_party is not None and "with" in preps and predicate_of_verb(verb.lemma_.lower()) in ("supply", "aid"):
            recipient = owner_party
            dobj = next((c for c in preps["with"].children if c.dep_ == "pobj"), None)
        elif owner_party is not None and owner_party.actor:
            recipient = owner_party
    if obj_tok is not None:
        obj_phrase = obj_tok.text.lower()
    elif dobj is not None:
        obj_phrase = _object_phrase(dobj)
    dative = next((c for c in verb.children if c.dep_ in ("dative",)), None)
    for key in ("to", "with", "against", "on", "into", "for"):
        if recipient is not None:
            break
        if key in preps:
            pobj = next((c for c in preps[key].children if c.dep_ == "pobj"), None)
            if pobj is not None:
                recipient = _party(pobj)
    if dative is not None and dative.pos_ == "ADP":  # "shipping weapons to(dative) the Russian military"
        dative = next((c for c in dative.children if c.dep_ == "pobj"), None)
    if recipient is None and dative is not None:
        recipient = _party(dative)
    if recipient is None and dobj is not None:
        # "arms dealings with Russia", "shipments to Russia": the recipient hangs off the noun.
        for c in dobj.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "with", "for", "between"):
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                recipient = _party(pobj) if pobj is not None else None
                if recipient is not None:
                    break
    if recipient is None:
        # "send troops to help Russia": the purpose clause names who benefits.
        for c in verb.children:
            if c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in ("help", "aid", "assist", "support", "back", "arm"):
                d = next((g for g in c.children if g.dep_ == "dobj"), None)
                if d is None:  # "to help Russian crews operate ...": the helped are the inner subject
                    inner = next((g for g in c.children if g.dep_ in ("ccomp", "xcomp")), None)
                    d = next((g for g in inner.children if g.dep_ == "nsubj"), None) if inner is not None else None
                recipient = _party(d) if d is not None else None
    if recipient is None and dobj is not None and obj_phrase:
        p = _party(dobj)
        if p is not None and p.actor:
            recipient, obj_phrase = p, None
    return recipient, obj_phrase


def _owner(speaker: Speaker | None) -> str | None:
    """How a claim names the speaker's side in place of "its" or "our"."""
    if speaker is None:
        return None
    if speaker.country:
        return country_name(speaker.country)
    if speaker.name:
        return speaker.name
    if speaker.role:
        return speaker.role if speaker.role.lower().startswith(("the ", "a ", "an ")) else f"the {speaker.role}"
    return None


PLACE_PREPOSITIONS = frozenset("in from at near to into across outside inside".split())


def person_for(pron: Token, speaker: Speaker | None) -> str | None:
    """Who "he", "she", "his" or "her" stands for: the speaker when the speaker is a person named in the
    article, else the one person named in its sentence before it or in the two sentences before that (with
    two or more named there, no one: a wrong name is worse than a pronoun)."""
    doc = pron.doc
    # A "person" after "in", "from" or "at" is most often a place the small model took for one ("Lund").
    people = [e for e in doc.ents if e.label_ == "PERSON"
              and not (e.root.dep_ == "pobj" and e.root.head.lower_ in PLACE_PREPOSITIONS)]
    if speaker is not None and speaker.name and any(e.text == speaker.name or speaker.name.endswith(" " + e.text)
                                                    for e in people):
        return speaker.name
    sents = list(doc.sents)
    at = next((i for i, s in enumerate(sents) if s.start <= pron.i < s.end), 0)
    start = sents[max(at - 2, 0)].start
    near = [e for e in people if start <= e.start and e.end <= pron.i]
    surnames = {e.text.split()[-1].removesuffix("'s").removesuffix("’s") for e in near}
    if len(surnames) != 1:
        return None
    surname = surnames.pop()
    # The fullest telling of the name in the article ("Ryan Roche" for a later "Roche").
    return max((e.text for e in people if e.text.split()[-1] == surname and e.start <= pron.i), key=len, default=None)


def _own_side(speaker: Speaker) -> Party | None:
    return Party(country_name(speaker.country), speaker.country) if speaker.country else None


def _party_or_phrase(tok: Token) -> Party:
    return _party(tok) or Party(_head_phrase(tok), None)


def _party(tok: Token) -> Party | None:
    m = actors_of(tok.doc).place(_head_phrase(tok), speaking=False)
    if m is None or not m.country:
        return None
    name = country_name(m.country) if m.kind in ("country", "adjective", "seat") else m.name
    return Party(name, m.actor)


def _object_phrase(tok: Token) -> str:
    """'a significant number of artillery shells' -> 'artillery shells'."""
    if tok.lemma_.lower() in QUANTITY or tok.pos_ == "NUM":
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is not None:
            tok = pobj
    mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "nummod") and c.i < tok.i]
    words = [t.text for t in sorted(mods + [tok], key=lambda t: t.i)]
    return " ".join(words).lower() if tok.pos_ != "PROPN" else " ".join(words)


def _head_phrase(tok: Token) -> str:
    """The noun with its own modifiers ("Russian forces", "the Ministry of Defence"), without the
    attachments that name other things ("forces for the war in Ukraine")."""
    toks = [t for t in tok.subtree if t.i <= tok.i]
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" and c.i > tok.i), None)
    if of is not None and tok.pos_ == "PROPN":
        toks += list(of.subtree)
    toks.sort(key=lambda t: t.i)
    return tok.doc[toks[0].i:toks[-1].i + 1].text


def _phrase(tok: Token) -> str:
    toks = [t for t in tok.subtree if t.dep_ not in ("relcl", "acl") and not any(a.dep_ in ("relcl", "acl") for a in t.ancestors if a.i >= tok.i and a is not tok and a in tok.subtree)]
    return tok.doc[toks[0].i:toks[-1].i + 1].text if toks else tok.text
