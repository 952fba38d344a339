"""Find attributions (source, cue, content) in a parsed article with rules over spaCy's dependency parse
and the quotation marks in the text."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span as SpacySpan, Token

from . import cues
from . import model as cue_model
from . import spans as span_model
from .quotes import Quote, QuoteScan, scan
from .words import Words
from ..nlp import sentences, text_of

MIN_QUOTE_WORDS = 4  # shorter quoted strings are scare quotes or titles, not quotations
_TRIM = " \t\n\r,;:.—–-\"“”‘’'«»()"
_SUBJECTS = ("nsubj", "nsubjpass")
STANCE_CUES = cues.DENY | cues.ACCUSE | cues.ADMIT


@dataclass
class Found:
    """An attribution before its speaker is resolved: character spans into the article text."""

    cue: tuple[int, int]
    cue_lemma: str
    source: tuple[int, int] | None
    content: list[tuple[int, int]]
    sentence: tuple[int, int]
    kind: str = "indirect"
    nominal: bool = False  # content is a noun phrase naming a claim ("rejected the charge")
    dismissive: bool = False  # the cue's own words dismiss it ("called the story a baseless lie")
    passive: bool = False
    confidence: float = 0.8
    source_root: int | None = None  # token index of the source's head word
    notes: list[str] = field(default_factory=list)


def find(doc: Doc, quotes: QuoteScan | None = None, model: "cue_model.CueModel | None | bool" = True,
         spans: "span_model.SpanModel | None | bool" = True) -> tuple[list[Found], list[str]]:
    """Attributions in a parsed article, and warnings about its quotation marks. `model`: the cue model
    to use (True: the shipped one; None: the rules alone); `spans` likewise for the span model."""
    text = text_of(doc)
    quotes = quotes or scan(text)
    long_quotes = [q for q in quotes.quotes if q.double and q.words(text) >= MIN_QUOTE_WORDS
                   or not q.double and q.words(text) >= MIN_QUOTE_WORDS + 2]
    found: list[Found] = []
    model = cue_model.load() if model is True else model
    spans = span_model.load() if spans is True else spans
    quoted = cue_model.quoted_tokens(doc, [p for q in quotes.quotes for p in q.parts])
    words = Words.of(doc)
    lower, pos, lemma = words.lower, words.pos, words.lemma
    ctx = _Context(text, long_quotes, quotes.quotes, quoted, spans, words if spans else None)
    for sent in sentences(doc):
        first, end = sent.start, sent.end
        for i in range(first, end):  # read from the word lists: a spaCy Token only for the few candidates
            f = None
            if lower[i] == "according" and i + 1 < len(doc) and lower[i + 1] == "to":
                f = _according_to(doc[i], sent)
            elif pos[i] == "VERB" and model is not None and not cue_model.never_a_cue(words, i):
                p = model.score(cue_model.features(words, i, quoted, first, end))
                if p >= model.threshold:
                    f = _verb_cue(doc[i], sent, ctx, learned=p)
                elif lemma[i] in STANCE_CUES or lemma[i] in cues.SPEECH and _misparsed_report(doc[i]):
                    # Denials, accusations and admissions are what threads are made of: keep the rule's
                    # reading of them even where the corpus-trained model is unsure. So too a speech verb
                    # misparsed as the sentence's second clause, which the model has seldom seen.
                    f = _verb_cue(doc[i], sent, ctx)
            elif pos[i] in ("VERB", "AUX") and lemma[i] in cues.SPEECH:
                f = _verb_cue(doc[i], sent, ctx)
            if f is not None:
                found.append(f)
    found.extend(_labels(doc, long_quotes))
    _attach_free_quotes(doc, long_quotes, found)
    for f in found:
        f.kind = _kind(f, quotes, text)
    found.sort(key=lambda f: f.cue[0])
    return found, list(quotes.warnings)


# --- verb cues -------------------------------------------------------------------------------------

@dataclass
class _Context:
    """What every cue of one article reads: its text, quotations and span model."""

    text: str
    long_quotes: list[Quote]
    all_quotes: list[Quote]
    quoted: "object"  # numpy int8 per token: inside quotation marks
    spans: "span_model.SpanModel | None"
    words: "Words | None"


def _verb_cue(tok: Token, sent: SpacySpan, ctx: _Context, learned: float | None = None) -> Found | None:
    """A cue verb with its source and content. `learned` is the model's probability when the model chose
    the verb; such cues may take any complement as content ("criticized the plan", "wants to win")."""
    if tok.dep_ in ("amod", "compound") or tok.tag_ == "JJ":
        return None
    if learned is None and tok.lemma_.lower() == "withdraw" and not any(
            c.dep_ == "dobj" and (c.lemma_.lower() in cues.CLAIM_NOUNS or c.lemma_.lower() in cues.SPEECH_NOUNS)
            for c in tok.children):
        return None  # troops withdraw from a town; a speaker withdraws a claim or a statement
    text, long_quotes, all_quotes = ctx.text, ctx.long_quotes, ctx.all_quotes
    lemma = tok.lemma_.lower()
    cs, ce = cue_model.extent(tok)
    cue_tokens = set(range(cs, ce))
    content: list[tuple[int, int]] = []
    nominal = False
    clause = next((c for c in tok.children if c.dep_ == "ccomp"), None)
    if clause is None and (learned is not None or lemma not in cues.NEEDS_CLAUSE):
        # "X said: ..." and "X told reporters ..." sometimes leave the clause as a conj/dobj/xcomp.
        clause = next((c for c in tok.children if c.dep_ in ("xcomp",) and _has_subject(c)), None)
    accused = _accused_of(tok) if clause is None else None
    if clause is not None:
        content = [_subtree_span(clause, skip_mark=True)]
    elif accused is not None:
        content = [accused]
    else:
        noun = _claim_noun(tok)
        if noun is not None:
            that = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and _is_that_clause(c)),
                        None)
            if that is not None:
                content = [_subtree_span(that, skip_mark=True)]
            elif lemma in cues.DENY or lemma in cues.ACCUSE or lemma in cues.REPORT or _dismissed(tok):
                content = [_subtree_span(noun)]
                nominal = True
                verdict = [c for c in tok.children if c.i > noun.i and (c.dep_ == "oprd" or c.dep_ == "prep"
                                                                       and c.lower_ == "as")]
                if verdict and _dismissed(tok):
                    # "called the reports a work of fiction", "dismissed the accusation as hysteria": the
                    # noun with what it is called, as annotators mark it; the noun still names the claim.
                    start, end = content[0][0], max(_verdict_end(c) for c in verdict)
                    if text[end:end + 1] in ('"', "”") and (text.count('"', start, end) + text.count("“", start, end)) % 2:
                        end += 1  # the quotation closes after its last word
                    content = [(start, end)]
    head_i = ctx.spans.content_head(ctx.words, tok.i, cue_tokens, ctx.quoted) if ctx.spans is not None else None
    head = tok.doc[head_i] if head_i is not None else None
    quote = _quote_for(tok, sent, content, long_quotes)
    if (quote is not None and head is not None and not content and quote.start < sent.end_char
            and quote.end > sent.start_char and not any(s <= head.idx < e for s, e in quote.parts)):
        # A quotation in the cue's sentence that the span model places the content outside of is someone
        # else's words ("he mentioned the devil ... 'I don't believe in the devil'").
        quote = None
    if quote is not None:
        if not content or _within(content, quote):
            content = _quote_parts(quote, text) + _resumed(tok, quote, all_quotes, text)
        else:
            # Mixed: the clause runs outside the quotation; make sure it reaches the quote's end.
            content = [(min(content[0][0], quote.start), max(content[-1][1], quote.end))]
        nominal = False
    if quote is None and head is not None and not any(s <= head.idx < e for s, e in content):
        # The span model decides the content outside quotation marks; where its head word lies in the
        # rules' content, the rules' cut stands (and with it "rejected the charge" as a named claim).
        if learned is None and tok.dep_ in ("ccomp", "xcomp") and head.i == tok.head.i:
            # "The report said the army had withdrawn": a denial word inside what someone said, whose
            # only "content" would be the saying itself, is no attribution (troops withdraw; nobody spoke).
            return None
        content, nominal = _content_of(head, tok), False
    if not content and tok.dep_ == "parataxis":
        content = _around(tok.head, tok)  # "Acts of protest, Mr. Obama said, are acts of patriotism"
    if not content and _trailing_report(tok):
        content = _around(tok.head, tok)  # "The mayor received 120,000 euros, an investigation has found"
    if not content and learned is not None:
        content = _complement(tok)
    if not content or not any(e > s for s, e in content):
        return None
    source, root, passive = _source(tok)
    if ctx.spans is not None:
        head_i = ctx.spans.source_head(ctx.words, tok.i, cue_tokens, ctx.quoted)
        head = tok.doc[head_i] if head_i is not None else None
        if head is None:
            source, root = None, None
        else:
            source, root = _source_of(head, tok), head.i
            subjects = [c for c in tok.children if c.dep_ == "nsubj"]
            if head in subjects and len(subjects) > 1:
                # A misparse splits "North Korea Angrily Rejects ..." into two subjects: they are one.
                spans = [_subtree_span(c) for c in subjects]
                source = (min(a for a, _ in spans), max(b for _, b in spans))
    if source is not None:
        source = _close_source(text, source)
    if source is not None and quote is None and len(content) == 1:
        c0, c1 = content[0]
        lo, hi = min(source[0], tok.idx), max(source[1], tok.idx + len(tok))
        if c0 < lo and hi < c1:
            # "The museum, Mr. Bush said, celebrated ...": the content runs around the attribution.
            content = [p for p in (_trim(text, c0, lo), _trim(text, hi, c1)) if p[1] > p[0]]
    if source is not None and any(_overlaps(source, c) for c in content) and quote is None:
        return None  # the "source" sits inside its own content: a misparse
    if source is None and not passive and tok.dep_ not in ("ROOT", "ccomp", "conj", "advcl", "xcomp", "parataxis"):
        return None
    conf = learned if learned is not None else 0.9 if source else 0.6
    if nominal:
        conf -= 0.15
    cue = (tok.doc[cs].idx, tok.doc[ce - 1].idx + len(tok.doc[ce - 1]))
    if quote is None and content and content[0][0] < cue[1] <= content[0][1] and content[0][0] > tok.idx:
        # "called for an investigation": the particle belongs to the cue, the rest is what was called for.
        rest = _trim(text, cue[1], content[0][1])
        if rest[1] > rest[0]:
            content = [rest] + content[1:]
    if any(_overlaps(cue, c) for c in content) or (source and _overlaps(cue, source)):
        cue = (tok.idx, tok.idx + len(tok))
    return Found(cue=cue, cue_lemma=lemma, source=source, content=content,
                 sentence=(sent.start_char, sent.end_char), nominal=nominal, passive=passive,
                 confidence=conf, source_root=root, dismissive=nominal and _dismissed(tok))


def _content_of(head: Token, cue: Token) -> list[tuple[int, int]]:
    """The phrase of the content's head word, less the attribution when the phrase holds it."""
    if head.left_edge.i <= cue.i <= head.right_edge.i:
        inner = cue
        while inner.head.i != head.i and inner.head.i != inner.i:
            inner = inner.head
        return _around(head, inner)
    span = _subtree_span(head, skip_mark=True)
    after = head.doc[head.right_edge.i + 1] if head.right_edge.i + 1 < len(head.doc) else None
    if (head.dep_ == "dobj" and head.head.i == cue.i and after is not None and after.head.i == cue.i
            and after.dep_ == "prep" and after.lower_ in ("in", "of") and cue.lemma_.lower() in STANCE_CUES):
        # "denied any role in the shelling": the parser hangs the phrase on the verb; it says what the
        # role was in.
        span = (span[0], _subtree_span(after)[1])
    return [span]


