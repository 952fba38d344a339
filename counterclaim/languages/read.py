"""Reading an article in a language other than English, without a parse: its headline and lede as claims in
the outlet's voice; quoted speech in the language's quotation marks and reported speech introduced by its
speech and denial verbs as attributions, their speaker the country, body or agency named nearest the verb
(else the one who spoke last); the stance from the verb, negation and dismissive words.
Each claim gets the multilingual encoder's vector, which is what threads read across languages; its
English vector stays zero. No events are coded: the event coder reads English parses."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..actors import country_code, split_code
from ..attribution import cues
from ..models import Analysis, Article, Attribution, Claim, Party, Span, Speaker
from .lexicon import Hit, Lexicon, lexicon

# Sentence ends: a full stop, question or exclamation mark (Latin, CJK and Arabic forms), then space, a
# closing quotation mark or the end; CJK marks need no space.
_END = re.compile(r"(?:[.!?…]+(?=[\s\"'»”“」』)]|$)|[。！？؟]+)")
MAX_QUOTE = 800  # characters: a quotation mark left open does not swallow the article
MIN_CONTENT = 6  # characters of content, at least, to be a claim (a CJK clause is short in characters)
MAX_LEDE = 2  # sentences of the article's own voice taken as claims, besides its headline
NEAR = 60  # characters: a name this close to the cue may be its speaker
# A person's name: two or three capitalised words, Latin or Cyrillic ("Мария Захарова", "Lars Eide").
_NAME = r"([A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+(?:\s+[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+){1,2})"
_PERSON_BEFORE = re.compile(_NAME + r"\s*$")  # ending just before a verb
_PERSON = re.compile(r"\b" + _NAME)  # just after the body that names their office


@dataclass
class _Said:
    """One attribution while the article is read."""

    kind: str
    cue: Hit | None
    content: tuple[int, int]
    sentence: tuple[int, int]
    speaker: Speaker
    source: tuple[int, int] | None
    nominal: bool = False  # the cue with no content of its own ("denied it"): it answers the article's claim


def analyze(article: Article) -> Analysis:
    """The attributions and claims of an article in another language, its claims given multilingual vectors."""
    from ..nlp import encoder, lingual

    lex = lexicon(article.language)
    analysis = Analysis(article)
    if lex is None:
        article.warnings.append(f"no word list for {article.language}: only the headline and lede are read")
    text = article.text
    quotes = quote_spans(text, lex)
    sents = sentences(text, quotes)
    said = _attributions(text, sents, quotes, lex) if lex is not None else []
    claims: list[Claim] = []
    title = " ".join((article.title or "").split())
    if title and len(title) >= MIN_CONTENT:
        claims.append(_outlet_claim(title, f"{article.id}:h", None, lex))
    spoken = [s.sentence for s in said]
    ledes = 0
    for s, e in sents[:4]:
        if ledes >= MAX_LEDE:
            break
        if any(a <= s < b or s <= a < e for a, b in spoken) or any(qs < e and s < qe for qs, qe in quotes):
            continue
        chunk = " ".join(text[s:e].split())
        if len(chunk) >= 2 * MIN_CONTENT and _actors(chunk, lex):
            ledes += 1
            claims.append(_outlet_claim(chunk, f"{article.id}:o{ledes}", Span.of(text, s, e), lex))
    main = claims[0] if claims else None
    for n, x in enumerate(said, 1):
        words = " ".join(text[x.content[0]:x.content[1]].split()).strip(" ,.;:\"'«»“”„「」『』")
        stance, negated, certainty = _stance(text, x, lex)
        # "These accusations are groundless", "美方的说法是毫无根据的谣言": words about the claim, not a claim of
        # their own; they deny what the article is about, as a bare "denied it" does.
        about_claim = main is not None and bool(lex.dismissive.find(text, *x.content))
        if not x.nominal and not about_claim and len(words) >= MIN_CONTENT:
            claim = _claim(words, f"{article.id}:c{n}", Span.of(text, *x.content), lex, x.speaker, negated)
            claims.append(claim)
        else:
            claim = main  # "rejected the accusation": it speaks to what the article is about
        cue = x.cue
        analysis.attributions.append(Attribution(
            id=f"{article.id}:a{n}", kind=x.kind,
            cue=Span.of(text, cue.start, cue.end) if cue else Span.of(text, *x.content),
            source=Span.of(text, *x.source) if x.source else None, content=[Span.of(text, *x.content)],
            speaker=x.speaker, stance=stance, certainty=certainty, claim=claim.id if claim else None,
            confidence=0.5, sentence=x.sentence, cue_lemma=cue.value if cue else "say"))
        if main is None and claim is not None:
            main = claim
    vectors = lingual.encode([c.text for c in claims])
    for c, v in zip(claims, vectors):
        c.lingual = v
        c.vector = np.zeros(encoder.DIM, dtype=np.float32)  # the English encoder reads none of it
    analysis.claims = claims
    return analysis


def quote_spans(text: str, lex: Lexicon | None) -> list[tuple[int, int]]:
    """The spans inside the language's quotation marks (the marks left out), outermost first, none nested."""
    pairs = lex.quotes if lex is not None else (("\"", "\""), ("“", "”"), ("«", "»"))
    found: list[tuple[int, int]] = []
    for open_, close in pairs:
        at = 0
        while (i := text.find(open_, at)) >= 0:
            j = text.find(close, i + len(open_))
            if j < 0 or j - i > MAX_QUOTE:
                at = i + len(open_)
                continue
            found.append((i + len(open_), j))
            at = j + len(close)
    found.sort(key=lambda q: (q[0], -q[1]))
    out: list[tuple[int, int]] = []
    for q in found:
        if not out or q[0] >= out[-1][1] + 1:
            out.append(q)
    return out


