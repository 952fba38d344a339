"""The embedded store: one DuckDB file. The article's contract record is kept whole (so exports are
exact) beside flat tables for querying; threads are recomputed over the whole store after each run."""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb

try:  # DuckDB's full-text-search extension, packaged as a wheel so that nothing is downloaded at run time.
    import duckdb_extension_fts
except ImportError:  # pragma: no cover - without it search falls back to substring matching
    duckdb_extension_fts = None

from ..models import Analysis, Thread
from ..threads.link import Mention, link
from ..threads.syndication import signature

SCHEMA_VERSION = 2
DEFAULT_DB = "counterclaim.duckdb"

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY, seq BIGINT, title VARCHAR, source_name VARCHAR, url VARCHAR, published DATE,
    language VARCHAR, path VARCHAR, analysed_at TIMESTAMP DEFAULT current_timestamp,
    minhash UINTEGER[], record VARCHAR, text VARCHAR);
CREATE TABLE IF NOT EXISTS attributions (
    id VARCHAR PRIMARY KEY, article_id VARCHAR, kind VARCHAR, cue_start INTEGER, cue_end INTEGER, cue VARCHAR,
    cue_lemma VARCHAR, source VARCHAR, content VARCHAR, speaker_name VARCHAR, speaker_role VARCHAR,
    speaker_actor VARCHAR, speaker_country VARCHAR, speaker_sector VARCHAR, speaker_via VARCHAR,
    stance VARCHAR, certainty VARCHAR, claim_id VARCHAR, confidence DOUBLE);
CREATE TABLE IF NOT EXISTS claims (
    id VARCHAR PRIMARY KEY, article_id VARCHAR, key VARCHAR, text VARCHAR, agent_name VARCHAR,
    agent_actor VARCHAR, predicate VARCHAR, recipient_name VARCHAR, recipient_actor VARCHAR, object VARCHAR,
    plover VARCHAR, cameo VARCHAR);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY, article_id VARCHAR, actor_name VARCHAR, actor VARCHAR, event VARCHAR, mode VARCHAR,
    recipient_name VARCHAR, recipient VARCHAR, cameo VARCHAR, quad_class INTEGER, goldstein DOUBLE,
    attribution_id VARCHAR, claim_id VARCHAR, sentence_start INTEGER, sentence_end INTEGER, context VARCHAR,
    background BOOLEAN);
CREATE TABLE IF NOT EXISTS threads (
    id VARCHAR PRIMARY KEY, key VARCHAR, claim VARCHAR, status VARCHAR, first_seen DATE, last_seen DATE,
    independent_sources INTEGER, articles INTEGER, actors VARCHAR, outlets VARCHAR, record VARCHAR);
