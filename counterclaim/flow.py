"""The one ingest flow: articles in, the store and its threads brought up to date. Every way in (`analyze`,
`watch`, the web app's ingest, the Ray loader, `eval threads`) runs it, so each gets the same guarantees:
what is stored is skipped, the rest is analysed (by worker processes) and stored a batch per transaction,
then linked into the threads, whose status changes are recorded. An article that fails to be read,
analysed, stored or linked is reported (`on_failure`) and kept in the store's failures with its reason,
to be tried again by the next run that meets it, and the others go on; an input that is no article
(empty, binary, too large) is reported as rejected. A stop request ends the run after the batch in hand,
and what was stored is linked before it returns."""
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
    warnings: list[str] = field(default_factory=list)  # what went wrong beyond any one article
    conflicts: list[str] = field(default_factory=list)  # ids already stored with another text: not stored


def ingest(items: Iterable[Article | Rejected | Analysis], store: Store, settings: Settings = DEFAULT, *,
           analysed: bool = False, link: bool = True, full: bool = False, stop: threading.Event | None = None,
           on_failure: Callable[[Failure], None] | None = None,
           on_rejected: Callable[[Rejected], None] | None = None,
           on_analysed: Callable[[Analysis], None] | None = None,
           on_saved: Callable[[int], None] | None = None,
           link_settings=None) -> Report:
    """Bring the store up to date with `items`: articles to analyse (or, with `analysed`, analyses made
    elsewhere: the Ray engine's), and inputs rejected by ingest (reported, not stored). `link`: link the
    new articles into the threads at the end (all of the store's from scratch with `full`). Callbacks: each
    failure and each rejected input as it happens, each analysis, the count stored after each batch."""
    from .pipeline import analyze_parallel

    report = Report()
    stop = stop or threading.Event()
    seen: set[str] = set()
    mine: list[str] = []  # stored by this run

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
            if stop.is_set():
                return
            report.inputs += 1
            if isinstance(item, Rejected) and item.error:  # a reader broke on it: kept to be tried again
                failed(Failure(article=item.path, stage="read", error=item.reason, path=item.path))
                continue
            if isinstance(item, Rejected):
                report.rejected.append(item)
                if on_rejected:
                    on_rejected(item)
                continue
            article = item.article if isinstance(item, Analysis) else item
            report.order.append(article.id)
            stored = None if article.id in seen else store.text_of(article.id)
            if article.id in seen or stored is not None:  # analysed already (this run or an earlier one)
                report.skipped += 1
                if stored is not None and stored != article.text:
                    # The same id for another text: the stored one stays, and the user is told.
                    report.conflicts.append(article.id)
                    report.warnings.append(f"{article.path or article.id}: the id {article.id!r} is already stored "
                                           "with a different text; not stored (give it an id of its own)")
                continue
            seen.add(article.id)
            yield item

    batch: list[Analysis] = []
    stream = fresh() if analysed else analyze_parallel(fresh(), settings.cores(), settings.parse_batch)

    def save() -> None:
        stored, skipped = _save(store, batch, failed)
        report.stored += len(stored)
        report.skipped += skipped
        mine.extend(stored)
        batch.clear()
        if on_saved:
            on_saved(report.stored)

    try:
        for analysis in stream:
            if analysis.failure is not None:
                failed(analysis.failure)
                continue
            if on_analysed:
                on_analysed(analysis)
            batch.append(analysis)
            if len(batch) >= settings.save_batch:
                save()
                if stop.is_set():
                    report.stopped = True
                    break
        else:
            if batch:
                save()
    finally:
        stream.close()
    report.stopped = report.stopped or stop.is_set()
    if link:
        _link(store, report, failed, full, link_settings, set(mine))
    return report


def _save(store: Store, batch: list[Analysis], failed: Callable[[Failure], None]) -> tuple[list[str], int]:
    """Store a batch in one transaction; where that fails, each article alone, so only the one the store
    cannot take fails. Returns the ids stored and how many were already there (another writer's)."""
    from .threads.syndication import signature

    ready = []
    for x in batch:  # what linking finds copies by; worker processes make most of them (pipeline._analyze_batch)
        try:
            if x.signature is None and x.article.text.strip():
                x.signature = signature(x.article.text)
            ready.append(x)
        except Exception as err:  # noqa: BLE001
            failed(Failure.of(x.article, "analyse", err))
    try:
        n = store.save_many(ready)
        return ([x.article.id for x in ready] if n == len(ready) else
                [aid for aid in (x.article.id for x in ready) if store.has(aid)]), len(ready) - n
    except Exception:  # noqa: BLE001
        stored, skipped = [], 0
        for x in ready:
            try:
                if store.save_many([x]):
                    stored.append(x.article.id)
                else:
                    skipped += 1
            except Exception as err:  # noqa: BLE001
                failed(Failure.of(x.article, "store", err))
        return stored, skipped


def _link(store: Store, report: Report, failed: Callable[[Failure], None], full: bool, settings,
          mine: set[str]) -> None:
    """Link what was stored and rebuild the search index. Where linking them all fails, each article is
    linked alone: one that still fails is taken out of the store and kept as failed (its next run analyses
    it again). Where every one fails alone too, the fault is the store's or the machine's, not an
    article's: the first error is raised and nothing is taken out."""
    from .threads.relink import relink

    try:
        relink(store, settings, full=full)
        report.changes += store.new_changes
    except Exception as first:  # noqa: BLE001
        unlinked = store.unlinked_articles()
        broken: list[tuple[str, BaseException]] = []
        for aid in unlinked:
            try:
                relink(store, settings, articles=[aid])
                report.changes += store.new_changes
            except Exception as err:  # noqa: BLE001
                broken.append((aid, err))
        if len(unlinked) > 1 and len(broken) == len(unlinked):
            raise first
        for aid, err in broken:
            record = store.article_record(aid) or {}
            article = Article(id=aid, text="", title=record.get("title"), path=store.path_of(aid))
            store.remove([aid])
            report.stored -= aid in mine
            failed(Failure.of(article, "link", err))
        if full:
            store.forget_changes_of_gone_threads()
    try:
        store.reindex()
    except Exception as err:  # noqa: BLE001 - search falls back to substrings; the articles are linked
        report.warnings.append(f"the full-text index was not rebuilt ({type(err).__name__}: {err})")


__all__ = ["Report", "ingest"]
