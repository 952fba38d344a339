"""The stance cross-encoder (stance/cross.py): loads quickly and once, without torch, and reads the
direction of a passage toward a claim. The sentences are written for this test."""
import sys
import time

import numpy as np
import pytest

from counterclaim.stance import cross


def test_the_passage_is_the_bodys_sentences_nearest_the_claim_in_body_order():
    body = ("The weather was mild. The minister spoke to reporters on Monday. Traffic was heavy downtown. "
            "She said the minister would stay in office. Schools reopened after the holiday. The mayor left early.")
    p = cross.passage("The minister has resigned from office", body, k=2)
    assert p == "The minister spoke to reporters on Monday. She said the minister would stay in office."
    assert cross.passage("anything", "One sentence only.") == "One sentence only."


needs_model = pytest.mark.skipif(not cross.available(), reason="counterclaim/data/cross-encoder.onnx is absent "
                                 "(not shipped: it did not beat the feature model; see data/cross-encoder.json)")


@needs_model
def test_loads_in_seconds_once_per_process_and_without_torch():
    cross._model.cache_clear()
    t = time.time()
    cross.load()
    cross.load()
    assert time.time() - t < 5
    assert cross._model.cache_info().misses == 1
    assert "torch" not in sys.modules
    assert cross.card()["labels"] == list(cross.LABELS)


@needs_model
def test_probabilities_are_rows_summing_to_one_whatever_the_batch():
    pairs = [("The bridge will close in May", "Engineers said the bridge will shut for repairs in May."),
             ("The bridge will close in May", " ".join(["The council met to talk about roads."] * 60)),
             ("", "")]
    p = cross.probabilities(pairs)
    assert p.shape == (3, 3) and p.dtype == np.float32
    assert np.allclose(p.sum(axis=1), 1.0, atol=1e-5)
    assert np.allclose(cross.probabilities(pairs[:1])[0], p[0], atol=1e-4)
    assert cross.probabilities([]).shape == (0, 3)


@needs_model
def test_reads_whether_the_passage_confirms_or_denies_the_claim():
    claim = "The minister has resigned"
    denial = "The minister told reporters she will not resign and called the report false."
    confirmation = "The minister handed in her resignation on Monday, her office said."
    p = cross.probabilities([(claim, denial), (claim, confirmation)])
    agree, disagree = cross.LABELS.index("agree"), cross.LABELS.index("disagree")
    assert p[0, disagree] > p[0, agree]
    assert p[1, agree] > p[1, disagree]


@needs_model
@pytest.mark.parametrize("mode", ["everywhere", "split"])
def test_article_stance_reads_with_it_in_either_mode_of_its_card(monkeypatch, mode):
    from counterclaim.pipeline import analyze_text
    from counterclaim.stance import stance

    card = dict(cross.card(), mixed_dev={**cross.card()["mixed_dev"], "mode": mode})
    monkeypatch.setattr(cross, "card", lambda: card)

    claim = "The Arno bridge will close in May for repairs"
    silent = analyze_text("Tourists walked along the river on Sunday. Scaffolding has gone up at both ends of the "
                          "Arno bridge, and barriers and detour signs were delivered to the site this week.")
    denial = analyze_text('"The Arno bridge will stay open all year," the city engineer said on Monday, '
                          "denying reports that it would close in May.")
    relayed = analyze_text("The Arno bridge will close in May for repairs, the city council said on Monday. "
                           "Scaffolding has gone up at both ends and detour signs were delivered this week.")
    read = stance(claim, silent), stance(claim, denial), stance(claim, relayed)
    monkeypatch.setattr(cross, "available", lambda: False)
    alone = stance(claim, silent), stance(claim, denial), stance(claim, relayed)
    # Nothing in it speaks to the claim, and nothing in it denies it: read together, disagreement falls.
    assert not read[0].voices and read[0].label in ("agree", "discuss")
    assert read[0].probabilities["disagree"] < alone[0].probabilities["disagree"]
    assert read[2].voices and read[2].probabilities["agree"] != alone[2].probabilities["agree"]
    if mode == "everywhere":
        # Read over the denial too, the article still does not agree.
        assert read[1].voices and read[1].label in ("disagree", "discuss")
        assert read[1].probabilities != alone[1].probabilities
    else:
        # A voice that denies it keeps its say: the model is not read there; where voices assert or relay
        # it, the model tells agreement from discussion and disagreement stays theirs.
        assert read[1].voices and read[1].probabilities == alone[1].probabilities
        assert read[2].probabilities["disagree"] == alone[2].probabilities["disagree"]
