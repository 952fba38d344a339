"""The per-article pipeline: parse, find attributions, resolve speakers, read claims, stance and events.
Pure given the spaCy model: the same article always gives the same Analysis."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from . import nlp
from .actors import bind
from .attribution.extract import Found, find
from .attribution.speakers import resolve
from .claims.assemble import assemble, embed, embed_many, outlet_claims, refer
from .claims.events import events as make_events
from .claims.facts import fact_events
from .claims.extract import proposition
from .claims.stance import certainty, cue_negated, stance
from .languages.read import analyze as other_language
from .models import Analysis, Article, Attribution, Claim, Failure, Span
from .nlp.lingual import covers
from .reading import Reading


def analyze_text(text: str, **meta) -> Analysis:
    """Analyse one text; keyword arguments are Article metadata (title, source_name, published...)."""
    from .ingest import make_article

    article = make_article(text, id=meta.pop("id", None), title=meta.pop("title", None),
                           source=meta.pop("source_name", meta.pop("source", None)), url=meta.pop("url", None),
                           published=meta.pop("published", None))
    return analyze(article)


def analyze(article: Article, doc: Doc | None = None) -> Analysis:
    """One article's analysis; an article the pipeline fails on comes back with its `failure` set."""
    return _guarded(article, _analyze, article, doc)


def _guarded(article: Article, work, *args) -> Analysis:
    """`work(*args)`, or, where it raises, the article with its failure: one odd article must not end a batch."""
    try:
        return work(*args)
    except Exception as err:  # noqa: BLE001
        return Analysis(article, failure=Failure.of(article, "analyse", err))


def _analyze(article: Article, doc: Doc | None = None) -> Analysis:
    if not article.text.strip():
        return Analysis(article)
    if len(article.text) > nlp.MAX_CHARS:
        article.warnings.append(f"text is {len(article.text):,} characters, over the {nlp.MAX_CHARS:,} the parser takes; not analysed")
        return Analysis(article)
    if article.language != "en":
        # Another language: read without a parse where the multilingual encoder covers it (languages/).
        return other_language(article) if covers(article.language) else Analysis(article)
    doc = doc if doc is not None else nlp.parse(article.text)
    return analyze_doc(article, doc)


def analyze_many(articles: Iterable[Article], batch_size: int = 16) -> Iterator[Analysis]:
    """Stream articles through spaCy's batched pipe; articles that cannot be parsed pass through."""
    pending: list[Article] = []

    def flush():
        if not pending:
            return
        try:
            docs = list(nlp.parse_many((a.text for a in pending), batch_size=batch_size))
            # Headlines in one batch too: parsed one at a time, each cost about as much as a paragraph.
            titled = [i for i, a in enumerate(pending) if a.title and a.title.strip()]
            titles = dict(zip(titled, nlp.parse_many([pending[i].title for i in titled], batch_size=64)))
        except Exception:  # noqa: BLE001 - a text that breaks the batch's parse: each alone, so only it fails
            done = [analyze(a) for a in pending]
        else:
            done = [_guarded(a, analyze_doc, a, d, titles.get(i), False)  # encoded below, the batch together
                    for i, (a, d) in enumerate(zip(pending, docs))]
            _embed_batch(done)
        pending.clear()
        yield from done

    for article in articles:
        if article.language != "en" or not article.text.strip() or len(article.text) > nlp.MAX_CHARS:
            yield from flush()
            yield analyze(article)
            continue
        pending.append(article)
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()


def _embed_batch(done: list[Analysis]) -> None:
    """The batch's claims in one call (sorted by length, they pad less); where that fails, each article's
    alone, so that only the article that breaks the encoder fails."""
    ok = [x for x in done if x.failure is None]
    try:
        embed_many([x.claims for x in ok])
    except Exception:  # noqa: BLE001
        for x in ok:
            try:
                embed(x.claims)
            except Exception as err:  # noqa: BLE001
                x.failure = Failure.of(x.article, "analyse", err)


