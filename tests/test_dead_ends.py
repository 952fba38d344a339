"""No dead ends: thread exports with their sides and history, one default table, `analyze URL`, the API docs
offline, event coding of things released, and undated threads, on inputs written for these tests."""
import csv
import json
import re

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from counterclaim.cli.main import app
from counterclaim.store.db import Store

BORDER = """Title: Minsk says Latvian troops crossed the border
Source: Harbour Wire
Date: 2024-05-13

Belarus said on Monday that Latvian troops had crossed the border near Daugavpils.

The Latvian defence ministry denied that Latvian troops had crossed the border near Daugavpils, calling the claim a fabrication.

The mayor of Daugavpils said the bridge over the river would reopen in June.
"""
# No date anywhere: its thread is undated.
TANKER = """Title: Tanker owner rejects spill report
Source: Fjord Times

Environmental group Bellona said a Norwegian tanker had dumped oil off the coast of Svalbard.

The tanker's owner, Nordhavn Shipping, denied that the tanker had dumped oil off the coast of Svalbard.
"""


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dead_ends")
    (tmp / "in").mkdir()
    (tmp / "in" / "border.txt").write_text(BORDER)
    (tmp / "in" / "tanker.txt").write_text(TANKER)
    db = tmp / "dead.duckdb"
    result = run("analyze", tmp / "in", "--db", db, "-q", "-w", "1")
    assert result.exit_code == 0, result.output
    return db


def _threads(db) -> list[dict]:
    with Store(db, read_only=True) as store:
        return store.threads()


def test_csv_export_of_threads_has_sides_history_and_no_empty_rows(db, tmp_path):
    with Store(db, read_only=True) as store:
        hidden = store.query("SELECT count(*) FROM threads WHERE NOT shown")[0][0]
    assert hidden, "the store should hold a candidate thread that is not shown, for the test to mean anything"
    out = tmp_path / "threads.csv"
    assert run("export", "-f", "csv", "--table", "threads", "-o", out, "--db", db).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == [t["id"] for t in _threads(db)]
    assert all(r["claim"] and r["status"] and r["status_history"] for r in rows)
    border = next(r for r in rows if "Daugavpils" in r["claim"])
    # Names as the speaker stage gives them; the actor code in brackets where there is one.
    assert "Belarus (BLRGOV)" in border["asserted_by"] and "(LVAMIL)" in border["denied_by"]
    assert border["status_history"] == "2024-05-13 unverified; 2024-05-13 disputed"
    assert (border["first_seen"], border["last_seen"], border["reported_by"]) == ("2024-05-13", "2024-05-13",
                                                                                   "Harbour Wire")
    tanker = next(r for r in rows if "tanker" in r["claim"])
    assert "Bellona" in tanker["asserted_by"] and "Nordhavn Shipping" in tanker["denied_by"]
    assert "(" not in tanker["asserted_by"] + tanker["denied_by"] and "?" not in tanker["asserted_by"]
    assert tanker["status_history"] == "undated unverified; undated disputed" and tanker["first_seen"] == ""


