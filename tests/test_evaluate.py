"""The PolNeAR scorer and `counterclaim eval attribution`, on a tiny folder in PolNeAR's layout written here."""
import subprocess
import sys

import pytest

from counterclaim.evaluate.polnear import Relation, Scores, parse_ann, read, score_document

TEXT = ('The minister said the bridge would reopen in May. "Traffic will be heavy," officials warned.\n'
        'Weather was mild.\n')
ANN = "\n".join([
    "T1\tSource 0 12\tThe minister",
    "T2\tCue 13 17\tsaid",
    "T3\tContent 18 48\tthe bridge would reopen in May",
    "T4\tAttribution 13 17\tsaid",
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
    "T5\tContent 51 72\tTraffic will be heavy",
    "T6\tSource 75 84\tofficials",
    "T7\tCue 85 91\twarned",
    "T8\tAttribution 85 91\twarned",
    "E2\tAttribution:T8 Content:T5 Cue:T7 Source:T6",
]) + "\n"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "local_2016-01-01_bridge.txt").write_text(TEXT)
    (tmp_path / "attributions" / "local_2016-01-01_bridge_ab12.ann").write_text(ANN)
    return tmp_path


def test_reader_and_perfect_score(folder):
    [doc] = list(read(folder))
    assert [TEXT[r.cue[0][0]:r.cue[0][1]] for r in doc.relations] == ["said", "warned"]
    scores = Scores()
    score_document(doc.text, doc.relations, doc.relations, scores)
    assert all(f == 1.0 for _, _, _, f, _, _ in scores.table())


def test_partial_score():
    gold = parse_ann(ANN)
    pred = [Relation(cue=((13, 17),), source=((4, 12),), content=((18, 30),)),  # overlaps, not exact
            Relation(cue=((0, 3),), source=None, content=((60, 70),))]  # a wrong cue
    scores = Scores()
    score_document(TEXT, gold, pred, scores)
    s = scores.spans
    assert (s["cue/exact"].tp_pred, s["cue/exact"].pred, s["cue/exact"].gold) == (1, 2, 2)
    assert s["source/exact"].tp_pred == 0 and s["source/overlap"].tp_pred == 1
    assert s["content/overlap"].tp_pred == 2  # the wrong cue's content still overlaps a gold content
    assert (scores.relations.tp_pred, scores.relations.pred) == (1, 2)


