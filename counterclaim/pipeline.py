"""The per-article pipeline: parse, find attributions, resolve speakers, read claims, stance and events.
Pure given the spaCy model: the same article always gives the same Analysis."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from . import nlp
from .attribution.extract import Found, find
from .attribution.speakers import resolve
from .claims.events import events as make_events
from .claims.facts import fact_events
from .claims.extract import Proposition, proposition
from .claims.lexicon import event_for, predicate_of_verb
from .claims.stance import certainty, stance
from .models import Analysis, Article, Attribution, Claim, Span
from .nlp import text_of


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


def analyze_parallel(articles: Iterable[Article], workers: int = 1, batch_size: int = 16) -> Iterator[Analysis]:
    """analyze_many over several processes, results in input order. At most two batches per worker are in
    flight, so memory stays flat however long the input."""
    if workers <= 1:
        yield from analyze_many(articles, batch_size)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("spawn")  # no fork of a process that holds threads and a DuckDB handle
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=nlp.load) as pool:
        pending: deque = deque()
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                pending.append(pool.submit(_analyze_batch, batch))
                batch = []
                while len(pending) >= 2 * workers:
                    yield from pending.popleft().result()
        if batch:
            pending.append(pool.submit(_analyze_batch, batch))
        while pending:
            yield from pending.popleft().result()


def _analyze_batch(batch: list[Article]) -> list[Analysis]:
    from .threads.syndication import signature

    out = list(analyze_many(batch, batch_size=len(batch)))
    for analysis in out:  # in the worker, so the process that writes the store has less to do
        if analysis.article.text.strip():
            analysis.signature = signature(analysis.article.text)
    return out


def analyze_doc(article: Article, doc: Doc) -> Analysis:
    text = article.text
    found, warnings = find(doc)
    article.warnings.extend(w for w in warnings if w not in article.warnings)
    speakers = resolve(doc, found, article.published)
    props = [None if f.nominal else proposition(doc, f.content, sp, article.published) for f, sp in zip(found, speakers)]

    claims: dict[str, Claim] = {}
    by_key: dict[str, Claim] = {}
    claim_of: list[Claim | None] = []
    for prop in props:
        if prop is None or _refers_to_claim(prop) or prop.predicate in _NOT_CLAIMS:
            claim_of.append(None)
            continue
        claim = _claim_for(article.id, prop, doc, by_key, claims)
        claim_of.append(claim)
    claim_of = _merge_partial(claim_of, claims)
    # "the charge", "these allegations", "a groundless rumour": the claim the article is about.
    for i, (f, prop) in enumerate(zip(found, props)):
        if claim_of[i] is None and (f.nominal or (prop is not None and _refers_to_claim(prop))):
            claim_of[i] = _referent(f, speakers[i], found, claim_of)

    attributions: list[Attribution] = []
    sentence_countries: dict[str, list[str]] = {}
    for n, (f, sp, prop, claim) in enumerate(zip(found, speakers, props, claim_of), 1):
        aid = f"{article.id}:a{n}"
        content_text = " ".join(text[s:e] for s, e in f.content)
        st = stance(f, prop, content_text)
        if f.nominal and st == "assert":
            st = "report"  # "officials cited the reports": passing a claim on, not making it
        attributions.append(Attribution(
            id=aid, kind=f.kind, cue=Span.of(text, *f.cue), source=Span.of(text, *f.source) if f.source else None,
            content=[Span.of(text, s, e) for s, e in f.content], speaker=sp, stance=st,
            certainty=certainty(f, prop), claim=claim.id if claim else None,
            confidence=f.confidence, sentence=f.sentence, cue_lemma=f.cue_lemma))
        sentence_countries[aid] = _countries_outside(text, f, article.published)
    events = make_events(article.id, attributions, claims, sentence_countries)
    events += fact_events(doc, article.id, attributions, article.published, _focus(claims), len(events) + 1)
    return Analysis(article, attributions, list(claims.values()), events)


def _focus(claims: dict[str, Claim]) -> str | None:
    """The country the article is about: the most frequent doer of its claims."""
    agents = Counter(c.agent.country for c in claims.values() if c.agent.country)
    return agents.most_common(1)[0][0] if agents else None


def _refers_to_claim(prop: Proposition) -> bool:
    """'The US is spreading a groundless rumour': the content is about a claim, not a new act."""
    return prop.dismissive and predicate_of_verb(prop.predicate) is None


# Copulas and light verbs say nothing checkable on their own ("it is part of ...").
_NOT_CLAIMS = {"be", "have", "do", "make", "get", "go", "come", "seem", "become", "appear", "want", "need", "know",
               "think", "say", "tell", "see", "look", "continue", "try", "include", "mean"}


def _claim_for(article_id: str, prop: Proposition, doc: Doc, by_key: dict[str, Claim], claims: dict[str, Claim]) -> Claim:
    claim = Claim(id="", text=prop.text(), agent=prop.agent, predicate=prop.predicate, recipient=prop.recipient,
                  object=prop.object, event=event_for(prop.predicate, prop.object), negated=prop.negated)
    existing = by_key.get(claim.key)
    mention = Span.of(text_of(doc), *prop.span)
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


def _merge_partial(claim_of: list[Claim | None], claims: dict[str, Claim]) -> list[Claim | None]:
    """A claim that leaves out whom ("we have not provided any weapons") is the article's fuller claim
    with the same agent, act and kind of object, when there is exactly one."""
    from .claims.lexicon import object_class

    for c in list(claims.values()):
        if c.recipient is not None:
            continue
        cls = object_class(c.object) if c.object not in VAGUE_OBJECTS else ""
        fuller = [o for o in claims.values() if o is not c and o.recipient is not None
                  and o.agent.country == c.agent.country and o.predicate == c.predicate
                  and (not cls or object_class(o.object) == cls)]
        if len(fuller) == 1:
            fuller[0].mentions.extend(c.mentions)
            del claims[c.id]
            claim_of = [fuller[0] if x is c else x for x in claim_of]
    return claim_of


VAGUE_OBJECTS = {None, "any", "some", "it", "them", "anything", "none", "one", "this", "that"}


def _referent(f: Found, speaker, found: list[Found], claim_of: list[Claim | None]) -> Claim | None:
    """The claim a noun like "the accusation" points to: one about the speaker's own side when the
    speaker denies it, then the one the article attributes most often, then the nearest before."""
    pos = f.content[0][0]
    candidates = {}
    for g, c in zip(found, claim_of):
        if c is not None and c.event:
            n, first = candidates.get(c.id, (0, g.content[0][0]))
            candidates[c.id] = (n + 1, min(first, g.content[0][0]))
    if not candidates:
        return None
    by_id = {c.id: c for c in claim_of if c is not None}

    def score(cid: str):
        n, first = candidates[cid]
        own = by_id[cid].agent.country == speaker.country if speaker.country else False
        return (own, n, first <= pos, -abs(pos - first))

    return by_id[max(candidates, key=score)]


def _countries_outside(text: str, f: Found, date: str | None) -> tuple[list[str], list[str]]:
    """Countries the attribution's sentence names outside its content and source, and inside its content."""
    from .actors import dictionary

    s0, s1 = f.sentence
    masked = list(text[s0:s1])
    for s, e in f.content + ([f.source] if f.source else []):
        for i in range(max(s, s0), min(e, s1)):
            masked[i - s0] = " "
    inside = " ".join(text[s:e] for s, e in f.content)

    def countries(t: str) -> list[str]:
        return [m.country for m in dictionary().find(t, date) if m.country and len(m.country) == 3]

    return countries("".join(masked)), countries(inside)


__all__ = ["analyze", "analyze_doc", "analyze_many", "analyze_parallel", "analyze_text"]
