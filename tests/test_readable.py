"""A thread a journalist can read: speakers are people, bodies, roles or outlets, and claims are sentences
that stand alone, on sentences written for these tests."""
import pytest

from counterclaim.evaluate.readable import junk_side, stands_alone
from counterclaim.ingest import make_article
from counterclaim.pipeline import analyze, analyze_text


def _speakers(text, source=None):
    a = analyze(make_article(text, source=source)) if source else analyze_text(text)
    return {x.content[0].text: x.speaker for x in a.attributions}


def test_a_pronoun_with_no_antecedent_is_the_outlets_voice():
    by = _speakers('"The bridge will be closed for a month," it said on Tuesday.', source="Valley Gazette")
    [sp] = by.values()
    assert sp.name == "Valley Gazette" and sp.role is None


def test_a_document_without_an_author_is_the_outlets_voice_and_with_one_its_author():
    by = _speakers("Pictures taken from a patrol aircraft showed that the nets had never been lowered. "
                   "A Reddit post claimed that the mayor had resigned.", source="Harbour Times")
    assert [sp.name for sp in by.values()] == ["Harbour Times", "Reddit"]


def test_a_possessive_names_its_owner():
    by = _speakers("Josh Paler Lin posted the video on Monday. His attorney said the video was staged.")
    [sp] = by.values()
    assert sp.name is None and sp.role == "Josh Paler Lin's attorney"


def test_a_possessive_in_a_claims_subject_is_the_speakers_side():
    claims = analyze_text("Russia denied that its intelligence services had hacked the commission. "
                          '"Our forces never shelled the village," the army said.').claims
    assert [c.text for c in claims if c.voice == "attribution"] == [
        "Russia's intelligence services had hacked the commission", "Russia's forces shelled the village"]


def test_a_pronoun_resolves_to_its_antecedent_first():
    by = _speakers("Mayor Anton Kessler spoke to reporters on Monday. He said that he had never taken money "
                   "from the developer.", source="Brennford Courier")
    assert [sp.name for sp in by.values()] == ["Anton Kessler"]


def test_with_no_outlet_named_a_voice_with_no_name_is_on_no_side():
    from counterclaim.threads.link import _side
    from test_threads import _node

    nameless = _node(1, "2024-01-01").mentions[0]
    nameless.speaker, nameless.actor, nameless.country = None, None, None
    sides = {}
    _side(sides, "unknown", nameless)
    assert sides == {}


@pytest.mark.parametrize("text,claim", [
    ("Officials said Helen Varga was preparing to resign within days.", "Helen Varga will resign within days"),
    ("Analysts expect the Apple Watch to ship in April.", "the Apple Watch will ship in April"),
    ("Police believe about 500 Britons to be fighting in Syria.", "500 Britons are fighting in Syria"),
    ("Witnesses said the man is alleged to have slapped an elderly woman.", "the man has slapped an elderly woman"),
    ("Kessler said he had never taken money from the developer.", "Kessler had taken money from the developer"),
])
def test_an_infinitive_or_a_pronoun_subject_is_told_as_a_statement(text, claim):
    [c] = [c for c in analyze_text(text).claims if c.voice == "attribution"]
    assert c.text == claim


@pytest.mark.parametrize("text,claim,whole", [
    # "he" of a speaker who is no person is the one person named just before; a place tagged as a person is none.
    ("Greta Holm, a farmer from Lund, was found by the river on Monday. Police said he had been drinking before "
     "the storm.", "Greta Holm had been drinking before the storm", True),
    ("Police in Lund said his car had been found near the river.", "his car had been found near the river", False),
    # A clitic after a replaced "we" is spelled out, and a plural verb agrees with the one party named.
    ("The ministry of defence in Moscow said: \"We'll never send troops to the border.\"",
     "Russia will send troops to the border", True),
    ("The Kremlin said: \"We only turn to diplomacy.\"", "Russia only turns to diplomacy", True),
    ("The Kremlin said: \"We'd searched the house before the fire.\"", "Russia had searched the house before the fire",
     True),
    ("The Kremlin said: \"We'd never send troops there.\"", "Russia would send troops there", True),
    # One proposition: a second act after a comma is cut off.
    ("An opposition councillor said that Mayor Anton Kessler had taken money from a developer, and called for "
     "an inquiry.", "Mayor Anton Kessler had taken money from a developer", True),
    ("Officials said the company was expected to close its plant.", "the company will close its plant", True),
    ("The union accused the company of closing the plant.", "the company closing the plant", False),
])
def test_a_claim_knows_whether_it_reads_whole(text, claim, whole):
    [c] = [c for c in analyze_text(text).claims if c.voice == "attribution"]
    assert (c.text, c.whole) == (claim, whole)


def test_a_thread_tells_a_claim_that_reads_whole_when_nearly_as_central():
    import numpy as np

    from test_threads import _node

    from counterclaim.threads.link import _central

    fragment, again, sentence = _node(1, "2024-01-01"), _node(2, "2024-01-01"), _node(3, "2024-01-02")
    fragment.text, fragment.whole, fragment.vector = "to close the plant", False, np.array([1.0, 0.0])
    again.text, again.whole, again.vector = "to shut the plant", False, np.array([1.0, 0.0])
    sentence.text, sentence.vector = "the company will close the plant", np.array([0.8, 0.6])
    nodes = [fragment, again, sentence]
    assert not _central(nodes, 2.0, 1.0).whole
    assert _central(nodes, 2.0, 0.85) is sentence
    sentence.vector = np.array([0.0, 1.0])  # too far from the thread's centre to speak for it
    assert not _central(nodes, 2.0, 0.85).whole


def test_an_indirect_question_is_no_claim():
    [c] = [c for c in analyze_text("Reporters asked how her operation was going.").claims if c.voice == "attribution"]
    assert not c.checkable


@pytest.mark.parametrize("name,junk", [
    ("it", "pronoun-led"), ("One of them", "pronoun-led"), ("its disclaimer", "pronoun-led"), (None, "no name"),
    ("pictures, taken from a patrol aircraft", "a document or thing"), ("Claim", "a document or thing"),
    ("a man who says he recorded audio of gunfire at the time", "sentence-long"),
    ("Lars Eide", None), ("some arachnid experts", None), ("The Post", None), ("ministry spokeswoman", None),
    ("source familiar with the story", None), ("a person exhibiting symptoms of Ebola", None),
])
def test_the_junk_rule(name, junk):
    from counterclaim.nlp import parse

    assert junk_side(name, parse) == junk


def test_the_stands_alone_rule():
    from counterclaim.nlp import parse

    assert stands_alone(parse("Helen Varga will leave the government"))
    assert not stands_alone(parse("its forces had shelled the village"))
    assert not stands_alone(parse("Helen Varga to leave the government"))
    assert not stands_alone(parse("who I was"))


@pytest.mark.parametrize("text,name,role", [
    ('"The ship was spying," one of them said.', "Harbour Times", None),
    ("Others said the ship was spying.", "Harbour Times", None),
    ("A report in the Free Beacon said the ship was spying.", "the Free Beacon", None),
    ("A report on Tuesday said the ship was spying.", "Harbour Times", None),
    ("Video footage released by Isis showed that the pilot was alive.", "Isis", None),
])
def test_quantifiers_and_documents_name_whom_they_stand_for(text, name, role):
    [sp] = _speakers(text, source="Harbour Times").values()
    assert (sp.name, sp.role) == (name, role)
