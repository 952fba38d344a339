"""The embedded store: one DuckDB file. The article's contract record is kept whole (so exports are
exact) beside flat tables for querying. The store only stores: linking (threads/relink.py) reads and
writes the threads through the methods below, and every statement runs under the store's own lock, so
one store can serve a web app's requests and a watcher's rounds from several threads."""
from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

try:  # DuckDB's full-text-search extension, packaged as a wheel so that nothing is downloaded at run time.
    import duckdb_extension_fts
except ImportError:  # pragma: no cover - without it search falls back to substring matching
    duckdb_extension_fts = None


from ..models import Analysis, Failure, Thread

SCHEMA_VERSION = 10
DEFAULT_DB = "counterclaim.duckdb"
ARROW_ROWS = 64  # from this many rows an insert goes through Arrow

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY, seq BIGINT, title VARCHAR, source_name VARCHAR, url VARCHAR, published DATE,
    language VARCHAR, path VARCHAR, analysed_at TIMESTAMP DEFAULT current_timestamp,
    minhash UINTEGER[], record VARCHAR, text VARCHAR, linked BOOLEAN DEFAULT false, origin VARCHAR);
CREATE TABLE IF NOT EXISTS attributions (
    id VARCHAR PRIMARY KEY, article_id VARCHAR, kind VARCHAR, cue_start INTEGER, cue_end INTEGER, cue VARCHAR,
    cue_lemma VARCHAR, source VARCHAR, content VARCHAR, speaker_name VARCHAR, speaker_role VARCHAR,
    speaker_actor VARCHAR, speaker_country VARCHAR, speaker_sector VARCHAR, speaker_via VARCHAR,
    stance VARCHAR, certainty VARCHAR, claim_id VARCHAR, confidence DOUBLE, thread_stance VARCHAR);
CREATE TABLE IF NOT EXISTS claims (
    id VARCHAR PRIMARY KEY, article_id VARCHAR, text VARCHAR, agent_name VARCHAR,
    agent_actor VARCHAR, predicate VARCHAR, recipient_name VARCHAR, recipient_actor VARCHAR, object VARCHAR,
    plover VARCHAR, cameo VARCHAR, voice VARCHAR, checkable BOOLEAN, negated BOOLEAN, keys VARCHAR[],
    subject VARCHAR[], vector BLOB, outlet_stance VARCHAR, outlet_certainty VARCHAR, position INTEGER,
    thread_id VARCHAR, answer BOOLEAN, score DOUBLE, done BOOLEAN DEFAULT false, whole BOOLEAN DEFAULT true,
    lingual BLOB);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY, article_id VARCHAR, actor_name VARCHAR, actor VARCHAR, event VARCHAR, mode VARCHAR,
    recipient_name VARCHAR, recipient VARCHAR, cameo VARCHAR, quad_class INTEGER, goldstein DOUBLE,
    attribution_id VARCHAR, claim_id VARCHAR, sentence_start INTEGER, sentence_end INTEGER, context VARCHAR,
    background BOOLEAN);
CREATE TABLE IF NOT EXISTS threads (
    id VARCHAR PRIMARY KEY, claim VARCHAR, status VARCHAR, first_seen DATE, last_seen DATE,
    independent_sources INTEGER, articles INTEGER, actors VARCHAR, outlets VARCHAR, record VARCHAR,
    shown BOOLEAN, centroid BLOB, context VARCHAR, n INTEGER, keys VARCHAR, subject VARCHAR, agent_country VARCHAR,
    events VARCHAR, docs INTEGER, story VARCHAR, voices VARCHAR, speakers VARCHAR, lingual BLOB, label VARCHAR);
