"""Hostile article texts: what a scraper, a feed or a careless user may hand the pipeline. Each kind is one
plain function of a `random.Random`, so the same generator serves the Hypothesis tests (a Random that
Hypothesis draws, through `strategy(kind)`) and the soak benchmark (`samples(n, seed)`, seeded and so the
same inputs on every run). Most kinds wrap their hostile part in English news prose: a text that does not
read as English is stored unanalysed, and would test nothing past the language check. Each text stays
under about 60 KB, except the 5,000-word sentence."""
from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

PROSE = [
    "The ministry said on Monday that troops had crossed the border near the village.",
    "Officials denied the report, calling it a fabrication spread by the opposition.",
    '"We will not accept these accusations," the president told reporters in the capital.',
    "According to the United Nations, more than 300 people were killed in the attack.",
    "The army has been accused of shelling the town, but it rejected the claim.",
    "A spokesman for the rebels said the ceasefire was holding, and that talks would resume next week.",
    "Russia denied that it had supplied weapons to the militia, the foreign ministry said in a statement.",
    "The governor's office did not respond to a request for comment.",
]
WORDS = ("the minister said that army troops border village report claim denied attack weapons government "
         "officials of and to in it was a on for by with spokesman ceasefire talks week police rebels "
         "statement president capital news agency reported killed people city north").split()
QUOTES = '"\'“”‘’«»„‟‹›「」『』〝〞＂'
PUNCTUATION = string.punctuation + "…—–¿¡«»·•‽、。，！？；：“”‘’‹›†‡§¶‰′″‴※⁂"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f\u2061\u2062\u2063\u2064\u034f"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ARABIC = ["قالت الوزارة إن القوات عبرت الحدود", "نفى المتحدث باسم الجيش التقرير", "الرئيس قال للصحفيين"]
HEBREW = ["הדובר אמר כי הכוחות חצו את הגבול", "הממשלה הכחישה את הדיווח", "לדברי המשטרה"]
# Code points from the corners of Unicode that break naive text handling: controls, combining marks,
# separators, private use, noncharacters, astral planes, tags, variation selectors, fullwidth forms.
RANGES = [(0x00, 0x1F), (0x7F, 0x9F), (0xA0, 0xFF), (0x300, 0x36F), (0x590, 0x6FF), (0x900, 0x97F),
          (0x1100, 0x11FF), (0x2000, 0x206F), (0x20D0, 0x20FF), (0x2E80, 0x2FDF), (0x3000, 0x303F),
          (0x4E00, 0x4FFF), (0xAC00, 0xAD00), (0xE000, 0xE0FF), (0xFDD0, 0xFDEF), (0xFE00, 0xFE0F),
          (0xFF00, 0xFFEF), (0xFFF0, 0xFFFF), (0x1D400, 0x1D7FF), (0x1F300, 0x1FAFF), (0xE0000, 0xE007F),
          (0xF0000, 0xF00FF), (0x10FF00, 0x10FFFF)]
MAX_BYTES = 60_000


def _prose(r: random.Random, k: int) -> list[str]:
    return [r.choice(PROSE) for _ in range(k)]


def _char(r: random.Random) -> str:
    """Any code point but a surrogate, from the awkward ranges most of the time."""
    if r.random() < 0.7:
        lo, hi = r.choice(RANGES)
        return chr(r.randint(lo, hi))
    c = r.randint(0, 0x10FFFF)
    return chr(c) if not 0xD800 <= c <= 0xDFFF else "\ufffd"


def random_unicode(r: random.Random) -> str:
    """Runs of arbitrary Unicode between, and inside, sentences that read as English."""
    bulk, parts = random.Random(r.getrandbits(32)), []
    for sentence in _prose(r, r.randint(1, 6)):
        noise = "".join(_char(bulk) for _ in range(r.randint(1, 200)))
        cut = r.randint(0, len(sentence))
        parts.append(r.choice([noise + sentence, sentence[:cut] + noise + sentence[cut:], sentence + noise]))
    return r.choice([" ", "\n", "\u2028", "\u2029", "\x85", "\r\n"]).join(parts)


