"""The embedded store: one DuckDB file. The article's contract record is kept whole (so exports are
exact) beside flat tables for querying; threads are recomputed over the whole store after each run."""
from __future__ import annotations

import gc
import json
import re
from collections import Counter
from datetime import datetime, timezone
from functools import lru_cache
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

try:  # DuckDB's full-text-search extension, packaged as a wheel so that nothing is downloaded at run time.
    import duckdb_extension_fts
except ImportError:  # pragma: no cover - without it search falls back to substring matching
    duckdb_extension_fts = None

from ..actors import WHOLE_CODES
from ..claims.assemble import vectors_many
from ..claims.entities import name_key
from ..models import Analysis, Claim, Thread
from ..threads.link import Linker, Mention, Node, ThreadState, Words, batch_keys, build
from ..threads.syndication import band_keys, join_copies, signature

SCHEMA_VERSION = 6
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
    id VARCHAR PRIMARY KEY, article_id VARCHAR, key VARCHAR, text VARCHAR, agent_name VARCHAR,
    agent_actor VARCHAR, predicate VARCHAR, recipient_name VARCHAR, recipient_actor VARCHAR, object VARCHAR,
    plover VARCHAR, cameo VARCHAR, voice VARCHAR, checkable BOOLEAN, negated BOOLEAN, keys VARCHAR[],
    subject VARCHAR[], vector BLOB, outlet_stance VARCHAR, outlet_certainty VARCHAR, position INTEGER,
    thread_id VARCHAR, answer BOOLEAN, score DOUBLE);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY, article_id VARCHAR, actor_name VARCHAR, actor VARCHAR, event VARCHAR, mode VARCHAR,
    recipient_name VARCHAR, recipient VARCHAR, cameo VARCHAR, quad_class INTEGER, goldstein DOUBLE,
    attribution_id VARCHAR, claim_id VARCHAR, sentence_start INTEGER, sentence_end INTEGER, context VARCHAR,
    background BOOLEAN);
CREATE TABLE IF NOT EXISTS threads (
    id VARCHAR PRIMARY KEY, key VARCHAR, claim VARCHAR, status VARCHAR, first_seen DATE, last_seen DATE,
    independent_sources INTEGER, articles INTEGER, actors VARCHAR, outlets VARCHAR, record VARCHAR,
    shown BOOLEAN, centroid BLOB, context VARCHAR, n INTEGER, keys VARCHAR, subject VARCHAR, agent_country VARCHAR,
    events VARCHAR, docs INTEGER, story VARCHAR, voices VARCHAR);
CREATE TABLE IF NOT EXISTS word_df (word VARCHAR PRIMARY KEY, n INTEGER);
CREATE TABLE IF NOT EXISTS minhash_bands (key BIGINT, article_id VARCHAR);
CREATE TABLE IF NOT EXISTS thread_keys (thread_id VARCHAR, key VARCHAR);
CREATE TABLE IF NOT EXISTS thread_claims (thread_id VARCHAR, claim_id VARCHAR);
CREATE TABLE IF NOT EXISTS thread_days (thread_id VARCHAR, day DATE, attributions INTEGER);
CREATE TABLE IF NOT EXISTS status_changes (
    seq BIGINT, thread_id VARCHAR, position INTEGER, date DATE, from_status VARCHAR, to_status VARCHAR,
    because VARCHAR, article_id VARCHAR, speaker VARCHAR, actor VARCHAR, stance VARCHAR, outlet VARCHAR,
    recorded_at TIMESTAMP);
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


def vector_bytes(v) -> bytes | None:
    """A claim vector as stored: float16 (768 bytes), ample for cosine similarity."""
    return None if v is None else np.asarray(v, dtype=np.float16).tobytes()


def vector_of(b: bytes | None) -> np.ndarray | None:
    return None if b is None else np.frombuffer(b, dtype=np.float16).astype(np.float32)


def claim_keys(c: Claim) -> list[str]:
    """What a claim is about, as the keys threads block on: its entities' and its subject's."""
    return sorted({e["key"] for e in c.entities} | set(c.subject))


