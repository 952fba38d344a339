"""A thread's status from who said what: one test per rule, on nodes built by hand, then on articles written
for these tests, read by the whole pipeline."""
import pytest
from test_threads import _node, _threads, _unit

from counterclaim.attribution.cues import is_verdict
from counterclaim.threads.relink import anonymous, speaker_keys


def _status(*nodes):
    [t] = _threads(list(nodes)).values()
    return t


def _accuser(i=1, date="2023-03-01"):
    return _node(i, date, country="UKR", keys=("IRN", "RUS"), subject=("IRN",))


def test_an_admission_by_the_party_the_claim_is_about_confirms():
    t = _status(_accuser(), _node(2, "2023-03-02", "deny", "IRN", negated=True),
                _node(3, "2023-04-10", country="IRN", cue="admit"))
    assert t.status == "confirmed" and t.status_history[-1]["because"] == "a3"


def test_a_partial_admission_does_not_confirm():
    # "We sent drones, but before the war": the party admits something else than the claim (far from it).
    far = _unit(5, near=1, noise=3.0)
    assert float(far @ _unit(1)) < 0.5
    t = _status(_accuser(), _node(2, "2023-03-02", "deny", "IRN", negated=True),
                _node(3, "2023-04-10", country="IRN", cue="admit", vec=far))
    assert t.status == "disputed"


def test_an_authoritys_finding_confirms_and_a_speakers_own_words_again_do_not():
    police = _node(2, "2023-03-05", country="GBR", cue="confirm")
    police.mentions[0].sector, police.mentions[0].actor = "COP", "GBRCOP"
    assert _status(_accuser(), police).status == "confirmed"
    # The one who made the claim saying it again, in so many words, is the claim, not its confirmation.
    again = _node(2, "2023-03-05", country="UKR", cue="confirm")
    again.mentions[0].speaker = "speaker 1"
    assert _status(_accuser(), again).status == "unverified"


def test_an_unnamed_official_confirms_nothing_on_the_record():
    def confirmed_by(anonymous):
        confirmation = _node(3, "2023-04-10", country="IRN", cue="confirm")
        confirmation.mentions[0].anonymous = anonymous
        return _status(_accuser(), _node(2, "2023-03-02", "deny", "IRN", negated=True), confirmation)

    assert confirmed_by(anonymous=True).status == "disputed"  # "a senior Iranian official confirmed ..."
    assert confirmed_by(anonymous=False).status == "confirmed"  # the ministry's spokesman, on the record


@pytest.mark.parametrize("name, role, unnamed", [
    (None, "senior U.S. intelligence official", True), (None, "source within the Lebanese Armed Forces", True),
    (None, "Police", False), (None, "police spokesman", False), ("John Kirby", "Pentagon official", False)])
def test_who_speaks_unnamed(name, role, unnamed):
    assert anonymous(name, role) is unnamed


def test_a_rep_answers_for_the_person_it_speaks_for():
    assert {"paul", "rudd"} <= speaker_keys(None, None, "rep for Paul Rudd")


def test_repetition_only_leaves_it_unverified():
    t = _status(*[_node(i, f"2023-03-0{i}", country=c) for i, c in enumerate(["UKR", "USA", "GBR", "FRA", "POL"], 1)])
    assert t.status == "unverified" and t.independent_sources == 5


def test_an_outlet_reporting_a_hoax_refutes_and_a_denial_after_it_changes_nothing():
    # The debunking article tells the story ("reports said ...") and gives its verdict on it.
    relay = _node(3, "2023-03-06", "report", "GBR", article="art5")
    verdict = _node(5, "2023-03-06", "deny", voice="outlet", keys=("IRN",), vec=_unit(7))
    verdict.text, verdict.checkable = "The report was a hoax spread by a satirical website", False
    denial = _node(4, "2023-03-07", "deny", "IRN", negated=True)
    t = _status(_accuser(), _node(2, "2023-03-02", "deny", "IRN", negated=True), relay, verdict, denial)
    assert t.status == "refuted" and t.status_history[-1] == {"date": "2023-03-06", "status": "refuted", "because": "c5",
                                                       "reason": "the outlet calls the story a hoax, a satire or a fake"}


def test_a_bare_denial_by_the_accused_disputes():
    t = _status(_accuser(), _node(2, "2023-03-02", "deny", "IRN", negated=True))
    assert t.status == "disputed"


def test_the_asserter_taking_it_back_retracts():
    t = _status(_accuser(), _node(2, "2023-03-02", "deny", "IRN", negated=True),
                _node(3, "2023-03-09", "deny", "UKR", cue="retract", negated=True))
    assert t.status == "retracted"


@pytest.mark.parametrize("text,verdict", [
    ("The story, which first ran on a satirical website, was a hoax.", True),
    ("Fact-checkers debunked the photo within hours.", True),
    ("The image turned out to be fake.", True),
    ("Police said the report was false.", True),
    ("The gang used fake passports to cross the border.", False),
    ("The fire alarm was a false alarm, the school said.", False),
    ("The minister resigned on Monday.", False),
])
def test_a_verdict_on_a_story_is_told_from_other_uses_of_the_words(text, verdict):
    assert is_verdict(text) == verdict