def sentences(text: str, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans; a stop inside a quotation does not end the sentence around it."""
    out, start = [], 0
    for m in _END.finditer(text):
        if any(s <= m.start() < e for s, e in quotes):
            continue
        end = m.end()
        if text[start:end].strip():
            out.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        out.append(_trim(text, start, len(text)))
    # A new line ends a sentence too (headlines, datelines, list items).
    split = []
    for s, e in out:
        at = s
        for m in re.finditer(r"\n\s*\n|\n(?=\S)", text[s:e]):
            if text[at:s + m.start()].strip():
                split.append(_trim(text, at, s + m.start()))
            at = s + m.end()
        if text[at:e].strip():
            split.append(_trim(text, at, e))
    return split


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _attributions(text: str, sents: list[tuple[int, int]], quotes: list[tuple[int, int]], lex: Lexicon
                  ) -> list[_Said]:
    out: list[_Said] = []
    last: Speaker | None = None
    speakers: list[Speaker] = []  # who has spoken so far, to know them again by their surname
    for s, e in sents:
        inside = [q for q in quotes if s <= q[0] and q[1] <= e + 1]
        long_quotes = [q for q in inside if _long(text[q[0]:q[1]], lex)]
        said = _cues(text, s, e, inside, lex)
        if not said and not long_quotes:
            continue
        if not said:
            # A quotation with no verb beside it continues the one who spoke last.
            out += [_Said("direct", None, q, (s, e), last, None) for q in long_quotes] if last is not None else []
            continue
        if long_quotes:
            # A quotation says what was said; the rest of its sentence names who said it (the verb nearest
            # the quotation introduces it).
            cue, _ = min(said, key=lambda c: min(abs(c[0].start - q[1]) for q in long_quotes))
            speaker, source = _speaker(text, s, e, cue, inside, lex)
            speaker = _named_again(text, s, e, inside, speakers) or _known(speaker, last)
            out += [_Said("direct", cue, q, (s, e), speaker, source) for q in long_quotes]
            last = speaker if speaker.name is not None else last
            speakers.append(speaker)
            continue
        # Several verbs in one sentence ("发表谈话，否认…，并称…", "اتهمت …، فيما قالت …"): a clause each, whose
        # first verb speaks; a later clause names its own speaker before its verb or shares the sentence's.
        subject: Speaker | None = None
        for n, (a, b) in enumerate(_clauses(text, s, e, said, lex)):
            # A verb-final language's clause ends in its main verb ("...담화에서 ...이라고 일축했다").
            cue, according = [c for c in said if a <= c[0].start < b][-1 if lex.code in VERB_FINAL else 0]
            if according:
                speaker, source, content = _according(text, a, b, cue, lex)
            else:
                content = _content(text, a, b, cue, lex)
                speaker, source = _speaker(text, a, b, cue, ([content] if content else []) + inside, lex,
                                           after=n == 0)
                if content is None:
                    content = _beside(text, a, b, cue, source, lex)
            speaker = (_named_again(text, a, b, ([content] if content else []) + inside, speakers)
                       or _known(speaker, subject or last))
            subject = subject or (speaker if speaker.name is not None else None)
            if content is not None:
                out.append(_Said("mixed" if any(a <= q[0] < b for q in inside) else "indirect", cue, content,
                                 (s, e), speaker, source))
            elif cue.value in STANDS_ALONE:
                # "rejected the accusation", "否认": a verb whose object is what the article is about.
                out.append(_Said("indirect", cue, (cue.start, cue.end), (s, e), speaker, source, nominal=True))
            last = speaker if speaker.name is not None else last
            speakers.append(speaker)
    return out


VERB_FINAL = {"ko", "ja", "tr"}
# Verbs that take a side on what they name with no content of their own ("Pyongyang denied it").
STANDS_ALONE = cues.DENY | cues.ADMIT | cues.REFUTE | cues.QUESTION | {"accuse", "charge", "blame"}
_BOUNDARY = re.compile(r"[,，;；、،:]")


def _cues(text: str, s: int, e: int, inside: list[tuple[int, int]], lex: Lexicon) -> list[tuple[Hit, bool]]:
    """The sentence's speech verbs and "according to"s outside its quotations, in order, each as (cue,
    is an "according to"); a verb's hit covers its whole word ("заявил" of "заявила")."""
    found = []
    for a, b in _outside(s, e, inside):
        found += [(Hit(h.start, _word_end(text, h.end, lex), h.entry, h.value), False)
                  for h in lex.cues.find(text, a, b)]
        found += [(Hit(h.start, h.end, h.entry, "say"), True) for h in lex.according.find(text, a, b)]
    found.sort(key=lambda c: c[0].start)
    out: list[tuple[Hit, bool]] = []
    for c in found:
        if not out or c[0].start >= out[-1][0].end:
            out.append(c)
    return out