# Roles that speak for someone or something: what "the owner of the ship" or "a lawyer for the mayor"
# says in answer is the ship's or the mayor's answer.
_SPEAKS_FOR = re.compile(
    r"\b(?:owners?|operators?|captain|skipper|crew|makers?|manufacturers?|builders?|lawyers?|attorneys?|"
    r"solicitors?|spokes(?:man|woman|person)|representatives?|director|chief|head|chair(?:man|woman)?|president|"
    r"executive)\s+(?:of|for|at)\s+([^,;(]+)", re.IGNORECASE)


@lru_cache(maxsize=65536)  # a store's speakers repeat: a thread's members are read again at each relink
def speaker_keys(name: str | None, actor: str | None, role: str | None = None) -> frozenset:
    """Who a speaker is, in the keys claims use: the speaker's country (or whole code) and surname, and
    whom its role speaks for ("director of the Severnaya Fishing Company": severnaya)."""
    keys = set()
    if actor:
        keys.add(actor if actor.startswith(WHOLE_CODES) else actor[:3])
    if name:  # a person's surname or an organisation's first name word: both, not knowing which it is
        keys |= {k for k in (name_key(name), name_key(name, person=True)) if k}
    for m in _SPEAKS_FOR.finditer(role or ""):
        keys |= {k for k in (name_key(m.group(1)), name_key(m.group(1), person=True)) if k}
    return frozenset(keys)


def _thread_row(state: ThreadState, t: Thread | None) -> list:
    """A threads row: the linking state always, the record (and the columns filters use) when shown."""
    record = t.to_dict() if t is not None else None
    common = [vector_bytes(state.centroid), json.dumps(state.context), state.n, json.dumps(state.keys),
              json.dumps(state.subject), state.agent_country, json.dumps(state.events), state.docs, state.story_id,
              json.dumps(state.voices)]
    if t is None:
        return [state.id, state.id, None, None, state.first, state.last, 0, 0, None, None, None, False] + common
    return [t.id, t.key, t.claim, t.status, (t.first_seen or {}).get("date"), t.last_seen, t.independent_sources,
            len(t.articles), " " + " ".join(s["actor"] for s in t.asserted_by + t.denied_by if s["actor"]) + " ",
            "|" + "|".join(t.reported_by) + "|", json.dumps(record, ensure_ascii=False), True] + common


def _thread_fields(d: dict) -> dict:
    return {k: d[k] for k in ("id", "claim", "status", "status_history", "first_seen", "asserted_by", "denied_by",
                              "reported_by", "articles", "independent_sources", "last_seen")} | {"key": d["id"]}


def _record_changes(con, histories: dict[str, list[dict]]) -> int:
    """Keep the status changes of these threads (their status histories as just rewritten) in
    status_changes. A change already recorded keeps its number and the time it was first recorded, so
    "what changed" is what is new to the store; one no longer in its thread's history (a late article
    dated earlier moved it) is dropped. Returns how many changes are new. Call inside a transaction."""
    if not histories:
        return 0
    con.execute("CREATE OR REPLACE TEMP TABLE history_threads (id VARCHAR)")
    _insert(con, "history_threads", [[t] for t in histories])
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
    _insert(con, "status_changes (seq, thread_id, position, date, from_status, to_status, because, recorded_at)", rows)
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


