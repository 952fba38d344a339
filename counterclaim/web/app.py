"""The web app: a read-only REST API (JSON per the contract) and server-rendered pages over one store.
Every value from an article is escaped by Jinja2's autoescaping; highlights are built from escaped
pieces, so an article's own markup is shown as text and never runs."""
from __future__ import annotations

import gc
import hmac
import json
import sys
import threading
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, File, Form, Header, HTTPException, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from pydantic import BaseModel, BeforeValidator, Field

from ..ingest.checks import language, language_name, not_english
from ..models import STANCE_MEANINGS, STATUS_MEANINGS, STATUSES
from ..settings import DEFAULT, Settings
from ..store import queries
from ..store.db import STATUS_ORDER, THREAD_ORDERS, Store
from ..threads.search import MAX_QUERY, Searcher
from . import atom

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


WRITE_ROUTES = {"/api/ingest": "max_json_bytes", "/api/ingest/file": "max_upload_bytes"}
# Checked by WriteGuard before the body is read; a route declares it for the API's document.
TokenHeader = Header(None, description="Bearer TOKEN, the token the server was started with")
MULTIPART_SLACK = 1_000_000  # a file upload's form fields and boundaries, beside the file itself


class WriteGuard:
    """Before a write route reads its body: the token is checked (401 or 403 without reading a byte), and the
    body is capped (413), by its Content-Length where it gives one and as it streams in where it does not.
    Caps per route: Settings.max_json_bytes for POST /api/ingest, Settings.max_upload_bytes (and 1 MB of
    form) for POST /api/ingest/file."""

    def __init__(self, app, token: str | None):
        self.app, self.token = app, token

    async def __call__(self, scope, receive, send):
        cap_name = WRITE_ROUTES.get(scope.get("path", "")) if scope["type"] == "http" else None
        if cap_name is None or scope.get("method") != "POST":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v for k, v in scope.get("headers", [])}
        if self.token is None:
            return await _refuse(send, 403, "this server is read-only (start it with a token to ingest)")
        given = headers.get("authorization", b"")
        if not hmac.compare_digest(given, f"Bearer {self.token}".encode()):
            return await _refuse(send, 401, "missing or wrong token")
        cap = getattr(DEFAULT, cap_name) + (MULTIPART_SLACK if cap_name == "max_upload_bytes" else 0)
        length = headers.get("content-length", b"")
        if length.isdigit() and int(length) > cap:
            return await _refuse(send, 413, f"request body over {cap:,} bytes")
        seen = 0

        async def capped():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > cap:
                raise _TooLarge
            return message

        try:
            await self.app(scope, capped, send)
        except _TooLarge:
            await _refuse(send, 413, f"request body over {cap:,} bytes")


class _TooLarge(Exception):
    pass


async def _refuse(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


PAGE_ERRORS = {code: {"description": why, "content": {"text/html": {}}}
               for code, why in ((400, "A parameter that cannot be used, as a page"), (404, "Not found, as a page"),
                                 (422, "A parameter that is not valid, as a page"))}


def _problem(request: Request, status: int, detail, headers=None) -> Response:
    """An error as the route speaks: JSON under /api/ (the contract's `detail`), a page elsewhere."""
    if request.url.path.startswith("/api/") or request.url.path in ("/openapi.json", "/changes.atom"):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    if isinstance(detail, list):
        detail = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in detail)
    titles = {404: "Not found", 400: "That cannot be shown", 422: "That cannot be shown"}
    return TEMPLATES.TemplateResponse(request, "error.html", {"status": status, "title": titles.get(status, "Error"),
                                                              "detail": detail}, status_code=status, headers=headers)


DOCS_ASSETS = "/docs/assets"


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI at /docs, its script, style and icon from the installed package under /docs/assets."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount(DOCS_ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url, title=f"{app.title} · API",
                                   swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png")


def article_url(article_id: str) -> str:
    """An article's page: any id a user gives ("wire/2024/001", "a b?c") is a working link."""
    from urllib.parse import quote

    return "/articles/" + quote(article_id, safe="/")


