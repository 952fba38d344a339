"""A local feed server for the watch tests: each path answers what the test set for it, and a path may
answer a new version from its n-th request on (a feed that changes between two rounds)."""
from __future__ import annotations

import html
import threading
from email.utils import format_datetime
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import EXAMPLES


def entry_of(name: str) -> dict:
    """An example article as a feed entry: its header's title and date, its paragraphs as HTML."""
    raw = (EXAMPLES / name).read_text(encoding="utf-8")
    head, body = raw.split("\n\n", 1)
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    return {"title": meta["Title"], "date": meta["Date"], "link": meta.get("URL", f"https://example.org/{name}"),
            "html": "".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n\n") if p.strip())}


def rss(entries: list[dict], title: str = "Desk Wire") -> bytes:
    items = []
    for e in entries:
        day = datetime.fromisoformat(e["date"]).replace(hour=9, tzinfo=timezone.utc)
        items.append(f"<item><title>{html.escape(e['title'])}</title><link>{e['link']}</link>"
                     f"<guid>{e['link']}</guid><pubDate>{format_datetime(day)}</pubDate>"
                     f"<description>{html.escape(e['html'])}</description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://example.org/</link><description>test feed</description>{''.join(items)}"
            "</channel></rss>").encode("utf-8")


class FeedServer:
    """routes: path -> list of (from_request, status, body); the last version whose from_request is at
    most the path's request count answers."""

    def __init__(self, routes: dict[str, list[tuple[int, int, bytes]]]):
        self.routes = routes
        self.hits: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                n = server.hits[self.path] = server.hits.get(self.path, 0) + 1
                versions = [v for v in server.routes.get(self.path, []) if v[0] <= n]
                status, body = (versions[-1][1], versions[-1][2]) if versions else (404, b"not here")
                self.send_response(status)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "FeedServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def copy_examples(names: list[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    return folder