def _source_of(head: Token, cue: Token) -> tuple[int, int]:
    """The source's phrase; up to its head word when the phrase holds the cue ("a statement saying")."""
    text = text_of(head.doc)
    if head.left_edge.i <= cue.i <= head.right_edge.i:
        return _trim(text, head.left_edge.idx, head.idx + len(head))
    return _subtree_span(head)


def _around(head: Token, inner: Token) -> list[tuple[int, int]]:
    """The head's phrase without the inner (parenthetical) phrase: one span on each side."""
    text = text_of(head.doc)
    toks = [t for t in head.subtree if not (inner.left_edge.i <= t.i <= inner.right_edge.i)]
    left = [t for t in toks if t.i < inner.left_edge.i]
    right = [t for t in toks if t.i > inner.right_edge.i]
    spans = []
    for part in (left, right):
        if part:
            span = _trim(text, part[0].idx, part[-1].idx + len(part[-1]))
            if span[1] > span[0]:
                spans.append(span)
    return spans


def _verdict_end(tok: Token) -> int:
    """Where what a claim is called ends: before a dash or a participle that goes on to say why
    ('as "groundless" - chalking it up to ...')."""
    words = [t for t in tok.subtree if t.i >= tok.i]
    for t in words:
        after = tok.doc[t.i + 1] if t.i + 1 < len(tok.doc) else None
        if t.i > tok.i and (t.text in ("-", "–", "—", ";") or t.text == "," and after is not None and after.tag_ == "VBG"):
            words = [w for w in words if w.i < t.i]
            break
    end = words[-1]
    return _trim(text_of(tok.doc), tok.idx, end.idx + len(end))[1]