def speaker_url(name: str) -> str:
    """A speaker's page; a "/" or "?" in the name is escaped, so every name is a working link."""
    from urllib.parse import quote

    return "/speakers/" + quote(name, safe="")


def outlet_url(name: str) -> str:
    from urllib.parse import quote

    return "/outlets/" + quote(name, safe="")


TEMPLATES.env.filters["article_url"] = article_url
TEMPLATES.env.filters["speaker_url"] = speaker_url
TEMPLATES.env.filters["outlet_url"] = outlet_url
TEMPLATES.env.filters["language_name"] = language_name
SPARK = "▁▂▃▄▅▆▇█"
PAGE = 50  # threads per page
MAX_OFFSET = 1_000_000_000  # paging goes into SQL, whose integers are bounded
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
STATUS_PATTERN = "^(" + "|".join(STATUSES) + ")$"
SORT_PATTERN = "^(" + "|".join(THREAD_ORDERS) + ")$"
# The threads' sort and filters, one description each for the API and the page.
THREAD_PARAMS = {
    "sort": "Order: last_seen (most recently seen first), sources (most independent sources first) or status "
            f"({', '.join(STATUS_ORDER)}; then most recently seen).",
    "status": "Only threads with this status.",
    "speaker": "Only threads with a side whose name contains this, in any case (\"eide\" finds Lars Eide).",
    "outlet": "Only threads this outlet reports (its name as stored, exactly).",
    "actor": "Only threads where this actor code takes a side, by prefix (PRK matches PRKGOV).",
    "since": "Only threads last seen on or after this date.",
    "until": "Only threads first seen on or before this date.",
}


def _blank(value):
    """An empty form field is no filter: a page's form sends every field, filled or not."""
    return None if value == "" else value


Blank = BeforeValidator(_blank)


def _or_empty(pattern: str) -> str:
    """A pattern that takes an empty value too (a form's field left as it was)."""
    return "^(|" + pattern[2:]


class Problem(BaseModel):
    """An error: why, in a sentence, or (for a request that is not valid) where and why, one entry each."""

    detail: str | list[dict]


def _error(description: str) -> dict:
    return {"model": Problem, "description": description}


# Every route may answer these; the write routes document theirs beside.
ERRORS = {400: _error("A parameter or body that cannot be used"), 404: _error("No such thread, article or speaker"),
          422: _error("A request that is not valid: where and why")}
WRITE_ERRORS = {401: _error("Missing or wrong token"), 403: _error("A read-only server (no token set)"),
                409: _error("The id is already stored with another text"), 413: _error("A body over the route's cap")}


class IngestRequest(BaseModel):
    """One article to add: its text, its page's HTML, or a URL for the server to fetch."""

    text: str | None = Field(None, max_length=5_000_000)
    html: str | None = Field(None, max_length=5_000_000)
    url: str | None = Field(None, max_length=2000)
    title: str | None = Field(None, max_length=500)
    source: str | None = Field(None, max_length=200)
    published: str | None = Field(None, max_length=40)


