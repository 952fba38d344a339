"""Read-only queries behind the REST API and the web pages: filters, pagination, speakers."""
from __future__ import annotations

from collections import Counter

from .db import Store, where


def _page(rows: list, limit: int, offset: int) -> dict:
    return {"total": len(rows), "limit": limit, "offset": offset, "items": rows[offset:offset + limit]}


def _sql_page(store: Store, select: str, rest: str, args: list, limit: int, offset: int) -> tuple[int, list]:
    """How many rows `select rest` gives, and one page of them: paged in SQL, so a large store is never read
    whole, and counted in the same query, so a search is scored once."""
    rows = store.query(f"{select}, count(*) OVER () {rest} LIMIT {int(limit)} OFFSET {int(offset)}",
                             args)
    if not rows:  # past the end, or nothing matches: the total still counts
        return store.query(f"SELECT count(*) FROM ({select} {rest})", args)[0][0], []
    return rows[0][-1], [r[:-1] for r in rows]


def threads(store: Store, status=None, actor=None, since=None, until=None, outlet=None, limit=50, offset=0,
            speaker=None, sort="last_seen") -> dict:
    total, items = store.thread_page(status, actor, since, until, outlet, limit, offset, speaker=speaker, sort=sort)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def timeline(store: Store, thread_id: str) -> list[dict]:
    """Each attribution of the thread's claim, dated, with speaker, stance and outlet."""
    rows = store.query("""
        SELECT a.published, a.source_name, a.id, x.id, x.speaker_name, x.speaker_role, x.speaker_actor, coalesce(x.thread_stance, x.stance),
               x.certainty, x.content, a.language
        FROM thread_claims tc JOIN attributions x ON x.claim_id = tc.claim_id JOIN articles a ON a.id = x.article_id
        WHERE tc.thread_id = ? ORDER BY a.published NULLS LAST, a.seq, x.cue_start""", [thread_id])
    keys = ("date", "outlet", "article", "attribution", "speaker", "role", "actor", "stance", "certainty", "content",
            "language")
    return [dict(zip(keys, (r[0].isoformat() if r[0] else None, *r[1:]))) for r in rows]


def articles(store: Store, outlet=None, since=None, until=None, q=None, limit=50, offset=0) -> dict:
    """Articles, newest first; with q, those matching it (DuckDB full-text search over title and text, BM25
    ranked, Porter-stemmed: "drone" finds "drones"), best match first."""
    filters = [("source_name = ?", outlet), ("published >= CAST(? AS DATE)", since),
               ("published <= CAST(? AS DATE)", until)]
    select, order = "SELECT id, title, source_name, url, published", " ORDER BY published DESC NULLS LAST, seq"
    full_text = bool(q) and store.searchable()
    if q and not full_text:  # a store written without the extension: substring matching still answers
        filters.append(("(title ILIKE ? OR text ILIKE ?)", (f"%{q}%", f"%{q}%")))
    cond, args = where(*filters)
    if full_text:
        select += ", fts_main_articles.match_bm25(id, ?) AS score"
        args = [q, *args]
        cond = (cond + " AND" if cond else " WHERE") + " score IS NOT NULL"
        order = " ORDER BY score DESC, seq"
    total, rows = _sql_page(store, select, "FROM articles" + cond + order, args, limit, offset)
    items = [{"id": r[0], "title": r[1], "outlet": r[2], "url": r[3], "published": r[4].isoformat() if r[4] else None}
             for r in rows]
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def table(store: Store, name: str, filters: dict, limit=50, offset=0) -> dict:
    """attributions, claims or events, filtered on equal columns."""
    # The claim vectors are bytes for linking, not JSON: the API leaves them out.
    cols = [r[0] for r in store.query(f"DESCRIBE {name}") if r[1] != "BLOB"]
    unknown = [col for col, value in filters.items() if value is not None and col not in cols]
    if unknown:
        raise ValueError(f"unknown filter {unknown[0]!r}")
    # An empty string is a filter here (matching nothing), so it is passed as a one-value tuple.
    cond, args = where(*((f"{col} = ?", (value,)) for col, value in filters.items() if value is not None))
    total, rows = _sql_page(store, "SELECT " + ", ".join(cols), f"FROM {name}{cond} ORDER BY id", args, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "items": [dict(zip(cols, r)) for r in rows]}


def speakers(store: Store, actor=None, limit=50, offset=0) -> dict:
    rows = store.query("""
        SELECT coalesce(speaker_name, speaker_role) AS name, speaker_actor, stance, count(*)
        FROM attributions WHERE coalesce(speaker_name, speaker_role) IS NOT NULL
        GROUP BY ALL""")
    by: dict[tuple, Counter] = {}
    for name, act, stance, n in rows:
        if actor and not (act or "").startswith(actor.upper()):
            continue
        by.setdefault((name, act), Counter())[stance] += n
    items = [{"name": n, "actor": a, "attributions": sum(c.values()), "stances": dict(c)} for (n, a), c in by.items()]
    items.sort(key=lambda x: (-x["attributions"], x["name"]))
    return _page(items, limit, offset)