def analyze_parallel(articles: Iterable[Article], workers: int = 1, batch_size: int = 16) -> Iterator[Analysis]:
    """analyze_many over `workers` processes, results in input order: workers - 1 child processes, and this
    one, which analyses the next batch itself whenever every child has its fill. So no core waits while
    the children load their models, nor while this process stores what they return. At most two batches
    per child are queued, 4 x workers batches held and 3 x workers batches read ahead, so memory stays
    flat however long the input."""
    if workers <= 1:
        yield from analyze_many(articles, batch_size)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor
    from itertools import islice

    children = workers - 1
    stream, ahead, look = iter(articles), deque(), 3 * workers * batch_size

    def next_batch() -> list[Article]:
        # Read ahead, so that the input's end is seen in time to cut the last batches ever smaller: a
        # child's two queued batches cannot be taken back, and full ones left a core idle for seconds.
        ahead.extend(islice(stream, look - len(ahead)))
        size = batch_size if len(ahead) >= look else min(batch_size, -(-len(ahead) // (2 * workers)))
        return [ahead.popleft() for _ in range(size)]

    ahead.extend(islice(stream, look))
    if not ahead:  # nothing to analyse (a watch round with nothing new): no worker is started
        return
    ctx = multiprocessing.get_context("spawn")  # no fork of a process that holds threads and a DuckDB handle
    with ProcessPoolExecutor(children, mp_context=ctx, initializer=_load_models) as pool:
        pending: deque = deque()  # child futures and batches done here, in input order
        while batch := next_batch():
            if sum(isinstance(p, Future) and not p.done() for p, _ in pending) < 2 * children:
                pending.append((_submit(pool, batch), batch))
            else:
                pending.append((_analyze_batch(batch), batch))
            while pending and (len(pending) >= 4 * workers or not isinstance(pending[0][0], Future)
                               or pending[0][0].done()):
                yield from _result(*pending.popleft())
        while pending:
            yield from _result(*pending.popleft())


def _submit(pool, batch: list[Article]):
    """A child's future for the batch, or the batch done here where the pool can take no more work (a
    child died: its pool is broken for good)."""
    try:
        return pool.submit(_analyze_batch, batch)
    except Exception:  # noqa: BLE001 - BrokenProcessPool, RuntimeError after shutdown
        return _analyze_batch(batch)


def _result(work, batch: list[Article]) -> list[Analysis]:
    """A batch's analyses, whether a child's future or done here. A child that died on the batch (killed
    for memory, a crash in native code) has it done again an article at a time, each in a process of its
    own, so that the article that kills a process fails alone and never takes this one down."""
    if isinstance(work, list):
        return work
    try:
        return work.result()
    except Exception:  # noqa: BLE001 - BrokenProcessPool and whatever a dying child leaves behind
        return _one_by_one(batch)


def _one_by_one(batch: list[Article]) -> list[Analysis]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx, out, pool = multiprocessing.get_context("spawn"), [], None
    try:
        for article in batch:
            pool = pool or ProcessPoolExecutor(1, mp_context=ctx, initializer=_load_models)
            try:
                out += pool.submit(_analyze_batch, [article]).result()
            except Exception as err:  # noqa: BLE001 - this article's process died: it fails, the next gets a new one
                out.append(Analysis(article, failure=Failure.of(
                    article, "analyse", RuntimeError(f"the process analysing it died ({type(err).__name__})"))))
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
    finally:
        if pool is not None:
            pool.shutdown()
    return out


def _load_models() -> None:
    from .nlp import encoder

    nlp.load()
    encoder.load()


def _analyze_batch(batch: list[Article]) -> list[Analysis]:
    from .threads.syndication import signature

    out = list(analyze_many(batch, batch_size=len(batch)))
    for analysis in out:  # in the worker, so the process that writes the store has less to do
        if analysis.article.text.strip() and analysis.failure is None:
            try:
                analysis.signature = signature(analysis.article.text)
            except Exception as err:  # noqa: BLE001
                analysis.failure = Failure.of(analysis.article, "analyse", err)
    return out


def analyze_doc(article: Article, doc: Doc, title_doc: Doc | None = None, encode: bool = True) -> Analysis:
    """Analyse a parsed article; `title_doc`, its headline parsed (else it is parsed here). `encode`: give
    the claims their vectors (else the caller does, with embed_many over several articles)."""
    r = Reading.of(article, doc, title_doc)
    find_attributions(r)
    resolve_speakers(r)
    read_propositions(r)
    assemble(r)
    parse_headline(r)
    outlet_claims(r)
    refer(r)
    attribute(r)
    code_events(r)
    analysis = r.analysis()
    if encode:
        embed(analysis.claims)
    for parsed in (r.doc, r.title_doc):
        if parsed is not None:
            nlp.release(parsed)
    return analysis


# --- the stages that are the pipeline's own: each reads and fills fields of the Reading ---------------

def find_attributions(r: Reading) -> None:
    """Cues, sources and contents (fills r.found); what the finder warns of goes on the article."""
    r.found, warnings = find(r.doc)
    r.article.warnings.extend(w for w in warnings if w not in r.article.warnings)


def resolve_speakers(r: Reading) -> None:
    """Each attribution's speaker (reads r.found, fills r.speakers)."""
    r.speakers = resolve(r.doc, r.found, r.article.source_name)


def read_propositions(r: Reading) -> None:
    """What each attribution's content claims: who did what to whom (reads r.found and r.speakers, fills
    r.props; None for a content that only names something, "denied the accusations")."""
    r.props = [None if f.nominal else proposition(r.doc, f.content, sp) for f, sp in zip(r.found, r.speakers)]


def parse_headline(r: Reading) -> None:
    """The headline's parse, where the caller had none (fills r.title_doc)."""
    title = r.article.title
    if r.title_doc is None and title and title.strip():
        r.title_doc = nlp.parse(title)
        bind(r.title_doc, r.article.published)


def attribute(r: Reading) -> None:
    """The attribution records: spans, speaker, stance, certainty and claim (reads r.found, r.speakers,
    r.props and r.claim_of; fills r.attributions)."""
    text = r.text
    for n, (f, sp, prop, claim) in enumerate(zip(r.found, r.speakers, r.props, r.claim_of), 1):
        content_text = " ".join(text[s:e] for s, e in f.content)
        st = stance(f, prop, content_text, cue_negated(r.doc, f))
        if f.nominal and st == "assert":
            st = "report"  # "officials cited the reports": passing a claim on, not making it
        r.attributions.append(Attribution(
            id=f"{r.id}:a{n}", kind=f.kind, cue=Span.of(text, *f.cue),
            source=Span.of(text, *f.source) if f.source else None,
            content=[Span.of(text, s, e) for s, e in f.content], speaker=sp, stance=st,
            certainty=certainty(f, prop), claim=claim.id if claim else None,
            confidence=f.confidence, sentence=f.sentence, cue_lemma=f.cue_lemma))


def code_events(r: Reading) -> None:
    """Events: those the attributions report and those the article tells as fact (reads r.attributions,
    r.found, r.claims and r.outlet; fills r.events)."""
    countries = {a.id: _countries_outside(r, f) for a, f in zip(r.attributions, r.found)}
    # An attribution may point to the outlet's own claim ("these reports are lies"): its events read it too.
    r.events = make_events(r.id, r.attributions, r.claims | {c.id: c for c in r.outlet}, countries)
    r.events += fact_events(r.doc, r.id, r.attributions, _focus(r.claims), len(r.events) + 1)


def _focus(claims: dict[str, Claim]) -> str | None:
    """The country the article is about: the most frequent doer of its claims."""
    agents = Counter(c.agent.country for c in claims.values() if c.agent.country)
    return agents.most_common(1)[0][0] if agents else None


def _countries_outside(r: Reading, f: Found) -> tuple[list[str], list[str]]:
    """Countries the attribution's sentence names outside its content and source, and inside its content."""
    text = r.text
    s0, s1 = f.sentence
    masked = list(text[s0:s1])
    for s, e in f.content + ([f.source] if f.source else []):
        for i in range(max(s, s0), min(e, s1)):
            masked[i - s0] = " "
    inside = " ".join(text[s:e] for s, e in f.content)
    return r.actors.countries("".join(masked)), r.actors.countries(inside)


__all__ = ["analyze", "analyze_doc", "analyze_many", "analyze_parallel", "analyze_text"]
