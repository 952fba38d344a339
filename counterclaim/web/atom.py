"""The status changes as an Atom feed (RFC 4287), so a journalist can follow "what changed" in a feed
reader. Built with ElementTree, which escapes every value: claims and speakers come from articles."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from urllib.parse import quote
from xml.etree import ElementTree as ET

NS = "http://www.w3.org/2005/Atom"
ENTRIES = 100  # the latest changes; a feed reader keeps what it has already seen


def _stamp(iso: str | None) -> str:
    """An RFC 3339 time from the store's UTC time (or a bare date, taken as its midnight)."""
    if not iso:
        return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return datetime.fromisoformat(iso).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_id(base: str, seq: int) -> str:
    """A change's id for ever: its number in this store, under the server's address."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{base}changes/{seq}").urn


def changes_feed(changes: list[dict], base: str) -> bytes:
    """`changes` as queries.changes gives them (latest first); `base` is the server's configured URL, ending
    in /, or "/" (relative links)."""
    ET.register_namespace("", NS)
    feed = ET.Element(f"{{{NS}}}feed")

    def sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
        el = ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    sub(feed, "id", uuid.uuid5(uuid.NAMESPACE_URL, f"{base}changes.atom").urn)
    sub(feed, "title", "counterclaim: what changed")
    sub(feed, "subtitle", "Claim threads whose status changed: who said what, where, that changed it.")
    sub(feed, "updated", _stamp(changes[0]["recorded_at"] if changes else None))
    sub(feed, "link", rel="self", href=f"{base}changes.atom", type="application/atom+xml")
    sub(feed, "link", rel="alternate", href=f"{base}changes", type="text/html")
    author = sub(feed, "author")
    sub(author, "name", "counterclaim")
    sub(feed, "generator", "counterclaim")
    for c in changes:
        e = sub(feed, "entry")
        sub(e, "id", entry_id(base, c["seq"]))
        sub(e, "title", f"{c['from'] or 'new'} → {c['to']}: {c['claim']}")
        sub(e, "updated", _stamp(c["recorded_at"]))
        if c["date"]:
            sub(e, "published", _stamp(c["date"]))
        sub(e, "link", rel="alternate", href=f"{base}threads/{c['thread']}", type="text/html")
        if c["article"]:
            sub(e, "link", rel="related", href=f"{base}articles/{quote(c['article'], safe='/')}", type="text/html")
        sub(e, "category", term=c["to"])
        who = c["speaker"] or c["outlet"] or "unnamed"
        said = f"{who} ({c['actor'] or 'no actor'}, {c['stance'] or 'report'})"
        where = f" in {c['outlet']}" if c["outlet"] and c["outlet"] != who else ""
        when = f" on {c['date']}" if c["date"] else ""
        sub(e, "summary", f"{said}{where}{when}: {c['content'] or ''}. The thread is now {c['status']}.", type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