def test_told_as_done_is_the_past_not_the_foretold():
    from counterclaim.claims.assemble import _told_done
    from counterclaim.nlp import parse

    def done(text):
        return _told_done(next(iter(parse(text).sents)).root)

    assert done("The mayor resigned on Monday.") and done("The mayor has resigned.")
    assert done("The trawler was seized on Friday.")
    assert not done("The mayor will resign.") and not done("The mayor resigns.")
    assert not done("The film is slated to open in December.")


# --- on articles written for these tests --------------------------------------------------------------

CLAIM = """Title: Singer Mara Quell dies at 61, fan site says
Source: Celebrity Wire
Date: 2025-02-03

The pop singer Mara Quell has died at her home in Lisbon at the age of 61, a fan site reported on Monday.
The site said Mara Quell died in her sleep after a short illness. Her record label could not be reached for comment.
"""
HOAX = """Title: No, Mara Quell is not dead
Source: Daily Ledger
Date: 2025-02-04

Reports that the pop singer Mara Quell had died at her home in Lisbon spread quickly on Monday.
The story was a hoax that began on a satirical website, and Mara Quell is alive and well.
Her manager, Tomas Reyes, said the singer was rehearsing for her spring tour in Lisbon.
"""
RESIGN_1 = """Title: Port director to step down, officials say
Source: Harbour Times
Date: 2025-03-03

The director of the Port of Selvik, Ingrid Dahl, will resign within days over a dredging contract, two officials said on Monday.
Ingrid Dahl denied that she would resign. "I am not going anywhere," she told reporters at the port.
"""
RESIGN_2 = """Title: Port director Ingrid Dahl resigns over dredging contract
Source: Harbour Times
Date: 2025-03-10

Ingrid Dahl resigned as director of the Port of Selvik on Monday, a week after the dredging contract came to light.
The port board said it had accepted her resignation and named her deputy as acting director.
"""


def _store_of(tmp_path, *texts):
    from counterclaim.flow import ingest
    from counterclaim.ingest import make_article
    from counterclaim.settings import Settings
    from counterclaim.store.db import Store

    store = Store(tmp_path / "status.duckdb")
    articles = []
    for i, t in enumerate(texts):
        head, body = t.split("\n\n", 1)
        meta = dict(line.split(": ", 1) for line in head.splitlines())
        articles.append(make_article(body, id=f"s{i}", title=meta["Title"], source=meta["Source"],
                                     published=meta["Date"]))
    ingest(articles, store, Settings(workers=1))
    return store


def _thread_of(store, article):
    [tid] = {t for a, t in store.query("SELECT c.article_id, c.thread_id FROM claims c WHERE c.thread_id IS NOT NULL")
             if a == article} & {t["id"] for t in store.threads()}
    return store.thread(tid)


def test_written_hoax_is_refuted_by_the_outlet_that_debunks_it(tmp_path):
    store = _store_of(tmp_path, CLAIM, HOAX)
    t = _thread_of(store, "s0")
    assert t["status"] == "refuted", t
    assert t["status_history"][-1]["because"] == "s1:v1" and t["status_history"][-1]["date"] == "2025-02-04"
    store.close()


def test_written_foretold_resignation_reported_done_is_confirmed(tmp_path):
    store = _store_of(tmp_path, RESIGN_1, RESIGN_2)
    t = _thread_of(store, "s0")
    assert [h["status"] for h in t["status_history"]][-1] == "confirmed", t
    assert t["status_history"][-1]["date"] == "2025-03-10"
    store.close()


CAPTURE = """Title: Militants say they captured aid worker near Daran
Source: Frontier Post
Date: 2025-05-02

A militant group said on Friday that it had captured Lena Marsh, a British aid worker, near the town of Daran.
The group said Lena Marsh was captured on Thursday while travelling with a convoy of medical supplies.
Lena Marsh was captured near Daran, a spokesman for the group told a local radio station.
"""
SAFE = """Title: Aid worker Lena Marsh says she is safe after capture claim
Source: Evening Courier
Date: 2025-05-03

The militant group said on Friday that Lena Marsh had been captured near Daran.
Lena Marsh said on Saturday that she was safe and well at her charity's office in the capital, and that she had not been near Daran for a month.
Her charity said she had been working in the capital all week.
"""


def test_written_capture_is_refuted_by_the_person_it_befell(tmp_path):
    # What befell a person, that person says did not: first-hand evidence, not an accused party's denial
    # (the mayor's denial of the payments leaves his story disputed: tests/test_stories.py).
    store = _store_of(tmp_path, CAPTURE, SAFE)
    t = _thread_of(store, "s0")
    assert t["status"] == "refuted", t
    last = t["status_history"][-1]
    assert last["date"] == "2025-05-03" and last["reason"] == "the person it befell says it did not"
    assert last["because"].startswith("s1:a")
    store.close()


def test_what_befell_a_person_is_told_from_an_accusation():
    from counterclaim.threads.link import BEFELL, UNHARMED

    assert BEFELL.match("Gill Rosenberg was captured near Kobani") and BEFELL.match("The singer has died at 61")
    assert not BEFELL.match("Mayor Anton Kessler had taken money from Harrowgate Developments")
    assert not BEFELL.match("the rebels had fired mortars into Kelem")
    assert UNHARMED.search("she was safe and well") and UNHARMED.search("I am still alive")
    assert not UNHARMED.search("the payments were well documented")
