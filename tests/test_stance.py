"""Article-level stance toward a claim, on the example stories and on sentences written for each case."""
import pytest

from counterclaim.ingest import Rejected, iter_articles
from counterclaim.pipeline import analyze_many, analyze_text
from counterclaim.stance import stance
from conftest import EXAMPLES

CLAIM = "Iran supplied drones to Russia"


def stances(*names):
    arts = [a for a in iter_articles([EXAMPLES / n for n in names]) if not isinstance(a, Rejected)]
    return {a.article.path.rsplit("/", 1)[-1]: stance(CLAIM, a) for a in analyze_many(arts)}


def test_admission_is_an_assertion_by_the_accused_and_other_stories_are_unrelated():
    got = stances("drones-3.txt", "drones-1.txt", "radars-1.txt", "council-bikes.txt")
    assert got["drones-3.txt"].label in ("agree", "discuss")
    assert any(v["stance"] == "assert" and v["first_hand"] for v in got["drones-3.txt"].voices)
    assert got["drones-1.txt"].label != "unrelated"
    assert got["radars-1.txt"].label == "unrelated" and got["council-bikes.txt"].label == "unrelated"
    admitted = got["drones-3.txt"]
    assert any("admitted" in s for s in admitted.evidence)
    assert abs(sum(admitted.probabilities.values()) - 1) < 0.01


# One case each, in words written for these tests: (claim, article text, the labels a reader could give
# the article's own position, the stance of the voice that speaks to the claim first, and whether that voice
# is a party the claim is about). An article that relays a denial takes no side itself (FNC-1's "discuss")
# or sides with it ("disagree"); it never agrees, and the denial is among its voices either way.
CASES = {
    "flat denial": (CLAIM, '"We have never sent drones to Russia," the Iranian foreign ministry spokesman said on '
                           "Monday, adding that Tehran was neutral in the war.", {"disagree", "discuss"}, "deny", True),
    "denial by the accused with another account": (
        "The trawler was spying on the naval base",
        "The owners of the trawler detained near the naval base said on Tuesday that it was not spying. "
        "The vessel was on a routine fishing trip and its nets were full of mackerel, they said, and they "
        "denied that any cameras or radios were found on board.", {"disagree", "discuss"}, "deny", True),
    "reports called baseless": (
        "The transport minister took bribes from a construction firm",
        "The transport minister on Wednesday called reports that he took bribes from a construction firm "
        "baseless and said he would sue the newspaper that printed them. The firm also rejected the claims.",
        {"disagree", "discuss"}, "deny", True),
    "hedge": (
        "Hackers stole the airline's customer records",
        "Police said they could not confirm reports that hackers stole the airline's customer records last week. "
        "Investigators are still examining the airline's servers, a spokeswoman said, and no data has been "
        "found for sale.", {"discuss"}, "question", False),
    "a report that only relays": (
        "The mayor took payments from a property developer",
        "A local newspaper reported on Thursday that the mayor took payments from a property developer, citing "
        "two unnamed officials. The mayor's office did not respond to requests for comment, and the developer "
        "could not be reached.", {"discuss"}, "report", False),
    "another matter": (
        "The mayor took payments from a property developer",
        "The city's football club won its third match in a row on Saturday, with two goals in the second half. "
        "Fans celebrated in the main square until late at night.", {"unrelated"}, None, False),
}


# A known miss of the shipped model (issue 14 counts it): a hedge beside "no data has been found" reads as
# disagreement. The voices are right and are checked; the label is not. It sits on the line: some
# machines' kernels read it right, so a miss there is an expected failure and a hit is no error.
MISSES = {"hedge"}


@pytest.mark.parametrize("case", list(CASES))
def test_each_stance_case(case):
    claim, text, labels, voice, first = CASES[case]
    s = stance(claim, analyze_text(text))
    assert abs(sum(s.probabilities.values()) - 1) < 0.01
    if voice is None:
        assert not s.voices and not s.evidence
    else:
        assert s.voices and s.voices[0]["stance"] == voice and s.voices[0]["first_hand"] == first, s.voices
        assert s.evidence
    if case in MISSES and s.label not in labels:
        pytest.xfail(f"known miss of the model, on the line: {s.probabilities}")
    assert s.label in labels, (case, s.probabilities)


def test_the_classifier_tells_related_from_unrelated_on_texts_unlike_its_training():
    from counterclaim.stance.classifier import load

    model = load()
    council = (EXAMPLES / "council-bikes.txt").read_text()
    assert model.predict(CLAIM, council).label == "unrelated"
    related = model.predict(CLAIM, (EXAMPLES / "drones-1.txt").read_text())
    assert related.label != "unrelated" and any("drones" in s for s in related.evidence)
    assert abs(sum(related.probabilities.values()) - 1) < 0.01


def test_related_in_other_words_by_meaning():
    """No content word shared with the claim: the encoder still finds the article related."""
    from counterclaim.stance.classifier import load

    body = ("Pyongyang has been shipping artillery ammunition to Moscow by rail, a US spokesman said, citing "
            "intelligence. The government in Pyongyang dismissed the accusation as a groundless rumour.")
    assert load().predict("North Korea supplies shells to Russia", body).label != "unrelated"


