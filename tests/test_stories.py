"""The bundled stories (examples/) against what a careful reader expects of them (tests/data/stories.json):
each story's thread reaches the reader's status on the reader's date, two claims about the same parties
stay in two threads, the unrelated articles join nothing, and the stance toward each story's claim."""
from pathlib import Path

import pytest

from counterclaim.evaluate.stories import evaluate

GOLD = Path(__file__).parent / "data" / "stories.json"


@pytest.fixture(scope="module")
def stories(examples_store):
    return evaluate(examples_store, GOLD)


def test_there_are_enough_stories_of_each_kind(stories):
    import json

    gold = json.loads(GOLD.read_text())
    articles = {a for s in gold["stories"] for a in s["articles"]} | set(gold["unrelated"])
    assert len(gold["stories"]) >= 6 and len(articles) >= 24


@pytest.mark.parametrize("name", ["drones", "cyber", "radars", "breach", "minister",
                                  "vessel", "village-shelling",
                                  "mayor", "village-convoys"])
def test_each_story_reaches_its_status_on_its_date(stories, name):
    [story] = [s for s in stories.stories if s.name == name]
    assert story.thread is not None
    assert (story.status, story.status_date) == (story.gold_status, story.gold_date), story.claim


def test_two_claims_about_the_same_parties_stay_apart(stories):
    assert stories.apart and all(ok for _, _, ok in stories.apart)


def test_unrelated_articles_join_no_thread(stories):
    assert stories.unrelated and all(stories.unrelated.values())


def test_stance_toward_the_storys_claim(stories):
    assert stories.stance_accuracy() >= 0.95
