"""Publication dates: accept what feeds and headers use, return ISO YYYY-MM-DD."""
from __future__ import annotations

import re
from datetime import datetime

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
# A dateline or byline near the top: "Nov 09, 2022", "9 November 2022", "2022-11-09".
_NEAR_TOP = re.compile(
    rf"\b(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<mdy>(?:{_MONTHS})[a-z]*\.?\s+\d{{1,2}},?\s+\d{{4}})"
    rf"|(?P<dmy>\d{{1,2}}\s+(?:{_MONTHS})[a-z]*\.?,?\s+\d{{4}}))\b",
    re.IGNORECASE,
)


def parse_date(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return _valid(*map(int, m.groups()))
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    cleaned = re.sub(r"[,.]", " ", value)
    cleaned = re.sub(r"\bsept\b", "sep", cleaned, flags=re.IGNORECASE)
    for fmt in ("%b %d %Y", "%B %d %Y", "%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(" ".join(cleaned.split()[:3]), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def date_near_top(text: str, chars: int = 400) -> str | None:
    """A date written in the byline, for bare text files that carry no header."""
    m = _NEAR_TOP.search(text[:chars])
    return parse_date(m.group(0)) if m else None


def _valid(y: int, mo: int, d: int) -> str | None:
    try:
        return datetime(y, mo, d).date().isoformat()
    except ValueError:
        return None