def _misparsed_report(tok: Token) -> bool:
    """A speech verb the parser took for something else: a second clause ("P, an inquiry has found"), or
    a noun's modifier in a sentence with no verb of its own ("The news site reported on Monday that P")."""
    return _trailing_report(tok) or (tok.dep_ == "acl" and tok.head.dep_ == "ROOT" and tok.head.pos_ in ("NOUN", "PROPN")
                                     and any(c.dep_ == "ccomp" for c in tok.children))


def _trailing_report(tok: Token) -> bool:
    """"P, an investigation has found.": the parser often reads a reporting clause after a comma as a
    second clause (conj) of P. It is one when it ends the sentence, has a subject of its own and nothing
    said: no object, no clause, no "and" before it."""
    if tok.dep_ != "conj" or tok.i <= tok.head.i or tok.left_edge.i == 0:
        return False
    if tok.doc[tok.left_edge.i - 1].text != "," or any(c.dep_ == "cc" for c in tok.head.children if c.i < tok.i):
        return False
    deps = {c.dep_ for c in tok.children}
    if "nsubj" not in deps or deps & {"dobj", "ccomp", "xcomp", "attr", "acomp", "prep", "conj", "oprd"}:
        return False
    return all(t.is_punct or t.is_space for t in tok.doc[tok.i + 1:tok.sent.end])