def _clauses(text: str, s: int, e: int, said: list[tuple[Hit, bool]], lex: Lexicon) -> list[tuple[int, int]]:
    """The sentence's clauses: cut at the last comma (or like mark) before each later verb, unless a that-word
    makes the later verb part of what the earlier one reports ("заявил, что США обвиняют ...": one clause)."""
    cuts = []
    for (prev, _), (cue, _) in zip(said, said[1:]):
        marks = [m.end() for m in _BOUNDARY.finditer(text, prev.end, cue.start)]
        reported = bool(lex.after.find(text, prev.end, cue.start))
        cuts.append(marks[-1] if marks and not reported else None)
    bounds, at = [], s
    for cut in cuts + [e]:
        if cut is not None:
            bounds.append((at, cut))
            at = cut
    return bounds


def _according(text: str, a: int, b: int, cue: Hit, lex: Lexicon
               ) -> tuple[Speaker, tuple[int, int] | None, tuple[int, int] | None]:
    """ "According to X, ...": X names the speaker (before the marker in Korean, Japanese and Turkish: "국방부에
    따르면"), the rest of the clause is what X says."""
    if lex.code in VERB_FINAL:
        source = (a, cue.start)
        rest = (cue.end, b)
    else:
        comma = _BOUNDARY.search(text, cue.end, b)
        if comma is not None and comma.start() - cue.end <= NEAR:
            source, rest = (cue.end, comma.start()), (comma.end(), b)
        else:  # "Nach Angaben der norwegischen Küstenwache fuhr das Schiff ...": the names right after it
            hits = sorted(lex.actors.find(text, cue.end, b) + lex.bodies.find(text, cue.end, b), key=lambda h: h.start)
            stop = cue.end
            for h in hits:
                if h.start - stop > 14:
                    break
                stop = _word_end(text, h.end, lex)
            source, rest = (cue.end, stop), (stop, b)
    content = _trim_span(text, *rest, lex)
    hits = lex.actors.find(text, *source) + lex.bodies.find(text, *source)
    if not hits:
        return Speaker(None, via="unnamed"), None, content
    speaker, span = _speaker(text, source[0], source[1], Hit(source[1], source[1], "", "say"), [], lex)
    return speaker, span, content


def _named_again(text: str, s: int, e: int, inside: list, speakers: list[Speaker]) -> Speaker | None:
    """A person who spoke earlier in the article, named again by surname ("— заявила Захарова")."""
    for sp in reversed(speakers):
        if sp.name and sp.role and " " in sp.name:
            surname = sp.name.split()[-1]
            for m in re.finditer(re.escape(surname), text[s:e]):
                if not any(span and span[0] <= s + m.start() < span[1] for span in inside):
                    return sp
    return None


