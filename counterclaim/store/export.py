"""Exports: the contract's JSON Lines, any store table as CSV or Parquet (written by DuckDB itself), and
the events in the layouts event researchers already read: PLOVER JSON Lines, and GDELT 2.0's event table
with its mentions table (tab-separated)."""
from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

from ..actors import split_code
from .db import Store

FORMATS = ("jsonl", "csv", "parquet", "plover", "gdelt")
GDELT_EVENT_COLUMNS = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code "
    "Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code "
    "Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions NumSources NumArticles "
    "AvgTone Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code "
    "Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode "
    "Actor2Geo_ADM1Code Actor2Geo_ADM2Code Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID ActionGeo_Type "
    "ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code ActionGeo_Lat ActionGeo_Long "
    "ActionGeo_FeatureID DATEADDED SOURCEURL").split()
GDELT_MENTION_COLUMNS = (
    "GLOBALEVENTID EventTimeDate MentionTimeDate MentionType MentionSourceName MentionIdentifier SentenceID "
    "Actor1CharOffset Actor2CharOffset ActionCharOffset InRawText Confidence MentionDocLen MentionDocTone "
    "MentionDocTranslationInfo Extras").split()
TABLES = ("attributions", "claims", "events", "threads", "articles")

# Flat views for tabular formats: each attribution with its article's metadata and its thread.
_VIEWS = {
    "attributions": """
        SELECT x.*, a.title, a.source_name AS outlet, a.url, a.published, tc.thread_id AS thread
        FROM attributions x JOIN articles a ON a.id = x.article_id
        LEFT JOIN thread_claims tc ON tc.claim_id = x.claim_id ORDER BY a.seq, x.id""",
    "claims": """
        SELECT c.* EXCLUDE (vector, thread_id), tc.thread_id AS thread FROM claims c LEFT JOIN thread_claims tc ON tc.claim_id = c.id
        ORDER BY c.article_id, c.id""",
    "events": """
        SELECT e.*, a.published, a.source_name AS outlet FROM events e JOIN articles a ON a.id = e.article_id
        ORDER BY a.seq, e.id""",
    "articles": "SELECT id, title, source_name, url, published, language, path, analysed_at FROM articles ORDER BY seq",
}


# The threads as shown (a candidate not yet followed across articles is left out), one row each; sides
# and status history flattened to text so that a spreadsheet reads them.
THREAD_COLUMNS = (("id", "VARCHAR"), ("claim", "VARCHAR"), ("status", "VARCHAR"), ("status_history", "VARCHAR"),
                  ("first_seen", "DATE"), ("first_seen_by", "VARCHAR"), ("first_seen_article", "VARCHAR"),
                  ("last_seen", "DATE"), ("asserted_by", "VARCHAR"), ("denied_by", "VARCHAR"),
                  ("reported_by", "VARCHAR"), ("independent_sources", "INTEGER"), ("articles", "INTEGER"),
                  ("article_ids", "VARCHAR"))
DEFAULT_TABLE = "articles"


def export(store: Store, fmt: str, out: str | Path, table: str = DEFAULT_TABLE) -> int:
    """Write the export; returns the number of rows (lines for jsonl). jsonl, csv and parquet take any
    table: articles in jsonl are the contract records, threads the contract's thread records."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    if fmt == "plover":
        return export_plover(store, out)
    if fmt == "gdelt":
        return export_gdelt(store, out)
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    if fmt == "jsonl":
        rows = store.threads() if table == "threads" else store.records() if table == "articles" else None
        if rows is None:
            names = [r[0] for r in store.query(f"DESCRIBE {_VIEWS[table]}")]
            rows = (dict(zip(names, r)) for r in store.query(_VIEWS[table]))
        n = 0
        with out.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                n += 1
        return n
    options = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER true)"
    if table == "threads":
        return _copy_threads(store, out, options)
    query = _VIEWS[table]
    store.query(f"COPY ({query}) TO '{_quote(out)}' {options}")
    return store.query(f"SELECT count(*) FROM ({query})")[0][0]


def thread_row(t: dict) -> tuple:
    """A thread record as one flat row of THREAD_COLUMNS."""
    first = t.get("first_seen") or {}
    history = "; ".join(f"{h.get('date') or 'undated'} {h['status']}" for h in t.get("status_history") or [])
    return (t["id"], t["claim"], t["status"], history, first.get("date"), first.get("speaker"), first.get("article"),
            t.get("last_seen"), sides_text(t.get("asserted_by")), sides_text(t.get("denied_by")),
            "; ".join(t.get("reported_by") or []), t.get("independent_sources"), len(t.get("articles") or []),
            "; ".join(t.get("articles") or []))


def sides_text(sides: list[dict] | None) -> str:
    """"Norway (NORGOV); Lars Eide; (RUS)": each side's names, its actor code in brackets where it has one."""
    out = []
    for s in sides or []:
        names, code = " / ".join(n for n in s.get("names") or [] if n), s.get("actor")
        text = f"{names} ({code})" if names and code else names or (f"({code})" if code else "")
        if text:
            out.append(text)
    return "; ".join(out)


def _copy_threads(store: Store, out: Path, options: str) -> int:
    import duckdb

    rows = [thread_row(t) for t in store.threads()]
    con = duckdb.connect()  # the store may be open read-only: the rows are laid out in memory
    try:
        con.execute(f"CREATE TABLE threads ({', '.join(f'{c} {kind}' for c, kind in THREAD_COLUMNS)})")
        if rows:
            con.executemany(f"INSERT INTO threads VALUES ({', '.join('?' * len(THREAD_COLUMNS))})", rows)
        con.execute(f"COPY (SELECT * FROM threads) TO '{_quote(out)}' {options}")
    finally:
        con.close()
    return len(rows)


