"""The command line as a user runs it: analyse into a store, list threads, show, export."""
import csv
import json
from pathlib import Path
import subprocess
import sys

import duckdb
import pytest
from conftest import EXAMPLES

CONTRACT_KEYS = {"schema", "id", "source", "title", "published", "language", "text", "attributions", "claims",
                 "events", "warnings"}
ATTRIBUTION_KEYS = {"id", "kind", "cue", "source", "content", "speaker", "stance", "certainty", "claim", "thread",
                    "confidence"}


def cc(*args, check=True):
    proc = subprocess.run([sys.executable, "-m", "counterclaim.cli.main", *map(str, args)], capture_output=True, text=True)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    db = tmp / "cli.duckdb"
    cc("analyze", EXAMPLES, "--db", db, "--jsonl", tmp / "out.jsonl", "-q")
    return db


def _example_ids() -> list[str]:
    from counterclaim.ingest import Rejected, iter_articles

    return [a.id for a in iter_articles([Path(EXAMPLES)]) if not isinstance(a, Rejected)]


def test_analyze_writes_contract_lines_in_input_order(db):
    lines = [json.loads(x) for x in (db.parent / "out.jsonl").read_text().splitlines()]
    assert [r["id"] for r in lines] == _example_ids()  # sorted file order, every article once
    for r in lines:
        assert set(r) == CONTRACT_KEYS and r["schema"] == "counterclaim/article@1"
        for a in r["attributions"]:
            assert set(a) == ATTRIBUTION_KEYS
            assert a["id"].startswith(r["id"] + ":a")
            for span in [a["cue"], a["source"], *a["content"]]:
                if span:
                    assert r["text"][span["start"]:span["end"]] == span["text"]
    assert any(a["thread"] for r in lines for a in r["attributions"])


def test_analyze_again_stores_nothing_new(db):
    proc = cc("analyze", EXAMPLES, "--db", db)
    n = len(_example_ids())
    assert f"0 article(s) analysed, {n} already in the store" in " ".join(proc.stderr.split())
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from articles").fetchone()[0] == n
    con.close()


def test_bad_inputs_warn_and_the_rest_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "good.txt").write_text("The Kremlin denied that Russian troops had crossed the border on Monday.")
    proc = cc("analyze", tmp_path, "--db", tmp_path / "x.duckdb", "--jsonl", tmp_path / "x.jsonl")
    assert "empty.txt: empty input" in proc.stderr
    assert len((tmp_path / "x.jsonl").read_text().splitlines()) == 1


def test_an_article_in_another_language_is_read_named_and_shown(tmp_path):
    (tmp_path / "kcna.txt").write_text("북한 국방성은 월요일 러시아에 포탄을 보낸다는 미국의 주장을 근거 없는 소문이라고 일축했다.")
    proc = cc("analyze", tmp_path, "--db", tmp_path / "x.duckdb", "--jsonl", tmp_path / "x.jsonl")
    assert "not analysed" not in proc.stderr
    [line] = (tmp_path / "x.jsonl").read_text().splitlines()
    record = json.loads(line)
    assert record["language"] == "ko"
    [said] = record["attributions"]
    assert said["speaker"]["country"] == "PRK" and said["stance"] == "deny"
    assert "Korean" in cc("show", record["id"][:8], "--db", tmp_path / "x.duckdb").stdout


def test_an_article_in_a_language_the_encoder_lacks_is_stored_and_named(tmp_path):
    (tmp_path / "fa.txt").write_text("سخنگوی وزارت امور خارجه ایران روز دوشنبه ارسال پهپاد به روسیه را رد کرد و گفت "
                                     "این ادعاها بی‌اساس است.", encoding="utf-8")
    proc = cc("analyze", tmp_path, "--db", tmp_path / "x.duckdb", "--jsonl", tmp_path / "x.jsonl")
    assert "text is in Persian (fa); stored, not analysed or threaded" in proc.stderr
    record = json.loads((tmp_path / "x.jsonl").read_text())
    assert record["language"] == "fa" and record["attributions"] == [] and record["claims"] == []


