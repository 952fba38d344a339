"""Article-level stance toward a claim, on the example stories."""
from counterclaim.ingest import Rejected, iter_articles
from counterclaim.pipeline import analyze_many
from counterclaim.stance import claim_key, stance
from conftest import EXAMPLES

CLAIM = "Iran supplied drones to Russia"


def stances(*names):
    arts = [a for a in iter_articles([EXAMPLES / n for n in names]) if not isinstance(a, Rejected)]
    key = claim_key(CLAIM)
    assert key == "IRN|supply|RUS|arms"
    return {a.article.path.rsplit("/", 1)[-1]: stance(CLAIM, a, key) for a in analyze_many(arts)}


def test_admission_agrees_dispute_is_discussed_and_other_stories_are_unrelated():
    got = stances("drones-3.txt", "drones-1.txt", "radars-1.txt", "council-bikes.txt")
    assert got["drones-3.txt"].label == "agree"
    assert got["drones-1.txt"].label == "discuss"
    assert got["radars-1.txt"].label == "unrelated" and got["council-bikes.txt"].label == "unrelated"
    admitted = got["drones-3.txt"]
    assert any("admitted" in s for s in admitted.evidence)
    assert abs(sum(admitted.probabilities.values()) - 1) < 0.01


def test_a_denial_only_article_disagrees():
    from counterclaim.pipeline import analyze_text

    a = analyze_text('"We have never sent drones to Russia," the Iranian foreign ministry spokesman said on Monday.')
    s = stance(CLAIM, a, claim_key(CLAIM))
    assert s.label == "disagree" and s.evidence
