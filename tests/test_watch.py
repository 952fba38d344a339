"""The desk as a newsroom runs it: `watch` over feeds that change between rounds, sources that fail, a
watcher stopped or killed mid-round, and `serve --watch` with another command trying the same store."""
import json
import re
import signal
import socket
import subprocess
import sys
import time

import duckdb
import feedparser
import pytest
from fastapi.testclient import TestClient

from feeds import FeedServer, copy_examples, entry_of, rss
from test_cli import cc

BREACH = ["breach-1.txt", "breach-2.txt", "breach-3.txt"]


def _rows(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def watched(tmp_path_factory):
    """Two rounds of `watch` over a feed that gains the carrier's admission in the second, beside a source
    answering 500 and one answering garbage."""
    db = tmp_path_factory.mktemp("watch") / "desk.duckdb"
    first, second = rss([entry_of(n) for n in BREACH[:2]]), rss([entry_of(n) for n in BREACH])
    routes = {"/feed.xml": [(1, 200, first), (2, 200, second)], "/broken.xml": [(1, 500, b"oops")],
              "/garbage.xml": [(1, 200, b"\x89PNG this is no feed {]<")]}
    with FeedServer(routes) as feeds:
        proc = cc("watch", f"{feeds.url}/feed.xml", f"{feeds.url}/broken.xml", f"{feeds.url}/garbage.xml",
                  "--db", db, "--every", "0s", "--rounds", "2")
    return db, proc.stderr


def test_second_round_analyses_only_the_new_entry(watched):
    db, log = watched
    rounds = re.findall(r"round (\d) · .*?(\d+) new of (\d+) article", " ".join(log.split()))
    assert rounds == [("1", "2", "2"), ("2", "1", "3")], log
    assert _rows(db, "SELECT count(*), count(DISTINCT id) FROM articles") == [(3, 3)]


def test_failing_sources_are_reported_and_the_others_analysed(watched):
    _, log = watched
    flat = " ".join(log.split())
    assert re.search(r"broken\.xml: HTTP 500", flat), log
    assert re.search(r"garbage\.xml: not a (readable )?feed", flat), log
    assert "2 source(s) failed" in flat


def test_the_thread_changes_status_and_changes_says_so(watched):
    db, _ = watched
    changes = json.loads(cc("changes", "--db", db, "--json").stdout)
    confirmed = [c for c in changes if c["to"] == "confirmed"]
    assert len(confirmed) == 1 and confirmed[0]["from"] == "disputed", changes
    c = confirmed[0]
    assert c["date"] == "2024-03-21" and c["outlet"] == "Desk Wire" and c["article"] and c["speaker"]
    assert "customer" in c["claim"] or "records" in c["claim"]
    # The admission came in the second round: recorded after the first round's changes, and listed first.
    assert changes[0]["seq"] == max(x["seq"] for x in changes) == c["seq"]
    assert cc("changes", "--db", db, "--since", "2999-01-01", "--json").stdout.strip() == "[]"
    table = cc("changes", "--db", db).stdout
    assert "disputed → confirmed" in table


def test_the_change_is_in_the_atom_feed_and_on_the_page(watched):
    from counterclaim.web.app import create_app

    db, _ = watched
    with TestClient(create_app(str(db))) as client:
        r = client.get("/changes.atom")
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
        feed = feedparser.parse(r.content)
        assert not feed.bozo and feed.version == "atom10"
        [entry] = [e for e in feed.entries if e.title.startswith("disputed → confirmed")]
        thread = entry.link.rsplit("/", 1)[-1]
        assert entry.published.startswith("2024-03-21") and entry.id.startswith("urn:uuid:")
        assert client.get(f"/threads/{thread}").status_code == 200
        page = client.get("/changes").text
        assert f'href="/threads/{thread}"' in page and "confirmed</span>" in page


def _watch(*args):
    return subprocess.Popen([sys.executable, "-m", "counterclaim.cli.main", "watch", *map(str, args)],
                            stderr=subprocess.PIPE, text=True)


def _wait_for(proc, pattern: str) -> str:
    seen = ""
    for line in proc.stderr:
        seen += line
        if re.search(pattern, line):
            return seen
    raise AssertionError(f"never printed {pattern!r}:\n{seen}")


NAMES = ["radars-1.txt", "radars-2.txt", "minister-1.txt", "minister-2.txt", "minister-3.txt", "vessel-1.txt"]


def test_killed_mid_round_and_started_again_stores_every_article_once(tmp_path):
    folder = copy_examples(NAMES, tmp_path / "in")
    db = tmp_path / "k.duckdb"
    proc = _watch(folder, "--db", db, "--rounds", "1", "--batch", "2")
    _wait_for(proc, r"\b2 article\(s\) stored this round")
    proc.kill()
    proc.wait()
    stored = _rows(db, "SELECT count(*) FROM articles")[0][0]
    assert 2 <= stored < len(NAMES)
    again = cc("watch", folder, "--db", db, "--rounds", "1", "--batch", "2")
    assert f"{len(NAMES) - stored} new of {len(NAMES)}" in " ".join(again.stderr.split())
    assert _rows(db, "SELECT count(*), count(DISTINCT id), count(*) FILTER (WHERE NOT linked) FROM articles") == \
        [(len(NAMES), len(NAMES), 0)]
    # A third round finds nothing new.
    assert "0 new of" in cc("watch", folder, "--db", db, "--rounds", "1").stderr


def test_sigterm_ends_the_round_after_the_batch_and_links_it(tmp_path):
    folder = copy_examples(NAMES, tmp_path / "in")
    db = tmp_path / "t.duckdb"
    proc = _watch(folder, "--db", db, "--batch", "2", "--every", "1h")
    _wait_for(proc, r"\b2 article\(s\) stored this round")
    proc.send_signal(signal.SIGTERM)
    rest = proc.stderr.read()
    assert proc.wait(120) == 0, rest
    assert "stopping after the current batch" in rest and "stopped after the current batch" in rest
    n, unlinked = _rows(db, "SELECT count(*), count(*) FILTER (WHERE NOT linked) FROM articles")[0]
    assert 2 <= n < len(NAMES) and unlinked == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_watch_shows_new_entries_and_other_writers_get_one_line(tmp_path):
    import httpx

    db = tmp_path / "s.duckdb"
    port = _free_port()
    routes = {"/feed.xml": [(1, 200, rss([entry_of("garden-show.txt")])),
                            (2, 200, rss([entry_of("garden-show.txt"), entry_of("breach-1.txt")]))]}
    with FeedServer(routes) as feeds:
        server = subprocess.Popen([sys.executable, "-m", "counterclaim.cli.main", "serve", "--db", str(db),
                                   "--port", str(port), "--watch", f"{feeds.url}/feed.xml", "--every", "1s"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            base = f"http://127.0.0.1:{port}"
            page = ""
            for _ in range(600):  # until the second round has linked the new entry (the models load first)
                try:
                    page = httpx.get(base + "/", timeout=5).text
                except httpx.TransportError:
                    page = ""
                if 'href="/threads/' in page:
                    break
                assert server.poll() is None, server.stderr.read()
                time.sleep(0.2)
            assert 'href="/threads/' in page and "Northline" in page  # the carrier's denial, a thread now
            other = cc("analyze", tmp_path, "--db", db, check=False)
            lines = other.stderr.strip().splitlines()
            assert other.returncode == 1 and len(lines) == 1, other.stderr
            assert f"process {server.pid}" in lines[0] and "serve" in lines[0] and "ingest" in lines[0]
            assert "Traceback" not in other.stderr
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                server.kill()


def test_durations_and_backoff():
    from counterclaim.settings import DEFAULT
    from counterclaim.watch import Source, parse_every

    MAX_SKIPPED_ROUNDS = DEFAULT.max_skipped_rounds

    assert [parse_every(x) for x in ("15m", "30s", "1h", "2", "1.5m")] == [900, 30, 3600, 2, 90]
    with pytest.raises(ValueError):
        parse_every("soon")
    s = Source("http://feeds.example/x")
    skipped = []
    for _ in range(7):
        s.failed("HTTP 503")
        skipped.append(s.wait_rounds)
    assert skipped == [0, 1, 3, 7, 15, MAX_SKIPPED_ROUNDS, MAX_SKIPPED_ROUNDS]
    s.worked()
    assert (s.failures, s.wait_rounds, s.error) == (0, 0, None)


def test_a_watched_feed_over_one_articles_cap_is_read(monkeypatch):
    import counterclaim.watch as w

    entry = entry_of("breach-1.txt")
    entries = [dict(entry, link=f"https://example.org/{n}", html=entry["html"] * 12) for n in range(300)]
    body = rss(entries)
    assert 5_000_000 < len(body) < w.DEFAULT.max_feed_bytes
    monkeypatch.setattr(w, "fetch_feed", lambda url, timeout=None: body)
    articles, rejected = w.read_source(w.Source("https://feeds.example/big"))
    assert len(articles) == 300 and not rejected