CREATE TABLE IF NOT EXISTS thread_claims (thread_id VARCHAR, claim_id VARCHAR);
CREATE TABLE IF NOT EXISTS thread_days (thread_id VARCHAR, day DATE, attributions INTEGER);
"""


def where(*conditions: tuple[str, object]) -> tuple[str, list]:
    """' WHERE a AND b' and its parameters, from (condition, value) pairs; pairs whose value is empty are
    left out, and a tuple value fills several placeholders."""
    parts, args = [], []
    for condition, value in conditions:
        if value:
            parts.append(condition)
            args += list(value) if isinstance(value, tuple) else [value]
    return (" WHERE " + " AND ".join(parts)) if parts else "", args


def _insert(con, table: str, rows: list[list], chunk: int = 500) -> None:
    """Multi-row INSERT: one statement per chunk is far faster in DuckDB than executemany."""
    if not rows:
        return
    width = len(rows[0])
    one = "(" + ", ".join("?" * width) + ")"
    for i in range(0, len(rows), chunk):
        part = rows[i:i + chunk]
        con.execute(f"INSERT INTO {table} VALUES " + ", ".join([one] * len(part)), [v for r in part for v in r])


class SchemaError(RuntimeError):
    pass


def _load_fts(con) -> bool:
    """Load the full-text-search extension from its wheel; False where it is missing or will not load."""
    if duckdb_extension_fts is None:
        return False
    found = sorted(Path(duckdb_extension_fts.__file__).parent.glob(f"extensions/v{duckdb.__version__}/fts.duckdb_extension"))
    if not found:
        return False
    try:
        con.execute(f"LOAD '{found[0]}'")
    except duckdb.Error:
        return False
    return True


def _migrate(con, version: int) -> None:
    """Bring an older store up to SCHEMA_VERSION in place."""
    if version == 1:  # version 2: each article's text in a column (for the full-text index); events of fact
        con.execute("ALTER TABLE articles ADD COLUMN text VARCHAR")
        con.execute("UPDATE articles SET text = json_extract_string(record, '$.text')")
        con.execute("ALTER TABLE events ADD COLUMN context VARCHAR")
        con.execute("ALTER TABLE events ADD COLUMN background BOOLEAN DEFAULT false")
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])


class Store:
    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False):
        self.path = str(path)
        if read_only and not Path(self.path).exists():
            raise FileNotFoundError(f"no store at {self.path}: run `counterclaim analyze` first")
        self.con = duckdb.connect(self.path, read_only=read_only)
        self.full_text = _load_fts(self.con)
        if not read_only:
            row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() \
                if self._has_table("meta") else None
            if row is not None and int(row[0]) < SCHEMA_VERSION:
                _migrate(self.con, int(row[0]))
            elif row is not None and int(row[0]) != SCHEMA_VERSION:
                raise SchemaError(f"{self.path} has schema version {row[0]}; this counterclaim reads {SCHEMA_VERSION}")
            self.con.execute(_DDL)
            if row is None:
                self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])

    def _has_table(self, name: str) -> bool:
        return bool(self.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                                     [name]).fetchall()[0][0])

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing -----------------------------------------------------------------------------------

    def has(self, article_id: str) -> bool:
        return self.con.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    def save(self, analysis: Analysis) -> bool:
        """Store one analysed article; False (and nothing written) when it is already stored."""
        return self.save_many([analysis]) == 1

    def save_many(self, analyses: list[Analysis]) -> int:
        """Store a batch of analysed articles in one transaction (all or none, so a killed run leaves no
        half-stored article); articles already stored, or repeated in the batch, are skipped. Returns how
        many were stored."""
        ids = [x.article.id for x in analyses]
        if not ids:
            return 0
        known = {r[0] for r in self.con.execute(
            f"SELECT id FROM articles WHERE id IN ({', '.join('?' * len(ids))})", ids).fetchall()}
        batch, seen = [], set()
        for x in analyses:
            if x.article.id not in known and x.article.id not in seen:
                seen.add(x.article.id)
                batch.append(x)
        if not batch:
            return 0
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            seq = con.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]
            _insert(con, "articles (id, seq, title, source_name, url, published, language, path, minhash, record, text)",
                    [[x.article.id, seq + n, x.article.title, x.article.source_name, x.article.url, x.article.published,
                      x.article.language, x.article.path,
                      x.signature or (signature(x.article.text) if x.article.text.strip() else None),
                      json.dumps(x.to_dict(), ensure_ascii=False), x.article.text] for n, x in enumerate(batch, 1)])
            _insert(con, "attributions", [
                [t.id, x.article.id, t.kind, t.cue.start, t.cue.end, t.cue.text, t.cue_lemma,
                 t.source.text if t.source else None, " … ".join(c.text for c in t.content),
                 t.speaker.name, t.speaker.role, t.speaker.actor, t.speaker.country, t.speaker.sector,
                 t.speaker.via, t.stance, t.certainty, t.claim, t.confidence] for x in batch for t in x.attributions])
            _insert(con, "claims", [
                [c.id, x.article.id, c.key, c.text, c.agent.name, c.agent.actor, c.predicate,
                 c.recipient.name if c.recipient else None, c.recipient.actor if c.recipient else None,
                 c.object, (c.event or {}).get("plover"), (c.event or {}).get("cameo")] for x in batch for c in x.claims])
            _insert(con, "events", [
                [e.id, x.article.id, e.actor.name, e.actor.actor, e.event, e.mode,
                 e.recipient.name if e.recipient else None, e.recipient.actor if e.recipient else None,
                 e.cameo, e.quad_class, e.goldstein, e.attribution, e.claim, e.sentence[0], e.sentence[1],
                 ",".join(e.context), e.background]
                for x in batch for e in x.events])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        return len(batch)

    def refresh(self) -> list[Thread]:
        """After a run of saves: recompute the threads and the search index; returns the threads."""
        threads = self.relink()
        self.reindex()
        return threads

    def reindex(self) -> None:
        """Rebuild the full-text index over article titles and texts (DuckDB's index is not incremental)."""
        if self.full_text and self.con.execute("SELECT count(*) FROM articles").fetchall()[0][0]:
            self.con.execute("PRAGMA create_fts_index('articles', 'id', 'title', 'text', stemmer = 'porter', "
                             "stopwords = 'english', overwrite = 1)")

    def searchable(self) -> bool:
        """Whether full-text search can run: the extension loaded and an index built."""
        return self.full_text and bool(self.con.execute(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'fts_main_articles'").fetchall()[0][0])

    def relink(self) -> list[Thread]:
        """Recompute every thread from the claims in the store."""
        rows = self.con.execute("""
            SELECT x.id, x.article_id, a.published, a.seq, a.source_name, coalesce(x.speaker_name, x.speaker_role),
                   x.speaker_actor, x.speaker_country, x.speaker_sector, x.stance, x.certainty, x.cue_lemma,
                   c.id, c.key, c.text, substr(c.agent_actor, 1, 3), x.cue_start, c.plover,
                   concat_ws(' ', c.agent_name, c.recipient_name)
            FROM attributions x JOIN claims c ON c.id = x.claim_id JOIN articles a ON a.id = x.article_id
            WHERE c.agent_actor IS NOT NULL  -- a thread follows who did what; "the wreckage shows" is no story
        """).fetchall()
        mentions = [Mention(attribution=r[0], article=r[1], date=r[2].isoformat() if r[2] else None, order=r[3],
                            outlet=r[4], speaker=r[5], actor=r[6], country=r[7], sector=r[8], stance=r[9],
                            certainty=r[10], cue=r[11], claim_id=r[12], claim_key=r[13], claim_text=r[14],
                            agent_country=r[15], position=r[16], plover=r[17],
                            parties=r[18]) for r in rows]
        articles = {m.article for m in mentions}
        sigs = {}
        if articles:
            for aid, sig in self.con.execute("SELECT id, minhash FROM articles WHERE minhash IS NOT NULL").fetchall():
                if aid in articles:
                    sigs[aid] = list(sig)
        threads = link(mentions, sigs)
        claim_thread = {m.claim_id: m.thread for m in mentions}
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("DELETE FROM threads")
            con.execute("DELETE FROM thread_claims")
            con.execute("DELETE FROM thread_days")
            if threads:
                # actors and outlets are kept as delimited strings so filters run in SQL, not over JSON.
                _insert(con, "threads", [
                    [t.id, t.key, t.claim, t.status, (t.first_seen or {}).get("date"), t.last_seen,
                     t.independent_sources, len(t.articles),
                     " " + " ".join(s["actor"] for s in t.asserted_by + t.denied_by if s["actor"]) + " ",
                     "|" + "|".join(t.reported_by) + "|", json.dumps(t.to_dict(), ensure_ascii=False)]
                    for t in threads])
                _insert(con, "thread_claims", [[t, c] for c, t in claim_thread.items()])
                days = Counter((m.thread, m.date) for m in mentions if m.date)
                _insert(con, "thread_days", [[t, d, n] for (t, d), n in days.items()])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        return threads

    # --- reading -----------------------------------------------------------------------------------

    def article_record(self, article_id: str) -> dict | None:
        """The contract record of one article, with `thread` filled on its attributions."""
        row = self.con.execute("SELECT record FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            return None
        record = json.loads(row[0])
        threads = dict(self.con.execute(
            "SELECT tc.claim_id, tc.thread_id FROM thread_claims tc JOIN claims c ON c.id = tc.claim_id "
            "WHERE c.article_id = ?", [article_id]).fetchall())
        for x in record["attributions"]:
            x["thread"] = threads.get(x["claim"])
        return record

    def article_ids(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT id FROM articles ORDER BY seq").fetchall()]

    def records(self) -> Iterator[dict]:
        for aid in self.article_ids():
            yield self.article_record(aid)

    def find_article(self, prefix: str) -> str | None:
        rows = self.con.execute("SELECT id FROM articles WHERE id = ? OR id LIKE ? ORDER BY seq LIMIT 2",
                                [prefix, prefix + "%"]).fetchall()
        exact = [r[0] for r in rows if r[0] == prefix]
        return exact[0] if exact else (rows[0][0] if len(rows) == 1 else None)

    def threads(self, status: str | None = None, actor: str | None = None, since: str | None = None,
                until: str | None = None, outlet: str | None = None) -> list[dict]:
        return self.thread_page(status, actor, since, until, outlet)[1]

    def thread_page(self, status: str | None = None, actor: str | None = None, since: str | None = None,
                    until: str | None = None, outlet: str | None = None, limit: int | None = None,
                    offset: int = 0) -> tuple[int, list[dict]]:
        """(how many threads match, the matching threads from offset on), most recently seen first.
        actor matches a side's code by prefix (PRK matches PRKGOV); since/until bound last and first seen."""
        cond, args = where(("status = ?", status),
                           ("actors LIKE ?", actor and f"% {actor.upper()}%"),
                           ("last_seen >= CAST(? AS DATE)", since),
                           ("first_seen <= CAST(? AS DATE)", until),
                           ("outlets LIKE ?", outlet and f"%|{outlet}|%"))
        total = self.con.execute(f"SELECT count(*) FROM threads{cond}", args).fetchone()[0]
        page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
        rows = self.con.execute(f"SELECT record FROM threads{cond} ORDER BY last_seen DESC NULLS LAST, id{page}",
                                args).fetchall()
        return total, [json.loads(r[0]) for r in rows]

    def thread(self, thread_id: str) -> dict | None:
        row = self.con.execute("SELECT record FROM threads WHERE id = ?", [thread_id]).fetchone()
        return json.loads(row[0]) if row else None

    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "attributions", "claims", "events", "threads")}
