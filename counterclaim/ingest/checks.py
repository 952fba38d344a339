"""Decide whether raw input can be analysed, and say clearly why not."""
from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from functools import lru_cache

from ..settings import DEFAULT

MAX_BYTES = DEFAULT.max_article_bytes

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
) - {"a", "i", "in", "an", "so", "was", "will", "man", "also", "no", "me", "he", "to", "us", "see", "made", "die"}
# (Words as common in Spanish, Italian, German, Dutch or Polish prose as in English are left out: "El
# Gobierno acusó a Irán de ..." is not English for its two "a"s.)
_WORD = re.compile(r"[^\W\d_]+")
_MOJIBAKE = re.compile("[ÃÂâ][\u0080-\u00bf€™œ“”˜]")


# A byte-order mark names its encoding outright; UTF-32's little-endian mark begins with UTF-16's, so it
# is tried first. (Without a mark, UTF-16 is full of NUL bytes and is rightly taken for binary.)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, limit: int = MAX_BYTES, what: str = "one article") -> tuple[str | None, list[str]]:
    """Bytes to text. Returns (None, [reason]) when the bytes are not text at all, or more than `limit`."""
    if not data.strip():
        return None, ["empty input"]
    if len(data) > limit:
        return None, [f"input is {len(data):,} bytes, over the {limit:,}-byte limit for {what}"]
    marked = next((codec for bom, codec in _BOMS if data.startswith(bom)), None)
    if marked:
        try:
            text = data.decode(marked)
        except UnicodeDecodeError as err:
            return None, [f"undecodable input: a {marked.upper()} byte-order mark, but {err.reason} at byte {err.start}"]
        if not text.strip():
            return None, ["empty input"]
        if _control_ratio(text[:4096].encode("utf-8")) > 0.1:
            return None, ["binary input (not text)"]
        return text, _mojibake(text)
    if b"\x00" in data[:4096] or _control_ratio(data[:4096]) > 0.1:
        return None, ["binary input (not text)"]
    warnings: list[str] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        found = _detect(data)
        if found is None:
            return None, [f"undecodable input: not UTF-8 ({err.reason} at byte {err.start}) nor any encoding "
                          "charset-normalizer knows"]
        text, name = found
        warnings.append(f"not valid UTF-8 (byte {err.start}); decoded as {name} (detected)")
    return text, warnings + _mojibake(text)


def _mojibake(text: str) -> list[str]:
    if _MOJIBAKE.search(text):
        return ["text looks mis-encoded (UTF-8 read as Latin-1, e.g. 'Ã©'); offsets index it as found"]
    return []


def _detect(data: bytes) -> tuple[str, str] | None:
    """The text and the encoding's name, as charset-normalizer reads the bytes. Windows-1252, the commonest
    legacy encoding of English news, is the name given where it reads them into the same text (a Latin
    text fits several code pages), and where nearly every byte is ASCII: a few accented letters are too
    little for a detector to tell code pages apart ("café" read as Urdu), and too little for a wrong
    guess to cost much."""
    from charset_normalizer import from_bytes

    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and sum(b < 0x80 for b in data) >= 0.85 * len(data):
        return western, "Windows-1252"
    best = from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    if text == western:
        return text, "Windows-1252"
    codec = best.encoding
    return text, (f"Windows-{codec[2:]}" if re.fullmatch(r"cp125\d", codec) else codec.upper().replace("_", "-"))


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(sample)


# The languages told apart beyond English: those in which the parties to contested claims most often
# speak first (the accused's own agencies and ministries). Fewer candidates make lingua faster and surer.
LANGUAGES = ("ARABIC", "CHINESE", "DUTCH", "FRENCH", "GERMAN", "HEBREW", "HINDI", "ITALIAN", "JAPANESE", "KOREAN",
             "PERSIAN", "POLISH", "PORTUGUESE", "RUSSIAN", "SPANISH", "THAI", "TURKISH", "UKRAINIAN", "ENGLISH")
MIN_LETTERS = 12  # fewer letters than this say too little to tell a language by
_WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # kana, Han, Hangul syllables


def language(text: str) -> str:
    """'en' for English prose; else the ISO 639-1 code of the language lingua finds among LANGUAGES ('ko',
    'ru'); 'und' when there is too little to tell, or it is none of them, or English too broken to read."""
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if len(words) >= 5 and sum(w in _ENGLISH for w in words) / len(words) >= 0.12:
        return "en"
    if len(words) < 5 and any(w in _ENGLISH for w in words):
        return "en"
    # A Chinese, Japanese or Korean character says about as much as a short word: "伊朗向俄罗斯提供无人机" is
    # plainly Chinese.
    if sum(len(w) + 2 * len(_WIDE.findall(w)) for w in words) < MIN_LETTERS:
        return "und"
    found = _detector().detect_language_of(text[:2000])
    return found.iso_code_639_1.name.lower() if found is not None else "und"


def not_english(code: str) -> str | None:
    """The warning for an article that is not in English: None where it is read all the same (a language
    the multilingual encoder covers), else why it is stored but not analysed or threaded."""
    from ..nlp.lingual import covers

    if code == "und":
        return "text does not look like English or any language counterclaim reads; stored, not analysed"
    if covers(code):
        return None
    return (f"text is in {language_name(code)} ({code}); stored, not analysed or threaded: counterclaim reads "
            "English and the multilingual encoder's languages")


def language_name(code: str) -> str:
    """'Korean' for 'ko', 'Undetermined' for 'und'; the code itself where it names no language."""
    import pycountry

    found = pycountry.languages.get(**{"alpha_2" if len(code) == 2 else "alpha_3": code}) if len(code) in (2, 3) else None
    return found.name if found is not None else code


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in LANGUAGES)).build()


def text_id(text: str) -> str:
    """Stable id from the text alone, so the same article read twice (or from two formats) is one."""
    norm = " ".join(unicodedata.normalize("NFC", text).split()).lower()
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16]