def test_impossible_requests_exit_non_zero(tmp_path):
    assert cc("analyze", tmp_path / "missing.txt", "--db", tmp_path / "x.duckdb", check=False).returncode == 1
    assert cc("threads", "--db", tmp_path / "never-made.duckdb", check=False).returncode == 2
    assert cc("show", "nope", "--db", tmp_path / "x.duckdb", check=False).returncode == 1
    assert cc("export", "--format", "xml", "-o", tmp_path / "o", "--db", tmp_path / "x.duckdb", check=False).returncode == 2


def test_a_store_that_cannot_be_opened_is_one_error_line(tmp_path):
    (tmp_path / "text.duckdb").write_text("not a store")
    for db in (tmp_path / "no-such-folder" / "x.duckdb", tmp_path / "text.duckdb"):
        proc = cc("analyze", EXAMPLES / "breach-1.txt", "--db", db, check=False)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert proc.stderr.startswith(f"error: cannot open the store {db}")


def test_threads_table_and_json(db):
    table = cc("threads", "--db", db).stdout
    assert "disputed" in table and "confirmed" in table
    threads = json.loads(cc("threads", "--db", db, "--json").stdout)
    assert {"id", "claim", "status", "status_history", "first_seen", "asserted_by", "denied_by", "reported_by",
            "articles", "independent_sources"} <= set(threads[0])
    confirmed = json.loads(cc("threads", "--db", db, "--json", "--status", "confirmed").stdout)
    assert confirmed and {t["status"] for t in confirmed} == {"confirmed"}
    drones = next(t for t in confirmed if "drones" in t["claim"])
    timeline = cc("thread", drones["id"], "--db", db).stdout
    assert "Amir-Abdollahian" in timeline and "Gulf Ledger" in timeline


