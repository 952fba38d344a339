"""One plain function per input format: raw text in, Articles out (plus warnings)."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator

from ..models import Article
from .checks import language, not_english, text_id
from .dates import date_near_top, parse_date

_HEADER_LINE = re.compile(r"^(Title|Source|Date|URL|Id):[ \t]*(.*)$", re.IGNORECASE)


def read_text(raw: str, path: str | None = None) -> Article:
    """A .txt article. A leading block of `Key: value` lines then a blank line is metadata;
    without one, the whole file is the body and `text` is the content exactly."""
    meta: dict[str, str] = {}
    body = raw
    lines = raw.split("\n")
    i = 0
    while i < len(lines) and _HEADER_LINE.match(lines[i].rstrip("\r")):
        key, value = _HEADER_LINE.match(lines[i].rstrip("\r")).groups()
        meta[key.lower()] = value.strip()
        i += 1
    if meta and i < len(lines) and not lines[i].strip():
        body = "\n".join(lines[i + 1:])
    else:
        meta = {}
    return make_article(
        body,
        path=path,
        id=meta.get("id"),
        title=meta.get("title"),
        source=meta.get("source"),
        url=meta.get("url"),
        published=meta.get("date"),
    )


def read_html(raw: str, path: str | None = None) -> Article:
    """An HTML page: trafilatura finds the main text and the page's metadata."""
    import trafilatura

    doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False, url=None)
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        article = make_article("", path=path)
        article.warnings.append("no article text found in the HTML page")
        return article
    return make_article(
        doc.text,
        path=path,
        title=doc.title,
        source=doc.sitename or doc.hostname,
        url=doc.url,
        published=doc.date,
    )


def read_jsonl(raw: str, path: str | None = None) -> Iterator[Article | tuple[str, str]]:
    """JSON Lines of {text, id?, title?, source?, url?, published?}; a bad line yields (where, why)."""
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path or '<jsonl>'}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            yield where, f"not valid JSON ({err.msg})"
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield where, "no 'text' string in the object"
            continue
        if not obj["text"].strip():
            yield where, "empty text"
            continue
        source = obj.get("source")
        if isinstance(source, dict):  # our own output format read back in
            source = source.get("name")
        try:
            article = make_article(obj["text"], path=where, id=_string(obj.get("id")), title=_string(obj.get("title")),
                                   source=_string(source), url=_string(obj.get("url")),
                                   published=_string(obj.get("published") or obj.get("date")))
        except Exception as err:  # noqa: BLE001 - one odd line is that line's problem, not the file's
            yield where, f"could not be read ({type(err).__name__}: {' '.join(str(err).split())[:200]})", True
            continue
        yield article


def _string(value) -> str | None:
    """A metadata field as text: a number is written out (a date of 20240102, an id of 17); a list or an
    object is no value for it."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    return value if isinstance(value, str) else str(value)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str | None) -> str | None:
    """Text without lone surrogates (JSON's "\\udfff" escapes decode to them): no encoder, parser or store
    takes them, so each becomes U+FFFD, the replacement character."""
    if not text or not _LONE_SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def make_article(text: str, *, path: str | None = None, id: str | None = None, title: str | None = None,
                 source: str | None = None, url: str | None = None, published: str | None = None) -> Article:
    text, title, source, url, id = clean(text), clean(title), clean(source), clean(url), clean(id)
    article = Article(
        id=id or text_id(text),
        text=text,
        title=title or None,
        source_name=source or None,
        url=url or None,
        published=parse_date(published) or date_near_top(text),
        path=path,
    )
    if published and not parse_date(published):
        article.warnings.append(f"unreadable date {published!r}")
    if text.strip():
        article.language = language(text)
        if article.language != "en" and (warning := not_english(article.language)):
            article.warnings.append(warning)
    return article