def speaker(store: Store, name: str) -> list[dict]:
    rows = store.query("""
        SELECT x.id, x.article_id, a.title, a.published, x.stance, x.speaker_actor, x.content, tc.thread_id
        FROM attributions x JOIN articles a ON a.id = x.article_id LEFT JOIN thread_claims tc ON tc.claim_id = x.claim_id
        WHERE coalesce(x.speaker_name, x.speaker_role) = ? ORDER BY a.published NULLS LAST, a.seq""", [name])
    keys = ("attribution", "article", "title", "date", "stance", "actor", "content", "thread")
    return [dict(zip(keys, (*r[:3], r[3].isoformat() if r[3] else None, *r[4:]))) for r in rows]


def speaker_threads(store: Store, name: str) -> list[dict]:
    """The threads with this name on a side (exactly), most recently seen first, each with the sides it is
    on: "asserts", "denies" or both."""
    out = []
    for t in store.threads(speaker=name):
        sides = [word for word, key in (("asserts", "asserted_by"), ("denies", "denied_by"))
                 if any(name in s["names"] for s in t[key])]
        if sides:  # the filter matches within names: "Eide" finds "Lars Eide", whose page this is not
            out.append({"thread": t["id"], "claim": t["claim"], "status": t["status"], "sides": sides,
                        "last_seen": t.get("last_seen")})
    return out


def mentions_by_date(store: Store, thread_ids: list[str]) -> dict[str, list[tuple[str, int]]]:
    """Attributions per day for each thread (counted when threads are linked)."""
    if not thread_ids:
        return {}
    rows = store.query(f"""
        SELECT thread_id, day, attributions FROM thread_days
        WHERE thread_id IN ({", ".join("?" * len(thread_ids))}) ORDER BY 1, 2""", thread_ids)
    out: dict[str, list[tuple[str, int]]] = {}
    for tid, day, n in rows:
        out.setdefault(tid, []).append((day.isoformat(), n))
    return out


def evidence(store: Store, thread: dict) -> list[dict]:
    """The thread's status changes in order, each with its evidence: the sentence (an attribution's content,
    or the outlet's own words), who said it, the article and outlet, and why it moved the status."""
    history = thread.get("status_history") or []
    ids = [h["because"] for h in history if h.get("because")]
    found: dict[str, tuple] = {}
    if ids:
        marks = ", ".join("?" * len(ids))
        for r in store.query(f"""
                SELECT x.id, x.article_id, a.source_name, coalesce(x.speaker_name, x.speaker_role), x.speaker_actor,
                       coalesce(x.thread_stance, x.stance), x.content, a.language
                FROM attributions x JOIN articles a ON a.id = x.article_id WHERE x.id IN ({marks})
                UNION ALL
                SELECT c.id, c.article_id, a.source_name, a.source_name, NULL, c.outlet_stance, c.text, a.language
                FROM claims c JOIN articles a ON a.id = c.article_id WHERE c.id IN ({marks})""", ids + ids):
            found[r[0]] = r[1:]
    keys = ("article", "outlet", "speaker", "actor", "stance", "sentence", "language")
    return [{"date": h.get("date"), "status": h["status"], "reason": h.get("reason") or "", "because": h.get("because"),
             **dict(zip(keys, found.get(h.get("because"), (None,) * len(keys))))} for h in history]


CHANGE_KEYS = ("seq", "thread", "claim", "status", "date", "from", "to", "because", "article", "title", "speaker",
               "actor", "stance", "outlet", "content", "recorded_at")


def changes(store: Store, since: str | None = None, thread: str | None = None, limit: int = 50,
            offset: int = 0) -> dict:
    """Status changes, the latest recorded first (a batch's own changes by the date of their evidence):
    each with its thread's claim and current status, and the attribution (or the outlet's own words) and
    article that made it. `since` (a date, or a date and time) bounds when the store recorded them."""
    cond, args = where(("s.recorded_at >= CAST(? AS TIMESTAMP)", since), ("s.thread_id = ?", thread))
    total, rows = _sql_page(store, """
        SELECT s.seq, s.thread_id, t.claim, t.status, s.date, s.from_status, s.to_status, s.because, s.article_id,
               a.title, s.speaker, s.actor, s.stance, s.outlet, coalesce(x.content, c.text), s.recorded_at""", f"""
        FROM status_changes s JOIN threads t ON t.id = s.thread_id LEFT JOIN articles a ON a.id = s.article_id
        LEFT JOIN attributions x ON x.id = s.because LEFT JOIN claims c ON c.id = s.because{cond}
        ORDER BY s.recorded_at DESC, s.date DESC NULLS LAST, s.seq DESC""", args, limit, offset)
    items = []
    for r in rows:
        item = dict(zip(CHANGE_KEYS, r))
        item["date"] = item["date"].isoformat() if item["date"] else None
        item["recorded_at"] = item["recorded_at"].isoformat()
        items.append(item)
    return {"total": total, "limit": limit, "offset": offset, "items": items}