def export_plover(store: Store, out: Path) -> int:
    """One PLOVER JSON record per event (the layout of PLOVER's gold records), with CAMEO code, quad class,
    Goldstein score, the sentence, and whether it is background."""
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for rec in store.records():
            for e in rec["events"]:
                fh.write(json.dumps(_plover(rec, e), ensure_ascii=False) + "\n")
                n += 1
    return n


def _plover(rec: dict, e: dict) -> dict:
    text = rec["text"][e["sentence"]["start"]:e["sentence"]["end"]].strip()
    return {"id": e["id"], "date": rec["published"], "event": e["event"], "mode": e["mode"],
            "context": ", ".join(e.get("context") or []) or None,
            "source": [_plover_actor(e["actor"])], "target": [_plover_actor(e["recipient"])] if e["recipient"] else [],
            "cameo": e["cameo"], "quadClass": e["quad_class"], "goldstein": e["goldstein"],
            "background": e.get("background", False), "text": text, "language": rec["language"],
            "publication": rec["source"]["name"], "url": rec["source"]["url"], "article": rec["id"],
            "attribution": e["attribution"], "claim": e["claim"], "coder": "counterclaim"}


def _plover_actor(p: dict) -> dict:
    code, sector = split_code(p["actor"])
    return {"actorText": p["name"], "code": code, "sector": sector}


def export_gdelt(store: Store, out: Path) -> int:
    """GDELT 2.0 event rows (tab-separated, a header line first; the columns counterclaim can fill are
    filled, the geography and tone columns left empty) and, beside them in OUT.mentions.tsv, one mention row
    per event with the article, its sentence number and character offsets. Background events (told as
    earlier ones) are left out: GDELT counts each row as a new event."""
    mentions_path = out.with_name(out.stem + ".mentions.tsv")
    n = 0
    with out.open("w", encoding="utf-8", newline="") as fe, mentions_path.open("w", encoding="utf-8", newline="") as fm:
        events, mentions = csv.writer(fe, delimiter="\t"), csv.writer(fm, delimiter="\t")
        events.writerow(GDELT_EVENT_COLUMNS)
        mentions.writerow(GDELT_MENTION_COLUMNS)
        for rec in store.records():
            for e in rec["events"]:
                if e.get("background"):
                    continue
                n += 1
                ev, mention = _gdelt(rec, e, n)
                events.writerow([ev.get(c, "") for c in GDELT_EVENT_COLUMNS])
                mentions.writerow([mention.get(c, "") for c in GDELT_MENTION_COLUMNS])
    return n


def _gdelt(rec: dict, e: dict, event_id: int) -> tuple[dict, dict]:
    day = (rec["published"] or "")[:10]
    ymd = day.replace("-", "")
    text = rec["text"]
    start, end = e["sentence"]["start"], e["sentence"]["end"]
    lead = _lead_end(text)
    row = {"GLOBALEVENTID": event_id, "SQLDATE": ymd, "MonthYear": ymd[:6], "Year": ymd[:4],
           "FractionDate": _fraction(day), "IsRootEvent": int(start < lead),
           "EventCode": e["cameo"], "EventBaseCode": e["cameo"][:3], "EventRootCode": e["cameo"][:2],
           "QuadClass": e["quad_class"], "GoldsteinScale": e["goldstein"], "NumMentions": 1, "NumSources": 1,
           "NumArticles": 1, "DATEADDED": ymd, "SOURCEURL": rec["source"]["url"] or rec["id"]}
    for n, party in (("1", e["actor"]), ("2", e["recipient"])):
        if party:
            code, sector = split_code(party["actor"])
            row.update({f"Actor{n}Code": party["actor"] or "", f"Actor{n}Name": (party["name"] or "").upper(),
                        f"Actor{n}CountryCode": code if code and len(code) == 3 else "",
                        f"Actor{n}Type1Code": sector or ""})
    sentence = text[start:end]

    def offset(party: dict | None) -> int:
        at = sentence.find(party["name"]) if party and party["name"] else -1
        return start + at if at >= 0 else -1

    attribution = next((a for a in rec["attributions"] if a["id"] == e["attribution"]), None)
    mention = {"GLOBALEVENTID": event_id, "EventTimeDate": ymd, "MentionTimeDate": ymd, "MentionType": 1,
               "MentionSourceName": rec["source"]["name"] or "", "MentionIdentifier": rec["source"]["url"] or rec["id"],
               "SentenceID": len(re.findall(r"[.!?][\"'”’)]*\s+", text[:start])) + 1,
               "Actor1CharOffset": offset(e["actor"]), "Actor2CharOffset": offset(e["recipient"]),
               "ActionCharOffset": attribution["cue"]["start"] if attribution else start, "InRawText": 1,
               "Confidence": round(100 * attribution["confidence"]) if attribution and attribution.get("confidence") else "",
               "MentionDocLen": len(text)}
    return row, mention


def _lead_end(text: str) -> int:
    """Where the lead paragraph ends: the first paragraph of 20 words or more (titles and bylines are shorter)."""
    pos = 0
    for para in text.split("\n\n"):
        pos += len(para) + 2
        if len(para.split()) >= 20:
            return pos
    return len(text)


def _fraction(day: str) -> str:
    try:
        d = date.fromisoformat(day)
    except ValueError:
        return ""
    return f"{d.year + (d.timetuple().tm_yday - 1) / 365:.4f}"


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
