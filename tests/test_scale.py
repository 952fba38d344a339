"""Feeds, WARC archives, several workers, and runs that are killed and resumed."""
import json
import os
import signal
import subprocess
import sys
import time
from io import BytesIO

import duckdb
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from counterclaim.ingest import Rejected, iter_articles
from conftest import EXAMPLES

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour Wire</title>
<item><title>Tehran denies drone deliveries</title><link>https://harbourwire.example/1</link>
<pubDate>Tue, 18 Oct 2022 09:00:00 GMT</pubDate>
<description>&lt;p&gt;Iran's foreign ministry said on Tuesday that it had never sent drones to Russia.&lt;/p&gt;&lt;p&gt;"These reports are baseless," the spokesman said.&lt;/p&gt;</description></item>
<item><title>Empty</title><link>https://harbourwire.example/2</link><description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Baltic Observer</title>
<entry><title>Moscow rejects hacking claim</title><link href="https://balticobserver.example/a"/>
<updated>2023-03-04T10:00:00Z</updated>
<content type="html">&lt;p&gt;Russia denied that its intelligence services attacked Britain's electoral commission.&lt;/p&gt;</content></entry>
</feed>"""

PAGE = """<html><head><title>Kyiv says drones came from Iran | Gulf Ledger</title>
<meta property="og:site_name" content="Gulf Ledger"></head><body><nav>Home | World</nav><article>
<h1>Kyiv says drones came from Iran</h1>
<p>Ukraine's foreign ministry said on Tuesday that the drones which struck Kyiv had been made in Iran and
supplied to Russia in the summer.</p><p>Iranian officials denied that Tehran had sent any weapons to Moscow.</p>
</article><footer>All rights reserved</footer></body></html>"""


def write_warc(path, pages):
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, date, html in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
            rec = writer.create_warc_record(url, "response", payload=BytesIO(html.encode("utf-8")), http_headers=headers,
                                            warc_headers_dict={"WARC-Date": date})
            writer.write_record(rec)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record("https://x.example/logo.png", "response",
                                                      payload=BytesIO(b"\x89PNG"), http_headers=headers))


def test_rss_and_atom_feeds(tmp_path):
    (tmp_path / "wire.rss").write_text(RSS)
    (tmp_path / "observer.atom").write_text(ATOM)
    items = list(iter_articles([tmp_path]))
    articles = [i for i in items if not isinstance(i, Rejected)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    by_title = {a.title: a for a in articles}
    rss = by_title["Tehran denies drone deliveries"]
    assert rss.source_name == "Harbour Wire" and rss.url == "https://harbourwire.example/1"
    assert rss.published == "2022-10-18"
    assert rss.text.startswith("Iran's foreign ministry said") and "\n\n" in rss.text and "<p>" not in rss.text
    atom = by_title["Moscow rejects hacking claim"]
    assert atom.source_name == "Baltic Observer" and atom.published == "2023-03-04"
    assert [r.reason for r in rejected] == ["feed entry has no text"]


def test_warc_html_responses_with_url_and_date(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, [("https://gulfledger.example/kyiv-drones", "2022-10-18T08:00:00Z", PAGE)])
    [article] = list(iter_articles([path]))
    assert article.url == "https://gulfledger.example/kyiv-drones"
    assert article.published == "2022-10-18"
    assert article.source_name == "Gulf Ledger"
    assert "made in Iran" in article.text and "All rights reserved" not in article.text


def test_damaged_archive_is_reported(tmp_path):
    path = tmp_path / "broken.warc.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00 not really gzip")
    items = list(iter_articles([path]))
    assert items and all(isinstance(i, Rejected) for i in items)
    assert "damaged archive" in items[0].reason


def cc(*args, **kw):
    return subprocess.run([sys.executable, "-m", "counterclaim.cli.main", *map(str, args)], capture_output=True,
                          text=True, **kw)


def test_two_workers_give_the_same_output_as_one(tmp_path):
    one = cc("analyze", EXAMPLES, "--db", tmp_path / "one.duckdb", "--jsonl", tmp_path / "one.jsonl", "--workers", 1, "-q")
    two = cc("analyze", EXAMPLES, "--db", tmp_path / "two.duckdb", "--jsonl", tmp_path / "two.jsonl", "--workers", 2, "-q")
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert (tmp_path / "one.jsonl").read_text() == (tmp_path / "two.jsonl").read_text()


def test_batches_analysed_here_and_in_a_child_come_back_in_input_order():
    from counterclaim.pipeline import analyze_many, analyze_parallel

    articles = [a for a in iter_articles([EXAMPLES]) if not isinstance(a, Rejected)][:10]
    # One article a batch: while the child loads its models, this process analyses the batches after the
    # child's two, so both kinds of batch are interleaved.
    both = list(analyze_parallel(iter(articles), workers=2, batch_size=1))
    alone = list(analyze_many(articles))
    assert [x.article.id for x in both] == [a.id for a in articles]
    assert [x.to_dict() for x in both] == [x.to_dict() for x in alone]


def test_killed_run_resumes_with_every_article_stored_once(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    base = [a.text for a in iter_articles([EXAMPLES]) if not isinstance(a, Rejected)]
    n = 120
    for i in range(n):
        (folder / f"{i:04d}.txt").write_text(f"Bulletin {i}.\n\n" + base[i % len(base)])
    db = tmp_path / "run.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "counterclaim.cli.main", "analyze", str(folder), "--db", str(db),
                             "--workers", "1", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    # Kill it hard right after its first batch commits: the writer holds DuckDB's lock, so watch the
    # write-ahead log grow past the few KB the schema takes.
    wal = db.with_name(db.name + ".wal")
    deadline = time.time() + 180
    while time.time() < deadline and proc.poll() is None and not (wal.exists() and wal.stat().st_size > 50_000):
        time.sleep(0.1)
    # The log grows while a commit is written: a kill in the middle of it leaves that transaction out.
    # Half a second lets the first one finish (a batch of articles takes seconds to analyse, so the run is
    # still far from done).
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    con = duckdb.connect(str(db), read_only=True)
    at_kill = con.execute("select count(*) from articles").fetchone()[0]
    con.close()
    assert 0 < at_kill < n, at_kill  # killed mid-run, with some work committed
    resumed = cc("analyze", folder, "--db", db, "--workers", "1")
    assert resumed.returncode == 0, resumed.stderr
    con = duckdb.connect(str(db), read_only=True)
    total, distinct = con.execute("select count(*), count(distinct id) from articles").fetchone()
    orphans = con.execute("select count(*) from attributions where article_id not in (select id from articles)").fetchone()[0]
    con.close()
    assert total == distinct == n
    assert orphans == 0
    assert "already in the store" in resumed.stderr


def test_ray_engine_matches_the_local_engine_and_loads_from_parquet(tmp_path):
    local = cc("analyze", EXAMPLES, "--db", tmp_path / "local.duckdb", "--jsonl", tmp_path / "local.jsonl", "-q")
    assert local.returncode == 0, local.stderr
    parts = tmp_path / "parts"
    on_ray = cc("analyze", EXAMPLES, "--db", tmp_path / "ray.duckdb", "--jsonl", tmp_path / "ray.jsonl",
                "--engine", "ray", "--workers", 2, "--parquet", parts, "-q", env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"},
                timeout=600)
    assert on_ray.returncode == 0, on_ray.stderr[-3000:]
    assert (tmp_path / "ray.jsonl").read_text() == (tmp_path / "local.jsonl").read_text()
    assert list(parts.glob("*.parquet"))
    # The partitions load into another store on their own, threads included.
    loaded = cc("load", parts, "--db", tmp_path / "loaded.duckdb")
    assert loaded.returncode == 0, loaded.stderr
    threads = json.loads(cc("threads", "--db", tmp_path / "loaded.duckdb", "--json").stdout)
    local_threads = json.loads(cc("threads", "--db", tmp_path / "local.duckdb", "--json").stdout)
    assert threads == local_threads