def _known(speaker: Speaker, last: Speaker | None) -> Speaker:
    """A verb with no one named beside it ("Пресс-секретарь добавил", "وأضاف") is the one who spoke last; a
    spokesman with no country named speaks for the country of the one who spoke last."""
    if last is None:
        return speaker
    if speaker.name is None:
        return last
    if speaker.country is None and last.country:
        return Speaker(speaker.name, speaker.role, last.country + (speaker.sector or ""), last.country,
                       speaker.sector, speaker.via)
    return speaker


def _outside(s: int, e: int, inside: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans, at = [], s
    for a, b in inside:
        if a - 1 > at:
            spans.append((at, a - 1))
        at = b + 1
    if at < e:
        spans.append((at, e))
    return spans


def _long(quote: str, lex: Lexicon) -> bool:
    """A quotation that says something, not a quoted word or two ("«groundless»")."""
    return len(quote.split()) >= 4 if lex.spaced else len(quote.strip()) >= 10


def _content(text: str, s: int, e: int, cue: Hit, lex: Lexicon) -> tuple[int, int] | None:
    """What the cue reports, where a marker says: after a that-word that follows it ("заявил, что ..."), or
    before a quotative ending in a verb-final language ("...라고 밝혔다"); else None (see _beside)."""
    after = lex.after.first(text, cue.end, e)
    # (The speaker may stand between: "نفى المتحدث باسم وزارة الخارجية الإيرانية ناصر كنعاني، يوم الاثنين، أن")
    # (In Chinese and Japanese a that-word follows its verb at once: "表示，", not the 说 of a later 说法.)
    if after is not None and after.start - cue.end <= (2 * NEAR if lex.spaced else 2):
        return _trim_span(text, after.end, e, lex)
    before = [h for h in lex.before.find(text, s, cue.start + 1) if h.end <= cue.end]
    if before:
        h = before[-1]
        # "...있다고 밝혔다": the verb's own ending 다 is part of what was said.
        end = h.start + 1 if lex.code == "ko" and h.entry.startswith("다") else h.start
        return _trim_span(text, _topic_end(text, s, h.start, lex), end, lex)
    return None


def _beside(text: str, s: int, e: int, cue: Hit, source: tuple[int, int] | None, lex: Lexicon) -> tuple[int, int] | None:
    """With no marker, what the cue reports is the rest of its sentence on the side away from the speaker:
    after the cue where the speaker comes first ("acusó a Irán de ..."), before it where the speaker
    follows (Arabic and Russian put the verb first); None where that leaves too little to be a claim
    ("朝鲜方面对此予以否认": it answers what the article is about)."""
    if source is None:  # no one named: the longer side ("..., hieß es in einer Erklärung")
        spans = sorted([(cue.end, e), (s, cue.start)], key=lambda ab: -len(text[ab[0]:ab[1]].split()))
    elif source[0] < cue.start:
        spans = [(cue.end, e), (source[1], cue.start)]
    else:
        spans = [(s, cue.start), (cue.end, source[0]), (source[1], e)]
    for a, b in spans:
        if (span := _trim_span(text, a, b, lex)) is not None:
            return span
    return None


# The topic that opens a verb-final sentence, its speaker: "북한 국방성 대변인은", "防衛省は、"; a date after it
# ("15일", "14日") is no content either.
_TOPIC = {"ko": re.compile(r"[^\s.]{1,12}(?:은|는)\s+(?:\d+일\s+)?"),
          "ja": re.compile(r"[^、。]{1,16}?(?:は|が)、?(?:\d+日、?)?"),
          "tr": re.compile(r"\S+(?:\s+\S+){0,3}?,\s")}


def _topic_end(text: str, s: int, end: int, lex: Lexicon) -> int:
    """Where the reported clause begins in a verb-final sentence: after the topic that names the speaker,
    where the sentence opens with one that names a party."""
    topic = _TOPIC.get(lex.code)
    if topic is None:
        return s
    for m in topic.finditer(text, s, end):
        if m.start() - s > 30:
            break
        if lex.actors.find(text, s, m.end()) or lex.bodies.find(text, s, m.end()):
            return m.end()
    return s


def _trim_span(text: str, s: int, e: int, lex: Lexicon) -> tuple[int, int] | None:
    """The span without the spaces and punctuation at its ends, where what is left can be a claim: three
    words, or eight characters in a language written without spaces."""
    s, e = _trim(text, s, e)
    while s < e and text[s] in ",:;，、：—–-":
        s += 1
    while e > s and text[e - 1] in ",:;，、：—–-.。":
        e -= 1
    s, e = _trim(text, s, e)
    enough = len(text[s:e].split()) >= 3 if lex.spaced else e - s >= 8
    return (s, e) if enough else None


def _speaker(text: str, s: int, e: int, cue: Hit, inside: list, lex: Lexicon, after: bool = True
             ) -> tuple[Speaker, tuple[int, int] | None]:
    """The named party nearest the cue, outside what it reports: a country, capital, agency or body (a
    body takes the country named beside it: "МИД России"), and a person's name beside them."""
    def outside(h: Hit) -> bool:
        return not any(span and span[0] <= h.start < span[1] for span in inside)

    end = e if after else cue.start  # `after`: the speaker may follow its verb
    actors = [h for h in lex.actors.find(text, s, end) if outside(h)]
    bodies = [h for h in lex.bodies.find(text, s, end) if outside(h)]
    person = _PERSON_BEFORE.search(text, max(s, cue.start - NEAR), cue.start)
    if person and not any(h.end <= cue.start and cue.start - h.end <= NEAR for h in actors + bodies):
        # A person named just before the verb, no body beside them ("Küstenwachen-Kommandant Lars Eide sagte").
        return Speaker(person.group(1), via="mention"), person.span(1)
    if not actors and not bodies:
        return Speaker(None, via="unnamed"), None

    def distance(h: Hit) -> int:
        return min(abs(h.start - cue.end), abs(cue.start - h.end))

    # The subject before the verb, where one is named near it ("Ukraine accused Iran of ..."); else the one
    # after it (a verb first: Arabic "نفى المتحدث", Russian "— заявила Захарова").
    named = actors or bodies
    before = [h for h in named if h.end <= cue.start and cue.start - h.end <= NEAR]
    anchor = min(before or named, key=distance)
    # The phrase that names the speaker: the anchor and the names and bodies next to it, with at most a
    # short word between ("Gobierno de Ucrania", "МИД России", "북한 국방성 대변인").
    group = [anchor]
    grown = True
    while grown:
        grown = False
        for h in actors + bodies:
            if h not in group and any(_adjacent(text, h, g, lex) for g in group):
                group.append(h)
                grown = True
    group.sort(key=lambda h: h.start)
    start, end = group[0].start, _word_end(text, group[-1].end, lex)
    # The body's country is the first named in the phrase ("russische Botschaft in Oslo": Russia's).
    named = [split_code(h.value) for h in group if h in actors]
    country = named[0][0] if named else None
    sector = next((sec for c, sec in named if sec), None) or next((h.value for h in group if h in bodies), None)
    actor = (country or "") + (sector or "") if country else None
    role = _PARTICLE.get(lex.code, _NO_PARTICLE).sub("", text[start:end].strip())
    person = _person_near(text, start, end, e)
    name = person or role
    return Speaker(name=name, role=role if person else None, actor=actor, country=country, sector=sector,
                   via="mention"), (start, end)


# Case particles glued to the speaker's last word: "조선중앙통신을" is KCNA, "대변인은" the spokesman.
_PARTICLE = {"ko": re.compile(r"(?:으로|에서|에게|은|는|이|가|을|를|의|에|와|과|도|로)$"),
             "ja": re.compile(r"(?:から|では|は|が|の|に|も|を)$")}
_NO_PARTICLE = re.compile(r"(?!)")


def _adjacent(text: str, a: Hit, b: Hit, lex: Lexicon) -> bool:
    """Two names of one phrase: nothing between them but space and at most one short word (in Chinese and
    Japanese, at most one character that is no punctuation)."""
    gap = text[min(a.end, b.end):max(a.start, b.start)] if a.end <= b.start or b.end <= a.start else ""
    if not lex.spaced:  # nothing between, or a linking の/的; a case particle (は, が, に) ends the phrase
        return gap in ("", "の", "的", "驻", "駐")
    if re.search(r"[,.;:!?«»“”„\"()—–]", gap):
        return False
    words = re.findall(r"\w+", gap)
    return len(gap) <= 14 and (not words or words == [w for w in words if len(w) <= 4][:1])


_WORD_TAIL = re.compile(r"\w*")


def _word_end(text: str, end: int, lex: Lexicon) -> int:
    """The end of the word a hit ends in ("заявил" to "заявила"); a hit in Chinese or Japanese is whole."""
    return _WORD_TAIL.match(text, end).end() if lex.spaced else end


def _person_near(text: str, start: int, end: int, limit: int) -> str | None:
    """A person's name (two or three capitalised words, Latin or Cyrillic) just after the body that names
    their office ("официальный представитель МИД России Мария Захарова")."""
    m = _PERSON.match(text[end:min(limit, end + 40)].lstrip(" ,"))
    return m.group(1) if m else None


def _stance(text: str, x: _Said, lex: Lexicon) -> tuple[str, bool, str]:
    """(stance, negated, certainty): a denying cue denies; a question's cue questions; what is said with a
    negation or dismissed ("groundless", "fabrication") denies; a hedge or "according to" relays."""
    s, e = x.sentence
    a, b = x.content
    lemma = x.cue.value if x.cue else "say"
    negated = bool(lex.negation.find(text, a, b))
    dismissed = bool(lex.dismissive.find(text, s, e))
    hedged = bool(lex.hedges.find(text, s, e))
    if lemma in cues.DENY or lemma in cues.REFUTE:
        return "deny", negated, "certain"
    if lemma in cues.QUESTION:
        return "question", negated, "possible"
    if lemma in cues.ADMIT and negated:
        return "question", True, "unverified"  # "could not confirm"
    if negated or dismissed:
        return "deny", negated, "certain"
    if hedged or lemma in cues.REPORT:
        return "report", False, "unverified"
    if lemma in cues.BELIEF:
        return "assert", False, "probable"
    return "assert", False, "certain"


def _actors(text: str, lex: Lexicon | None) -> list[Hit]:
    return lex.actors.find(text) if lex is not None else []


def _entities(text: str, lex: Lexicon | None) -> list[dict]:
    out, seen = [], set()
    for h in _actors(text, lex):
        key = country_code(h.value)
        if key in seen:
            continue
        seen.add(key)
        out.append({"name": h.entry, "label": "GPE" if len(h.value) == 3 else "ORG", "actor": h.value, "key": key})
    return out


def _claim(words: str, cid: str, mention: Span, lex: Lexicon | None, speaker: Speaker, negated: bool) -> Claim:
    ents = _entities(words, lex)
    # The doer is a party named where a subject stands, at the clause's start ("российская военная разведка
    # атаковала", "北한이 ..."), not one named further on ("das Schiff habe die norwegische Infrastruktur").
    first = _actors(words[:_SUBJECT_REACH if lex is None or not lex.spaced else len(" ".join(words.split()[:3]))], lex)
    agent = next((e for e in ents if first and e["name"] == first[0].entry), None)
    subject = [agent["key"]] if agent else []
    if speaker.country and speaker.country not in {e["key"] for e in ents} and negated:
        # "We have never sent weapons to anyone": what the speaker denies naming no one else is its own act.
        ents.insert(0, {"name": speaker.name, "label": "ORG", "actor": speaker.actor, "key": speaker.country})
        subject = [speaker.country]
    return Claim(id=cid, text=words, agent=Party(agent["name"], agent["actor"]) if agent else Party(None, None),
                 predicate="", recipient=None, object=None, entities=ents, subject=subject,
                 mentions=[mention], negated=negated, whole=True)


_SUBJECT_REACH = 6  # characters, in a language written without spaces


def _outlet_claim(words: str, cid: str, mention: Span | None, lex: Lexicon | None) -> Claim:
    """The headline or a lede sentence in the outlet's voice: a headline that reports speech relays it."""
    ents = _entities(words, lex)
    relays = lex is not None and bool(lex.cues.find(words) or lex.according.find(words))
    hedged = lex is not None and bool(lex.hedges.find(words))
    return Claim(id=cid, text=words, agent=Party(ents[0]["name"], ents[0]["actor"]) if ents else Party(None, None),
                 predicate="", recipient=None, object=None, entities=ents,
                 subject=[ents[0]["key"]] if ents else [], voice="outlet",
                 stance="report" if relays or hedged else "assert", certainty="unverified" if hedged else "certain",
                 mentions=[mention] if mention is not None else [])