CREATE TABLE IF NOT EXISTS word_df (word VARCHAR PRIMARY KEY, n INTEGER);
CREATE TABLE IF NOT EXISTS minhash_bands (key BIGINT, article_id VARCHAR);
CREATE TABLE IF NOT EXISTS thread_keys (thread_id VARCHAR, key VARCHAR);
CREATE TABLE IF NOT EXISTS thread_claims (thread_id VARCHAR, claim_id VARCHAR);
CREATE TABLE IF NOT EXISTS thread_days (thread_id VARCHAR, day DATE, attributions INTEGER);
CREATE TABLE IF NOT EXISTS status_changes (
    seq BIGINT, thread_id VARCHAR, position INTEGER, date DATE, from_status VARCHAR, to_status VARCHAR,
    because VARCHAR, article_id VARCHAR, speaker VARCHAR, actor VARCHAR, stance VARCHAR, outlet VARCHAR,
    recorded_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS failures (
    id VARCHAR PRIMARY KEY, path VARCHAR, title VARCHAR, stage VARCHAR, error VARCHAR, trace VARCHAR,
    failed_at TIMESTAMP);
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


def insert_rows(con, table: str, rows: list[list], chunk: int = 500) -> None:
    """Insert rows: a large batch as one Arrow table (ten times faster in DuckDB than parameters), a small
    one, or one Arrow cannot type (mixed values in a column), as multi-row INSERTs."""
    if not rows:
        return
    width = len(rows[0])
    if len(rows) >= ARROW_ROWS:
        try:
            batch = pa.table({f"c{i}": list(column) for i, column in enumerate(zip(*rows))})
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            batch = None
        if batch is not None:
            con.register("_insert_rows", batch)
            try:
                con.execute(f"INSERT INTO {table} SELECT * FROM _insert_rows")
            finally:
                con.unregister("_insert_rows")
            return
    one = "(" + ", ".join("?" * width) + ")"
    for i in range(0, len(rows), chunk):
        part = rows[i:i + chunk]
        con.execute(f"INSERT INTO {table} VALUES " + ", ".join([one] * len(part)), [v for r in part for v in r])


def _temp_ids(con, name: str, values, column: str = "id") -> None:
    """A temporary one-column table of these values, for a statement to join on (a long IN list is slow)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({column} VARCHAR)")
    insert_rows(con, name, [[v] for v in values])


def vector_bytes(v) -> bytes | None:
    """A claim vector as stored: float16 (768 bytes; 1,024 for a multilingual one), ample for cosine similarity."""
    return None if v is None else np.asarray(v, dtype=np.float16).tobytes()


def vector_of(b: bytes | None) -> np.ndarray | None:
    return None if b is None else np.frombuffer(b, dtype=np.float16).astype(np.float32)


@dataclass
class Links:
    """What one relink writes: claims joined to threads (id, thread, answer, score), the articles now
    linked (None: all that were not), words counted and documents, each changed thread's linking state and
    record (None when not shown), new thread keys, threads hidden, claim memberships, attributions per day,
    stances toward the thread, status histories, and whether everything was linked from scratch."""

    changed: list[str]
    claims: list[list]
    articles: list[str] | None
    words: dict[str, int]
    documents: int
    threads: list[tuple[dict, dict | None]]
    keys: list[list]
    hidden: list[str]
    members: list[list]
    days: list[list]
    stances: list[list]
    histories: dict[str, list[dict]]
    full: bool = False


def _thread_row(state: dict, t: dict | None) -> list:
    """A threads row: the linking state always, the record (and the columns filters use) when shown."""
    common = [vector_bytes(state["centroid"]), json.dumps(state["context"]), state["n"], json.dumps(state["keys"]),
              json.dumps(state["subject"]), state["agent_country"], json.dumps(state["events"]), state["docs"],
              state["story_id"], json.dumps(state["voices"])]
    tail = [vector_bytes(state["lingual"]), state["label"]]
    if t is None:
        return [state["id"], None, None, state["first"], state["last"], 0, 0, None, None, None, False] + common + [None] + tail
    sides = t["asserted_by"] + t["denied_by"]
    return [t["id"], t["claim"], t["status"], (t["first_seen"] or {}).get("date"), t["last_seen"],
            t["independent_sources"], len(t["articles"]), " " + " ".join(s["actor"] for s in sides if s["actor"]) + " ",
            "|" + "|".join(t["reported_by"]) + "|", json.dumps(t, ensure_ascii=False), True] + common + [_speakers(t)] + tail


def _speakers(t: dict) -> str:
    """The names on the thread's sides, "|"-joined, for the speaker filter."""
    return "|" + "|".join(dict.fromkeys(n for s in t["asserted_by"] + t["denied_by"] for n in s["names"])) + "|"


# Orders of the threads list; the status order puts open disputes first.
STATUS_ORDER = ("disputed", "unverified", "confirmed", "refuted", "retracted")
THREAD_ORDERS = {
    "last_seen": "last_seen DESC NULLS LAST, id",
    "sources": "independent_sources DESC, last_seen DESC NULLS LAST, id",
    "status": "CASE status " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STATUS_ORDER))
              + f" ELSE {len(STATUS_ORDER)} END, last_seen DESC NULLS LAST, id",
}


def _thread_fields(d: dict) -> dict:
    return {k: d[k] for k in ("id", "claim", "status", "status_history", "first_seen", "asserted_by", "denied_by",
                              "reported_by", "articles", "independent_sources", "last_seen")}


def _record_changes(con, histories: dict[str, list[dict]]) -> int:
    """Keep the status changes of these threads (their status histories as just rewritten) in
    status_changes. A change already recorded keeps its number and the time it was first recorded, so
    "what changed" is what is new to the store; one no longer in its thread's history (a late article
    dated earlier moved it) is dropped. Returns how many changes are new. Call inside a transaction."""
    if not histories:
        return 0
    _temp_ids(con, "history_threads", histories)
    kept = {(r[0], r[1].isoformat() if r[1] else None, r[2], r[3], r[4]): (r[5], r[6]) for r in con.execute(
        "SELECT thread_id, date, from_status, to_status, because, seq, recorded_at FROM status_changes "
        "WHERE thread_id IN (SELECT id FROM history_threads)").fetchall()}
    seq = con.execute("SELECT coalesce(max(seq), 0) FROM status_changes").fetchone()[0]  # numbers never reused
    con.execute("DELETE FROM status_changes WHERE thread_id IN (SELECT id FROM history_threads)")
    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)  # kept as UTC
    rows, new = [], 0
    for tid, history in histories.items():
        before = None
        for position, h in enumerate(history):
            key = (tid, h.get("date"), before, h["status"], h.get("because"))
            number, recorded = kept.get(key, (None, None))
            if number is None:
                seq, new = seq + 1, new + 1
                number, recorded = seq, now
            rows.append([number, tid, position, h.get("date"), before, h["status"], h.get("because"), recorded])
            before = h["status"]
    insert_rows(con, "status_changes (seq, thread_id, position, date, from_status, to_status, because, "
                     "recorded_at)", rows)
    # Who and where: an attribution's speaker, or the outlet whose own words (a claim id) made the change.
    con.execute("""UPDATE status_changes SET article_id = x.article_id, speaker = coalesce(x.speaker_name, x.speaker_role),
                   actor = x.speaker_actor, stance = coalesce(x.thread_stance, x.stance), outlet = a.source_name
                   FROM attributions x JOIN articles a ON a.id = x.article_id
                   WHERE status_changes.because = x.id AND status_changes.article_id IS NULL""")
    con.execute("""UPDATE status_changes SET article_id = c.article_id, speaker = a.source_name, stance = c.outlet_stance,
                   outlet = a.source_name
                   FROM claims c JOIN articles a ON a.id = c.article_id
                   WHERE status_changes.because = c.id AND status_changes.article_id IS NULL""")
    return new