def test_eval_command_prints_scores_and_writes_predictions(folder, tmp_path):
    out = tmp_path / "pred.jsonl"
    proc = subprocess.run([sys.executable, "-m", "counterclaim.cli.main", "eval", "attribution", "--polnear", str(folder),
                           "--predictions", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for row in ("cue/exact", "source/overlap", "content/overlap", "attribution"):
        assert row in proc.stdout
    line = out.read_text().splitlines()
    assert len(line) == 1 and '"said"' in line[0]


def test_eval_command_refuses_a_folder_without_polnear_layout(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "counterclaim.cli.main", "eval", "attribution", "--polnear", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "text/ and attributions/" in proc.stderr


def test_polnear_dev_quality_does_not_regress(shared):
    """A guard on the first 20 PolNeAR dev documents (full dev figures: `make eval-attribution`)."""
    from counterclaim.evaluate.polnear import relations_of
    from counterclaim.ingest import make_article
    from counterclaim.pipeline import analyze_many

    docs = list(read(shared / "data" / "polnear" / "dev"))[:20]
    articles = [make_article(d.text, id=d.name) for d in docs]
    for a in articles:
        a.language = "en"
    scores = Scores()
    for d, analysis in zip(docs, analyze_many(articles)):
        score_document(d.text, d.relations, relations_of(analysis), scores)
    assert scores.spans["cue/overlap"].f1 >= 0.72
    assert scores.spans["source/overlap"].f1 >= 0.72
    assert scores.spans["content/overlap"].f1 >= 0.70
    assert scores.relations.f1 >= 0.64


def test_annotator_agreement_scores_each_annotator_against_the_others(folder):
    from counterclaim.evaluate.polnear import agreement

    assert agreement(folder).documents == 0  # one annotator: nothing to compare
    # A second annotator who found the first attribution but not the second.
    (folder / "attributions" / "local_2016-01-01_bridge_cd34.ann").write_text("\n".join(ANN.splitlines()[:5]) + "\n")
    scores = agreement(folder)
    assert scores.documents == 2  # both orders
    cue = scores.spans["cue/exact"]
    assert (cue.tp_pred, cue.pred, cue.gold) == (2, 3, 3)
    assert round(cue.f1, 3) == round(2 / 3, 3)
    proc = subprocess.run([sys.executable, "-m", "counterclaim.cli.main", "eval", "attribution", "--polnear", str(folder),
                           "--agreement"], capture_output=True, text=True)
    assert proc.returncode == 0 and "Annotators against one another" in proc.stdout
    assert "The extractor against each annotator of those texts, 2 annotations" in proc.stdout


def test_the_extractor_is_scored_against_each_annotator_like_an_annotator(folder):
    from counterclaim.evaluate.polnear import against_each_annotator

    (folder / "attributions" / "local_2016-01-01_bridge_cd34.ann").write_text("\n".join(ANN.splitlines()[:5]) + "\n")
    # An extractor that finds what the first annotator found is, against both, what that annotator is.
    scores = against_each_annotator(folder, {"local_2016-01-01_bridge": parse_ann(ANN)})
    assert scores.documents == 2
    cue = scores.spans["cue/exact"]
    assert (cue.tp_pred, cue.pred, cue.gold) == (3, 4, 3)
    assert scores.relations.recall == 1.0 and scores.relations.precision == 0.75
    assert against_each_annotator(folder, {}).documents == 0  # texts with no prediction are left out


PLOVER_GOLD = [
    {"id": "doc", "event": "DOCUMENT", "eventText": "internal documentation"},
    {"id": "r1", "event": "DEMAND", "text": "The Danish government demanded that Iceland return the manuscripts.",
     "source": [{"code": "DNKGOV"}], "target": [{"code": "ISL"}]},
    {"id": "r2", "event": "AGREE", "text": "Japan agreed to resume fishing talks with Korea.",
     "source": [{"code": "JAP"}], "target": [{"code": "KOR"}]},
    {"id": "r3", "event": "FIGHT", "text": "The weather in the valley was mild all week.",
     "source": [{"code": "ARM"}], "target": []},
]


def test_event_scores_map_2016_names_and_legacy_codes(tmp_path):
    import json

    from counterclaim.evaluate.plover import evaluate, read as read_plover

    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps(PLOVER_GOLD))
    records = read_plover(gold)
    assert [r["id"] for r in records] == ["r1", "r2", "r3"]  # DOCUMENT entries are not events
    scores = evaluate(records)
    assert scores.gold == ["REQUEST", "AGREE", "ASSAULT"]  # DEMAND -> REQUEST, FIGHT -> ASSAULT
    assert scores.pred[:2] == ["REQUEST", "AGREE"] and scores.pred[2] == "NONE"
    assert round(scores.accuracy, 3) == round(2 / 3, 3)
    # JAP is CAMEO's old code for Japan: JPN counts as right. Nothing places the weather sentence.
    assert (scores.actor_hits, scores.actor_total) == (2, 3)
    proc = subprocess.run([sys.executable, "-m", "counterclaim.cli.main", "eval", "events", "--plover", str(gold)],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "event-type accuracy 0.667" in proc.stdout and "confusion" in proc.stdout


def test_plover_gold_figures_do_not_regress(shared):
    """The whole CAMEO-manual gold set (full table: `make eval-events`)."""
    from counterclaim.evaluate.plover import evaluate, read as read_plover

    scores = evaluate(read_plover(shared / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"))
    assert len(scores.gold) == 322
    assert scores.accuracy >= 0.80 and scores.actor_accuracy >= 0.88


def test_status_scores_against_settled_truth(tmp_path):
    from counterclaim.evaluate.status import lenient, score, story_status, truths

    stances = tmp_path / "stances.csv"
    stances.write_text("Headline,Body ID,Stance\n"
                       "Singer dies at 61,1,agree\nSinger dies at 61,2,disagree\n"
                       "Port director resigns,3,discuss\nA headline no one checked,4,agree\n"
                       "Lake monster seen,5,agree\nLake monster seen,5,unrelated\n", encoding="utf-8")
    veracity = tmp_path / "veracity.csv"
    veracity.write_text(",claimHeadline,articleHeadline,claimTruth\n"
                        "0,Singer is dead,Singer dies at 61,false\n1,Director resigns,Port director resigns,true\n"
                        "2,Monster,Lake monster seen,unknown\n", encoding="utf-8")
    story = {"1": "1", "2": "1", "3": "3", "4": "4", "5": "5"}
    settled = truths(stances, veracity, story)
    assert {s: (st.truth, st.debunked, st.bodies) for s, st in settled.items()} == {
        "1": ("false", True, ["1", "2"]), "3": ("true", False, ["3"]), "5": ("unknown", False, ["5"])}
    status = story_status(settled, {"1": {"ta"}, "2": {"ta", "tb"}, "3": {"tc"}}, {"ta": "refuted", "tb": "confirmed",
                                                                                   "tc": "confirmed"})
    assert status == {"1": "refuted", "3": "confirmed", "5": "unverified"}
    s = score(settled, status)
    assert (s.hoaxes_confirmed, s.confirmed_precision, s.refuted_share, s.lenient) == (0, 1.0, 1.0, 1.0)
    assert lenient("false", "disputed") == 0.5 and lenient("true", "disputed") == 0.0
    assert s.all_disputed == (0.5 + 0 + 1) / 3
    assert s.confusion["false"]["refuted"] == 1
