"""The per-article pipeline: parse, find attributions, resolve speakers, read claims, stance and events.
Pure given the spaCy model: the same article always gives the same Analysis."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from . import nlp
from .actors import place
from .attribution.extract import Found, find
from .attribution.speakers import resolve
from .claims.events import events as make_events
from .claims.extract import Proposition, proposition
from .claims.lexicon import event_for, predicate_of_verb
from .claims.stance import certainty, stance
from .models import Analysis, Article, Attribution, Claim, Span


def analyze_text(text: str, **meta) -> Analysis:
    """Analyse one text; keyword arguments are Article metadata (title, source_name, published...)."""
    from .ingest import make_article

    article = make_article(text, id=meta.pop("id", None), title=meta.pop("title", None),
                           source=meta.pop("source_name", meta.pop("source", None)), url=meta.pop("url", None),
                           published=meta.pop("published", None))
    return analyze(article)


def analyze(article: Article, doc: Doc | None = None) -> Analysis:
    if article.language != "en" or not article.text.strip():
        return Analysis(article)
    if len(article.text) > nlp.MAX_CHARS:
        article.warnings.append(f"text is {len(article.text):,} characters, over the {nlp.MAX_CHARS:,} the parser takes; not analysed")
        return Analysis(article)
    doc = doc if doc is not None else nlp.parse(article.text)
    return analyze_doc(article, doc)


def analyze_many(articles: Iterable[Article], batch_size: int = 16) -> Iterator[Analysis]:
    """Stream articles through spaCy's batched pipe; articles that cannot be parsed pass through."""
    pending: list[Article] = []

    def flush():
        docs = nlp.parse_many((a.text for a in pending), batch_size=batch_size)
        for a, d in zip(pending, docs):
            yield analyze_doc(a, d)
        pending.clear()

    for article in articles:
        if article.language != "en" or not article.text.strip() or len(article.text) > nlp.MAX_CHARS:
            yield from flush()
            yield analyze(article)
            continue
        pending.append(article)
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()


def analyze_doc(article: Article, doc: Doc) -> Analysis:
    text = article.text
    found, warnings = find(doc)
    article.warnings.extend(w for w in warnings if w not in article.warnings)
    speakers = resolve(doc, found, article.published)
    props = [None if f.nominal else proposition(doc, f.content, sp, article.published) for f, sp in zip(found, speakers)]

    claims: dict[str, Claim] = {}
    by_key: dict[str, Claim] = {}
    claim_of: list[Claim | None] = []
    for f, prop in zip(found, props):
        if prop is None or _refers_to_claim(prop) or prop.predicate in _NOT_CLAIMS:
            claim_of.append(None)
            continue
        claim = _claim_for(article.id, prop, doc, by_key, claims)
        claim_of.append(claim)
    # "the charge", "these allegations", "a groundless rumour": point back to the nearest claim that names
    # a concrete act, else forward to the first one.
    substantive = [(f.content[0][0], c) for f, c in zip(found, claim_of) if c is not None and c.event]
    for i, (f, prop) in enumerate(zip(found, props)):
        if claim_of[i] is None and (f.nominal or (prop is not None and _refers_to_claim(prop))):
            claim_of[i] = _nearest(substantive, f.content[0][0])

    attributions: list[Attribution] = []
    cue_lemmas: dict[str, str] = {}
    sentence_countries: dict[str, list[str]] = {}
    for n, (f, sp, prop, claim) in enumerate(zip(found, speakers, props, claim_of), 1):
        aid = f"{article.id}:a{n}"
        content_text = " ".join(text[s:e] for s, e in f.content)
        st = stance(f, sp, prop, content_text)
        if f.nominal and f.cue_lemma not in ("deny", "reject", "dismiss", "refute", "rebut", "dispute"):
            st = "report" if st == "assert" else st
        attributions.append(Attribution(
            id=aid, kind=f.kind, cue=Span.of(text, *f.cue), source=Span.of(text, *f.source) if f.source else None,
            content=[Span.of(text, s, e) for s, e in f.content], speaker=sp, stance=st,
            certainty=certainty(f, prop), claim=claim.id if claim else None,
            confidence=f.confidence, sentence=f.sentence))
        cue_lemmas[aid] = f.cue_lemma
        sentence_countries[aid] = _countries_outside(text, f, article.published)
    events = make_events(article.id, attributions, claims, cue_lemmas, sentence_countries)
    return Analysis(article, attributions, list(claims.values()), events)


def _refers_to_claim(prop: Proposition) -> bool:
    """'The US is spreading a groundless rumour': the content is about a claim, not a new act."""
    return prop.dismissive and predicate_of_verb(prop.predicate) is None and prop.predicate not in _KNOWN


# Copulas and light verbs say nothing checkable on their own ("it is part of ...").
_NOT_CLAIMS = {"be", "have", "do", "make", "get", "go", "come", "seem", "become", "appear", "want", "need", "know",
               "think", "say", "tell", "see", "look", "continue", "try", "include", "mean"}
_KNOWN = {"supply", "attack", "train", "sanction", "threaten", "deploy", "interfere", "aid"}


def _claim_for(article_id: str, prop: Proposition, doc: Doc, by_key: dict[str, Claim], claims: dict[str, Claim]) -> Claim:
    claim = Claim(id="", text=prop.text(), agent=prop.agent, predicate=prop.predicate, recipient=prop.recipient,
                  object=prop.object, event=event_for(prop.predicate, prop.object), negated=prop.negated)
    existing = by_key.get(claim.key)
    mention = Span.of(doc.text, *prop.span)
    if existing is not None:
        existing.mentions.append(mention)
        if existing.object is None and claim.object:
            existing.object, existing.text = claim.object, claim.text
        return existing
    claim.id = f"{article_id}:c{len(claims) + 1}"
    claim.mentions.append(mention)
    by_key[claim.key] = claim
    claims[claim.id] = claim
    return claim


def _nearest(candidates: list[tuple[int, Claim]], pos: int) -> Claim | None:
    before = [c for p, c in candidates if p <= pos]
    if before:
        return before[-1]
    after = [c for p, c in candidates if p > pos]
    return after[0] if after else None


def _countries_outside(text: str, f: Found, date: str | None) -> list[str]:
    """Countries named in the attribution's sentence but outside its content and source."""
    s0, s1 = f.sentence
    masked = list(text[s0:s1])
    for s, e in f.content + ([f.source] if f.source else []):
        for i in range(max(s, s0), min(e, s1)):
            masked[i - s0] = " "
    from .actors import dictionary

    return [m.country for m in dictionary().find("".join(masked), date) if m.country and len(m.country) == 3]


__all__ = ["analyze", "analyze_doc", "analyze_many", "analyze_text", "place"]