def test_parquet_and_json_lines_exports_of_threads_agree_with_the_csv(db, tmp_path):
    for fmt in ("csv", "parquet", "jsonl"):
        assert run("export", "-f", fmt, "--table", "threads", "-o", tmp_path / f"t.{fmt}", "--db", db).exit_code == 0
    from_csv = list(csv.DictReader((tmp_path / "t.csv").open(encoding="utf-8")))
    con = duckdb.connect()
    cur = con.execute(f"SELECT * FROM read_parquet('{tmp_path / 't.parquet'}')")
    names = [d[0] for d in cur.description]
    from_parquet = [dict(zip(names, r)) for r in cur.fetchall()]
    assert names == list(from_csv[0])
    assert [(r["id"], r["asserted_by"], r["denied_by"], r["status_history"]) for r in from_parquet] == [
        (r["id"], r["asserted_by"], r["denied_by"], r["status_history"]) for r in from_csv]
    lines = [json.loads(x) for x in (tmp_path / "t.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [t["id"] for t in lines] == [r["id"] for r in from_csv]
    border = next(t for t in lines if "Daugavpils" in t["claim"])
    assert [(s["actor"], s["names"]) for s in border["asserted_by"]] == [("BLRGOV", ["Belarus"])]
    assert [(h["date"], h["status"]) for h in border["status_history"]] == [("2024-05-13", "unverified"),
                                                                          ("2024-05-13", "disputed")]


def test_the_default_table_is_articles_in_every_format(db, tmp_path):
    with Store(db, read_only=True) as store:
        articles = [r[0] for r in store.query("SELECT id FROM articles ORDER BY seq")]
    for fmt in ("jsonl", "csv", "parquet"):
        result = run("export", "-f", fmt, "-o", tmp_path / f"a.{fmt}", "--db", db)
        assert result.exit_code == 0 and f"wrote {len(articles)} row(s)" in result.stderr
    assert [json.loads(x)["id"] for x in (tmp_path / "a.jsonl").read_text().splitlines()] == articles
    assert [r["id"] for r in csv.DictReader((tmp_path / "a.csv").open())] == articles
    assert [r[0] for r in duckdb.sql(f"SELECT id FROM read_parquet('{tmp_path / 'a.parquet'}')").fetchall()] == articles
    # Tables beside articles in JSON Lines too, rather than articles whatever was asked.
    assert run("export", "-f", "jsonl", "--table", "events", "-o", tmp_path / "e.jsonl", "--db", db).exit_code == 0
    bad = run("export", "-f", "csv", "--table", "speakers", "-o", tmp_path / "x.csv", "--db", db)
    assert bad.exit_code == 2 and len(bad.stderr.strip().splitlines()) == 1 and "--table" in bad.stderr


def test_analyze_refuses_an_internal_url_in_one_line(tmp_path):
    result = run("analyze", "http://127.0.0.1:9/feed.xml", "--db", tmp_path / "u.duckdb", "-w", "1")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "http://127.0.0.1:9/feed.xml" in lines[0] and "internal address" in lines[0], lines
    assert not (tmp_path / "u.duckdb").exists()  # refused before anything was opened or stored


def test_analyze_url_reads_a_page_and_a_feed_through_the_web_apps_fetch(tmp_path, monkeypatch):
    from counterclaim.ingest import fetch as fetch_module

    page = ("<html><head><title>Ministry denies troop report</title></head><body><article><h1>Ministry denies "
            "troop report</h1><p>" + BORDER.split("\n\n", 1)[1].replace("\n\n", "</p><p>") + "</p></article></body></html>")
    feed = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Fjord Times</title><item><title>Spill</title>"
            "<link>https://fjord.example/spill</link><pubDate>Tue, 14 May 2024 09:00:00 GMT</pubDate><description>"
            "Environmental group Bellona said a Norwegian tanker had dumped oil off the coast of Svalbard."
            "</description></item></channel></rss>")
    asked = []

    def fake_fetch(url, allow_private=False):
        asked.append((url, allow_private))
        return {"https://news.example/border": page, "https://fjord.example/feed": feed}[url]

    monkeypatch.setattr(fetch_module, "fetch", fake_fetch)
    db = tmp_path / "u.duckdb"
    result = run("analyze", "https://news.example/border", "https://fjord.example/feed", "--db", db, "-q", "-w", "1")
    assert result.exit_code == 0, result.output
    assert asked == [("https://news.example/border", False), ("https://fjord.example/feed", False)]
    with Store(db, read_only=True) as store:
        rows = store.query("SELECT path, url, source_name FROM articles ORDER BY seq")
    assert rows == [("https://news.example/border", "https://news.example/border", "news.example"),
                    ("https://fjord.example/feed#1", "https://fjord.example/spill", "Fjord Times")]


def test_docs_are_served_from_the_installed_package(tmp_path):
    Store(tmp_path / "e.duckdb").close()
    from counterclaim.web.app import create_app

    with TestClient(create_app(str(tmp_path / "e.duckdb"))) as client:
        page = client.get("/docs")
        assert page.status_code == 200 and "swagger-ui" in page.text
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert len(assets) >= 3 and all(a.startswith("/docs/assets/") for a in assets), assets
        for url in assets:
            assert client.get(url).status_code == 200, url
        assert client.get("/openapi.json").status_code == 200
        assert client.get("/redoc").status_code == 404  # ReDoc would load from a CDN: not offered


def _events(text: str) -> list[tuple]:
    from counterclaim.pipeline import analyze_text

    return [(e.event, e.cameo, e.actor.actor[:3], (e.recipient.actor or "")[:3] if e.recipient else None)
            for e in analyze_text(text, published="2024-09-11").events if e.attribution is None]


def test_released_photographs_are_no_event_and_released_people_a_retreat():
    assert _events("Norway's coastguard released photographs of the Russian trawler on Wednesday.") == []
    assert _events("Norway's coastguard released images of the Russian trawler and a statement.") == []
    assert _events("Norway's coastguard released the Russian crew of the trawler on Wednesday.") == [
        ("RETREAT", "0841", "NOR", "RUS")]


def test_undated_threads_say_undated(db):
    result = run("threads", "--db", db)
    assert result.exit_code == 0
    tanker = next(line for line in result.stdout.splitlines() if "tanker" in line)
    assert tanker.count("undated") == 2 and "None" not in result.stdout
    from counterclaim.web.app import create_app

    with TestClient(create_app(str(db))) as client:
        html = client.get("/").text
    row = next(r for r in html.split("<tr>") if "tanker" in r)
    assert row.count("<td>undated</td>") == 2 and "None" not in html