def test_show_highlights_an_article(db):
    con = duckdb.connect(str(db), read_only=True)
    aid = con.execute("select id from articles where source_name = 'Baltic Observer'").fetchone()[0]
    con.close()
    out = cc("show", aid[:8], "--db", db).stdout
    assert "Moscow denies hacking" in out and "deny" in out and "Maria Zakharova" in out


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_exports(db, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    cc("export", "--format", fmt, "-o", out, "--db", db, *(["--table", "attributions"] if fmt != "jsonl" else []))
    if fmt == "csv":
        rows = list(csv.DictReader(out.open()))
        assert rows and {"speaker_actor", "stance", "thread", "outlet"} <= set(rows[0])
    elif fmt == "parquet":
        n = duckdb.sql(f"select count(*) from read_parquet('{out}')").fetchall()[0][0]
        assert n > 10
    else:
        assert len(out.read_text().splitlines()) == len(_example_ids())


def test_event_exports_in_plover_and_gdelt_layouts(tmp_path):
    from counterclaim.store.export import GDELT_EVENT_COLUMNS, GDELT_MENTION_COLUMNS

    db = tmp_path / "events.duckdb"
    story = tmp_path / "story.txt"
    story.write_text("Title: Sanctions and denials\nDate: 2023-04-03\nURL: https://news.example/s\n\n"
                     "Japan imposed new sanctions on North Korea on Monday after Tokyo accused Pyongyang of "
                     "shipping missiles to Russia. North Korea denied the charge.\n\n"
                     "Last month's North Korean missile launches had already raised tensions in the region.\n")
    cc("analyze", story, "--db", db, "-q")
    plover = tmp_path / "events.jsonl"
    cc("export", "--format", "plover", "-o", plover, "--db", db)
    records = [json.loads(line) for line in plover.read_text().splitlines()]
    kinds = {(r["event"], r["source"][0]["code"], r["cameo"], r["background"]) for r in records}
    assert ("SANCTION", "JPN", "163", False) in kinds and ("REJECT", "PRK", "016", False) in kinds
    assert ("MOBILIZE", "PRK", "150", True) in kinds
    assert all(r["date"] == "2023-04-03" and r["text"] and r["quadClass"] in (1, 2, 3, 4) for r in records)
    gdelt = tmp_path / "events.tsv"
    cc("export", "--format", "gdelt", "-o", gdelt, "--db", db)
    rows = list(csv.DictReader(gdelt.open(), delimiter="\t"))
    assert list(rows[0]) == GDELT_EVENT_COLUMNS
    assert {r["EventCode"] for r in rows} >= {"163", "016"} and "150" not in {r["EventCode"] for r in rows}
    sanction = next(r for r in rows if r["EventCode"] == "163")
    assert (sanction["SQLDATE"], sanction["Actor1CountryCode"], sanction["Actor2CountryCode"], sanction["EventRootCode"],
            sanction["QuadClass"], sanction["SOURCEURL"]) == ("20230403", "JPN", "PRK", "16", "4", "https://news.example/s")
    mentions = list(csv.DictReader((tmp_path / "events.mentions.tsv").open(), delimiter="\t"))
    assert list(mentions[0]) == GDELT_MENTION_COLUMNS and len(mentions) == len(rows)
    text = json.loads(subprocess.run([sys.executable, "-m", "counterclaim.cli.main", "export", "-o", tmp_path / "a.jsonl",
                                      "--db", db], capture_output=True).returncode == 0 and
                      (tmp_path / "a.jsonl").read_text().splitlines()[0])["text"]
    m = next(m for m in mentions if m["GLOBALEVENTID"] == sanction["GLOBALEVENTID"])
    assert text[int(m["Actor1CharOffset"]):].startswith("Japan") and m["SentenceID"] == "1"


def test_search_finds_the_thread_that_makes_a_claim(db):
    hits = json.loads(cc("search", "Tokyo is providing shore-based radar systems to Manila", "--db", db, "--json").stdout)
    assert hits and "radars" in hits[0]["claim"] and hits[0]["status"] == "confirmed"
    assert {"thread", "claim", "status", "asserted_by", "denied_by", "score"} <= set(hits[0])
    table = cc("search", "Tokyo is providing shore-based radar systems to Manila", "--db", db, "--limit", "1").stdout
    assert hits[0]["thread"] in table
    none = cc("search", "The central bank raised interest rates", "--db", db)
    assert none.stdout.strip() == "" and "no thread makes that claim" in none.stderr
    assert json.loads(cc("search", "The central bank raised interest rates", "--db", db, "--json").stdout) == []


def test_changes_lists_each_status_change(db):
    changes = json.loads(cc("changes", "--db", db, "--json").stdout)
    threads = {t["id"]: t for t in json.loads(cc("threads", "--db", db, "--json").stdout)}
    assert {c["thread"] for c in changes} == set(threads)
    assert sum(len(t["status_history"]) for t in threads.values()) == len(changes)
    assert cc("changes", "--db", db, "--since", "yesterday", check=False).returncode == 2


def test_an_id_stored_with_another_text_is_warned_of(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "wire-7", "text": "Peru denied that it had seized any Chilean boats."}\n')
    (tmp_path / "b.jsonl").write_text('{"id": "wire-7", "text": "Chile said that Peru had seized two boats."}\n')
    cc("analyze", tmp_path / "a.jsonl", "--db", tmp_path / "s.duckdb", "-q")
    proc = cc("analyze", tmp_path / "b.jsonl", "--db", tmp_path / "s.duckdb")
    assert "'wire-7' is already stored with a different text" in proc.stderr


def test_a_request_that_cannot_be_is_one_error_line(db):
    for args in (("threads", "--status", "bogus"), ("threads", "--since", "yesterday"), ("search", "  "),
                 ("stance", "--claim", "", "--db", db)):
        proc = cc(*args, *(("--db", db) if args[0] != "stance" else ()), check=False)
        assert proc.returncode == 2 and proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
