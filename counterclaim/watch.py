"""Watching sources: feeds (URLs), files and folders, read again every so often. Each round reads every
source that is due, analyses only the articles the store does not hold, stores them a batch per
transaction, links them into the threads and records the status changes. A source that fails (timeout,
HTTP error, a feed that does not parse, a path that is gone) is reported and retried with backoff; the
others go on. A stop request (SIGINT, SIGTERM, or the server shutting down) ends the round after the
batch in hand, and what was stored is linked before it returns: nothing is lost or stored twice. A
process killed outright loses at most the batch it was analysing; its stored articles are linked by the
next round."""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .models import Article, Failure
from .settings import DEFAULT, Settings



class SourceError(RuntimeError):
    """A source that could not be read this round, and why (one line)."""


def parse_every(text: str) -> float:
    """'15m', '30s', '1h', '1d' or a bare number of seconds, as seconds."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text or "")
    if not found:
        raise ValueError(f"not a duration: {text!r} (give e.g. 30s, 15m, 1h)")
    return float(found.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[found.group(2)]


@dataclass
class Source:
    """One source and how it has fared: failures in a row decide how many rounds it is left alone."""

    spec: str
    failures: int = 0
    wait_rounds: int = 0  # rounds still to skip before it is tried again
    error: str | None = None

    @property
    def is_url(self) -> bool:
        return self.spec.startswith(("http://", "https://"))

    def failed(self, why: str) -> None:
        self.failures += 1
        self.error = why
        # Every round after the first failure, then every other, every fourth ...: a source that is down for
        # a day is not asked every few minutes, and one that was down a moment is back at once.
        self.wait_rounds = min(2 ** (self.failures - 1) - 1, DEFAULT.max_skipped_rounds)

    def worked(self) -> None:
        self.failures, self.wait_rounds, self.error = 0, 0, None


@dataclass
class Round:
    """What one round did, for its progress line."""

    number: int
    started: datetime
    sources: int = 0  # sources read this round
    read: int = 0  # articles the sources hold
    new: int = 0  # of those, not yet in the store: analysed
    stored: int = 0
    changes: int = 0  # status changes recorded
    failed: list[tuple[str, str, int]] = field(default_factory=list)  # source, why, rounds until retried
    waiting: list[str] = field(default_factory=list)  # sources skipped this round (backing off)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # inputs that are no article, first seen
    articles_failed: list[Failure] = field(default_factory=list)  # articles that could not be analysed or stored
    warnings: list[str] = field(default_factory=list)  # what went wrong beyond any one article
    stopped: bool = False  # a stop request ended it early
    error: str | None = None  # the round broke (the store could not be read or written): why

    def line(self) -> str:
        parts = [f"round {self.number}", self.started.strftime("%H:%M:%S"), f"{self.sources} source(s) read",
                 f"{self.new} new of {self.read} article(s)", f"{self.stored} stored",
                 f"{self.changes} status change(s)"]
        if self.failed:
            parts.append(f"{len(self.failed)} source(s) failed")
        if self.waiting:
            parts.append(f"{len(self.waiting)} backing off")
        if self.articles_failed:
            parts.append(f"{len(self.articles_failed)} article(s) failed")
        if self.stopped:
            parts.append("stopped after the current batch")
        if self.error:
            parts.append(f"round failed ({self.error}); tried again next round")
        return " · ".join(parts)


def fetch_feed(url: str, timeout: float = DEFAULT.feed_timeout_s, max_bytes: int = DEFAULT.max_feed_bytes) -> bytes:
    """A feed's bytes. The user names the feeds they watch, so any address may be fetched; size and time
    are capped so one bad source cannot hold the round."""
    import httpx

    from .ingest.fetch import read_capped

    try:
        with httpx.Client(follow_redirects=True, timeout=timeout,
                          headers={"User-Agent": "counterclaim-watch/0.1"}) as client:
            with client.stream("GET", url) as resp:
                if resp.status_code >= 400:
                    raise SourceError(f"HTTP {resp.status_code}")
                body = read_capped(resp, max_bytes)
                if body is None:
                    raise SourceError(f"over {max_bytes:,} bytes")
                return body
    except httpx.TimeoutException:
        raise SourceError(f"no answer within {timeout:.0f} s") from None
    except httpx.HTTPError as err:
        raise SourceError(f"{type(err).__name__}: {err}") from None


def read_source(source: Source, timeout: float = DEFAULT.feed_timeout_s) -> tuple[list[Article], list[tuple[str, str]]]:
    """The articles a source holds now, and its inputs that are no article. Raises SourceError when the
    source as a whole cannot be read."""
    from .ingest import Rejected, iter_articles
    from .ingest.checks import decode
    from .ingest.feeds import read_feed

    if source.is_url:
        text, notes = decode(fetch_feed(source.spec, timeout), DEFAULT.max_feed_bytes, "a feed")
        if text is None:
            raise SourceError(f"not a feed ({notes[0]})")
        items = list(read_feed(text, source.spec))
        if len(items) == 1 and isinstance(items[0], tuple) and items[0][0] == source.spec:
            raise SourceError(items[0][1])  # the feed as a whole did not parse
        articles = [a for a in items if not isinstance(a, tuple)]
        for a in articles:
            a.warnings[:0] = notes
        return articles, [i for i in items if isinstance(i, tuple)]
    path = Path(source.spec)
    if not path.exists():
        raise SourceError("no such file or folder")
    articles, rejected = [], []
    for item in iter_articles([path]):
        if isinstance(item, Rejected):
            rejected.append((item.path, item.reason))
        else:
            articles.append(item)
    return articles, rejected


class Watcher:
    """Rounds over the sources into one store, through the ingest flow (flow.py). The store takes its own
    lock for each read and write, so a server's requests go on while articles are fetched and analysed."""

    def __init__(self, store, sources: list[str], settings: Settings | None = None,
                 on_saved: Callable[[int], None] | None = None, on_failure: Callable[[Failure], None] | None = None):
        self.store = store
        self.sources = [Source(s) for s in dict.fromkeys(sources)]
        self.settings = settings or DEFAULT
        self.on_saved = on_saved  # called with the articles stored so far this round, after each batch
        self.on_failure = on_failure  # called with each article that fails, as it fails
        self.stop = threading.Event()
        self.rounds = 0
        self._reported: set[tuple[str, str]] = set()

    def round(self) -> Round:
        from .flow import ingest

        self.rounds += 1
        report = Round(self.rounds, datetime.now())
        fresh: list[Article] = []
        seen: set[str] = set()
        for source in self.sources:
            if self.stop.is_set():
                break
            if source.wait_rounds > 0:
                source.wait_rounds -= 1
                report.waiting.append(source.spec)
                continue
            try:
                articles, rejected = read_source(source, self.settings.feed_timeout_s)
            except SourceError as err:
                source.failed(str(err))
                report.failed.append((source.spec, str(err), source.wait_rounds + 1))
                continue
            except Exception as err:  # a reader's own failure on odd input is this source's, not the round's
                source.failed(f"{type(err).__name__}: {err}")
                report.failed.append((source.spec, source.error, source.wait_rounds + 1))
                continue
            source.worked()
            report.sources += 1
            report.read += len(articles)
            for r in rejected:
                if r not in self._reported:  # a bad file in a watched folder is told once, not every round
                    self._reported.add(r)
                    report.rejected.append(r)
            for a in articles:
                if a.id not in seen and not self.store.has(a.id):
                    seen.add(a.id)
                    fresh.append(a)
        report.new = len(fresh)

        def failed(f: Failure) -> None:
            report.articles_failed.append(f)
            if self.on_failure:
                self.on_failure(f)

        # Linked whatever is new: this round's, or those of a round that was killed before it linked them.
        done = ingest(fresh, self.store, self.settings, stop=self.stop, on_saved=self.on_saved, on_failure=failed,
                      link=bool(fresh) or bool(self.store.unlinked_articles()))
        report.stored, report.stopped, report.changes = done.stored, done.stopped, done.changes
        report.warnings = done.warnings
        return report

    def run(self, rounds: int | None = None, every: float = 900.0,
            report: Callable[[Round], None] = lambda r: None) -> None:
        """Rounds until stopped (or `rounds` of them), `every` seconds apart from start to start."""
        while not self.stop.is_set():
            start = time.monotonic()
            try:
                done = self.round()
            except Exception as err:  # noqa: BLE001 - the store's fault this round; the next may go through
                done = Round(self.rounds, datetime.now(), error=f"{type(err).__name__}: {err}")
            report(done)
            if rounds is not None and self.rounds >= rounds:
                return
            self.stop.wait(max(0.0, every - (time.monotonic() - start)))