class SchemaError(RuntimeError):
    pass


class StoreLocked(RuntimeError):
    """The store file is held by another process (DuckDB has one writer per file, and no reader beside a
    writer). The message names the process and says what to do instead."""

    def __init__(self, path: str, detail: str):
        found = re.search(r"held in (.+?) \(PID (\d+)\)", detail)
        self.pid = int(found.group(2)) if found else None
        self.program = found.group(1) if found else None
        self.path = path
        who = f"process {self.pid} ({_command_line(self.pid) or self.program})" if found else "another process"
        super().__init__(
            f"{path} is in use by {who}: stop it, or let the server do the work: send the files to its ingest "
            f"(POST /api/ingest/file or the /ingest page, with --token), or have it watch them (serve --watch)")


_SECRET = re.compile(r"--(?:token|password|secret|api[-_]?key)(=.*)?$", re.IGNORECASE)


def redact(words: list[str]) -> list[str]:
    """A command line with the value of each secret option (--token S, --token=S) shown as ***."""
    out, hide = [], False
    for w in words:
        m = _SECRET.match(w)
        out.append("***" if hide else (w[:m.start(1)] + "=***" if m and m.group(1) else w))
        hide = bool(m) and not m.group(1)
    return out


def _command_line(pid: int | None) -> str | None:
    """The holder's command line, where this system shows it (Linux's /proc), so the user knows which of
    their terminals holds the store."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    words = redact([w for w in raw.decode("utf-8", "replace").split("\0") if w])
    if len(words) >= 3 and words[1] == "-m":  # python -m counterclaim.cli.main serve ...: say it as typed
        words = [words[2].split(".")[0]] + words[3:]
    elif words and words[0].endswith(("/python", "python3", "python3.11")) and len(words) > 1:
        words = words[1:]
    return " ".join([Path(words[0]).name] + words[1:]) if words else None


def _connect(path: str, read_only: bool):
    try:
        return duckdb.connect(path, read_only=read_only)
    except duckdb.IOException as e:
        if "Could not set lock" in str(e):
            raise StoreLocked(path, str(e)) from None
        raise


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
        version = 2
    if version == 2:  # version 3: claims by meaning, linked incrementally; the old threads are relinked
        for column in ("voice VARCHAR", "checkable BOOLEAN DEFAULT true", "negated BOOLEAN DEFAULT false",
                       "keys VARCHAR[]", "subject VARCHAR[]", "vector BLOB", "outlet_stance VARCHAR",
                       "outlet_certainty VARCHAR", "position INTEGER", "thread_id VARCHAR", "answer BOOLEAN",
                       "score DOUBLE"):
            con.execute(f"ALTER TABLE claims ADD COLUMN {column}")
        con.execute("UPDATE claims SET voice = 'attribution'")
        for column in ("shown BOOLEAN", "centroid BLOB", "context VARCHAR", "n INTEGER", "keys VARCHAR",
                       "subject VARCHAR", "agent_country VARCHAR", "events VARCHAR", "docs INTEGER", "story VARCHAR"):
            con.execute(f"ALTER TABLE threads ADD COLUMN {column}")
        con.execute("ALTER TABLE attributions ADD COLUMN thread_stance VARCHAR")
        con.execute("ALTER TABLE articles ADD COLUMN linked BOOLEAN DEFAULT false")
        con.execute("DELETE FROM threads")
        con.execute("DELETE FROM thread_claims")
        con.execute("DELETE FROM thread_days")
        # Keys and vectors of the old claims are made on the first relink (claim texts are encoded then).
        version = 3
    if version == 3:  # version 4: status changes as data; those of the threads already there, recorded now
        con.execute(_DDL)
        records = {tid: json.loads(r) for tid, r in con.execute("SELECT id, record FROM threads WHERE shown").fetchall()}
        if records:
            _record_changes(con, {tid: rec["status_history"] for tid, rec in records.items()})
        version = 4
    if version == 4:  # version 5: each article's origin (syndicated copies) kept, found by MinHash bands
        # The next relink places every article without an origin among its copies (threads/relink.py).
        con.execute("ALTER TABLE articles ADD COLUMN IF NOT EXISTS origin VARCHAR")
        con.execute(_DDL)
    if version <= 5:  # version 6: who has answered for a thread's party, kept for the next batch
        con.execute("ALTER TABLE threads ADD COLUMN IF NOT EXISTS voices VARCHAR")
    if version <= 6:  # version 7: the predicate key retired (threads link by meaning); failed articles kept
        con.execute("ALTER TABLE claims DROP COLUMN IF EXISTS key")
        con.execute("ALTER TABLE threads DROP COLUMN IF EXISTS key")
        con.execute(_DDL)
    if version <= 7:  # version 8: an outlet's claim told as done (an event it reports, not a repetition)
        con.execute("ALTER TABLE claims ADD COLUMN IF NOT EXISTS done BOOLEAN DEFAULT false")
        # The names on each thread's sides, for the speaker filter, filled from the records already there.
        con.execute("ALTER TABLE threads ADD COLUMN IF NOT EXISTS speakers VARCHAR")
        con.execute("CREATE OR REPLACE TEMP TABLE thread_speakers (id VARCHAR, speakers VARCHAR)")
        insert_rows(con, "thread_speakers", [[tid, _speakers(json.loads(r))] for tid, r in con.execute(
            "SELECT id, record FROM threads WHERE shown AND record IS NOT NULL").fetchall()])
        con.execute("UPDATE threads SET speakers = s.speakers FROM thread_speakers s WHERE threads.id = s.id")
    if version <= 8:  # version 9: whether a claim's text reads as a sentence on its own (a thread shows one that does)
        con.execute("ALTER TABLE claims ADD COLUMN IF NOT EXISTS whole BOOLEAN DEFAULT true")
    if version <= 9:  # version 10: claims in other languages, read across languages by the multilingual encoder
        con.execute("ALTER TABLE claims ADD COLUMN IF NOT EXISTS lingual BLOB")
        con.execute("ALTER TABLE threads ADD COLUMN IF NOT EXISTS lingual BLOB")
        # A thread's first claim, read by the multilingual encoder when a claim in another language meets it;
        # the threads already there offer their shown claim.
        con.execute("ALTER TABLE threads ADD COLUMN IF NOT EXISTS label VARCHAR")
        con.execute("UPDATE threads SET label = claim")
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])



def _locked(method):
    """Run the method under the store's lock: one DuckDB connection, taken in turns by every thread."""
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)
    return run


