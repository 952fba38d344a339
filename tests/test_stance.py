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


def test_the_classifier_tells_related_from_unrelated_on_texts_unlike_its_training():
    from counterclaim.stance.classifier import load

    model = load()
    council = (EXAMPLES / "council-bikes.txt").read_text()
    assert model.predict(CLAIM, council).label == "unrelated"
    related = model.predict(CLAIM, (EXAMPLES / "drones-1.txt").read_text())
    assert related.label != "unrelated" and any("drones" in s for s in related.evidence)
    assert abs(sum(related.probabilities.values()) - 1) < 0.01


def test_a_titled_article_also_gets_its_headline_stance():
    from counterclaim.pipeline import analyze_text

    a = analyze_text("Tehran said on Monday it had never sent drones to Russia.", title="Iran denies sending drones")
    s = stance(CLAIM, a, claim_key(CLAIM))
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


def test_eval_stance_on_emergent_cross_validates_by_claim(tmp_path):
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
    proc = cc("eval", "stance", "--emergent", path, "--folds", "2", "--predictions", out)
    assert "12 pairs: accuracy" in proc.stdout and "observing" in proc.stdout
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 12 and {r["Predicted"] for r in rows} <= {"for", "against", "observing"}


def test_fnc_dev_scores_reach_the_aims(shared):
    """The shipped classifier on FNC-1's dev split (bodies in dev_body_ids.txt; never trained on)."""
    from counterclaim.evaluate.stance import FNC_LABELS, read_fnc, report
    from counterclaim.stance.classifier import load

    fnc = shared / "data" / "fnc-1"
    dev_ids = set((fnc / "dev_body_ids.txt").read_text().split())
    pairs = [p for p in read_fnc(fnc / "train_bodies.csv", fnc / "train_stances.csv") if p.group in dev_ids]
    model = load()
    r = report([p.label for p in pairs], [model.predict(p.headline, p.body).label for p in pairs], FNC_LABELS)
    assert r["fnc_relative"] >= 0.87 and r["macro_f1"] >= 0.70
