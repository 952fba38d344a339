"""The parse: counterclaim's attribute and lemma tables annotate exactly as spaCy's stock components do."""
from __future__ import annotations

import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG

from counterclaim import nlp
from counterclaim.nlp import tables

from conftest import EXAMPLES, SHARED

COLUMNS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]
# Words the attribute ruler's exceptions are about: contractions, its regular expressions ("n't",
# "nothin'", "y'"), two-word rules ("there's", "gon na"), space tokens, "gets"/"got", possessives.
TRICKY = ("There's no way they didn't know. Y'all ain't seen nothin' yet, she said.\n\n"
          "He gets what he got; we're gonna wanna see it.  Its owner's dog, and hers, can't swim \t at all. "
          "Whose is it? That 's theirs, isn't it? 'Tis the season. I'd've gone, wouldn't you?\n")


def annotations(doc) -> tuple:
    return (doc.to_array(COLUMNS).tolist(), [str(t.morph) for t in doc], [t.lemma_ for t in doc])


@pytest.fixture(scope="module")
def pipelines():
    stock = spacy.load(nlp.MODEL)
    fast = spacy.load(nlp.MODEL)
    assert tables.install(fast) == ["attribute_ruler", "lemmatizer"]
    return stock, fast


def texts() -> list[str]:
    found = [TRICKY, "", "   ", "Hello"] + [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.txt"))]
    dev = SHARED / "data" / "polnear" / "dev" / "text"
    return found + [p.read_text(encoding="utf-8") for p in sorted(dev.glob("*.txt"))[:20]]


def test_tables_give_the_stock_annotations(pipelines):
    stock, fast = pipelines
    corpus = texts()
    assert len(corpus) > 10
    for text, a, b in zip(corpus, stock.pipe(corpus), fast.pipe(corpus)):
        assert annotations(a) == annotations(b), text[:80]


def test_tables_give_the_same_annotations_on_a_second_pass(pipelines):
    """What the tables keep from one article does not change the next one's annotations."""
    stock, fast = pipelines
    for _ in range(2):
        assert annotations(stock(TRICKY)) == annotations(fast(TRICKY))


def test_the_product_pipeline_uses_the_tables():
    names = nlp.load().pipe_names
    assert "attribute_table" in names and "lemma_table" in names
    assert "attribute_ruler" not in names and "lemmatizer" not in names
    doc = nlp.parse("The ministry denied that the drones were built for surveillance.")
    assert [t.lemma_ for t in doc][:3] == ["the", "ministry", "deny"]
    assert doc[2].pos_ == "VERB" and str(doc[2].morph) == "Tense=Past|VerbForm=Fin"


def test_a_ruler_the_tables_cannot_model_keeps_the_stock_component():
    model = spacy.blank("en")
    ruler = model.add_pipe("attribute_ruler")
    ruler.add([[{"LENGTH": 3}]], {"POS": "NOUN"})  # LENGTH is not one of the attributes the tables read
    assert tables.compile_rules(ruler) is None
    assert tables.install(model) == []
    assert model.pipe_names == ["attribute_ruler"]


def test_tables_that_forget_what_they_kept_still_annotate_alike(pipelines, monkeypatch):
    """A long-running process empties the tables now and then (MAX_KEPT): the next articles lose nothing."""
    stock, fast = pipelines
    monkeypatch.setattr(tables, "MAX_KEPT", 5)
    corpus = [TRICKY] + [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.txt"))[:3]]
    for _ in range(2):
        for text in corpus:
            assert annotations(stock(text)) == annotations(fast(text))
