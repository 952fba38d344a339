"""The one ingest flow: articles in, the store and its threads brought up to date. Every way in (`analyze`,
`watch`, the web app's ingest, the Ray loader, `eval threads`) runs it, so each gets the same guarantees:
what is stored is skipped, the rest is analysed (by worker processes) and stored a batch per transaction,
then linked into the threads, whose status changes are recorded. Nothing is lost: an article that fails
to be read, analysed, stored or linked is reported (`on_failure`) and kept in the store as failed with its
reason, to be tried again by the next run, and the others go on. A stop request ends the run after the
batch in hand, and what was stored is linked before it returns."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .ingest import Rejected
from .models import Analysis, Article, Failure
from .settings import DEFAULT, Settings
from .store.db import Store


@dataclass
class Report:
    """What one run did."""

    inputs: int = 0  # articles and rejected inputs read
    stored: int = 0
    skipped: int = 0  # already in the store, or given twice
    failed: list[Failure] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)  # inputs that are no article
    order: list[str] = field(default_factory=list)  # article ids in input order
    changes: int = 0  # status changes recorded
    stopped: bool = False  # a stop request ended it early


def ingest(items: Iterable[Article | Rejected | Analysis], store: Store, settings: Settings = DEFAULT, *,
           link: bool = True, full: bool = False, stop: threading.Event | None = None,
           on_failure: Callable[[Failure], None] | None = None,
           on_rejected: Callable[[Rejected], None] | None = None,
           on_analysed: Callable[[Analysis], None] | None = None,
           on_saved: Callable[[int], None] | None = None,
           link_settings=None) -> Report:
    """Bring the store up to date with `items`: articles to analyse, analyses made elsewhere (the Ray
    engine's), or inputs rejected by ingest (reported, not stored). `link`: link the new articles into
    the threads at the end (all of the store's from scratch with `full`). Callbacks: each failure and each
    rejected input as it happens, each analysis, the count stored after each batch."""
    report = Report()
    stop = stop or threading.Event()
    seen: set[str] = set()

    def failed(f: Failure) -> None:
        report.failed.append(f)
        try:
            store.record_failure(f)
        except Exception as err:  # noqa: BLE001 - the failure is still told, and the run goes on
            f.error += f" (and it could not be kept in the store: {type(err).__name__})"
        if on_failure:
            on_failure(f)

    def fresh() -> Iterator[Article | Analysis]:
        for item in items:
            report.inputs += 1
            if isinstance(item, Rejected):
                report.rejected.append(item)
                if on_rejected:
                    on_rejected(item)
                continue
            article = item.article if isinstance(item, Analysis) else item
            report.order.append(article.id)
            if article.id in seen or store.has(article.id):  # analysed already (this run or an earlier one)
                report.skipped += 1
                continue
            seen.add(article.id)
            yield item
            if stop.is_set():
                return

    batch: list[Analysis] = []
    stream = _analyses(fresh(), settings)
    try:
        for analysis in stream:
            if analysis.failure is not None:
                failed(analysis.failure)
                continue
            if on_analysed:
                on_analysed(analysis)
            batch.append(analysis)
            if len(batch) >= settings.save_batch:
                report.stored += _save(store, batch, failed)
                batch = []
                if on_saved:
                    on_saved(report.stored)
                if stop.is_set():
                    report.stopped = True
                    break
        else:
            report.stored += _save(store, batch, failed)
            if on_saved and batch:
                on_saved(report.stored)
    finally:
        stream.close()
    report.stopped = report.stopped or stop.is_set()
    if link:
        _link(store, failed, full, link_settings)
        report.changes = store.new_changes
    return report


def _analyses(items: Iterator[Article | Analysis], settings: Settings) -> Iterator[Analysis]:
    """The new items as analyses: articles analysed (workers in parallel, in input order), analyses made
    elsewhere passed through."""
    from .pipeline import analyze_parallel

    made: list[Analysis] = []

    def articles() -> Iterator[Article]:
        for item in items:
            if isinstance(item, Analysis):
                made.append(item)
            else:
                yield item

    for analysis in analyze_parallel(articles(), settings.cores(), settings.parse_batch):
        while made:
            yield made.pop(0)
        yield analysis
    while made:
        yield made.pop(0)


def _save(store: Store, batch: list[Analysis], failed: Callable[[Failure], None]) -> int:
    """Store a batch in one transaction; where that fails, each article alone, so only the one the store
    cannot take fails."""
    if not batch:
        return 0
    from .threads.syndication import signature

    for x in batch:  # what linking finds copies by; worker processes make most of them (pipeline._analyze_batch)
        if x.signature is None and x.article.text.strip():
            x.signature = signature(x.article.text)
    try:
        return store.save_many(batch)
    except Exception:  # noqa: BLE001
        stored = 0
        for x in batch:
            try:
                stored += store.save_many([x])
            except Exception as err:  # noqa: BLE001
                failed(Failure.of(x.article, "store", err))
        return stored


def _link(store: Store, failed: Callable[[Failure], None], full: bool, settings) -> None:
    """Link what was stored and rebuild the search index. Where linking the whole batch fails, each
    article is linked alone: one that still fails is taken out of the store and kept as failed."""
    from .threads.relink import relink

    try:
        relink(store, settings, full=full)
    except Exception:  # noqa: BLE001
        for aid in store.unlinked_articles():
            try:
                relink(store, settings, articles=[aid])
            except Exception as err:  # noqa: BLE001
                record = store.article_record(aid) or {}
                article = Article(id=aid, text="", title=record.get("title"), path=store.path_of(aid))
                store.remove([aid])
                failed(Failure.of(article, "link", err))
    store.reindex()
