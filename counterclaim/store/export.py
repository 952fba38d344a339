"""Exports: the contract's JSON Lines, or any store table as CSV or Parquet (written by DuckDB itself)."""
from __future__ import annotations

import json
from pathlib import Path

from .db import Store

FORMATS = ("jsonl", "csv", "parquet")
TABLES = ("attributions", "claims", "events", "threads", "articles")

# Flat views for tabular formats: each attribution with its article's metadata and its thread.
_VIEWS = {
    "attributions": """
        SELECT x.*, a.title, a.source_name AS outlet, a.url, a.published, tc.thread_id AS thread
        FROM attributions x JOIN articles a ON a.id = x.article_id
        LEFT JOIN thread_claims tc ON tc.claim_id = x.claim_id ORDER BY a.seq, x.id""",
    "claims": """
        SELECT c.*, tc.thread_id AS thread FROM claims c LEFT JOIN thread_claims tc ON tc.claim_id = c.id
        ORDER BY c.article_id, c.id""",
    "events": """
        SELECT e.*, a.published, a.source_name AS outlet FROM events e JOIN articles a ON a.id = e.article_id
        ORDER BY a.seq, e.id""",
    "threads": "SELECT id, key, claim, status, first_seen, last_seen, independent_sources, articles FROM threads ORDER BY id",
    "articles": "SELECT id, title, source_name, url, published, language, path, analysed_at FROM articles ORDER BY seq",
}


def export(store: Store, fmt: str, out: str | Path, table: str = "attributions") -> int:
    """Write the export; returns the number of rows (articles for jsonl)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    if fmt == "jsonl":
        n = 0
        with out.open("w", encoding="utf-8") as fh:
            if table == "threads":
                for t in store.threads():
                    fh.write(json.dumps(t, ensure_ascii=False) + "\n")
                    n += 1
            else:
                for rec in store.records():
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    n += 1
        return n
    if table not in _VIEWS:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    options = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER true)"
    query = _VIEWS[table]
    store.con.execute(f"COPY ({query}) TO '{_quote(out)}' {options}")
    return store.con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