def _command_line(pid: int | None) -> str | None:
    """The holder's command line, where this system shows it (Linux's /proc), so the user knows which of
    their terminals holds the store."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    words = [w for w in raw.decode("utf-8", "replace").split("\0") if w]
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
        con.execute("ALTER TABLE articles ADD COLUMN IF NOT EXISTS origin VARCHAR")
        con.execute(_DDL)
        _place_copies(con, {aid: list(sig) for aid, sig in con.execute(
            "SELECT id, minhash FROM articles WHERE minhash IS NOT NULL ORDER BY seq").fetchall()})
    if version <= 5:  # version 6: who has answered for a thread's party, kept for the next batch
        con.execute("ALTER TABLE threads ADD COLUMN IF NOT EXISTS voices VARCHAR")
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])


def _place_copies(con, signatures: dict[str, list[int]]) -> None:
    """Give each of these articles its origin, the least id among the copies of it (a wire story reprinted
    by many outlets is one telling), by the MinHash bands it shares with the articles stored: the cost is
    the batch's, not the store's. An article that joins two stored clusters relabels the later one."""
    if not signatures:
        return
    ids = list(signatures)
    keys = band_keys([signatures[i] for i in ids])
    _insert(con, "minhash_bands", [[k, aid] for aid, row in zip(ids, keys.tolist()) for k in row])
    con.execute("CREATE OR REPLACE TEMP TABLE new_copies (id VARCHAR)")
    _insert(con, "new_copies", [[aid] for aid in ids])
    pairs = con.execute("""
        SELECT DISTINCT n.article_id, b.article_id FROM minhash_bands n JOIN minhash_bands b
            ON b.key = n.key AND b.article_id <> n.article_id
        WHERE n.article_id IN (SELECT id FROM new_copies)""").fetchall()
    stored = {b for _, b in pairs if b not in signatures}
    everything, known = dict(signatures), {}
    if stored:
        con.execute("CREATE OR REPLACE TEMP TABLE stored_copies (id VARCHAR)")
        _insert(con, "stored_copies", [[aid] for aid in stored])
        for aid, sig, origin in con.execute(
                "SELECT id, minhash, coalesce(origin, id) FROM articles WHERE id IN (SELECT id FROM stored_copies)").fetchall():
            everything[aid], known[aid] = list(sig), origin
    placed, moved = join_copies(everything, known, pairs)
    con.execute("CREATE OR REPLACE TEMP TABLE placed_copies (id VARCHAR, origin VARCHAR)")
    _insert(con, "placed_copies", [[a, o] for a, o in placed.items()])
    con.execute("UPDATE articles SET origin = p.origin FROM placed_copies p WHERE articles.id = p.id")
    for old, least in moved.items():
        con.execute("UPDATE articles SET origin = ? WHERE origin = ?", [least, old])


class Store:
    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False):
        self.path = str(path)
        self.new_changes = 0  # status changes the last relink recorded
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
            sigs = {x.article.id: x.signature or (signature(x.article.text) if x.article.text.strip() else None)
                    for x in batch}
            _insert(con, "articles (id, seq, title, source_name, url, published, language, path, minhash, record, text)",
                    [[x.article.id, seq + n, x.article.title, x.article.source_name, x.article.url, x.article.published,
                      x.article.language, x.article.path, sigs[x.article.id],
                      json.dumps(x.to_dict(), ensure_ascii=False), x.article.text] for n, x in enumerate(batch, 1)])
            _place_copies(con, {aid: sig for aid, sig in sigs.items() if sig})
            _insert(con, "attributions (id, article_id, kind, cue_start, cue_end, cue, cue_lemma, source, content, "
                         "speaker_name, speaker_role, speaker_actor, speaker_country, speaker_sector, speaker_via, "
                         "stance, certainty, claim_id, confidence)", [
                [t.id, x.article.id, t.kind, t.cue.start, t.cue.end, t.cue.text, t.cue_lemma,
                 t.source.text if t.source else None, " … ".join(c.text for c in t.content),
                 t.speaker.name, t.speaker.role, t.speaker.actor, t.speaker.country, t.speaker.sector,
                 t.speaker.via, t.stance, t.certainty, t.claim, t.confidence] for x in batch for t in x.attributions])
            _insert(con, "claims (id, article_id, key, text, agent_name, agent_actor, predicate, recipient_name, "
                         "recipient_actor, object, plover, cameo, voice, checkable, negated, keys, subject, vector, "
                         "outlet_stance, outlet_certainty, position)", [
                [c.id, x.article.id, c.key, c.text, c.agent.name, c.agent.actor, c.predicate,
                 c.recipient.name if c.recipient else None, c.recipient.actor if c.recipient else None,
                 c.object, (c.event or {}).get("plover"), (c.event or {}).get("cameo"), c.voice, c.checkable,
                 c.negated, claim_keys(c), list(c.subject), vector_bytes(c.vector),
                 c.stance if c.voice == "outlet" else None, c.certainty if c.voice == "outlet" else None,
                 c.mentions[0].start if c.mentions else -1] for x in batch for c in x.claims])
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
        """After a run of saves: link the new articles' threads and rebuild the search index; returns the
        shown threads that changed."""
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

    def relink(self, full: bool = False) -> list[Thread]:
        """Link the claims of articles not yet linked into the threads (all of them with `full`), and
        rewrite the threads they touched. Returns those of them that are shown."""
        # Linking makes hundreds of thousands of small objects and no reference cycles to speak of: the
        # cycle collector would walk every live object (a caller's too) many times over for nothing.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._relink(full)
        finally:
            if collecting:
                gc.enable()

    def _relink(self, full: bool) -> list[Thread]:
        con = self.con
        if full:
            con.execute("UPDATE articles SET linked = false")
            con.execute("UPDATE claims SET thread_id = NULL, answer = NULL, score = NULL")
            con.execute("UPDATE attributions SET thread_stance = NULL")
            for table in ("threads", "thread_keys", "thread_claims", "thread_days", "word_df"):
                con.execute(f"DELETE FROM {table}")
            con.execute("DELETE FROM meta WHERE key = 'linked_documents'")
        new = self._nodes("NOT a.linked")
        self._encode_missing(new)
        keys = sorted({k for n in new for k in n.keys})
        texts = dict(con.execute("SELECT id, text FROM articles WHERE NOT linked").fetchall())
        documents = con.execute("SELECT value FROM meta WHERE key = 'linked_documents'").fetchone()
        words = Words(dict(con.execute("SELECT word, n FROM word_df").fetchall()), int(documents[0]) if documents else 0)
        stored = self._thread_states(keys)
        linker = Linker(stored, words, wanted=batch_keys(new, texts) if stored else None)
        by_article: dict[str, list[Node]] = {}
        for n in sorted(new, key=lambda n: (n.date or "9999-99-99", n.order)):
            by_article.setdefault(n.article, []).append(n)
        for aid, group in by_article.items():
            linker.link_article(group, texts.pop(aid, None) or "")
        del texts, by_article  # the batch's texts are read once: what follows holds the threads in memory
        changed = sorted(linker.changed)
        con.execute("CREATE OR REPLACE TEMP TABLE changed_threads (id VARCHAR)")
        _insert(con, "changed_threads", [[t] for t in changed])
        # A thread's record is rebuilt from all its claims: those stored before (read once, here) and the
        # batch's, as the linker left them (their stance toward the thread's claim included).
        members = self._nodes("a.linked AND c.thread_id IN (SELECT id FROM changed_threads)") if changed else []
        members = sorted(members + [n for n in new if n.thread in linker.changed], key=lambda n: (n.order, n.claim_id))
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("CREATE OR REPLACE TEMP TABLE linked_claims (id VARCHAR, thread_id VARCHAR, answer BOOLEAN, "
                        "score DOUBLE)")
            _insert(con, "linked_claims", [[n.claim_id, n.thread, n.answer, n.score] for n in new if n.thread])
            con.execute("UPDATE claims SET thread_id = l.thread_id, answer = l.answer, score = l.score "
                        "FROM linked_claims l WHERE claims.id = l.id")
            con.execute("UPDATE articles SET linked = true WHERE NOT linked")
            con.execute("CREATE OR REPLACE TEMP TABLE added_words (word VARCHAR, n INTEGER)")
            _insert(con, "added_words", [[w, k] for w, k in words.added.items()])
            con.execute("INSERT INTO word_df SELECT word, n FROM added_words "
                        "ON CONFLICT (word) DO UPDATE SET n = word_df.n + excluded.n")
            con.execute("INSERT OR REPLACE INTO meta VALUES ('linked_documents', ?)", [str(words.documents)])
            by_thread: dict[str, list[Node]] = {}
            for n in members:
                by_thread.setdefault(n.thread, []).append(n)
            articles = {n.article for n in members}
            origin = {aid: o for aid, o in con.execute(
                "SELECT id, origin FROM articles WHERE origin IS NOT NULL AND id IN "
                "(SELECT DISTINCT c.article_id FROM claims c WHERE c.thread_id IN (SELECT id FROM changed_threads))"
            ).fetchall() if aid in articles}
            # What is already stored is written again only where it changed: a shown thread's claims
            # stay its claims (the batch's are added), and a stance is rewritten where the record moved it.
            was_shown = {r[0] for r in con.execute(
                "SELECT id FROM threads WHERE shown AND id IN (SELECT id FROM changed_threads)").fetchall()}
            batch = {n.claim_id for n in new}
            stored_stance = {m.attribution: m.thread_stance for n in members if n.claim_id not in batch
                             for m in n.mentions if m.attribution}
            for table, column in (("threads", "id"), ("thread_days", "thread_id")):
                con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM changed_threads)")
            rows, key_rows, claim_rows, day_rows, stance_rows, hidden = [], [], [], [], [], []
            histories: dict[str, list[dict]] = {}
            for tid in changed:
                state = linker.threads[tid]
                t = build(tid, by_thread.get(tid, []), origin, state.voices.keys())
                rows.append(_thread_row(state, t))
                key_rows += [[tid, k] for k in state.keys if k not in state.stored_keys]  # keys are only added
                histories[tid] = t.status_history if t is not None else []
                if t is None:
                    hidden += [[tid]] if tid in was_shown else []
                    continue
                group = by_thread[tid]
                claim_rows += [[tid, n.claim_id] for n in group if tid not in was_shown or n.claim_id in batch]
                stance_rows += [[m.attribution, m.thread_stance] for n in group for m in n.mentions
                                if m.attribution and stored_stance.get(m.attribution) != m.thread_stance]
                days = Counter(m.date for n in group for m in n.mentions if m.date and m.attribution)
                day_rows += [[tid, d, k] for d, k in days.items()]
            _insert(con, "threads", rows)
            _insert(con, "thread_keys", key_rows)
            if hidden:  # no longer shown (its copies were found to be one telling): its claims are no thread's
                con.execute("CREATE OR REPLACE TEMP TABLE hidden_threads (id VARCHAR)")
                _insert(con, "hidden_threads", hidden)
                con.execute("DELETE FROM thread_claims WHERE thread_id IN (SELECT id FROM hidden_threads)")
            _insert(con, "thread_claims", claim_rows)
            _insert(con, "thread_days", day_rows)
            con.execute("CREATE OR REPLACE TEMP TABLE linked_stances (id VARCHAR, stance VARCHAR)")
            _insert(con, "linked_stances", stance_rows)
            con.execute("UPDATE attributions SET thread_stance = s.stance FROM linked_stances s "
                        "WHERE attributions.id = s.id")
            self.new_changes = _record_changes(con, histories)
            if full:  # threads that are no more (relinked from scratch) take their changes with them
                con.execute("DELETE FROM status_changes WHERE thread_id NOT IN (SELECT id FROM threads WHERE shown)")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        return [Thread(**_thread_fields(json.loads(r[0]))) for r in con.execute(
            "SELECT record FROM threads WHERE shown AND id IN (SELECT id FROM changed_threads) "
            "ORDER BY first_seen DESC NULLS LAST, id").fetchall()]

    def _nodes(self, condition: str) -> list[Node]:
        """Claims (with their attributions) as linking reads them; `condition` over claims c and articles a."""
        con = self.con
        rows = con.execute(f"""
            SELECT c.id, c.article_id, a.published, a.seq, c.text, c.vector, c.keys, c.subject, c.checkable,
                   c.negated, substr(c.agent_actor, 1, 3), c.thread_id, c.answer, c.voice, c.outlet_stance,
                   c.outlet_certainty, c.position, a.source_name, c.agent_name, c.recipient_actor, c.score, c.plover
            FROM claims c JOIN articles a ON a.id = c.article_id WHERE {condition} ORDER BY a.seq, c.id""").fetchall()
        nodes: dict[str, Node] = {}
        for r in rows:
            day = r[2].isoformat() if r[2] else None
            n = Node(claim_id=r[0], article=r[1], date=day, order=r[3], text=r[4], vector=vector_of(r[5]),
                     keys=frozenset(r[6] or ()), subject=frozenset(r[7] or ()),
                     checkable=r[8] if r[8] is not None else True, negated=bool(r[9]), agent_country=r[10],
                     thread=r[11], answer=bool(r[12]), score=r[20] or 0.0, plover=r[21],
                     position=r[16] if r[16] is not None else 0)
            if r[6] is None:  # a claim stored before claims had keys (an older store): its parties
                n.keys = frozenset(k for k in (r[10], (r[19] or "")[:3]) if k)
                n.subject = frozenset(k for k in (r[10],) if k)
            if r[13] == "outlet":
                n.mentions.append(Mention(attribution=None, article=r[1], date=day, order=r[3], position=r[16] if r[16] is not None else -1,
                                          outlet=r[17], speaker=r[17], actor=None, country=None, sector="MED",
                                          stance=r[14] or "report", certainty=r[15] or "certain", cue="",
                                          claim_id=r[0], voice="outlet", thread=r[11],
                                          thread_stance=r[14] or "report"))
            nodes[r[0]] = n
        if not nodes:
            return []
        con.execute("CREATE OR REPLACE TEMP TABLE node_ids (id VARCHAR)")
        _insert(con, "node_ids", [[i] for i in nodes])
        for r in con.execute("""
            SELECT x.id, x.claim_id, x.cue_start, coalesce(x.speaker_name, x.speaker_role), x.speaker_name,
                   x.speaker_actor, x.speaker_country, x.speaker_sector, x.stance, x.certainty, x.cue_lemma,
                   a.source_name, x.thread_stance, x.speaker_role
            FROM attributions x JOIN articles a ON a.id = x.article_id
            WHERE x.claim_id IN (SELECT id FROM node_ids) ORDER BY x.cue_start""").fetchall():
            n = nodes[r[1]]
            n.mentions.append(Mention(
                attribution=r[0], article=n.article, date=n.date, order=n.order, position=r[2], outlet=r[11],
                speaker=r[3], actor=r[5], country=r[6], sector=r[7], stance=r[8], certainty=r[9], cue=r[10],
                claim_id=r[1], speaker_keys=speaker_keys(r[4], r[5], r[13]), thread=n.thread,
                thread_stance=r[12] or r[8]))
        return list(nodes.values())

    def _encode_missing(self, nodes: list[Node]) -> None:
        """Claims stored without a vector (an older store, or partitions from another engine) get them now,
        an article's at a time and chosen as the pipeline chooses them."""
        by_article: dict[str, list[Node]] = {}
        for n in nodes:
            by_article.setdefault(n.article, []).append(n)
        groups = [g for g in by_article.values() if any(n.vector is None for n in g)]
        if not groups:
            return
        todo = []
        for group, vecs in zip(groups, vectors_many([([n.text for n in group], [
                ("outlet" if any(m.voice == "outlet" for m in n.mentions) else "attribution", n.checkable, n.position)
                for n in group]) for group in groups])):
            for n, v in zip(group, vecs):
                n.vector = v
                todo.append(n)
        self.con.execute("CREATE OR REPLACE TEMP TABLE new_vectors (id VARCHAR, vector BLOB)")
        _insert(self.con, "new_vectors", [[n.claim_id, vector_bytes(n.vector)] for n in todo])
        self.con.execute("UPDATE claims SET vector = v.vector FROM new_vectors v WHERE claims.id = v.id")

    def _thread_states(self, keys: list[str]) -> list[ThreadState]:
        """The threads that share a key with the batch: all a new claim could join."""
        if not keys:
            return []
        self.con.execute("CREATE OR REPLACE TEMP TABLE batch_keys (key VARCHAR)")
        _insert(self.con, "batch_keys", [[k] for k in keys])
        # ... and the other threads of those threads' stories, which an article of the story may speak to.
        rows = self.con.execute("""
            WITH hit AS (SELECT id, coalesce(story, id) AS story FROM threads
                         WHERE id IN (SELECT DISTINCT thread_id FROM thread_keys WHERE key IN (SELECT key FROM batch_keys)))
            SELECT id, centroid, context, n, keys, subject, first_seen, last_seen, agent_country, events, docs, story,
                   voices
            FROM threads WHERE id IN (SELECT id FROM hit) OR coalesce(story, id) IN (SELECT story FROM hit)
        """).fetchall()
        states = []
        for r in rows:
            keys = json.loads(r[4])
            states.append(ThreadState(
                id=r[0], centroid=vector_of(r[1]), context=json.loads(r[2]), n=r[3], keys=keys,
                subject=json.loads(r[5]), first=r[6].isoformat() if r[6] else None,
                last=r[7].isoformat() if r[7] else None, agent_country=r[8], events=json.loads(r[9] or "{}"),
                docs=r[10] or 0, story_id=r[11], stored_keys=frozenset(keys), voices=json.loads(r[12] or "{}")))
        return states

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
        cond, args = where(("shown = ?", True), ("status = ?", status),
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
        row = self.con.execute("SELECT record FROM threads WHERE id = ? AND shown", [thread_id]).fetchone()
        return json.loads(row[0]) if row else None

    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}" + (" WHERE shown" if t == "threads" else "")).fetchone()[0]
                for t in ("articles", "attributions", "claims", "events", "threads")}