def _complement(tok: Token) -> list[tuple[int, int]]:
    """What follows the verb in its own phrase: its objects, clauses and prepositional phrases."""
    right = [c for c in tok.children if c.i > tok.i and c.dep_ not in ("punct", "cc", "conj", "mark", "advcl", "nsubj")]
    if not right:
        return []
    start = min(t.i for c in right for t in c.subtree)
    end = max(t.i for c in right for t in c.subtree)
    span = _trim(text_of(tok.doc), tok.doc[start].idx, tok.doc[end].idx + len(tok.doc[end]))
    return [span] if span[1] > span[0] else []


def _dismissed(tok: Token) -> bool:
    """"dismissed the report as groundless", "called the claims a lie": words beside the claim noun
    that reject it."""
    words = {t.lower_ for c in tok.children if c.dep_ in ("oprd", "prep", "advcl", "xcomp", "dobj", "ccomp")
             for t in c.subtree if c.dep_ != "dobj" or t.i > c.i}
    return bool(words & cues.DISMISSIVE)


def _source(tok: Token) -> tuple[tuple[int, int] | None, int | None, bool]:
    """The speaker mention: the cue's subject, or the subject it shares with the verb it hangs from
    ("North Korea lashed out ..., rejecting accusations ..."). Passive cues take the by-agent."""
    cur = tok
    for _ in range(3):
        subj = next((c for c in cur.children if c.dep_ in _SUBJECTS), None)
        if subj is not None:
            if subj.dep_ == "nsubjpass" or (subj.lower_ == "it" and any(c.dep_ == "auxpass" for c in cur.children)):
                agent = next((c for c in cur.children if c.dep_ == "agent"), None)
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
                if pobj is not None:
                    return _subtree_span(pobj), pobj.i, False
                return None, None, True
            # A misparse can split "official and spokesman John Kirby" into two subjects: join them.
            spans = [_subtree_span(c) for c in cur.children if c.dep_ == "nsubj"]
            head = max((c for c in cur.children if c.dep_ == "nsubj"), key=lambda c: c.i)
            return (min(s for s, _ in spans), max(e for _, e in spans)), head.i, False
        if any(c.dep_ == "auxpass" for c in cur.children):
            return None, None, True
        if cur.dep_ == "acl" and cur.head.pos_ in ("NOUN", "PROPN", "PRON") and (
                cur.tag_ == "VBG" or cur.head.dep_ == "ROOT" and any(c.dep_ == "ccomp" for c in cur.children)):
            # "a statement saying ...", "one posting calling him ...": the noun that does the saying. So too
            # "The news site reported on Monday that ...", which the parser reads as a noun with a clause.
            noun = cur.head
            start = noun.left_edge.i
            return _trim(text_of(tok.doc), tok.doc[start].idx, noun.idx + len(noun)), noun.i, False
        if cur.dep_ == "pcomp" and cur.head.dep_ == "prep" and cur.head.head.pos_ in ("VERB", "AUX"):
            cur = cur.head.head  # "responded by saying ...": the subject of the verb the phrase hangs from
            continue
        if cur.dep_ in ("advcl", "conj", "xcomp", "acl") and cur.head.i != cur.i:
            cur = cur.head
            continue
        break
    return None, None, False


