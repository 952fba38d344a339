"""Decide whether raw input can be analysed, and say clearly why not."""
from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_BYTES = 5_000_000  # a news article is tens of KB; megabytes mean a dump, not an article

# The most frequent English function words: in English prose they make up a third or more of the
# words, in other languages (even with English names and loanwords sprinkled in) almost none.
_ENGLISH = frozenset(
    "the of and to a in that is was he for it with as his on be at by i this had not are but from or "
    "have an they which one you were her all she there would their we him been has when who will "
    "more no if out so said what up its about into than them can only other new some could time "
    "these two may then do first any my now such like our over man me even most made after also "
    "did many before must through back years where much your way well down should because each "
    "just those people how too little state good very make world still own see men work long get "
    "here between both life being under never day same another know while last might us great old "
    "year off come since against go came right used take three".split()
)
_WORD = re.compile(r"[^\W\d_]+")
_MOJIBAKE = re.compile("[ÃÂâ][\u0080-\u00bf€™œ“”˜]")


def decode(data: bytes) -> tuple[str | None, list[str]]:
    """Bytes to text. Returns (None, [reason]) when the bytes are not text at all."""
    if not data.strip():
        return None, ["empty input"]
    if len(data) > MAX_BYTES:
        return None, [f"input is {len(data):,} bytes, over the {MAX_BYTES:,}-byte limit for one article"]
    if b"\x00" in data[:4096] or _control_ratio(data[:4096]) > 0.1:
        return None, ["binary input (not text)"]
    warnings: list[str] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        # Old news archives are often Windows-1252; decoding as it keeps every character readable.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return None, [f"undecodable input: not UTF-8 ({err.reason} at byte {err.start})"]
        warnings.append(f"not valid UTF-8 (byte {err.start}); decoded as Windows-1252")
    if _MOJIBAKE.search(text):
        warnings.append("text looks mis-encoded (UTF-8 read as Latin-1, e.g. 'Ã©'); offsets index it as found")
    return text, warnings


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(sample)


def language(text: str) -> str:
    """'en' for English prose, 'und' when it is not (or there is too little to tell)."""
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if len(words) < 5:
        return "en" if words and any(w in _ENGLISH for w in words) else "und"
    share = sum(w in _ENGLISH for w in words) / len(words)
    return "en" if share >= 0.12 else "und"


def text_id(text: str) -> str:
    """Stable id from the text alone, so the same article read twice (or from two formats) is one."""
    norm = " ".join(unicodedata.normalize("NFC", text).split()).lower()
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16]