def create_app(db: str, token: str | None = None, allow_private_urls: bool = False, watch: list[str] | None = None,
               every: float = 900.0, base_url: str | None = None) -> FastAPI:
    """With a token, POST /api/ingest adds articles (Authorization: Bearer TOKEN); without, the app is
    read-only. With `watch` (feed URLs, files, folders) a watcher runs in the server's process, a round
    every `every` seconds, writing through the server's own connection (DuckDB has one writer per file).
    `base_url`: the server's public address, for the Atom feed's links (else they are relative: a request's
    Host header is the client's to choose, and must not go into what others read)."""
    base = base_url.rstrip("/") + "/" if base_url else "/"
    store = Store(db, read_only=token is None and not watch)
    searcher = Searcher(store)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        async with _steady_gc(app):
            watcher = _start_watcher(store, watch, every) if watch else None
            yield
            if watcher is not None:  # the round in hand ends after its batch, and is linked
                watcher[0].stop.set()
                watcher[1].join(120)

    # FastAPI's own /docs and /redoc load their scripts from a CDN, a blank page offline: /docs is served
    # from the swagger-ui-bundle-v2 package instead, and ReDoc is not offered.
    app = FastAPI(title="counterclaim", version="1", description="Claims, attributions and threads found in the news.",
                  lifespan=lifespan, responses=ERRORS, docs_url=None, redoc_url=None)
    _mount_docs(app)
    app.add_middleware(WriteGuard, token=token)

    @app.exception_handler(ValueError)
    async def bad_value(request: Request, exc: ValueError):
        return _problem(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        # Where and why, never the value sent: a request body is not echoed back (it may be megabytes).
        return _problem(request, 422, [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))[:300],
                                        "type": e.get("type", "")} for e in exc.errors()])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _problem(request, exc.status_code, exc.detail, getattr(exc, "headers", None))

    # --- REST -----------------------------------------------------------------------------------

    @app.get("/api/threads")
    def api_threads(status: str | None = Query(None, pattern=STATUS_PATTERN, description=THREAD_PARAMS["status"]),
                    actor: str | None = Query(None, max_length=20, description=THREAD_PARAMS["actor"]),
                    since: date | None = Query(None, description=THREAD_PARAMS["since"]),
                    until: date | None = Query(None, description=THREAD_PARAMS["until"]),
                    outlet: str | None = Query(None, max_length=200, description=THREAD_PARAMS["outlet"]),
                    speaker: str | None = Query(None, max_length=200, description=THREAD_PARAMS["speaker"]),
                    sort: str = Query("last_seen", pattern=SORT_PATTERN, description=THREAD_PARAMS["sort"]),
                    limit: Limit = 50, offset: Offset = 0):
        """Threads, sorted and filtered as the threads page is."""
        # Plain JSON already: a JSONResponse skips FastAPI's generic encoder, the slowest part of the request.
        return JSONResponse(queries.threads(store, status, actor, _iso(since), _iso(until), outlet, limit, offset,
                                            speaker=speaker, sort=sort))

    @app.get("/api/threads/{thread_id}")
    def api_thread(thread_id: str):
        t = store.thread(thread_id)
        if t is None:
            raise HTTPException(404, f"no thread {thread_id}")
        return JSONResponse({**t, "timeline": queries.timeline(store, thread_id)})

    @app.get("/api/articles")
    def api_articles(outlet: str | None = Query(None, max_length=200), since: date | None = Query(None),
                     until: date | None = Query(None), q: str | None = Query(None, max_length=200),
                     limit: Limit = 50, offset: Offset = 0):
        return queries.articles(store, outlet, _iso(since), _iso(until), q, limit, offset)

    @app.get("/api/articles/{article_id:path}")
    def api_article(article_id: str):
        record = store.article_record(article_id)
        if record is None:
            raise HTTPException(404, f"no article {article_id}")
        return record

    @app.get("/api/attributions")
    def api_attributions(article_id: str | None = Query(None, max_length=200), speaker_actor: str | None = Query(None, max_length=20),
                         stance: str | None = Query(None, pattern="^(assert|deny|question|report)$"),
                         limit: Limit = 50, offset: Offset = 0):
        return queries.table(store, "attributions", {"article_id": article_id, "speaker_actor": speaker_actor,
                                                     "stance": stance}, limit, offset)

    @app.get("/api/claims")
    def api_claims(article_id: str | None = Query(None, max_length=200), predicate: str | None = Query(None, max_length=50),
                   limit: Limit = 50, offset: Offset = 0):
        return queries.table(store, "claims", {"article_id": article_id, "predicate": predicate}, limit, offset)

    @app.get("/api/events")
    def api_events(article_id: str | None = Query(None, max_length=200), event: str | None = Query(None, max_length=20),
                   limit: Limit = 50, offset: Offset = 0):
        return queries.table(store, "events", {"article_id": article_id, "event": event}, limit, offset)

    @app.get("/api/speakers")
    def api_speakers(actor: str | None = Query(None, max_length=20), limit: Limit = 50,
                     offset: Offset = 0):
        return queries.speakers(store, actor, limit, offset)

    @app.get("/api/search")
    def api_search(claim: str = Query(..., min_length=1, max_length=MAX_QUERY,
                                      description="The claim, as a sentence, in any words."),
                   limit: Annotated[int, Query(ge=1, le=50)] = 10):
        """The threads that make this claim, best first (each with its claim, status, sides and a score);
        none when no thread is close enough."""
        hits = searcher.search(claim, limit)
        return JSONResponse({"claim": claim, "items": [h.to_dict() for h in hits]})

    @app.get("/api/changes")
    def api_changes(since: datetime | None = Query(None, description="Recorded on or after (UTC)."),
                    thread: str | None = Query(None, max_length=40), limit: Limit = 50, offset: Offset = 0):
        """Status changes, the latest recorded first."""
        return JSONResponse(queries.changes(store, _stamp(since), thread, limit, offset))

    def store_all(articles: list) -> tuple[int, list[str]]:
        """Through the ingest flow, one process (the server's): how many were stored, and a warning for
        each article that failed."""
        from ..flow import ingest

        report = ingest(articles, store, Settings(workers=1))
        ids = {a.id for a in articles}
        if len(articles) == 1 and report.conflicts:
            raise HTTPException(409, report.warnings[0])
        return report.stored, [f.line() for f in report.failed if f.article in ids] + report.warnings

    @app.get("/api/failures")
    def api_failures():
        """Articles that could not be read, analysed, stored or linked, with why (tried again by the next run)."""
        return [f.to_dict() for f in store.failures()]

    @app.post("/api/ingest", status_code=201, responses=WRITE_ERRORS)
    def api_ingest(req: IngestRequest, authorization: str | None = TokenHeader):
        from ..ingest import make_article, read_html
        from ..ingest.fetch import FetchError, fetch

        if sum(x is not None for x in (req.text, req.html, req.url)) != 1:
            raise HTTPException(422, "give exactly one of text, html or url")
        try:
            html = fetch(req.url, allow_private_urls) if req.url else req.html
        except FetchError as err:
            raise HTTPException(400, str(err)) from None
        article = read_html(html, req.url) if html is not None else make_article(req.text or "")
        if not article.text.strip():
            raise HTTPException(422, "no article text found")
        article.title = req.title or article.title
        article.source_name = req.source or article.source_name
        article.url = article.url or req.url
        article.language = language(article.text)
        if article.language != "en" and (warning := not_english(article.language)):
            article.warnings.append(warning)
        stored, failed = store_all([article])
        if failed:
            raise HTTPException(422, failed[0])
        record = store.article_record(article.id)
        return {"stored": bool(stored), "article": record}

    @app.post("/api/ingest/file", status_code=201, responses=WRITE_ERRORS)
    def api_ingest_file(file: UploadFile = File(...), source: str | None = Form(None, max_length=200),
                        authorization: str | None = TokenHeader):
        """A file as `counterclaim analyze` reads it (.txt, .html, .jsonl, RSS/Atom, WARC; gzipped too): each
        article in it is analysed and stored; inputs that are no article come back as warnings."""
        import tempfile

        from ..ingest import Rejected, kind_of, read_file

        name = Path(file.filename or "upload.txt").name
        cap = DEFAULT.max_upload_bytes  # the body was capped before it was read (WriteGuard)
        data = file.file.read(cap + 1)
        if len(data) > cap:
            raise HTTPException(413, f"file over {cap // 1_000_000} MB")
        if not kind_of(Path(name)):
            name += ".txt"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            items = list(read_file(path))
        warnings = [f"{name}: {x.reason}" for x in items if isinstance(x, Rejected)]
        articles = [x for x in items if not isinstance(x, Rejected)]
        if not articles:
            raise HTTPException(422, "; ".join(warnings) or "no article found in the file")
        for a in articles:
            a.source_name = source or a.source_name
            a.path = file.filename
        stored, failed = store_all(articles)
        return {"stored": stored, "articles": [a.id for a in articles], "warnings": warnings + failed}

    # --- pages ----------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, responses=PAGE_ERRORS)
    def page_threads(
            request: Request,
            status: str | None = Query(None, pattern=_or_empty(STATUS_PATTERN), description=THREAD_PARAMS["status"]),
            speaker: str | None = Query(None, max_length=200, description=THREAD_PARAMS["speaker"]),
            outlet: str | None = Query(None, max_length=200, description=THREAD_PARAMS["outlet"]),
            since: Annotated[date | None, Blank, Query(description=THREAD_PARAMS["since"])] = None,
            until: Annotated[date | None, Blank, Query(description=THREAD_PARAMS["until"])] = None,
            sort: str | None = Query(None, pattern=_or_empty(SORT_PATTERN), description=THREAD_PARAMS["sort"]),
            offset: Offset = 0):
        """The threads, with a form to sort and filter them (the parameters of /api/threads; an empty field
        is no filter)."""
        from urllib.parse import urlencode

        status, speaker, outlet, sort = status or None, speaker or None, outlet or None, sort or "last_seen"
        page = queries.threads(store, status, None, _iso(since), _iso(until), outlet, PAGE, offset,
                               speaker=speaker, sort=sort)
        daily = queries.mentions_by_date(store, [t["id"] for t in page["items"]])
        sparks = {t["id"]: sparkline([n for _, n in daily.get(t["id"], [])]) for t in page["items"]}
        form = {"status": status, "speaker": speaker, "outlet": outlet, "since": _iso(since), "until": _iso(until),
                "sort": sort if sort != "last_seen" else None}
        # The paging links keep the sort and filters.
        query = urlencode({k: v for k, v in form.items() if v})
        return TEMPLATES.TemplateResponse(request, "threads.html", {
            "threads": page["items"], "sparks": sparks, "form": form, "sort": sort, "query": query,
            "statuses": STATUS_ORDER, "sorts": {"last_seen": "last seen", "sources": "sources", "status": "status"},
            "offset": offset, "total": page["total"], "page": PAGE})

    @app.get("/search", response_class=HTMLResponse, responses=PAGE_ERRORS)
    def page_search(request: Request, claim: str = Query("", max_length=MAX_QUERY)):
        hits = searcher.search(claim, 20) if claim.strip() else []
        return TEMPLATES.TemplateResponse(request, "search.html", {"claim": claim, "hits": hits})

    @app.get("/changes", response_class=HTMLResponse, responses=PAGE_ERRORS)
    def page_changes(request: Request, offset: Offset = 0):
        page = queries.changes(store, limit=PAGE, offset=offset)
        return TEMPLATES.TemplateResponse(request, "changes.html", {
            "changes": page["items"], "offset": offset, "total": page["total"], "page": PAGE})

    @app.get("/failures", response_class=HTMLResponse, responses=PAGE_ERRORS)
    def page_failures(request: Request):
        return TEMPLATES.TemplateResponse(request, "failures.html", {"failures": store.failures()})

    @app.get("/changes.atom", response_class=Response,
             responses={200: {"content": {"application/atom+xml": {}}, "description": "The Atom feed"}})
    def feed_changes(request: Request):
        """The status changes as an Atom feed, for a feed reader."""
        items = queries.changes(store, limit=atom.ENTRIES)["items"]
        return Response(atom.changes_feed(items, base), media_type="application/atom+xml")

    @app.get("/ingest", response_class=HTMLResponse, responses=PAGE_ERRORS)
    def page_ingest(request: Request):
        return TEMPLATES.TemplateResponse(request, "ingest.html", {"writable": token is not None})

    @app.get("/threads/{thread_id}", response_class=HTMLResponse, responses=PAGE_ERRORS)
    def page_thread(request: Request, thread_id: str):
        t = store.thread(thread_id)
        if t is None:
            raise HTTPException(404, f"no thread {thread_id}")
        events = queries.timeline(store, thread_id)
        changes = {h["because"]: h for h in t["status_history"]}
        return TEMPLATES.TemplateResponse(request, "thread.html", {
            "t": t, "events": events, "changes": changes, "chart": timeline_chart(events, changes),
            "evidence": queries.evidence(store, t), "status_meanings": STATUS_MEANINGS,
            "stance_meanings": STANCE_MEANINGS})

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, responses=PAGE_ERRORS)
    def page_article(request: Request, article_id: str):
        record = store.article_record(article_id)
        if record is None:
            raise HTTPException(404, f"no article {article_id}")
        return TEMPLATES.TemplateResponse(request, "article.html", {"a": record, "body": highlight(record)})

    @app.get("/speakers/{name:path}", response_class=HTMLResponse, responses=PAGE_ERRORS)
    def page_speaker(request: Request, name: str):
        """What the speaker said, and every thread they are on with their side."""
        rows = queries.speaker(store, name)
        threads = queries.speaker_threads(store, name)
        if not rows and not threads:
            raise HTTPException(404, f"no speaker {name}")
        return TEMPLATES.TemplateResponse(request, "speaker.html", {"name": name, "rows": rows, "threads": threads})

    @app.get("/outlets/{name:path}", response_class=HTMLResponse, responses=PAGE_ERRORS)
    def page_outlet(request: Request, name: str, offset: Offset = 0):
        """The outlet's articles, newest first, and the threads it reports."""
        articles = queries.articles(store, outlet=name, limit=PAGE, offset=offset)
        if not articles["total"]:
            raise HTTPException(404, f"no outlet {name}")
        threads = queries.threads(store, outlet=name, limit=PAGE)
        return TEMPLATES.TemplateResponse(request, "outlet.html", {
            "name": name, "articles": articles["items"], "total": articles["total"], "offset": offset, "page": PAGE,
            "threads": threads["items"], "threads_total": threads["total"]})

    app.state.store = store
    return app


