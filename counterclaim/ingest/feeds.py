"""RSS/Atom feeds and WARC/ARC web archives: many articles in one input."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..models import Article
from .readers import make_article, read_html

_BLOCK = re.compile(r"(?i)<\s*(?:br\s*/?|/p|/div|/h[1-6]|/li|/blockquote)\s*>")


def html_fragment_text(html: str) -> str:
    """Text of a feed entry's HTML: paragraphs become blank-line-separated paragraphs."""
    import lxml.html

    if "<" not in html:
        return html.strip()
    marked = _BLOCK.sub("\n\n", html)
    try:
        root = lxml.html.fragment_fromstring(marked, create_parent="div")
    except Exception:  # lxml raises several types on broken markup; the raw text is still usable
        return re.sub(r"<[^>]+>", " ", html).strip()
    text = root.text_content()
    return re.sub(r"\n\s*\n\s*", "\n\n", re.sub(r"[ \t\xa0]+", " ", text)).strip()


def read_feed(source: str, path: str) -> Iterator[Article | tuple[str, str]]:
    """Entries of an RSS or Atom feed (its text, or a URL feedparser fetches). Yields (where, why) for
    entries with no text."""
    import feedparser

    feed = feedparser.parse(source)
    if feed.bozo and not feed.entries:
        yield path, f"not a readable feed ({type(feed.bozo_exception).__name__}: {feed.bozo_exception})"
        return
    if not feed.version and not feed.entries:  # well-formed, but no RSS or Atom (a web page, say)
        yield path, "not a feed (no RSS or Atom in it)"
        return
    outlet = feed.feed.get("title")
    for n, e in enumerate(feed.entries, 1):
        where = f"{path}#{n}"
        html = (e.get("content") or [{}])[0].get("value") or e.get("summary") or ""
        text = html_fragment_text(html)
        if not text:
            yield where, "feed entry has no text"
            continue
        yield make_article(text, path=where, title=e.get("title"), source=outlet, url=e.get("link"),
                           published=e.get("published") or e.get("updated"))


def read_warc(path: Path) -> Iterator[Article | tuple[str, str]]:
    """HTML responses in a WARC or ARC file (gzipped or not), with the record's URL and date."""
    from warcio.archiveiterator import ArchiveIterator

    from .checks import MAX_BYTES

    with path.open("rb") as fh:
        try:
            for record in ArchiveIterator(fh, arc2warc=True):
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{path}#{url}"
                ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                if "html" not in ctype.lower():
                    continue
                body = record.content_stream().read(MAX_BYTES + 1)
                if len(body) > MAX_BYTES:
                    yield where, f"response over the {MAX_BYTES:,}-byte limit for one article"
                    continue
                charset = re.search(r"charset=([\w-]+)", ctype)
                html = body.decode(charset.group(1) if charset else "utf-8", errors="replace")
                article = read_html(html, where)
                if not article.text.strip():
                    yield where, "no article text in the page"
                    continue
                article.url = article.url or url
                if article.published is None:
                    from .dates import parse_date

                    article.published = parse_date(record.rec_headers.get_header("WARC-Date"))
                yield article
        except Exception as err:  # warcio raises its own and zlib errors on damaged archives
            yield str(path), f"damaged archive ({type(err).__name__}: {err}); records before it were read"