def empty_quotes(r: random.Random) -> str:
    """Quotation marks with nothing, or only spaces, between them, where a quote and its speaker go."""
    forms = ['The minister said "".', '"" said the spokesman.', "He told reporters: ''", '"" "" ""',
             "The army said “” and «» and „“.", '"   ," the president said.', 'She said "\n\n".',
             "According to the police, “”.", '"" — the ministry', "“\u200b” said officials.", '"."',
             "The rebels denied ‘’, the agency reported."]
    picked = [r.choice(forms) for _ in range(r.randint(1, 12))]
    return " ".join(picked + _prose(r, r.randint(0, 3)))


def long_sentence(r: random.Random) -> str:
    """One sentence of 5,000 words, no full stop inside: a quote the parser cannot split."""
    bulk = random.Random(r.getrandbits(32))
    words = " ".join(bulk.choice(WORDS) for _ in range(5000))
    return r.choice([f'The spokesman said that {words}.', f'"{words}," the minister said.',
                     f"{words}", f"According to officials, {words}, the agency reported"])


def many_quotes(r: random.Random) -> str:
    """500 quotation marks: in one run, between words, or opened and never closed."""
    bulk = random.Random(r.getrandbits(32))
    marks = [bulk.choice(QUOTES) for _ in range(500)]
    form = r.randrange(4)
    if form == 0:
        body = "".join(marks)
    elif form == 1:
        body = " ".join(m + bulk.choice(WORDS) for m in marks)
    elif form == 2:
        body = " ".join(f'{m} said the minister' for m in marks)
    else:
        body = "".join(marks[:250]) + " the army denied the report " + "".join(marks[250:])
    return r.choice(PROSE) + " " + body + " " + r.choice(PROSE)


def no_speaker(r: random.Random) -> str:
    """Quotes that nobody is said to have said, and cues with nobody doing the saying."""
    forms = ['"The army shelled the village and killed twelve people."',
             '"We did nothing wrong," said.', 'Said: "the report is a lie."', '"It was not us," he said.',
             "“They will pay for this.”\n\n“We are ready.”", '— "The border is closed."',
             "Denied that troops had crossed the border.", 'Told reporters that "nothing happened".',
             '"The ceasefire is holding," according to.', "It was claimed that weapons had been supplied."]
    return " ".join(r.choice(forms) for _ in range(r.randint(1, 8)))


def only_punctuation(r: random.Random) -> str:
    """No word at all: punctuation, and the whitespace between it."""
    bulk = random.Random(r.getrandbits(32))
    n = r.choice([1, 3, 50, 1000, 20_000])
    return "".join(bulk.choice(PUNCTUATION + " \n\t") for _ in range(n)).strip() or "?!"


def right_to_left(r: random.Random) -> str:
    """Arabic and Hebrew beside English, with the Unicode direction overrides and isolates."""
    parts = []
    for sentence in _prose(r, r.randint(1, 5)):
        rtl = r.choice(ARABIC + HEBREW)
        mark, close = r.choice(BIDI), r.choice(BIDI)
        parts.append(r.choice([f'{sentence} {mark}"{rtl}"{close}', f'{mark}{rtl}{close} {sentence}',
                               f'{rtl}، {sentence}', f"{mark}{sentence}{close}", rtl]))
    return "\n".join(parts)


def zero_width(r: random.Random) -> str:
    """Zero-width and invisible characters inside words, quotes and cues ("sa\\u200bid"), or alone."""
    if r.random() < 0.1:
        return "".join(r.choice(ZERO_WIDTH) for _ in range(r.randint(1, 500)))
    out = []
    for sentence in _prose(r, r.randint(1, 6)):
        chars = list(sentence)
        for _ in range(r.randint(1, 20)):
            chars.insert(r.randint(0, len(chars)), r.choice(ZERO_WIDTH))
        out.append("".join(chars))
    return " ".join(out)


