"""Claim look-up on the written stories: each story's thread is found first by a paraphrase of its claim
that shares at most half its words, and queries about something else find nothing."""
import json
import re
from pathlib import Path

import pytest

from counterclaim.evaluate.stories import evaluate
from counterclaim.threads.search import Searcher, query_keys

GOLD = Path(__file__).parent / "data" / "stories.json"

# Written for this test, in other words than the stories' claims and their articles' wording.
PARAPHRASES = {
    "drones": "Tehran has been sending unmanned aircraft to Moscow's forces",
    "cyber": "Moscow was behind the hacking of the UK elections watchdog",
    "radars": "Tokyo is providing shore-based radar systems to Manila",
    "breach": "Hackers took subscriber data from the Northline phone operator",
    "minister": "Varga is stepping down from her cabinet post",
    "vessel": "A fishing boat from Russia was conducting surveillance of subsea cables near the Norwegian coast",
    "village-shelling": "Zanaran troops bombarded Kelem with artillery",
    "village-convoys": "The military kept humanitarian lorries from getting into Kelem",
    "mayor": "Kessler pocketed cash from a housing company",
    "shells": "Pyongyang has been sending artillery ammunition to the Kremlin",
}
# About something else: other subjects, and other acts by the stories' own countries.
UNRELATED = [
    "The central bank raised interest rates by half a point",
    "A new species of frog was discovered in the Amazon",
    "Brazil sold fighter jets to Argentina",
    "Russia sent troops into Georgia",
    "Iran is enriching uranium to weapons grade",
    "The city council voted to build new bike lanes",
]


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z']+", text.replace("'s", ""))}


@pytest.fixture(scope="module")
def story_threads(examples_store):
    return {r.name: r for r in evaluate(examples_store, GOLD).stories}


@pytest.fixture(scope="module")
def searcher(examples_store):
    return Searcher(examples_store)


def test_every_story_has_a_paraphrase_sharing_at_most_half_its_words(story_threads):
    gold = {s["name"]: s["claim"] for s in json.loads(GOLD.read_text())["stories"]}
    assert set(PARAPHRASES) == set(gold)
    for name, query in PARAPHRASES.items():
        for claim in (gold[name], story_threads[name].claim):  # the reader's claim and the thread's own
            shared = words(query) & words(claim)
            assert len(shared) <= len(words(claim)) / 2 and len(shared) <= len(words(query)) / 2, (name, shared)


@pytest.mark.parametrize("name", list(PARAPHRASES))
def test_each_storys_thread_is_found_first(searcher, story_threads, name):
    hits = searcher.search(PARAPHRASES[name])
    assert hits, name
    assert hits[0].thread == story_threads[name].thread, [(h.claim, h.score) for h in hits]
    assert hits[0].shared  # found through the parties it names, not the words alone
    assert hits == sorted(hits, key=lambda h: -h.score)


@pytest.mark.parametrize("query", UNRELATED)
def test_a_query_about_something_else_finds_nothing(searcher, query):
    assert searcher.search(query) == []


def test_a_hit_carries_status_sides_and_score(searcher, story_threads):
    [hit] = searcher.search(PARAPHRASES["drones"], limit=1)
    assert hit.status == story_threads["drones"].status == "confirmed"
    assert {s["actor"] for s in hit.asserted_by} & {"UKR", "UKRGOV"} and hit.denied_by
    assert 0 < hit.score <= 1 and hit.closest


def test_query_keys_are_the_linkers_keys():
    # Places by the actor dictionary, names by their distinctive word, unnamed parties by their noun.
    assert {"IRN", "RUS"} <= query_keys("Tehran sent drones to the Kremlin")
    assert "varga" in query_keys("Ms Varga will quit")
    assert "trawler" in query_keys("The trawler was spying")


def test_empty_and_blank_queries_find_nothing(searcher):
    assert searcher.search("") == [] and searcher.search("   \n ") == []


def test_a_few_english_words_told_as_another_language_are_still_read_as_english(searcher, story_threads):
    # lingua tells "Iran drones Russia" Italian; plain ASCII is looked up as English first.
    hits = searcher.search("Iran drones Russia")
    assert hits and hits[0].thread == story_threads["drones"].thread
