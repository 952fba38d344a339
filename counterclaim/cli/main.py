"""The `counterclaim` command."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import duckdb
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ..models import STANCE_MEANINGS, STATUS_MEANINGS, STATUSES
from ..settings import Settings
from ..store.db import DEFAULT_DB, THREAD_ORDERS, SchemaError, Store, StoreLocked


class _App(typer.Typer):
    """The command, with one answer for a store held by another process, whichever command (or
    subcommand) opened it: a line naming the holder and what to do instead, exit 1, no traceback."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except StoreLocked as e:
            err.print(f"[red]error:[/] {e}", soft_wrap=True, highlight=False)
            sys.exit(1)


app = _App(add_completion=False, no_args_is_help=True,
           help="Follow allegations through the news: who claims what, who denies it, what is confirmed.")
# Piped output keeps whole lines: a table read by grep or a log should not wrap at 80 columns.
out = Console(width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 200)

DbOption = typer.Option(DEFAULT_DB, "--db", help="DuckDB store file.")
DebugOption = typer.Option(False, "--debug", help="With each failed article's warning, its traceback.")
STANCE_STYLE = {"assert": "bold green", "deny": "bold red", "question": "bold yellow", "report": "bold cyan"}


def _usage(message: str) -> None:
    """The user asked for something that cannot be: one line, exit 2."""
    err.print(f"[red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _is_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _open(db: str, read_only: bool = False) -> Store:
    try:
        return Store(db, read_only=read_only)
    except StoreLocked as e:
        err.print(f"[red]error:[/] {e}", soft_wrap=True, highlight=False)  # one line, however wide the terminal
        raise typer.Exit(1)
    except (FileNotFoundError, SchemaError) as e:
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(2)
    except (duckdb.Error, OSError) as e:  # a folder that is not there or not writable, a file that is no store
        err.print(f"[red]error:[/] cannot open the store {db}: {' '.join(str(e).split())}", soft_wrap=True,
                  highlight=False)
        raise typer.Exit(2)


@app.command()
def analyze(
    paths: list[str] = typer.Argument(..., help="Files (.txt, .html, .jsonl, RSS/Atom, WARC), folders, or the "
                                      "http(s) URL of a page or feed, to analyse."),
    db: str = DbOption,
    jsonl: Optional[Path] = typer.Option(None, "--jsonl", help="Also write one contract line per article here."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    workers: int = typer.Option(0, "--workers", "-w", help="Processes to analyse with (0: one per core)."),
    engine: str = typer.Option("local", help="local, or ray (Ray Data; a local cluster unless --address)."),
    address: Optional[str] = typer.Option(None, help="With --engine ray: the cluster to join (ray://host:10001 or auto)."),
    parquet: Optional[Path] = typer.Option(None, help="With --engine ray: where the Parquet partitions go (kept)."),
    allow_private_urls: bool = typer.Option(False, help="Let URLs reach loopback and private addresses."),
    debug: bool = DebugOption,
):
    """Analyse articles into the store, then relink claim threads across everything stored. Articles
    already in the store are skipped, so an interrupted run picks up where it stopped. An article that
    fails is reported in one line, kept in the store as failed (`counterclaim failures`) and tried again
    by the next run; the others go on. A URL is fetched once, as the web app fetches (internet addresses
    only, 5 MB, 10 s); to follow a feed as it grows, use `counterclaim watch URL`."""
    from ..ingest import Rejected, is_url, iter_articles, read_url
    from ..ingest.fetch import FetchError

    if engine == "ray":
        return _analyze_on_ray(paths, db, jsonl, quiet, workers, address, parquet, debug)
    if engine != "local":
        err.print(f"[red]error:[/] unknown engine {engine!r}; choose local or ray")
        raise typer.Exit(2)
    fetched = {}  # before the store is opened: a URL that cannot be read ends the run in one line
    for p in paths:
        if is_url(p) and p not in fetched:
            try:
                fetched[p] = read_url(p, allow_private_urls)
            except FetchError as e:
                hint = " (--allow-private-urls lets it through)" if "internal address" in str(e) else ""
                err.print(Text.assemble(("error:", "red"), f" {e if p in str(e) else f'{p}: {e}'}{hint}"),
                          highlight=False, soft_wrap=True)
                raise typer.Exit(1)
    store = _open(db)

    def items():
        for item in (x for p in paths for x in (fetched[p] if p in fetched else iter_articles([p]))):
            if not isinstance(item, Rejected):
                for w in item.warnings:
                    err.print(f"[yellow]warning:[/] {item.path}: {w}", highlight=False, soft_wrap=True)
            yield item

    with Progress(TextColumn("[bold]analysing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=err, disable=quiet, transient=True) as bar:
        task = bar.add_task("", total=None)
        report = _ingest(store, items(), Settings(workers=workers), debug,
                         on_analysed=lambda x: bar.update(task, advance=1, description=(x.article.path or "")[-40:]))
    _finish(store, db, report, jsonl, quiet)


def _ingest(store: Store, items, settings, debug: bool, **callbacks):
    """The ingest flow, its failures and rejected inputs told as they happen, one line each."""
    from ..flow import ingest

    try:
        return ingest(items, store, settings, on_failure=lambda f: _warn_failure(f, debug),
                      on_rejected=lambda r: err.print(f"[yellow]warning:[/] {r}", highlight=False, soft_wrap=True),
                      **callbacks)
    except Exception as e:  # the store's or the machine's fault, not an article's: what was stored is kept
        err.print(f"[red]error:[/] {type(e).__name__}: {e}; what was stored is kept, and the next run goes on "
                  "from there", highlight=False, soft_wrap=True)
        if debug:
            err.print_exception()
        raise typer.Exit(1)


def _warn_failure(f, debug: bool) -> None:
    err.print(f"[yellow]warning:[/] {f.line()}", highlight=False, soft_wrap=True)
    if debug and f.trace:
        err.print(f.trace, highlight=False, markup=False)


def _finish(store: Store, db: str, report, jsonl: Optional[Path], quiet: bool, rejected: list | None = None) -> None:
    """After analysing (by any engine): write the JSON Lines, report, set the exit code."""
    rejected = [(r.path, r.reason) for r in report.rejected] + list(rejected or [])
    for w in report.warnings:
        err.print(f"[yellow]warning:[/] {w}", highlight=False, soft_wrap=True)
    if jsonl is not None:
        with jsonl.open("w", encoding="utf-8") as fh:
            for aid in dict.fromkeys(report.order):
                record = store.article_record(aid)
                if record is not None:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    if not quiet:
        failed = f", {len(report.failed)} failed (counterclaim failures)" if report.failed else ""
        err.print(f"{report.stored} article(s) analysed, {report.skipped} already in the store, "
                  f"{len(rejected)} input(s) skipped{failed}; {store.counts()['threads']} thread(s) in {db}")
    store.close()
    missing = [r for r in rejected if r[1] == "no such file or folder"]
    if missing or not report.order:
        raise typer.Exit(1)


def _analyze_on_ray(paths, db, jsonl, quiet, workers, address, parquet, debug) -> None:
    import tempfile

    from .. import distributed

    with tempfile.TemporaryDirectory() as tmp:
        out_dir = parquet or Path(tmp) / "partitions"
        if not quiet:
            err.print(f"analysing on Ray ({address or 'local cluster'}); partitions in {out_dir}")
        missing = distributed.run([str(p) for p in paths], out_dir, address=address, workers=workers or None)
        for path, reason in missing:
            err.print(f"[yellow]warning:[/] {path}: {reason}")
        store = _open(db)
        items = distributed.read(store, out_dir) if any(Path(out_dir).rglob("*.parquet")) else iter(())
        _finish(store, db, _ingest(store, items, Settings(), debug, analysed=True), jsonl, quiet, missing)


@app.command()
def load(
    parquet_dir: Path = typer.Argument(..., help="Parquet partitions written by `analyze --engine ray --parquet DIR`."),
    db: str = DbOption,
    quiet: bool = typer.Option(False, "--quiet", "-q"),
    debug: bool = DebugOption,
):
    """Load the Parquet partitions of a distributed run into the store and relink threads."""
    from .. import distributed

    store = _open(db)
    try:
        items = distributed.read(store, parquet_dir)
    except FileNotFoundError as e:
        store.close()
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(2)
    _finish(store, db, _ingest(store, items, Settings(), debug, analysed=True), None, quiet)


@app.command()
def failures(
    db: str = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print the failures as JSON."),
    debug: bool = typer.Option(False, "--debug", help="Show each failure's traceback."),
):
    """Articles that could not be read, analysed, stored or linked, with why. Each is tried again by the
    next `analyze` or `watch` that meets it."""
    store = _open(db, read_only=True)
    rows = store.failures()
    store.close()
    if as_json:
        sys.stdout.write(json.dumps([f.to_dict() for f in rows], ensure_ascii=False, indent=2) + "\n")
        return
    if not rows:
        err.print("no failed article")
        return
    table = Table(title=f"{len(rows)} failed article(s)", show_lines=False)
    for col in ("article", "file", "stage", "error", "when"):
        table.add_column(col, overflow="fold")
    for f in rows:
        table.add_row(f.article, f.path or "", f.stage, f.error, (f.at or "").replace("T", " "))
    out.print(table)
    if debug:
        for f in rows:
            err.print(f"{f.article}:\n{f.trace}", highlight=False, markup=False)


@app.command(help="\n\n".join(
    ["List claim threads: status, who asserts, who denies, independent sources."]
    + [f"{s}: {meaning}." for s, meaning in STATUS_MEANINGS.items()]
    + ["Stances: " + "; ".join(f"{s}, {meaning}" for s, meaning in STANCE_MEANINGS.items()) + "."]))
def threads(
    db: str = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print the threads as contract JSON."),
    status: Optional[str] = typer.Option(None, help="Only threads with this status."),
    actor: Optional[str] = typer.Option(None, help="Only threads where this actor (e.g. PRK, USAGOV) takes a side."),
    speaker: Optional[str] = typer.Option(None, help="Only threads where a side's name holds this (any case)."),
    outlet: Optional[str] = typer.Option(None, help="Only threads this outlet reports (its exact name)."),
    since: Optional[str] = typer.Option(None, help="Only threads seen on or after this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, help="Only threads first seen on or before this date."),
    sort: str = typer.Option("last_seen", help="last_seen (the latest first), sources (the most first) or status."),
):
    if status is not None and status not in STATUSES:
        _usage(f"--status {status!r} is not a status; choose one of {', '.join(STATUSES)}")
    if sort not in THREAD_ORDERS:
        _usage(f"--sort {sort!r}: choose one of {', '.join(THREAD_ORDERS)}")
    for name, value in (("--since", since), ("--until", until)):
        if value is not None and not _is_date(value):
            _usage(f"{name} {value!r} is not a date (YYYY-MM-DD)")
    store = _open(db, read_only=True)
    rows = store.threads(status=status, actor=actor, since=since, until=until, outlet=outlet, speaker=speaker,
                         sort=sort)
    told_in = store.languages_of([t["id"] for t in rows]) if rows and not as_json else {}
    store.close()
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"{len(rows)} thread(s)", show_lines=False)
    # Where some thread is told in another language too, each thread's languages are a column of their own.
    languages = any(code != "en" for codes in told_in.values() for code in codes)
    for col in ("id", "claim", "status", "asserted by", "denied by", "sources") + (("languages",) if languages else ()) + (
            "first seen", "last seen"):
        table.add_column(col, overflow="fold")
    for t in rows:
        table.add_row(t["id"], t["claim"], Text(t["status"], style=_status_style(t["status"])),
                      _sides(t["asserted_by"]), _sides(t["denied_by"]), str(t["independent_sources"]),
                      *((" ".join(told_in.get(t["id"], [])),) if languages else ()),
                      (t["first_seen"] or {}).get("date") or "undated", t.get("last_seen") or "undated")
    if any(s.get("both_sides") for t in rows for s in t["asserted_by"]):
        table.caption = Text(f"{BOTH_SIDES}: the same party asserts and denies the claim")
    out.print(table)


def _in_language(words: str, code: str | None) -> Text:
    """Words as said (not read as markup), marked with their language where it is not English: "[ko] 근거 없는
    낭설"."""
    return Text(f"[{code}] {words}" if words and code and code != "en" else words)


@app.command()
def thread(thread_id: str, db: str = DbOption):
    """One thread's timeline: each dated attribution with speaker, stance and outlet."""
    store = _open(db, read_only=True)
    t = store.thread(thread_id)
    if t is None:
        store.close()
        err.print(f"[red]error:[/] no thread {thread_id}")
        raise typer.Exit(1)
    from ..store import queries

    rows = queries.timeline(store, thread_id)
    evidence = queries.evidence(store, t)
    store.close()
    out.print(f"[bold]{t['claim']}[/]  ({t['id']}, [{_status_style(t['status'])}]{t['status']}[/], "
              f"{t['independent_sources']} independent source(s))")
    for label, key in (("asserted by", "asserted_by"), ("denied by", "denied_by")):
        out.print(Text.assemble(f"{label}: ", _sides(t[key]) if t[key] else "no one"))
    if any(s.get("both_sides") for s in t["asserted_by"]):
        out.print(f"{BOTH_SIDES}: the same party asserts and denies the claim in this thread", style="dim",
                  markup=False)
    changes = {h["because"]: h["status"] for h in t["status_history"]}
    table = Table(show_lines=False)
    for col in ("date", "outlet", "speaker", "actor", "stance", "says", "status"):
        table.add_column(col, overflow="fold")
    for r in rows:
        change = changes.get(r["attribution"], "")
        table.add_row(r["date"] or "", r["outlet"] or "", r["speaker"] or r["role"] or "", r["actor"] or "",
                      Text(r["stance"], style=STANCE_STYLE.get(r["stance"], "")), _in_language(r["content"][:160], r["language"]),
                      Text(change, style=_status_style(change)))
    out.print(table)
    moves = Table(title="How the status moved", show_lines=False)
    for col in ("date", "status", "why", "who", "evidence"):
        moves.add_column(col, overflow="fold")
    for e in evidence:
        if e["speaker"] and e["speaker"] == e["outlet"]:
            who = f"{e['speaker']} (the outlet)"
        else:
            who = " ".join(p for p in (e["speaker"], e["actor"], e["outlet"] and f"in {e['outlet']}") if p)
        moves.add_row(e["date"] or "undated", Text(e["status"], style=_status_style(e["status"])), e["reason"],
                      who, _in_language(e["sentence"] or "", e["language"]))
    out.print(moves)
    out.print("; ".join(f"{s}: {meaning}" for s, meaning in STATUS_MEANINGS.items()), style="dim")


@app.command()
def show(article_id: str, db: str = DbOption):
    """An article's text with its attributions highlighted by stance (content coloured, cue bold, source underlined)."""
    from ..ingest.checks import language_name

    store = _open(db, read_only=True)
    aid = store.find_article(article_id)
    record = store.article_record(aid) if aid else None
    store.close()
    if record is None:
        err.print(f"[red]error:[/] no article {article_id} (or the prefix is ambiguous)")
        raise typer.Exit(1)
    out.print(f"[bold]{record['title'] or record['id']}[/]  {record['source']['name'] or ''} {record['published'] or ''}"
              f" · {language_name(record.get('language') or 'und')}")
    out.print(render(record))
    for x in record["attributions"]:
        sp = x["speaker"]
        out.print(Text.assemble((f"{x['stance']:8}", STANCE_STYLE[x["stance"]]),
                                f" {sp['name'] or sp['role'] or '?'} [{sp['actor'] or '-'}] {x['cue']['text']}: ",
                                " … ".join(c["text"] for c in x["content"])[:140]))


def render(record: dict) -> Text:
    text = Text(record["text"])
    for x in record["attributions"]:
        style = STANCE_STYLE[x["stance"]].replace("bold ", "")
        for c in x["content"]:
            text.stylize(style, c["start"], c["end"])
        text.stylize("bold", x["cue"]["start"], x["cue"]["end"])
        if x["source"]:
            text.stylize("underline", x["source"]["start"], x["source"]["end"])
    return text


@app.command()
def export(
    format: str = typer.Option("jsonl", "--format", "-f", help="jsonl, csv, parquet, plover (PLOVER JSON Lines, one "
                                                          "event per line) or gdelt (GDELT 2.0 events, tab-separated, "
                                                          "plus OUTPUT.mentions.tsv)."),
    output: Path = typer.Option(..., "--output", "-o", help="File to write."),
    table: Optional[str] = typer.Option(None, help="For jsonl, csv and parquet: articles (the default in every format; "
                                        "in jsonl the contract records, with their attributions, claims and events), "
                                        "attributions, claims, events, or threads (with their sides and status "
                                        "history). plover and gdelt write events only."),
    db: str = DbOption,
):
    """Export the store: one line or row per article by default, in every format."""
    from ..store.export import DEFAULT_TABLE, FORMATS, TABLES, export as do_export

    if format not in FORMATS:
        _usage(f"--format {format!r} is not a format; choose one of {', '.join(FORMATS)}")
    if table is not None and table not in TABLES:
        _usage(f"--table {table!r} is not a table; choose one of {', '.join(TABLES)}")
    if table not in (None, "events") and format in ("plover", "gdelt"):
        _usage(f"--format {format} writes events only; leave out --table or give --table events")
    store = _open(db, read_only=True)
    try:
        n = do_export(store, format, output, table or DEFAULT_TABLE)
        if format == "gdelt":
            err.print(f"mentions in {output.with_name(output.stem + '.mentions.tsv')}")
    except ValueError as e:
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(2)
    finally:
        store.close()
    err.print(f"wrote {n} row(s) to {output}")


@app.command()
def serve(
    db: str = DbOption,
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    token: Optional[str] = typer.Option(None, envvar="COUNTERCLAIM_TOKEN",
                                        help="Enable POST /api/ingest for requests bearing this token."),
    allow_private_urls: bool = typer.Option(False, help="Let /api/ingest fetch loopback and private addresses."),
    watch_sources: Optional[list[str]] = typer.Option(None, "--watch", help="A feed URL, file or folder to watch "
                                                      "from inside the server (repeat for several)."),
    every: str = typer.Option("15m", help="With --watch: how often each source is read (30s, 15m, 1h)."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="The server's public address (https://host/), "
                                           "for the links of the Atom feed; else they are relative."),
):
    """The web pages and the REST API (read-only unless a token is set; OpenAPI docs at /docs). With
    --watch the server also watches sources, as `counterclaim watch` does: DuckDB has one writer per file,
    so the watcher runs in the server's process and the pages show what it adds without a restart."""
    import uvicorn

    from ..watch import parse_every
    from ..web.app import create_app

    seconds = _every(every, parse_every)
    store_check = _open(db, read_only=token is None and not watch_sources)
    store_check.close()
    uvicorn.run(create_app(db, token, allow_private_urls, watch=list(watch_sources or []), every=seconds,
                           base_url=base_url),
                host=host, port=port, log_level="info")


def _every(text: str, parse) -> float:
    try:
        return parse(text)
    except ValueError as e:
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(2)


@app.command()
def watch(
    sources: list[str] = typer.Argument(..., help="Feed URLs (RSS or Atom), files or folders."),
    every: str = typer.Option("15m", help="How often each source is read, start to start (30s, 15m, 1h)."),
    db: str = DbOption,
    workers: int = typer.Option(1, "--workers", "-w", help="Processes to analyse with (a round is usually small)."),
    rounds: Optional[int] = typer.Option(None, hidden=True, help="Stop after this many rounds (for tests)."),
    batch: int = typer.Option(32, hidden=True, help="Articles per store transaction."),
    timeout: float = typer.Option(20.0, help="Seconds a feed may take to answer."),
    debug: bool = DebugOption,
):
    """Watch sources until stopped: each round analyses only what is new, links it into the threads and
    records every status change (`counterclaim changes`). SIGINT or SIGTERM ends it after the current
    batch; a source that fails is reported and retried with backoff while the others go on."""
    import signal

    from ..watch import Watcher, parse_every

    seconds = _every(every, parse_every)
    store = _open(db)
    watcher = Watcher(store, sources, Settings(workers=workers, save_batch=max(1, batch), feed_timeout_s=timeout),
                      on_saved=lambda n: err.print(f"  {n} article(s) stored this round", highlight=False),
                      on_failure=lambda f: _warn_failure(f, debug))

    def stop(signum, frame):
        if watcher.stop.is_set():  # asked twice: the user means now
            raise KeyboardInterrupt
        err.print(f"{signal.Signals(signum).name}: stopping after the current batch", highlight=False)
        watcher.stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
    err.print(f"watching {len(watcher.sources)} source(s) every {every} into {db}", highlight=False)
    try:
        watcher.run(rounds=rounds, every=seconds, report=_report_round)
    finally:
        store.close()


def _report_round(r) -> None:
    err.print(r.line(), highlight=False, soft_wrap=True)
    for spec, why, retry in r.failed:
        err.print(f"[yellow]warning:[/] {spec}: {why}; tried again in {retry} round(s)", highlight=False, soft_wrap=True)
    for path, why in r.rejected:
        err.print(f"[yellow]warning:[/] {path}: {why}", highlight=False, soft_wrap=True)
    for w in r.warnings:
        err.print(f"[yellow]warning:[/] {w}", highlight=False, soft_wrap=True)


@app.command()
def changes(
    db: str = DbOption,
    since: Optional[str] = typer.Option(None, help="Only changes recorded on or after this date (YYYY-MM-DD) "
                                                   "or time (YYYY-MM-DDTHH:MM)."),
    as_json: bool = typer.Option(False, "--json", help="Print the changes as JSON."),
    limit: int = typer.Option(100, help="At most this many, the latest first."),
):
    """What changed: each thread's status changes, the latest recorded first, with the attribution and
    article that made each one."""
    from datetime import datetime

    from ..store import queries

    if since is not None:
        try:
            datetime.fromisoformat(since)
        except ValueError:
            err.print(f"[red]error:[/] --since {since!r} is not a date (YYYY-MM-DD) or time (YYYY-MM-DDTHH:MM)")
            raise typer.Exit(2)
    store = _open(db, read_only=True)
    rows = queries.changes(store, since=since, limit=limit)["items"]
    store.close()
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"{len(rows)} status change(s)", show_lines=False)
    for col in ("date", "thread", "claim", "change", "because", "outlet", "recorded"):
        table.add_column(col, overflow="fold")
    for c in rows:
        change = Text.assemble((c["from"] or "new", _status_style(c["from"] or "")), " → ",
                               (c["to"], _status_style(c["to"])))
        table.add_row(c["date"] or "", c["thread"], c["claim"], change,
                      f"{c['speaker'] or '?'} ({c['stance'] or 'report'})", c["outlet"] or "",
                      c["recorded_at"].replace("T", " "))
    out.print(table)


@app.command()
def search(
    claim: str = typer.Argument(..., help="The claim, as a sentence, in any words."),
    db: str = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print the threads found as JSON."),
    limit: int = typer.Option(10, min=1, help="At most this many threads."),
):
    """The threads that make this claim, best first: each with its claim, status, who asserts, who denies
    and a score; nothing when no thread is close enough."""
    from ..threads.search import search as find

    if not claim.strip():
        _usage("give the claim to look up, as a sentence")
    store = _open(db, read_only=True)
    hits = [h.to_dict() for h in find(store, claim, limit)]
    store.close()
    if as_json:
        sys.stdout.write(json.dumps(hits, ensure_ascii=False, indent=2) + "\n")
        return
    if not hits:
        err.print("no thread makes that claim")
        return
    table = Table(title=f"{len(hits)} thread(s) for {claim!r}", show_lines=False)
    for col in ("score", "id", "claim", "status", "asserted by", "denied by"):
        table.add_column(col, overflow="fold")
    for h in hits:
        table.add_row(f"{h['score']:.2f}", h["thread"], h["claim"], Text(h["status"], style=_status_style(h["status"])),
                      _sides(h["asserted_by"]), _sides(h["denied_by"]))
    out.print(table)


@app.command("stance")
def stance_cmd(
    claim: str = typer.Option(..., "--claim", help="The claim, as a sentence."),
    files: Optional[list[Path]] = typer.Argument(None, help="Articles (any input format)."),
    db: Optional[str] = typer.Option(None, "--db", help="Read every article stored here instead, best matches first."),
    limit: int = typer.Option(20, "--limit", min=1, help="With --db: show this many articles (the counts cover all)."),
):
    """Each article's stance toward the claim (agree, disagree, discuss, unrelated), with probabilities and
    the sentences that decided it."""
    if bool(files) == bool(db):
        _usage("give article FILEs or --db DB")
    if not claim.strip():
        _usage("--claim is empty: give the claim, as a sentence")
    if db:
        _stance_of_store(claim, db, limit)
        return
    from ..ingest import Rejected, iter_articles
    from ..pipeline import analyze_many
    from ..stance import stance

    articles = []
    for item in iter_articles(files):
        if isinstance(item, Rejected):
            err.print(f"[yellow]warning:[/] {item}")
        else:
            articles.append(item)
    if not articles:
        raise typer.Exit(1)
    for analysis in analyze_many(articles):
        _print_stance(analysis.article.path, analysis.article.title, stance(claim, analysis))


def _print_stance(name: str, title: str | None, s) -> None:
    probs = "  ".join(f"{k} {v:.2f}" for k, v in s.probabilities.items())
    out.print(f"[bold]{name}[/]: {s.label}   ({probs})", highlight=False)
    if s.headline:
        label = max(s.headline, key=s.headline.get)
        out.print(f"    headline {title!r}: {label} ({s.headline[label]:.2f})", highlight=False)
    for v in s.voices[:3]:
        who = v["speaker"] or "unnamed"
        out.print(f"    {v['stance']} by {who}{' (first-hand)' if v['first_hand'] else ''}: {v['text'][:160]}", highlight=False)
    for sentence in s.evidence[:5]:
        out.print(f"    {sentence}", highlight=False)


def _stance_of_store(claim: str, db: str, limit: int) -> None:
    """Every stored article against the claim, the most related first. Articles that share neither words nor
    meaning with the claim (none of their encoded claims is near it) are unrelated without being read."""
    from collections import Counter

    import numpy as np

    from ..stance import LABELS, Stance, judge, related_hint
    from ..stance.classifier import load
    from ..stance.reading import voices_of_record
    from ..store.db import vector_of

    store = _open(db, read_only=True)
    vector = load().reader.claim_vectors(claim)[0]
    encoded: dict[str, dict[str, np.ndarray]] = {}
    for article, cid, v in store.query("SELECT article_id, id, vector FROM claims WHERE vector IS NOT NULL"):
        encoded.setdefault(article, {})[cid] = vector_of(v)
    unrelated = {k: float(k == "unrelated") for k in LABELS}
    results, other = [], 0
    for article_id, text, language in store.query("SELECT id, text, language FROM articles ORDER BY seq"):
        if language not in ("en", None):
            other += 1  # the stance model reads English; the article's own attributions carry its stances
            continue
        vectors = encoded.get(article_id, {})
        stacked = np.stack(list(vectors.values())).astype(np.float32) if vectors else np.zeros((0, len(vector)), np.float32)
        if related_hint(claim, vector, text, stacked):
            record = store.article_record(article_id)
            results.append((record, judge(claim, text, record.get("title"), voices_of_record(record, vectors))))
        else:
            results.append(({"id": article_id}, Stance("unrelated", unrelated, [])))
    store.close()
    if not results and not other:
        err.print("the store holds no article")
        raise typer.Exit(1)
    results.sort(key=lambda r: r[1].probabilities["unrelated"])
    counts = Counter(s.label for _, s in results)
    out.print(f"{len(results)} articles: " + ", ".join(f"{counts[k]} {k}" for k in LABELS)
              + (f"; {other} in other languages not scored (the stance model reads English: their attributions' "
                 "stances are on the threads)" if other else ""))
    for record, s in results[:limit]:
        if s.label == "unrelated":
            break
        name = f"{record['id'][:12]} {record.get('published') or ''} {record.get('title') or ''}".strip()
        _print_stance(name, record.get("title"), s)


BOTH_SIDES = "[both sides]"


def _sides(sides: list[dict]) -> Text:
    """"Lars Eide (NORGOV); Severnaya Fishing Company": each party's names, its actor code where it has one,
    and a mark where it is on both sides. Text, not markup: a name's brackets stay as written."""
    out = Text()
    for i, s in enumerate(sides):
        names, code = " / ".join(n for n in s.get("names") or [] if n), s.get("actor")
        out.append(("; " if i else "") + (f"{names} ({code})" if names and code else names or code or "unnamed"))
        if s.get("both_sides"):
            out.append(f" {BOTH_SIDES}", style="bold magenta")
    return out


def _status_style(status: str) -> str:
    return {"disputed": "yellow", "confirmed": "green", "refuted": "red", "retracted": "magenta",
            "unverified": "dim"}.get(status, "")


def _register() -> None:
    from .evaluate import app as eval_app

    app.add_typer(eval_app, name="eval")


_register()

if __name__ == "__main__":
    app()