def html_fragments(r: random.Random) -> str:
    """Markup left in the text: tags, scripts, comments, entities, half a tag."""
    forms = ["<p>{s}</p>", "<script>alert('{s}')</script>", "<!-- {s} -->", "<b>{s}", "{s}</div></div>",
             "&quot;{s}&quot; &amp; &#8220;&#8221; &nbsp;", "<a href=\"javascript:alert(1)\">{s}</a>",
             "<![CDATA[{s}]]>", "<style>p {{ color: red }}</style>{s}", "<img src=x onerror=alert(1)>{s}",
             "<div class=\"quote\"\n>{s}<br/><br>", "{s} <", "<{s}>", "<table><tr><td>{s}</td></tr></table>"]
    return "\n".join(r.choice(forms).format(s=s) for s in _prose(r, r.randint(1, 8)))


def lone_surrogates(r: random.Random) -> str:
    """Unpaired UTF-16 surrogates, which no UTF-8 file holds but a JSON line's "\\ud800" escape gives."""
    out = []
    for sentence in _prose(r, r.randint(1, 4)):
        cut = r.randint(0, len(sentence))
        out.append(sentence[:cut] + chr(r.randint(0xD800, 0xDFFF)) + sentence[cut:])
    return " ".join(out)


KINDS: dict[str, Callable[[random.Random], str]] = {
    "unicode": random_unicode, "empty-quotes": empty_quotes, "long-sentence": long_sentence,
    "many-quotes": many_quotes, "no-speaker": no_speaker, "punctuation": only_punctuation,
    "right-to-left": right_to_left, "zero-width": zero_width, "html": html_fragments,
}
# Kinds only JSON Lines can carry (the text readers decode UTF-8, which has no lone surrogate): the soak
# feeds JSON Lines and sends them too; the pipeline tests, which take text as a file gives it, do not.
JSON_ONLY: dict[str, Callable[[random.Random], str]] = {"lone-surrogate": lone_surrogates}
ALL_KINDS = {**KINDS, **JSON_ONLY}


def _bounded(text: str, kind: str) -> str:
    """At most MAX_BYTES of UTF-8, so the test slice stays quick; the 5,000-word sentence is whole."""
    if kind == "long-sentence":
        return text
    data = text.encode("utf-8", "surrogatepass")
    return data[:MAX_BYTES].decode("utf-8", "ignore") if len(data) > MAX_BYTES else text


def make(kind: str, r: random.Random) -> str:
    """One hostile text of `kind`, drawn from `r`."""
    return _bounded(ALL_KINDS[kind](r), kind)


def strategy(kind: str | None = None) -> st.SearchStrategy[str]:
    """Hostile texts of one kind (or any kind), drawn by Hypothesis."""
    kinds = st.just(kind) if kind else st.sampled_from(sorted(KINDS))
    return st.builds(make, kinds, st.randoms(use_true_random=False))


def titles() -> st.SearchStrategy[str | None]:
    """A headline: none, or a short hostile text."""
    return st.none() | st.builds(_title, st.sampled_from(sorted(KINDS)), st.randoms(use_true_random=False))


def _title(kind: str, r: random.Random) -> str:
    """A hostile headline: a headline's length of the kind (none of a 5,000-word sentence)."""
    return "" if kind == "long-sentence" else make(kind, r)[:300]


@dataclass(frozen=True)
class Sample:
    id: str
    kind: str
    text: str
    title: str | None = None


def samples(n: int, seed: int = 0, kinds: list[str] | None = None) -> list[Sample]:
    """n hostile inputs of `kinds` (default: every kind a text file can hold) in turn, each from its own
    seeded generator: the same list on every run and machine, and sample i the same whatever n. Every
    third has a hostile headline too (a lone-surrogate text, one of its own kind)."""
    kinds = sorted(kinds or KINDS)
    out = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        r = random.Random(f"{seed}:{i}")
        text = make(kind, r)
        headline = kind if kind in JSON_ONLY else kinds[(i // 3) % len(kinds)]
        title = _title(headline, r) if i % 3 == 2 else None
        out.append(Sample(f"hostile-{seed}-{i:05d}-{kind}", kind, text, title or None))
    return out
