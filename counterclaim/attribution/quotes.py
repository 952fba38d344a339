"""Find quotations in raw text: curly, straight and single marks, quotes that run over paragraphs
(each paragraph reopening the quote), and unbalanced marks (reported, never fatal)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"
_DOUBLE_MARK = re.compile(f'[{OPEN_DOUBLE}{CLOSE_DOUBLE}"]')
_PARA = re.compile(r"\n\s*\n|\n(?=\s*[\"“„«‘'])")
_OPENER_BEFORE = set("([{—–-/:;,") | set(OPEN_DOUBLE)


def _opens_after(ch: str) -> bool:
    return ch.isspace() or ch in _OPENER_BEFORE


@dataclass
class Quote:
    """One quotation: `parts` are the inner spans (without marks), one per paragraph."""

    parts: list[tuple[int, int]]
    double: bool = True

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    def words(self, text: str) -> int:
        return sum(len(text[s:e].split()) for s, e in self.parts)


@dataclass
class QuoteScan:
    quotes: list[Quote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def containing(self, start: int, end: int) -> Quote | None:
        for q in self.quotes:
            if q.start - 1 <= start and end <= q.end + 1:
                return q
        return None

    def inside(self, pos: int) -> Quote | None:
        for q in self.quotes:
            for s, e in q.parts:
                if s <= pos < e:
                    return q
        return None


def scan(text: str) -> QuoteScan:
    result = QuoteScan()
    paragraphs = _paragraphs(text)
    open_quote: list[tuple[int, int]] | None = None  # parts so far of a quote still open
    for p_start, p_end in paragraphs:
        pos = p_start
        if open_quote is not None:
            # A quote left open at a paragraph's end continues only if this paragraph reopens it.
            first = _first_mark(text, p_start, p_end)
            if first is not None and _is_open_double(text, first):
                pos = first + 1
                seg_start = pos
            else:
                result.warnings.append(f"unbalanced quotation mark at {open_quote[0][0] - 1}")
                result.quotes.append(Quote(open_quote))
                open_quote = None
        if open_quote is None:
            seg_start = None
        while True:
            mark = _DOUBLE_MARK.search(text, pos, p_end)  # straight to the next mark, not letter by letter
            if mark is None:
                break
            pos = mark.start()
            ch = text[pos]
            if seg_start is None:
                if ch in CLOSE_DOUBLE and _reversed_opener(text, pos, p_end):
                    result.warnings.append(f"closing quotation mark used to open a quote at {pos}")
                    seg_start = pos + 1
                    open_quote = []
                elif ch in CLOSE_DOUBLE or (ch == '"' and not _is_open_double(text, pos)):
                    result.warnings.append(f"unbalanced quotation mark at {pos}")
                else:
                    seg_start = pos + 1
                    open_quote = []
            else:
                if ch in OPEN_DOUBLE and not (ch == "«"):
                    # "“ ... “" : a nested opener; treat as text.
                    pos += 1
                    continue
                parts = (open_quote or []) + [(seg_start, pos)]
                result.quotes.append(Quote(_trim_parts(text, parts)))
                seg_start = None
                open_quote = None
            pos += 1
        if seg_start is not None:
            open_quote = (open_quote or []) + [(seg_start, _rstrip(text, seg_start, p_end))]
            seg_start = None
    if open_quote:
        result.warnings.append(f"unbalanced quotation mark at {open_quote[0][0] - 1}")
        result.quotes.append(Quote(_trim_parts(text, open_quote)))
    result.quotes.extend(_single_quotes(text, paragraphs, result.quotes))
    result.quotes.sort(key=lambda q: q.start)
    result.quotes = [q for q in result.quotes if q.end > q.start]
    return result


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _PARA.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _first_mark(text: str, start: int, end: int) -> int | None:
    i = start
    while i < end and text[i].isspace():
        i += 1
    if i < end and (text[i] in OPEN_DOUBLE or text[i] == '"'):
        return i
    return None


def _is_open_double(text: str, pos: int) -> bool:
    ch = text[pos]
    if ch in OPEN_DOUBLE:
        return True
    if ch in CLOSE_DOUBLE:
        return False
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    if _opens_after(before):
        return not after.isspace()
    return False


def _reversed_opener(text: str, pos: int, p_end: int) -> bool:
    """'”Fear. I am afraid.”': a closing mark typed where a quote opens (after a space or at the start of a
    paragraph, before a word) and closed again later in the same paragraph."""
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    if not (_opens_after(before) and after.isalnum()):
        return False
    return any(c in CLOSE_DOUBLE for c in text[pos + 1:p_end])


def _single_quotes(text: str, paragraphs, doubles: list[Quote]) -> list[Quote]:
    """‘...’ or '...' at the top level (British style). Marks inside double quotes are quotes within
    quotes and belong to the outer quote; a mark between letters is an apostrophe."""
    found = []

    def in_double(i: int) -> bool:
        return any(q.start <= i < q.end for q in doubles)

    for p_start, p_end in paragraphs:
        i = p_start
        while i < p_end:
            ch = text[i]
            if ch in "‘'" and not in_double(i):
                before = text[i - 1] if i > 0 else " "
                after = text[i + 1] if i + 1 < len(text) else " "
                if _opens_after(before) and not after.isspace():
                    close = _single_close(text, i + 1, p_end)
                    if close is not None:
                        found.append(Quote([(i + 1, close)], double=False))
                        i = close + 1
                        continue
            i += 1
    return found


def _single_close(text: str, start: int, end: int) -> int | None:
    for j in range(start, end):
        if text[j] in "’'":
            after = text[j + 1] if j + 1 < len(text) else " "
            before = text[j - 1]
            if not before.isspace() and not after.isalnum():
                # "the Kids' toys" would close too early; requiring a space or punctuation after
                # keeps apostrophes inside words out, which is the common case.
                return j
    return None


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _trim_parts(text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in parts:
        while s < e and text[s].isspace():
            s += 1
        e = _rstrip(text, s, e)
        if e > s:
            out.append((s, e))
    return out or parts[:1]
