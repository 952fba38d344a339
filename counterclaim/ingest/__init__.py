"""Ingest: files and folders in, Articles out; every unusable input becomes a Rejected note."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..models import Article
from ..settings import DEFAULT
from .checks import MAX_BYTES, decode
from .feeds import read_feed, read_warc
from .fetch import FetchError
from .readers import make_article, read_html, read_jsonl, read_text

SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl",
            ".rss": "feed", ".atom": "feed", ".xml": "feed", ".warc": "warc", ".arc": "warc"}


def kind_of(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return SUFFIXES.get(Path(name).suffix)

__all__ = ["Rejected", "is_url", "iter_articles", "make_article", "read_html", "read_jsonl", "read_text",
           "read_url"]


@dataclass(frozen=True)
class Rejected:
    """An input that could not become an article, and why."""

    path: str
    reason: str
    error: bool = False  # a reader broke on it (a failure to read, kept to be tried again), not bad input

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def iter_articles(paths: Iterable[str | Path]) -> Iterator[Article | Rejected]:
    """Walk files, folders (sorted) and URLs (read_url) in the order given and read each supported input."""
    for p in paths:
        if is_url(p):
            try:
                yield from read_url(str(p))
            except FetchError as err:
                yield Rejected(str(p), str(err))
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.is_file() and kind_of(f))
            if not files:
                yield Rejected(str(path), "folder holds no .txt, .html, .jsonl, feed or WARC files")
            for f in files:
                yield from _guarded(f)
        elif path.is_file():
            yield from _guarded(path)
        else:
            yield Rejected(str(p), "no such file or folder")  # as typed: "ftp://x" is no path "ftp:/x"


def is_url(p: str | Path) -> bool:
    return str(p).startswith(("http://", "https://"))


def read_url(url: str, allow_private: bool = False) -> list[Article | Rejected]:
    """A feed's entries, or a page as one article, fetched as the web app fetches (fetch.py: internet
    addresses only, after redirects too; one size cap and one deadline). Raises FetchError when it
    cannot be fetched."""
    import feedparser

    from . import fetch as fetcher

    text = fetcher.fetch(url, allow_private)
    parsed = feedparser.parse(text)
    if parsed.version or parsed.entries:
        return list(_items(read_feed(text, url), []))
    article = read_html(text, url)
    if not article.text.strip():
        return [Rejected(url, article.warnings[0] if article.warnings else "no article text in the page")]
    article.url = article.url or url
    article.source_name = article.source_name or urlsplit(url).hostname
    return [article]


def _guarded(path: Path) -> Iterator[Article | Rejected]:
    """read_file, where a reader's own failure on odd input rejects that file (after the articles it gave)
    and the walk goes on."""
    try:
        yield from read_file(path)
    except Exception as err:  # noqa: BLE001 - any reader's bug on one file must not end the batch
        line = " ".join(str(err).split())[:200]
        yield Rejected(str(path), f"could not be read ({type(err).__name__}{': ' + line if line else ''})", True)


def read_file(path: Path) -> Iterator[Article | Rejected]:
    kind = kind_of(path) or "text"
    if kind == "warc":  # binary (often gzipped) by nature: no text checks on the container
        yield from _items(read_warc(path), [])
        return
    many = kind in ("jsonl", "feed")  # a file of many articles may be as large as an upload
    limit = DEFAULT.max_upload_bytes if many else MAX_BYTES
    try:
        data = _read(path, limit)
    except OSError as err:
        yield Rejected(str(path), f"cannot read: {err.strerror or err}")
        return
    text, notes = decode(data, limit, "a file of articles" if many else "one article")
    if text is None:
        yield Rejected(str(path), notes[0])
        return
    if kind in ("jsonl", "feed"):
        reader = read_jsonl(text, str(path)) if kind == "jsonl" else read_feed(text, str(path))
        yield from _items(reader, notes)
        return
    article = read_html(text, str(path)) if kind == "html" else read_text(text, str(path))
    if not article.text.strip():
        yield Rejected(str(path), article.warnings[0] if article.warnings else "empty article")
        return
    article.warnings[:0] = notes
    yield article


def _read(path: Path, limit: int) -> bytes:
    """A file's bytes, gunzipped where its name ends in .gz (at most `limit` and one byte more, so that a
    small archive of a huge file is not inflated whole)."""
    if not path.name.lower().endswith(".gz"):
        return path.read_bytes()
    import gzip

    try:
        with gzip.open(path, "rb") as fh:
            return fh.read(limit + 1)
    except (gzip.BadGzipFile, EOFError) as err:
        raise OSError(f"not a readable gzip file ({err})") from None


def _items(reader, notes: list[str]) -> Iterator[Article | Rejected]:
    for item in reader:
        if isinstance(item, tuple):
            yield Rejected(*item)
        else:
            item.warnings[:0] = notes
            yield item