class Store:
    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False):
        self.path = str(path)
        self.read_only = read_only
        self.new_changes = 0  # status changes the last relink recorded
        # Reentrant, so that a writer (a relink, a batch) holds it across several calls and still calls them.
        self.lock = threading.RLock()
        if read_only and not Path(self.path).exists():
            raise FileNotFoundError(f"no store at {self.path}: run `counterclaim analyze` first")
        self.con = _connect(self.path, read_only)
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

    @_locked
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @_locked
    def query(self, sql: str, args: list | None = None) -> list[tuple]:
        """The rows of one read-only statement (for queries.py, exports and evaluations)."""
        return self.con.execute(sql, args or []).fetchall()

    @_locked
    def query_with_ids(self, ids: list[str], sql: str, args: list | None = None) -> list[tuple]:
        """The rows of a statement that reads the temporary table `given_ids (id)`, filled with `ids`."""
        _temp_ids(self.con, "given_ids", ids)
        return self.con.execute(sql, args or []).fetchall()

    @contextmanager
    def transaction(self):
        """All or nothing, and no other thread's statement in between."""
        with self.lock:
            self.con.execute("BEGIN TRANSACTION")
            try:
                yield self.con
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise

    # --- writing articles ----------------------------------------------------------------------------

    @_locked
    def has(self, article_id: str) -> bool:
        return self.con.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    @_locked
    def text_of(self, article_id: str) -> str | None:
        row = self.con.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
        return row[0] if row else None

    def save(self, analysis: Analysis) -> bool:
        """Store one analysed article; False (and nothing written) when it is already stored."""
        return self.save_many([analysis]) == 1

    @_locked
    def save_many(self, analyses: list[Analysis]) -> int:
        """Store a batch of analysed articles in one transaction (all or none, so a killed run leaves no
        half-stored article); articles already stored, or repeated in the batch, are skipped, and a stored
        article's earlier failure is forgotten. Returns how many were stored."""
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
        with self.transaction() as con:
            seq = con.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]
            insert_rows(con, "articles (id, seq, title, source_name, url, published, language, path, minhash, record, "
                             "text)",
                        [[x.article.id, seq + n, x.article.title, x.article.source_name, x.article.url,
                          x.article.published, x.article.language, x.article.path, x.signature,
                          json.dumps(x.to_dict(), ensure_ascii=False), x.article.text] for n, x in enumerate(batch, 1)])
            insert_rows(con, "attributions (id, article_id, kind, cue_start, cue_end, cue, cue_lemma, source, content, "
                             "speaker_name, speaker_role, speaker_actor, speaker_country, speaker_sector, speaker_via, "
                             "stance, certainty, claim_id, confidence)", [
                [t.id, x.article.id, t.kind, t.cue.start, t.cue.end, t.cue.text, t.cue_lemma,
                 t.source.text if t.source else None, " … ".join(c.text for c in t.content),
                 t.speaker.name, t.speaker.role, t.speaker.actor, t.speaker.country, t.speaker.sector,
                 t.speaker.via, t.stance, t.certainty, t.claim, t.confidence] for x in batch for t in x.attributions])
            insert_rows(con, "claims (id, article_id, text, agent_name, agent_actor, predicate, recipient_name, "
                             "recipient_actor, object, plover, cameo, voice, checkable, negated, keys, subject, "
                             "vector, outlet_stance, outlet_certainty, position, done, whole, lingual)", [
                [c.id, x.article.id, c.text, c.agent.name, c.agent.actor, c.predicate,
                 c.recipient.name if c.recipient else None, c.recipient.actor if c.recipient else None,
                 c.object, (c.event or {}).get("plover"), (c.event or {}).get("cameo"), c.voice, c.checkable,
                 c.negated, c.keys, list(c.subject), vector_bytes(c.vector),
                 c.stance if c.voice == "outlet" else None, c.certainty if c.voice == "outlet" else None,
                 c.mentions[0].start if c.mentions else -1, c.done, c.whole, vector_bytes(c.lingual)]
                for x in batch for c in x.claims])
            insert_rows(con, "events", [
                [e.id, x.article.id, e.actor.name, e.actor.actor, e.event, e.mode,
                 e.recipient.name if e.recipient else None, e.recipient.actor if e.recipient else None,
                 e.cameo, e.quad_class, e.goldstein, e.attribution, e.claim, e.sentence[0], e.sentence[1],
                 ",".join(e.context), e.background]
                for x in batch for e in x.events])
            # Its earlier failure, kept by its id, or by where it was read from where the reader broke on it.
            gone = [x.article.id for x in batch] + [x.article.path for x in batch if x.article.path]
            con.execute(f"DELETE FROM failures WHERE id IN ({', '.join('?' * len(gone))})", gone)
        return len(batch)

    # --- failed articles -----------------------------------------------------------------------------

    @_locked
    def record_failure(self, failure: Failure) -> None:
        """Keep an article that could not be analysed, stored or linked, with why: the next run that meets
        it tries it again (it is not stored, so nothing skips it), and `counterclaim failures` lists it."""
        self.con.execute("INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [failure.article, failure.path, failure.title, failure.stage, failure.error, failure.trace,
                          datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)])

    @_locked
    def failures(self) -> list[Failure]:
        if not self._has_table("failures"):  # an older store opened read-only, not migrated
            return []
        return [Failure(article=r[0], path=r[1], title=r[2], stage=r[3], error=r[4], trace=r[5] or "",
                        at=r[6].isoformat() if r[6] else None)
                for r in self.con.execute("SELECT id, path, title, stage, error, trace, failed_at FROM failures "
                                          "ORDER BY failed_at DESC, id").fetchall()]

    @_locked
    def remove(self, article_ids: list[str]) -> None:
        """Take articles not yet linked out of the store, with everything analysed from them (an article
        that cannot be linked is kept as failed instead, to be tried again)."""
        if not article_ids:
            return
        with self.transaction() as con:
            con.execute("CREATE OR REPLACE TEMP TABLE removed_articles AS SELECT id FROM articles WHERE NOT linked "
                        "AND id IN (SELECT unnest(?::VARCHAR[]))", [list(article_ids)])
            for table in ("attributions", "claims", "events"):
                con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT id FROM removed_articles)")
            con.execute("DELETE FROM minhash_bands WHERE article_id IN (SELECT id FROM removed_articles)")
            con.execute("DELETE FROM articles WHERE id IN (SELECT id FROM removed_articles)")
            con.execute("UPDATE articles SET origin = NULL WHERE origin IN (SELECT id FROM removed_articles)")

    # --- the full-text index -------------------------------------------------------------------------

    @_locked
    def reindex(self) -> None:
        """Rebuild the full-text index over article titles and texts (DuckDB's index is not incremental)."""
        if self.full_text and self.con.execute("SELECT count(*) FROM articles").fetchall()[0][0]:
            self.con.execute("PRAGMA create_fts_index('articles', 'id', 'title', 'text', stemmer = 'porter', "
                             "stopwords = 'english', overwrite = 1)")

    @_locked
    def searchable(self) -> bool:
        """Whether full-text search can run: the extension loaded and an index built."""
        return self.full_text and bool(self.con.execute(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'fts_main_articles'").fetchall()[0][0])

    # --- what linking reads and writes (threads/relink.py holds the rules) -----------------------------

    @_locked
    def unplaced(self, articles: list[str] | None = None) -> list[str]:
        """The articles not yet placed among their copies (of these, where given), in the order stored."""
        return [r[0] for r in self._with_articles(articles, "SELECT id FROM articles WHERE origin IS NULL{only} "
                                                            "ORDER BY seq")]

    @_locked
    def signatures(self, article_ids: list[str]) -> list[tuple[str, list[int] | None, str | None]]:
        """(id, MinHash signature, text where there is no signature yet) of these articles, in store order."""
        return [(r[0], list(r[1]) if r[1] is not None else None, r[2]) for r in self.query_with_ids(
            article_ids, "SELECT id, minhash, CASE WHEN minhash IS NULL THEN text END FROM articles "
                         "WHERE id IN (SELECT id FROM given_ids) ORDER BY seq")]

    @_locked
    def place(self, signatures: dict[str, list[int]], bands: list[tuple[int, str]], join) -> None:
        """Give these articles their origin among their copies: `bands`, their MinHash band keys, are
        stored, and `join(signatures, known origins, pairs)` (threads/syndication.join_copies) clusters them
        with the stored articles they share a band with; a stored cluster joined to a lesser id is relabelled."""
        con = self.con
        with self.transaction():
            con.execute("CREATE OR REPLACE TEMP TABLE signed (id VARCHAR, minhash UINTEGER[])")
            insert_rows(con, "signed", [[aid, sig] for aid, sig in signatures.items()])
            con.execute("UPDATE articles SET minhash = s.minhash FROM signed s WHERE articles.id = s.id "
                        "AND articles.minhash IS NULL")
            insert_rows(con, "minhash_bands", [[k, aid] for k, aid in bands])
            pairs = con.execute("""
                SELECT DISTINCT n.article_id, b.article_id FROM minhash_bands n JOIN minhash_bands b
                    ON b.key = n.key AND b.article_id <> n.article_id
                WHERE n.article_id IN (SELECT id FROM signed)""").fetchall()
            stored = {b for _, b in pairs if b not in signatures}
            everything, known = dict(signatures), {}
            if stored:
                _temp_ids(con, "stored_copies", stored)
                for aid, sig, origin in con.execute("SELECT id, minhash, coalesce(origin, id) FROM articles "
                                                    "WHERE id IN (SELECT id FROM stored_copies)").fetchall():
                    everything[aid], known[aid] = list(sig), origin
            placed, moved = join(everything, known, pairs)
            con.execute("CREATE OR REPLACE TEMP TABLE placed_copies (id VARCHAR, origin VARCHAR)")
            insert_rows(con, "placed_copies", [[a, o] for a, o in placed.items()])
            con.execute("UPDATE articles SET origin = p.origin FROM placed_copies p WHERE articles.id = p.id")
            for old, least in moved.items():
                con.execute("UPDATE articles SET origin = ? WHERE origin = ?", [least, old])

    @_locked
    def unlink_all(self) -> None:
        """Forget every thread, to link everything again from scratch."""
        con = self.con
        con.execute("UPDATE articles SET linked = false")
        con.execute("UPDATE claims SET thread_id = NULL, answer = NULL, score = NULL")
        con.execute("UPDATE attributions SET thread_stance = NULL")
        for table in ("threads", "thread_keys", "thread_claims", "thread_days", "word_df"):
            con.execute(f"DELETE FROM {table}")
        con.execute("DELETE FROM meta WHERE key = 'linked_documents'")

    @_locked
    def forget_changes_of_gone_threads(self) -> None:
        """Status changes of threads that are no more (after linking from scratch)."""
        self.con.execute("DELETE FROM status_changes WHERE thread_id NOT IN (SELECT id FROM threads WHERE shown)")

    @_locked
    def unlinked_articles(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT id FROM articles WHERE NOT linked ORDER BY seq").fetchall()]

    @_locked
    def unlinked_texts(self, articles: list[str] | None = None) -> dict[str, str]:
        return dict(self._with_articles(articles, "SELECT id, text FROM articles WHERE NOT linked{only}"))

    def _with_articles(self, articles: list[str] | None, sql: str, column: str = "id") -> list[tuple]:
        """Rows of `sql`, whose `{only}` becomes a condition to these articles (all where None)."""
        if articles is None:
            return self.con.execute(sql.format(only="")).fetchall()
        _temp_ids(self.con, "only_articles", articles)
        return self.con.execute(sql.format(only=f" AND {column} IN (SELECT id FROM only_articles)")).fetchall()

    @_locked
    def claims_to_link(self, articles: list[str] | None = None) -> tuple[list[tuple], list[tuple]]:
        """The claims of the articles not yet linked (of these, where given), with their attributions."""
        return self._claim_rows("NOT a.linked{only}", articles)

    @_locked
    def claims_of_threads(self, thread_ids: list[str]) -> tuple[list[tuple], list[tuple]]:
        """The linked claims of these threads, with their attributions."""
        _temp_ids(self.con, "of_threads", thread_ids)
        return self._claim_rows("a.linked AND c.thread_id IN (SELECT id FROM of_threads){only}", None)

    def _claim_rows(self, condition: str, articles: list[str] | None) -> tuple[list[tuple], list[tuple]]:
        """Claims as linking reads them, and their attributions. A claim row: id, article, published, seq,
        text, vector, keys, subject, checkable, negated, agent country, thread, answer, voice, outlet stance,
        outlet certainty, position, outlet, agent name, recipient actor, score, PLOVER type, told as done, reads
        whole, multilingual vector, language. An attribution
        row: id, claim, cue start, speaker (name or role), name, actor, country, sector, stance, certainty,
        cue lemma, outlet, thread stance, role."""
        claims = self._with_articles(articles, f"""
            SELECT c.id, c.article_id, a.published, a.seq, c.text, c.vector, c.keys, c.subject, c.checkable,
                   c.negated, substr(c.agent_actor, 1, 3), c.thread_id, c.answer, c.voice, c.outlet_stance,
                   c.outlet_certainty, c.position, a.source_name, c.agent_name, c.recipient_actor, c.score, c.plover,
                   c.done, c.whole, c.lingual, a.language
            FROM claims c JOIN articles a ON a.id = c.article_id WHERE {condition} ORDER BY a.seq, c.id""", "a.id")
        if not claims:
            return [], []
        _temp_ids(self.con, "node_ids", [r[0] for r in claims])
        attributions = self.con.execute("""
            SELECT x.id, x.claim_id, x.cue_start, coalesce(x.speaker_name, x.speaker_role), x.speaker_name,
                   x.speaker_actor, x.speaker_country, x.speaker_sector, x.stance, x.certainty, x.cue_lemma,
                   a.source_name, x.thread_stance, x.speaker_role
            FROM attributions x JOIN articles a ON a.id = x.article_id
            WHERE x.claim_id IN (SELECT id FROM node_ids) ORDER BY x.cue_start""").fetchall()
        return claims, attributions

    @_locked
    def set_vectors(self, vectors: dict[str, np.ndarray], lingual: dict[str, np.ndarray] | None = None) -> None:
        """Claim vectors made after the claims were stored (an older store, another engine's partitions), and
        multilingual ones of claims in other languages."""
        self.con.execute("CREATE OR REPLACE TEMP TABLE new_vectors (id VARCHAR, vector BLOB, lingual BLOB)")
        insert_rows(self.con, "new_vectors", [[cid, vector_bytes(v), vector_bytes((lingual or {}).get(cid))]
                                              for cid, v in vectors.items()])
        self.con.execute("UPDATE claims SET vector = v.vector, lingual = coalesce(v.lingual, claims.lingual) "
                         "FROM new_vectors v WHERE claims.id = v.id")

    @_locked
    def word_counts(self) -> tuple[dict[str, int], int]:
        """How many linked articles each word is in, and how many articles were counted."""
        documents = self.con.execute("SELECT value FROM meta WHERE key = 'linked_documents'").fetchone()
        return (dict(self.con.execute("SELECT word, n FROM word_df").fetchall()),
                int(documents[0]) if documents else 0)

    @_locked
    def thread_states(self, keys: list[str]) -> list[dict]:
        """What linking keeps of the threads that share a key with these (all a new claim could join), and
        of the other threads of those threads' stories, which an article of the story may speak to."""
        if not keys:
            return []
        _temp_ids(self.con, "batch_keys", keys, "key")
        rows = self.con.execute("""
            WITH hit AS (SELECT id, coalesce(story, id) AS story FROM threads
                         WHERE id IN (SELECT DISTINCT thread_id FROM thread_keys WHERE key IN (SELECT key FROM batch_keys)))
            SELECT id, centroid, context, n, keys, subject, first_seen, last_seen, agent_country, events, docs, story,
                   voices, lingual, label
            FROM threads WHERE id IN (SELECT id FROM hit) OR coalesce(story, id) IN (SELECT story FROM hit)
        """).fetchall()
        return [dict(id=r[0], centroid=vector_of(r[1]), context=json.loads(r[2]), n=r[3], keys=json.loads(r[4]),
                     subject=json.loads(r[5]), first=r[6].isoformat() if r[6] else None,
                     last=r[7].isoformat() if r[7] else None, agent_country=r[8], events=json.loads(r[9] or "{}"),
                     docs=r[10] or 0, story_id=r[11], voices=json.loads(r[12] or "{}"), lingual=vector_of(r[13]),
                     label=r[14]) for r in rows]

    @_locked
    def origins(self, articles: list[str]) -> dict[str, str]:
        """Each of these articles' origin among its copies, where it has one."""
        return dict(self._with_articles(articles, "SELECT id, origin FROM articles WHERE origin IS NOT NULL{only}"))

    @_locked
    def shown_among(self, thread_ids: list[str]) -> set[str]:
        return {r[0] for r in self.query_with_ids(thread_ids, "SELECT id FROM threads WHERE shown AND id IN "
                                                              "(SELECT id FROM given_ids)")}

    @_locked
    def write_links(self, links: "Links") -> int:
        """Write what one relink found, all or nothing; returns how many status changes are new."""
        con = self.con
        with self.transaction():
            _temp_ids(con, "changed_threads", links.changed)
            con.execute("CREATE OR REPLACE TEMP TABLE linked_claims (id VARCHAR, thread_id VARCHAR, answer BOOLEAN, "
                        "score DOUBLE)")
            insert_rows(con, "linked_claims", links.claims)
            con.execute("UPDATE claims SET thread_id = l.thread_id, answer = l.answer, score = l.score "
                        "FROM linked_claims l WHERE claims.id = l.id")
            if links.articles is None:
                con.execute("UPDATE articles SET linked = true WHERE NOT linked")
            else:
                _temp_ids(con, "linked_articles", links.articles)
                con.execute("UPDATE articles SET linked = true WHERE id IN (SELECT id FROM linked_articles)")
            con.execute("CREATE OR REPLACE TEMP TABLE added_words (word VARCHAR, n INTEGER)")
            insert_rows(con, "added_words", [[w, k] for w, k in links.words.items()])
            con.execute("INSERT INTO word_df SELECT word, n FROM added_words "
                        "ON CONFLICT (word) DO UPDATE SET n = word_df.n + excluded.n")
            con.execute("INSERT OR REPLACE INTO meta VALUES ('linked_documents', ?)", [str(links.documents)])
            for table, column in (("threads", "id"), ("thread_days", "thread_id")):
                con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM changed_threads)")
            insert_rows(con, "threads", [_thread_row(state, record) for state, record in links.threads])
            insert_rows(con, "thread_keys", links.keys)
            if links.hidden:  # no longer shown (its copies were found to be one telling): its claims are no thread's
                _temp_ids(con, "hidden_threads", links.hidden)
                con.execute("DELETE FROM thread_claims WHERE thread_id IN (SELECT id FROM hidden_threads)")
            insert_rows(con, "thread_claims", links.members)
            insert_rows(con, "thread_days", links.days)
            con.execute("CREATE OR REPLACE TEMP TABLE linked_stances (id VARCHAR, stance VARCHAR)")
            insert_rows(con, "linked_stances", links.stances)
            con.execute("UPDATE attributions SET thread_stance = s.stance FROM linked_stances s "
                        "WHERE attributions.id = s.id")
            new = _record_changes(con, links.histories)
            if links.full:  # threads that are no more (relinked from scratch) take their changes with them
                con.execute("DELETE FROM status_changes WHERE thread_id NOT IN (SELECT id FROM threads WHERE shown)")
        return new

    @_locked
    def languages_of(self, thread_ids: list[str]) -> dict[str, list[str]]:
        """The languages each of these threads is told in (English first, then by code)."""
        rows = self.query_with_ids(thread_ids, """
            SELECT DISTINCT tc.thread_id, a.language FROM thread_claims tc JOIN claims c ON c.id = tc.claim_id
            JOIN articles a ON a.id = c.article_id WHERE tc.thread_id IN (SELECT id FROM given_ids)""")
        out: dict[str, list[str]] = {}
        for tid, code in sorted(rows, key=lambda r: (r[0], r[1] != "en", r[1] or "")):
            out.setdefault(tid, []).append(code or "und")
        return out

    @_locked
    def shown_threads(self, thread_ids: list[str]) -> list[Thread]:
        """These threads, those of them shown, the most recently first seen first."""
        return [Thread(**_thread_fields(json.loads(r[0]))) for r in self.query_with_ids(
            thread_ids, "SELECT record FROM threads WHERE shown AND id IN (SELECT id FROM given_ids) "
                        "ORDER BY first_seen DESC NULLS LAST, id")]

    # --- reading -----------------------------------------------------------------------------------

    @_locked
    def article_record(self, article_id: str) -> dict | None:
        """The contract record of one article, with `thread` filled on its attributions."""
        row = self.con.execute("SELECT record FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            return None
        record = json.loads(row[0])
        threads = dict(self.con.execute(
            "SELECT tc.claim_id, tc.thread_id FROM thread_claims tc JOIN claims c ON c.id = tc.claim_id "
            "WHERE c.article_id = ?", [article_id]).fetchall())
        # Toward its thread's claim, an answer in other words is a denial ("it was on a fishing trip").
        stances = dict(self.con.execute("SELECT id, thread_stance FROM attributions WHERE article_id = ? "
                                        "AND thread_stance IS NOT NULL", [article_id]).fetchall())
        for x in record["attributions"]:
            x["thread"] = threads.get(x["claim"])
            if x["thread"] and x["id"] in stances:
                x["stance"] = stances[x["id"]]
        for c in record["claims"]:
            c["thread"] = threads.get(c["id"])
        return record

    @_locked
    def article_ids(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT id FROM articles ORDER BY seq").fetchall()]

    def records(self) -> Iterator[dict]:
        for aid in self.article_ids():
            yield self.article_record(aid)

    @_locked
    def path_of(self, article_id: str) -> str | None:
        row = self.con.execute("SELECT path FROM articles WHERE id = ?", [article_id]).fetchone()
        return row[0] if row else None

    @_locked
    def find_article(self, prefix: str) -> str | None:
        rows = self.con.execute("SELECT id FROM articles WHERE id = ? OR id LIKE ? ORDER BY seq LIMIT 2",
                                [prefix, prefix + "%"]).fetchall()
        exact = [r[0] for r in rows if r[0] == prefix]
        return exact[0] if exact else (rows[0][0] if len(rows) == 1 else None)

    def threads(self, status: str | None = None, actor: str | None = None, since: str | None = None,
                until: str | None = None, outlet: str | None = None, speaker: str | None = None,
                sort: str = "last_seen") -> list[dict]:
        return self.thread_page(status, actor, since, until, outlet, speaker=speaker, sort=sort)[1]

    @_locked
    def thread_page(self, status: str | None = None, actor: str | None = None, since: str | None = None,
                    until: str | None = None, outlet: str | None = None, limit: int | None = None,
                    offset: int = 0, speaker: str | None = None, sort: str = "last_seen") -> tuple[int, list[dict]]:
        """(how many threads match, the matching threads from offset on), in the order `sort` names
        (THREAD_ORDERS: last_seen, most recently seen first; sources, most independent sources first;
        status, STATUS_ORDER). actor matches a side's code by prefix (PRK matches PRKGOV); speaker, any
        side's name, case-insensitive, anywhere in it; outlet, one that reports it, exactly; since/until
        bound last and first seen."""
        if sort not in THREAD_ORDERS:
            raise ValueError(f"sort {sort!r}: choose one of {', '.join(THREAD_ORDERS)}")
        # contains(), not LIKE: a "%" or "_" in a name is a character, not a wildcard.
        cond, args = where(("shown = ?", True), ("status = ?", status),
                           ("actors LIKE ?", actor and f"% {actor.upper()}%"),
                           ("last_seen >= CAST(? AS DATE)", since),
                           ("first_seen <= CAST(? AS DATE)", until),
                           ("contains(outlets, ?)", outlet and f"|{outlet}|"),
                           ("contains(lower(speakers), lower(?))", speaker))
        total = self.con.execute(f"SELECT count(*) FROM threads{cond}", args).fetchone()[0]
        page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
        rows = self.con.execute(f"SELECT record FROM threads{cond} ORDER BY {THREAD_ORDERS[sort]}{page}",
                                args).fetchall()
        return total, [json.loads(r[0]) for r in rows]

    @_locked
    def thread(self, thread_id: str) -> dict | None:
        row = self.con.execute("SELECT record FROM threads WHERE id = ? AND shown", [thread_id]).fetchone()
        return json.loads(row[0]) if row else None

    @_locked
    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}" + (" WHERE shown" if t == "threads" else "")).fetchone()[0]
                for t in ("articles", "attributions", "claims", "events", "threads")}