@asynccontextmanager
async def _steady_gc(app: FastAPI):
    """Python's full garbage collections walk every object the server holds and were the slow tail of the
    threads page (p95 124 ms against a p50 of 29 ms on a 100,000-article store): what exists at start-up is
    frozen out of them, and they run less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 100)
    yield


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _stamp(d: datetime | None) -> str | None:
    """A time as the store keeps it: UTC, without a zone."""
    if d is None:
        return None
    if d.tzinfo is not None:
        from datetime import timezone

        try:
            d = d.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:  # 9999-12-31T23:59:59-23:59 is past the last time there is
            raise HTTPException(422, "since: that time is out of range") from None
    return d.isoformat()


def _start_watcher(store: Store, sources: list[str], every: float):
    """The watcher on a thread of its own; the store takes turns between it and the requests."""
    from ..watch import Watcher

    watcher = Watcher(store, sources, on_failure=lambda f: print(f"watch: warning: {f.line()}", file=sys.stderr,
                                                                  flush=True))

    def report(r) -> None:
        print(f"watch: {r.line()}", file=sys.stderr, flush=True)
        for spec, why, retry in r.failed:
            print(f"watch: warning: {spec}: {why}; tried again in {retry} round(s)", file=sys.stderr, flush=True)

    def run() -> None:
        while not watcher.stop.is_set():
            try:
                watcher.run(every=every, report=report)
            except Exception as err:  # a round that breaks is told; the server, and the next round, go on
                print(f"watch: round failed ({type(err).__name__}: {err})", file=sys.stderr, flush=True)
                watcher.stop.wait(every)

    thread = threading.Thread(target=run, name="watch", daemon=True)
    thread.start()
    return watcher, thread


def timeline_chart(events: list[dict], changes: dict[str, dict]) -> dict | None:
    """Coordinates for the thread page's SVG chart: one lane per speaker, a dot per dated attribution
    (coloured by stance, linked to its article), a line where the status changed, at its evidence."""
    dated = [e for e in events if e["date"]]
    if not dated:
        return None
    first, last = date.fromisoformat(dated[0]["date"]), date.fromisoformat(dated[-1]["date"])
    span = max((last - first).days, 1)
    width, left, right, lane, top = 760, 190, 30, 24, 28
    names = list(dict.fromkeys(e["speaker"] or e["role"] or e["actor"] or "unnamed" for e in dated))

    def x(day: str) -> float:
        return round(left + (width - left - right) * (date.fromisoformat(day) - first).days / span, 1)

    points, marks, spread = [], [], {}
    for e in dated:
        name = e["speaker"] or e["role"] or e["actor"] or "unnamed"
        n = spread[(name, e["date"])] = spread.get((name, e["date"]), -1) + 1  # same lane, same day: side by side
        points.append({"x": x(e["date"]) + 7 * n, "lane": names.index(name), "stance": e["stance"],
                       "href": article_url(e["article"]),
                       "title": f"{e['date']} · {name} ({e['actor'] or 'no actor'}) · {e['stance']}: {(e['content'] or '')[:160]}"})
        change = changes.get(e["attribution"])
        if change:
            # Changes on one day are labelled one under the other; labels near the right edge end at the line.
            row = sum(1 for m in marks if m["x"] == x(e["date"]))
            marks.append({"x": x(e["date"]), "row": row, "status": change["status"], "href": article_url(e["article"]),
                          "anchor": "end" if x(e["date"]) > width - 120 else "start",
                          "title": f"{e['date']}: {change['status']}, on {name}'s {e['stance']}"})
    top += 13 * max((m["row"] for m in marks), default=0)
    for p in points:
        p["y"] = top + lane * p.pop("lane") + lane / 2
    for m in marks:
        m["label_y"] = 16 + 13 * m["row"]
        m["label_x"] = m["x"] + (3 if m["anchor"] == "start" else -3)
    height = top + lane * len(names) + 22
    return {"width": width, "height": height, "left": left, "right": width - right, "bottom": height - 22,
            "lanes": [{"name": n, "y": top + lane * i + lane / 2} for i, n in enumerate(names)], "points": points,
            "marks": marks, "first": first.isoformat(), "last": last.isoformat()}


def sparkline(counts: list[int]) -> str:
    if not counts:
        return ""
    top = max(counts)
    return "".join(SPARK[min(len(SPARK) - 1, (n * (len(SPARK) - 1)) // top)] for n in counts)


def highlight(record: dict) -> Markup:
    """The article text with each attribution's content in a <mark> coloured by stance, its cue bold and
    its source underlined; the title attribute tells speaker, actor and claim. Built from escaped pieces."""
    text = record["text"]
    claims = {c["id"]: c["text"] for c in record["claims"]}
    marks: list[tuple[int, int, str, str]] = []  # start, end, opening tag, closing tag
    for a in record["attributions"]:
        sp = a["speaker"]
        tip = f"{sp['name'] or sp['role'] or 'unnamed'} ({sp['actor'] or 'no actor'}), {a['stance']}"
        if a["claim"]:
            tip += f": {claims.get(a['claim'], '')}"
        for c in a["content"]:
            marks.append((c["start"], c["end"], f'<mark class="{a["stance"]}" title="{escape(tip)}" data-attribution="{escape(a["id"])}">', "</mark>"))
        marks.append((a["cue"]["start"], a["cue"]["end"], '<b class="cue">', "</b>"))
        if a["source"]:
            marks.append((a["source"]["start"], a["source"]["end"], '<u class="source">', "</u>"))
    # Non-overlapping: keep the first (outermost) span wherever two would cross.
    marks.sort(key=lambda m: (m[0], -m[1]))
    kept, end = [], -1
    for m in marks:
        if m[0] >= end:
            kept.append(m)
            end = m[1]
    out, pos = [], 0
    for s, e, open_, close in kept:
        out += [str(escape(text[pos:s])), open_, str(escape(text[s:e])), close]
        pos = e
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