def test_a_titled_article_also_gets_its_headline_stance():
    a = analyze_text("Tehran said on Monday it had never sent drones to Russia.", title="Iran denies sending drones")
    s = stance(CLAIM, a)
    assert set(s.headline) == {"for", "against", "observing"} and abs(sum(s.headline.values()) - 1) < 0.01


FNC_BODIES = [("1", "The health ministry confirmed on Friday that the new bridge over the river is safe. Engineers "
                    "inspected every cable and found no damage after the storm, the ministry said."),
              ("2", "Officials denied reports that the bridge had been damaged. 'The story is false,' a ministry "
                    "spokesman said, calling the claim a hoax spread online.")]
FNC_STANCES = [("Storm damaged the river bridge", "1", "disagree"), ("Storm damaged the river bridge", "2", "disagree"),
               ("Bridge over the river declared safe after inspection", "1", "agree"),
               ("Local team wins the cup final", "2", "unrelated")]


def test_eval_stance_on_fnc_files_prints_the_scores_and_writes_predictions(tmp_path):
    import csv

    from test_cli import cc

    bodies, stances, out = tmp_path / "bodies.csv", tmp_path / "stances.csv", tmp_path / "pred.csv"
    with bodies.open("w", newline="") as f:
        csv.writer(f).writerows([("Body ID", "articleBody"), *FNC_BODIES])
    with stances.open("w", newline="") as f:
        csv.writer(f).writerows([("Headline", "Body ID", "Stance"), *FNC_STANCES])
    proc = cc("eval", "stance", "--fnc-bodies", bodies, "--fnc-stances", stances, "--predictions", out)
    assert "4 pairs: accuracy" in proc.stdout and "relative" in proc.stdout and "disagree" in proc.stdout
    rows = list(csv.DictReader(out.open()))
    assert [r["Headline"] for r in rows] == [s[0] for s in FNC_STANCES]
    assert {r["Predicted"] for r in rows} <= {"agree", "disagree", "discuss", "unrelated"}
    assert rows[3]["Predicted"] == "unrelated"
    ids = tmp_path / "ids.txt"
    ids.write_text("2\n")
    only = cc("eval", "stance", "--fnc-bodies", bodies, "--fnc-stances", stances, "--body-ids", ids, "--text-only")
    assert "2 pairs" in only.stdout
    assert cc("eval", "stance", "--fnc-bodies", bodies, check=False).returncode == 2
    assert cc("eval", "stance", "--emergent", tmp_path / "missing.csv", check=False).returncode == 2


def test_eval_stance_on_emergent_scores_the_shipped_model_or_cross_validates_by_claim(tmp_path):
    import csv

    from test_cli import cc

    heads = {"for": "{c}, officials confirm", "against": "Hoax: no, {c} is false", "observing": "Reports say {c}"}
    claims = ["a tiger escaped from the zoo", "the mayor resigned", "a comet will hit the moon", "the river flooded the town"]
    path = tmp_path / "emergent.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["", "claimHeadline", "articleHeadline", "articleHeadlineStance", "articleId", "claimId"])
        for i, c in enumerate(claims):
            for label, h in heads.items():
                w.writerow([i, c.capitalize(), h.format(c=c), label, f"a{i}{label}", f"c{i}"])
    out = tmp_path / "pred.csv"
    proc = cc("eval", "stance", "--emergent", path, "--cv", "--folds", "2", "--predictions", out)
    assert "12 pairs: accuracy" in proc.stdout and "observing" in proc.stdout
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 12 and {r["Predicted"] for r in rows} <= {"for", "against", "observing"}
    # Without --cv: the shipped headline model, trained on Emergent train, scores the rows as they are.
    shipped = cc("eval", "stance", "--emergent", path, "--predictions", out)
    assert "12 pairs: accuracy" in shipped.stdout
    assert [r["Predicted"] for r in csv.DictReader(out.open())][1] == "against"  # "Hoax: no, ... is false"


def test_stance_over_a_store_lists_the_related_articles_first(tmp_path):
    import re

    from test_cli import cc

    db = tmp_path / "s.duckdb"
    cc("analyze", EXAMPLES / "drones-1.txt", EXAMPLES / "drones-3.txt", EXAMPLES / "council-bikes.txt",
       EXAMPLES / "garden-show.txt", "--db", db, "--quiet")
    proc = cc("stance", "--claim", CLAIM, "--db", db)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("4 articles:") and "2 unrelated" in lines[0]
    shown = [line for line in lines[1:] if not line.startswith("    ")]
    assert len(shown) == 2 and all(re.search(r": (agree|disagree|discuss)   \(", line) for line in shown)
    assert any("Tehran" in line or "drone" in line.lower() for line in lines[1:])
    assert cc("stance", "--claim", CLAIM, check=False).returncode == 2  # neither files nor a store