def _close_source(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Give back what trimming took from a source: the ")" of "Rep. John Mica (R-Fla.)" and the comma that
    closes an appositive ("Clinton, the former secretary of State, said"), as news annotators mark it."""
    s, e = span
    inner = text[s:e]
    if inner.count("(") > inner.count(")"):
        for closing in (")", ".)"):
            if text.startswith(closing, e):
                e += len(closing)
                inner = text[s:e]
                break
    if "," in inner and text.startswith(",", e):
        e += 1
    return s, e


def _accused_of(tok: Token) -> tuple[int, int] | None:
    """"accused Iran of supplying drones", "blamed Moscow for the attack": the accused and the act."""
    if tok.lemma_.lower() not in cues.ACCUSE:
        return None
    dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "for", "over")), None)
    if prep is None and dobj is not None:
        prep = next((c for c in dobj.children if c.dep_ == "prep" and c.lower_ in ("of", "for", "over")), None)
    if dobj is None or prep is None or not any(True for _ in prep.children):
        return None
    start = _subtree_span(dobj)[0]
    end = _subtree_span(prep)[1]
    # "of firing on Kelem, killing at least 11 civilians": the participle that follows is the act's result,
    # part of the accusation, though the parser hangs it on the verb.
    result = next((c for c in tok.children if c.dep_ == "advcl" and c.tag_ == "VBG" and c.i > prep.right_edge.i
                   and c.lemma_.lower() not in cues.SPEECH and c.lemma_.lower() not in ("cite", "add", "point")
                   and all(t.is_punct for t in tok.doc[prep.right_edge.i + 1:c.left_edge.i])), None)
    if result is not None:
        end = _subtree_span(result)[1]
    return _trim(text_of(tok.doc), start, end)


def _claim_noun(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in cues.CLAIM_NOUNS:
            return c
        if c.dep_ == "prep" and c.lower_ in ("on", "about", "of"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.lemma_.lower() in cues.CLAIM_NOUNS:
                return pobj
    return None


def _quote_for(tok: Token, sent: SpacySpan, content: list[tuple[int, int]], long_quotes: list[Quote]) -> Quote | None:
    """The quotation this cue introduces: the one its clause lies in, else one in the same sentence
    that the cue is outside of ("...," he said / he said: "...")."""
    inside = [q for q in long_quotes if any(s <= tok.idx < e for s, e in q.parts)]
    candidates = []
    for q in long_quotes:
        if q in inside:
            continue
        # The quotation lies in the cue's sentence, or touches it within the paragraph: the parser often
        # ends a sentence inside '"Are we ready? Probably not," she said.' or after 'He said,'.
        in_sentence = q.start < sent.end_char and q.end > sent.start_char
        before = q.end <= sent.start_char and _adjacent(text_of(tok.doc), q.end, sent.start_char)
        after = q.start >= sent.end_char and _adjacent(text_of(tok.doc), sent.end_char, q.start) and \
            text_of(tok.doc)[sent.start_char:sent.end_char].rstrip().endswith((",", ":"))
        if not (in_sentence or before or after):
            continue
        if content and not any(_overlaps(c, p) for c in content for p in q.parts):
            continue
        candidates.append(q)
    if not candidates:
        return None
    # Nearest to the cue.
    return min(candidates, key=lambda q: min(abs(q.start - tok.idx), abs(q.end - tok.idx)))


# --- "according to" --------------------------------------------------------------------------------

def _according_to(tok: Token, sent: SpacySpan) -> Found | None:
    to = tok.doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    source = _subtree_span(pobj)
    phrase = (tok.idx, source[1])
    before = (sent.start_char, phrase[0])
    after = (phrase[1], sent.end_char)
    text = text_of(tok.doc)
    content = max((_trim(text, *before), _trim(text, *after)), key=lambda s: s[1] - s[0])
    if content[1] - content[0] < 3:
        return None
    return Found(cue=(tok.idx, to.idx + len(to)), cue_lemma="according to", source=source, content=[content],
                 sentence=(sent.start_char, sent.end_char), confidence=0.85, source_root=pobj.i)


# --- speaker labels and signatures ----------------------------------------------------------------

# "PENCE: Well, look ..." (transcripts) and "Pence: Flowers Won't Be at Debate" (headlines): a paragraph
# opening with a short capitalised name and a colon.
_LABEL = re.compile(r"(?m)^[ \t\"“]*((?:[A-Z][\w.'’-]*)(?: (?:[A-Z][\w.'’-]*|of|the|de|van|von)){0,3})(:)[ \t]+(?=\S)")
_NOT_LABELS = {"Title", "Source", "Date", "URL", "Id", "Update", "Note", "Editor's Note", "Photo", "Image", "Watch",
               "Read", "Related", "Full Text", "Abstract", "Advertisement", "Transcript", "Q", "A"}
# '..." ― Sonya Herridge': a quotation signed with a dash and a name on the same line.
_SIGNATURE = re.compile(r"[ \t\xa0]*[―—–-][ \t\xa0]*([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})")


def _labels(doc: Doc, long_quotes: list[Quote]) -> list[Found]:
    text = text_of(doc)
    out = []
    for m in _LABEL.finditer(text):
        label = m.group(1)
        if label in _NOT_LABELS or label.upper() in {x.upper() for x in _NOT_LABELS}:
            continue
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        content = _trim(text, m.end(), end)
        if content[1] - content[0] < 10:
            continue
        out.append(Found(cue=(m.start(2), m.end(2)), cue_lemma=":", source=(m.start(1), m.end(1)), content=[content],
                         sentence=(m.start(1), end), confidence=0.7,
                         source_root=_token_at(doc, m.end(1) - 1)))
    for q in long_quotes:
        after = q.end
        while after < len(text) and text[after] in "\"”’' \xa0,.":
            after += 1
        m = _SIGNATURE.match(text, after)
        if m is None or "\n" in text[q.end:m.start(1)]:
            continue
        line_end = text.find("\n", m.end())
        rest = text[m.end():line_end if line_end >= 0 else len(text)].strip(" .\xa0")
        if rest and not rest.startswith(","):
            continue
        dash = m.start(0) + len(m.group(0)) - len(m.group(0).lstrip(" \t\xa0"))
        out.append(Found(cue=(dash, dash + 1), cue_lemma="―", source=(m.start(1), m.end(1)),
                         content=_quote_parts(q, text), sentence=(q.start, m.end()), kind="direct",
                         confidence=0.75, source_root=_token_at(doc, m.end(1) - 1)))
    return out


def _token_at(doc: Doc, pos: int) -> int | None:
    span = doc.char_span(pos, pos + 1, alignment_mode="expand")
    return span.root.i if span is not None and len(span) else None


# --- quotes with no cue in their sentence -----------------------------------------------------------

def _attach_free_quotes(doc: Doc, long_quotes: list[Quote], found: list[Found]) -> None:
    text = text_of(doc)
    # A cue inside the quotation ("our information indicates that ...") is nested speech and does not
    # say who is speaking the quotation itself.
    covered = [c for f in found for c in f.content if not _inside_quote(f.cue[0], long_quotes)]
    for q in long_quotes:
        if any(_overlaps(p, c) for p in q.parts for c in covered):
            continue
        # The cue may stand in the next sentence ("..." / He said so on Tuesday.) or the previous one
        # may end with a colon lead-in ("The ministry said:").
        lead = _colon_lead(found, q, text)
        if lead is not None:
            lead.content = _quote_parts(q, text)
            lead.nominal = False
            continue
        prev = _previous_quote_speaker(found, q, text, long_quotes)
        if prev is not None:
            # One attribution, its content in several spans (as the contract and PolNeAR have it): the
            # speaker said both, under the one cue.
            prev.content = prev.content + _quote_parts(q, text)
            covered.extend(q.parts)


def _colon_lead(found: list[Found], q: Quote, text: str) -> Found | None:
    """'The ministry said:' ending the sentence right before the quotation introduces it."""
    for f in found:
        if f.cue_lemma == ":" or f.sentence[1] > q.start:
            continue
        gap = text[f.sentence[1]:q.start]
        if text[f.sentence[0]:f.sentence[1]].rstrip().endswith(":") and not gap.strip(" \n\"“"):
            return f
    return None


def _previous_quote_speaker(found: list[Found], q: Quote, text: str, long_quotes: list[Quote]) -> Found | None:
    """A quotation that follows another with nothing said in between continues its speaker (news style:
    'X said, "..."' then another quote, in the next sentence or opening the next paragraph)."""
    # Speech reported inside the quotation before ("they denied that ...") is not who speaks this one.
    before = [f for f in found if f.content and f.content[-1][1] <= q.start and f.cue_lemma != ":"
              and not _inside_quote(f.cue[0], long_quotes)]
    if not before:
        return None
    best = max(before, key=lambda f: f.content[-1][1])
    if q.start < best.sentence[1]:
        return None  # a quotation inside the speaker's own sentence is its content or not its speech
    # What stands between the two quotations, beyond the first one's own sentence ("..., he said.").
    between = text[max(best.content[-1][1], best.cue[1], best.sentence[1]):q.start]
    # Only across at most one paragraph break and with nothing said in between.
    if between.count("\n\n") > 1 or len(between.strip(" \n\"“”.,")) > 0:
        return None
    return best


# --- helpers ---------------------------------------------------------------------------------------

def _kind(f: Found, quotes: QuoteScan, text: str) -> str:
    if all(quotes.containing(s, e) is not None and quotes.containing(s, e).words(text) >= MIN_QUOTE_WORDS
           for s, e in f.content):
        q = quotes.containing(*f.content[0])
        if q is not None and q.start >= f.content[0][0] - 1:
            return "direct"
    span = "".join(text[s:e] for s, e in f.content)
    if any(ch in span for ch in "\"“”") or any(q.start >= f.content[0][0] and q.end <= f.content[-1][1]
                                                 for q in quotes.quotes):
        return "mixed"
    return "indirect"


def _subtree_span(tok: Token, skip_mark: bool = False) -> tuple[int, int]:
    toks = list(tok.subtree)
    if skip_mark:
        while toks and toks[0].lower_ in ("that", "whether", "if") and toks[0].dep_ in ("mark", "nsubj", "dobj"):
            toks = toks[1:]
    if not toks:
        return tok.idx, tok.idx + len(tok)
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
    return _trim(text_of(tok.doc), start, end)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start] in _TRIM or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _TRIM or text[end - 1].isspace()):
        end -= 1
    return start, end


def _resumed(tok: Token, quote: Quote, quotes: list[Quote], text: str) -> list[tuple[int, int]]:
    """'"We will rebuild," the governor said, "and we will start this week."': the quotation resumes
    right after the attribution that interrupts it."""
    if quote.end > tok.idx:
        return []
    end = tok.idx + len(tok)
    nxt = next((q for q in quotes if q.start > end), None)
    if nxt is None:
        return []
    gap = text[end:nxt.start]
    if len(gap) > 6 or "\n" in gap or gap.strip(" ,:;\"“‘'") != "":
        return []
    return _quote_parts(nxt, text)


def _adjacent(text: str, a: int, b: int) -> bool:
    """Only closing marks and spaces between a and b, and no paragraph break."""
    gap = text[a:b]
    return len(gap) <= 4 and "\n" not in gap and all(ch.isspace() or ch in ",.:;?!\"“”'’" for ch in gap)


def _quote_parts(q: Quote, text: str) -> list[tuple[int, int]]:
    """The quotation's words: the comma before a closing mark belongs to the reporting sentence."""
    parts = []
    for s, e in q.parts:
        while e > s and (text[e - 1] in ",;:" or text[e - 1].isspace()):
            e -= 1
        parts.append((s, e))
    return parts


def _inside_quote(pos: int, long_quotes: list[Quote]) -> bool:
    return any(s <= pos < e for q in long_quotes for s, e in q.parts)


def _within(content: list[tuple[int, int]], q: Quote) -> bool:
    return all(q.start - 2 <= s and e <= q.end + 2 for s, e in content)


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in _SUBJECTS for c in tok.children)


def _is_that_clause(tok: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in tok.children) or _has_subject(tok)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]

