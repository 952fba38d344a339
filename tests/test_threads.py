"""Threads over the bundled example stories (examples/), plus the linking and status rules on made-up
claims (vectors chosen so that tellings of one claim are close and different claims are not)."""
import numpy as np
from conftest import by_claim

from counterclaim.threads.link import LinkSettings, Linker, Mention, Node, batch_keys, build, link


def test_rumour_denied_then_admitted_is_confirmed_on_the_admission_date(examples_store):
    t = by_claim(examples_store.threads(), "Iran", "drones", "Russia")
    assert t["status"] == "confirmed"
    assert [h["status"] for h in t["status_history"]] == ["unverified", "disputed", "confirmed"]
    assert t["status_history"][-1]["date"] == "2022-11-05"
    assert t["first_seen"]["date"] == "2022-10-18"
    assert {s["actor"][:3] for s in t["asserted_by"] if s["actor"]} >= {"UKR", "USA", "IRN"}
    assert "IRNGOV" in [s["actor"] for s in t["denied_by"]]
    assert t["independent_sources"] == 4  # three in English, one in Arabic


def test_accusation_denied_by_the_accused_is_disputed_and_copies_count_once(examples_store):
    t = by_claim(examples_store.threads(), "Russia", "electoral commission")
    assert t["status"] == "disputed"
    assert any(s["actor"] == "GBRGOV" for s in t["asserted_by"])
    assert "RUSGOV" in [s["actor"] for s in t["denied_by"]]
    # Two outlets ran the same wire copy, a third wrote its own, a fourth reported Moscow's denial in Russian.
    assert len(t["articles"]) == 4
    assert t["independent_sources"] == 3
    assert set(t["reported_by"]) == {"Harbour Wire", "Coastline Daily", "Baltic Observer", "Северный вестник"}


def test_story_with_no_dispute_is_unverified_until_its_party_confirms_it(examples_store):
    t = by_claim(examples_store.threads(), "Japan", "radars")
    # Two English outlets tell it; Japan's defence ministry confirms it in Japanese (radars-ja.txt).
    assert [h["status"] for h in t["status_history"]] == ["unverified", "confirmed"] and t["denied_by"] == []
    assert len(t["articles"]) == 3


def test_unrelated_article_joins_no_thread(examples_store):
    council = [aid for aid in examples_store.article_ids()
               if "cycle lanes" in examples_store.article_record(aid)["text"]]
    assert len(council) == 1
    assert not any(council[0] in t["articles"] for t in examples_store.threads())
    record = examples_store.article_record(council[0])
    assert record["attributions"] and all(x["thread"] is None for x in record["attributions"])


def test_saving_an_article_twice_stores_it_once(examples_store):
    from counterclaim.pipeline import analyze_text

    before = examples_store.counts()
    record = examples_store.article_record(examples_store.article_ids()[0])
    again = analyze_text(record["text"], id=record["id"])
    assert examples_store.save(again) is False
    assert examples_store.counts() == before


def test_thread_filter_by_actor_and_status(examples_store):
    assert {t["status"] for t in examples_store.threads(status="disputed")} == {"disputed"}
    iran = examples_store.threads(actor="IRN")
    assert iran and all(any((s["actor"] or "").startswith("IRN") for s in t["asserted_by"] + t["denied_by"])
                        for t in iran)


def test_thread_claims_are_clauses_from_their_mentions_not_templates(examples_store):
    """Each thread's claim is words its articles use, in their order, not "X denies it" or "X hears
    statements"."""
    import re

    for t in examples_store.threads():
        claim = t["claim"].lower()
        assert len(claim.split()) >= 3, claim
        assert not re.search(r"\b(denies it|hears statements|describes what|offers evidence)\b", claim), claim
        texts = [" ".join(((r := examples_store.article_record(a))["title"] or "", r["text"])).lower()
                 for a in t["articles"]]
        words = re.findall(r"[a-z0-9]+", claim)
        assert any(sum(w in set(re.findall(r"[a-z0-9]+", text)) for w in words) >= 0.8 * len(words)
                   for text in texts), claim


# --- the rules, on made-up claims ---------------------------------------------------------------------

def _unit(seed: int, near: int | None = None, noise: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(384)
    if near is not None:
        v = np.random.default_rng(near).standard_normal(384) + noise * v
    return (v / np.linalg.norm(v)).astype(np.float32)


def _node(i, date, stance="assert", country="UKR", vec=None, keys=("IRN", "RUS"), subject=("IRN",), cue="say",
          plover="AID", negated=False, certainty="certain", article=None, voice="attribution", speaker_keys=None):
    article = article or f"art{i}"
    m = Mention(attribution=f"a{i}" if voice == "attribution" else None, article=article, date=date, order=i,
                position=0, outlet=f"Outlet {i}", speaker=f"speaker {i}", actor=country + "GOV", country=country,
                sector="GOV", stance=stance, certainty=certainty, cue=cue, claim_id=f"c{i}", voice=voice,
                speaker_keys=frozenset(speaker_keys if speaker_keys is not None else {country}))
    return Node(claim_id=f"c{i}", article=article, date=date, order=i, text=f"claim {i}",
                vector=vec if vec is not None else _unit(1), keys=frozenset(keys), subject=frozenset(subject),
                negated=negated, agent_country=subject[0] if subject else None, plover=plover, mentions=[m])


def _threads(nodes, texts=None, **options):
    link(nodes, texts, **options)
    groups = {}
    for n in nodes:
        if n.thread:
            groups.setdefault(n.thread, []).append(n)
    return {tid: build(tid, group, {}) for tid, group in groups.items()}


def test_the_same_claim_in_other_words_joins_and_a_different_act_stays_apart():
    same = [_node(1, "2022-10-01", vec=_unit(10, near=1, noise=0.3)),
            _node(2, "2022-10-02", "deny", "IRN", vec=_unit(11, near=1, noise=0.3), negated=True)]
    threads = _threads(same)
    assert len(threads) == 1 and next(iter(threads.values())).status == "disputed"
    # Same parties, another kind of act (ASSAULT, not AID) and other words: two threads.
    other = [_node(1, "2022-10-01"), _node(2, "2022-10-02", vec=_unit(2), plover="ASSAULT")]
    link(other)
    assert other[0].thread != other[1].thread
    # A claim about other parties never meets the thread, however close its words.
    apart = [_node(1, "2022-10-01"), _node(2, "2022-10-02", keys=("JPN", "PHL"), subject=("JPN",))]
    link(apart)
    assert apart[0].thread != apart[1].thread


def _two_claims_in_one_article(text: str, kinds: tuple[str, str], party: str) -> tuple[Node, Node]:
    """Two claims of one article about one party, of the given kinds of act, in words neither close nor
    far (cosine 0.35 to 0.65), linked."""
    first = _node(1, "2024-02-12", vec=_unit(1), plover=kinds[0], keys=(party,), subject=(party,), article="art1")
    second = _node(2, "2024-02-12", vec=_unit(7, near=1, noise=1.2), plover=kinds[1], keys=(party,),
                   subject=(party,), article="art1")
    assert 0.35 < float(first.vector @ second.vector) < 0.65
    link([first, second], {"art1": text})
    return first, second


def test_within_one_article_a_claim_of_another_kind_of_act_stays_apart():
    shelled, blocked = _two_claims_in_one_article(
        "Rights groups say the army shelled the village and blocked the aid convoys to it.", ("ASSAULT", "COERCE"), "army")
    assert shelled.thread != blocked.thread


def test_the_accused_partys_own_account_is_a_denial():
    # "The vessel was on a fishing trip", said by the party the spying claim is about, in the same article.
    claim = _node(1, "2024-09-09", country="NOR", keys=("RUS", "orlov"), subject=("RUS",), plover=None)
    account = _node(2, "2024-09-09", country="RUS", vec=_unit(5, near=1, noise=1.0), keys=("orlov",),
                    subject=("orlov",), plover=None, article="art1")
    assert 0.3 < float(claim.vector @ account.vector) < 0.75
    [t] = _threads([claim, account]).values()
    assert account.answer and account.mentions[0].thread_stance == "deny"
    assert t.status == "disputed" and [s["actor"] for s in t.denied_by] == ["RUSGOV"]


def test_a_claim_revived_after_a_long_silence_is_a_new_thread():
    nodes = [_node(1, "2014-03-01"), _node(2, "2014-03-02", "deny", "IRN", negated=True),
             _node(3, "2022-09-20"), _node(4, "2022-09-21")]
    threads = _threads(nodes)
    old, new = sorted(threads.values(), key=lambda t: t.first_seen["date"])
    assert old.status == "disputed" and old.last_seen == "2014-03-02"
    assert new.status == "unverified" and new.first_seen["date"] == "2022-09-20" and new.id != old.id
    nodes = [_node(i, d) for i, d in enumerate(["2014-03-01", "2022-09-20"])]
    assert len(_threads(nodes, settings=LinkSettings(window_days=10_000))) == 1


def test_status_rules():
    def status(*nodes):
        [t] = _threads(list(nodes)).values()
        return t

    assert status(_node(1, "2022-10-01"), _node(2, "2022-10-02")).status == "unverified"
    t = status(_node(1, "2022-10-01"), _node(2, "2022-10-02", "deny", "IRN", negated=True))
    assert t.status == "disputed" and t.status_history[-1] == {"date": "2022-10-02", "status": "disputed", "because": "a2",
                                                        "reason": "the party the claim is about denies it"}
    assert status(_node(1, "2022-10-01"), _node(2, "2022-10-02"),
                  _node(3, "2022-10-05", "deny", cue="retract", negated=True)).status == "retracted"
    # Repetition by more outlets is no evidence.
    t = status(*[_node(i, f"2022-10-0{i}") for i in range(1, 6)])
    assert t.status == "unverified" and t.independent_sources == 5
    # An intention announced by the accused is not an admission.
    assert status(_node(1, "2022-10-01"), _node(2, "2022-10-02", country="IRN", certainty="possible")).status == "unverified"
    t = status(_node(1, "2022-10-01"), _node(2, "2022-10-02", "deny", "IRN", negated=True),
               _node(3, "2022-11-05", country="IRN", cue="admit"), _node(4, "2022-11-06", "deny", "IRN", negated=True))
    assert t.status == "confirmed" and t.status_history[-1]["date"] == "2022-11-05"
    # What was foretold, the outlet later reports done in its own voice: confirmed, with that report as
    # evidence. Told again as it was first told, it stays where it was.
    def varga(done):
        foretold = _node(1, "2024-05-13", keys=("varga",), subject=("varga",), plover=None)
        foretold.text = "Helen Varga will resign as transport minister"
        later = _node(3, "2024-05-27", voice="outlet", keys=("varga",), subject=("varga",), plover=None)
        later.done = done
        return status(foretold, _node(2, "2024-05-13", "deny", "XXX", keys=("varga",), subject=("varga",), plover=None,
                                      negated=True, speaker_keys={"varga"}), later)

    t = varga(done=True)
    assert t.status == "confirmed" and t.status_history[-1] == {"date": "2024-05-27", "status": "confirmed", "because": "c3",
                                                         "reason": "the outlet reports done, on a later day, what was foretold"}
    assert varga(done=False).status == "disputed"


def test_a_thread_shown_is_followed_across_articles_or_disputed():
    # One article, one voice: nothing to follow yet.
    [t] = _threads([_node(1, "2022-10-01")]).values()
    assert t is None
    [t] = _threads([_node(1, "2022-10-01", article="x"), _node(2, "2022-10-01", "deny", "IRN", negated=True,
                                                               article="x")]).values()
    assert t is not None and t.status == "disputed"


def test_linking_is_incremental_and_ids_stay_stable():
    first = [_node(1, "2022-10-01"), _node(2, "2022-10-02", keys=("JPN", "PHL"), subject=("JPN",), vec=_unit(2))]
    linker = Linker()
    for n in first:
        linker.link_article([n])
    ids = {n.claim_id: n.thread for n in first}
    # A later batch, linked against only the threads that share its parties, joins them.
    later = _node(3, "2022-10-05", "deny", "IRN", negated=True)
    carried = [t for t in linker.threads.values() if t.keys.keys() & later.keys]
    again = Linker(carried, linker.words)
    again.link_article([later])
    assert later.thread == ids["c1"] and again.changed == {ids["c1"]}
    assert {n.claim_id: n.thread for n in first} == ids


def test_stored_threads_indexed_by_the_batchs_keys_link_as_if_indexed_by_all():
    import copy

    linker = Linker()
    for n in [_node(1, "2022-10-01"), _node(2, "2022-10-02", keys=("JPN", "PHL"), subject=("JPN",), vec=_unit(2))]:
        linker.link_article([n], "Drones from Iran struck the port; Japan sends radars")
    stored = list(linker.threads.values())
    text = "Iran denies sending drones to the port"
    later = [_node(3, "2022-10-05", "deny", "IRN", negated=True) for _ in range(2)]
    wanted = batch_keys(later[:1], {later[0].article: text})
    assert {"IRN", "RUS", "w:drones", "w:port"} <= wanted
    full = Linker(copy.deepcopy(stored), copy.deepcopy(linker.words))
    narrow = Linker(copy.deepcopy(stored), copy.deepcopy(linker.words), wanted=wanted)
    full.link_article([later[0]], text)
    narrow.link_article([later[1]], text)
    assert later[1].thread == later[0].thread is not None and narrow.changed == full.changed
    assert set(narrow.index) < set(full.index)  # the stored threads' other words are not indexed


def test_syndicated_copies_count_as_one_origin():
    from counterclaim.threads.syndication import origins, signature

    story = ("The foreign ministry said on Monday that the border crossing would reopen next week after "
             "repairs to the bridge, and that trucks carrying grain would be allowed through first. ")
    sigs = {f"copy{i}": signature(story + f"Distributed by outlet number {i}.") for i in range(5)}
    sigs["other"] = signature("A different report about a football match in the capital, where the home side won.")
    nodes = [_node(i, "2022-10-01", article=aid) for i, aid in enumerate(sigs)]
    link(nodes)
    t = build(nodes[0].thread, nodes, origins(sigs))
    assert t.independent_sources == 2


def test_a_party_that_denies_the_act_gives_its_own_account_in_its_other_statements():
    """'Our units did not fire on the village' (the thread's kind of act, negated, under a plain "told")
    makes the army's spokesman a denier, so his 'the rebels fired mortars into the village', close to the
    claim but not the same, is his side's account: a denial of the thread's claim."""
    accused = dict(country="ZAR", keys=("kelem",), subject=("army",), plover="ASSAULT", article="art2")
    claim = _node(1, "2024-02-08", country="IGO", keys=("kelem",), subject=("army",), plover="ASSAULT")
    denial = _node(2, "2024-02-09", "deny", vec=_unit(1), negated=True, cue="tell", **accused)
    account = _node(3, "2024-02-09", vec=_unit(9, near=1, noise=0.9), **accused)
    denial.score = 0.0  # not read by the encoder: only its negated act says it is plain
    assert 0.3 < float(claim.vector @ account.vector) < 0.75
    nodes = [claim, denial, account]
    link(nodes)
    assert len({n.thread for n in nodes}) == 1
    denial.score = 0.0
    t = build(claim.thread, nodes, {})
    assert account.mentions[0].thread_stance == "deny" and t.status == "disputed"


def test_the_thread_claim_is_the_mention_closest_to_what_the_headlines_say():
    # The first claim is told by two voices, the second by one; headlines close to the second make it
    # the thread's claim, since they say what the outlets take the story to be about.
    a = _node(1, "2024-01-01", vec=_unit(5))
    a.mentions.append(_node(4, "2024-01-01", vec=_unit(5)).mentions[0])
    b = _node(2, "2024-01-02", vec=_unit(6))
    headline = _node(3, "2024-01-02", vec=_unit(7, near=6, noise=0.3), voice="outlet")
    headline.position = -1
    assert build("t", [a, b], {}).claim == "claim 1"
    assert build("t", [a, b, headline], {}).claim == "claim 2"


def test_words_about_the_matter_join_its_thread_whatever_the_coder_calls_them():
    # "She will resign" (CONCEDE) and "the premier accepted her resignation" (AGREE) are one story's claim:
    # only deeds of different kinds (shelling, blocking convoys) are kept apart by their kind.
    resign, accepted = _two_claims_in_one_article(
        "The minister will resign, aides say, and the premier has accepted her resignation.", ("CONCEDE", "AGREE"), "varga")
    assert resign.thread == accepted.thread


def test_a_claim_left_unread_joins_the_storys_thread_of_its_kind_of_act():
    story = "Rights groups say the army shelled the village of Kelem and blocked the aid convoys to Kelem."
    texts = {"art1": story, "art2": story + " Soldiers still keep the convoys from Kelem."}
    shelled = _node(1, "2024-02-12", vec=_unit(1), plover="ASSAULT", keys=("kelem",), subject=("army",), article="art1")
    blocked = _node(2, "2024-02-12", vec=_unit(7, near=1, noise=1.2), plover="COERCE", keys=("kelem",),
                    subject=("army",), article="art1")
    again = _node(3, "2024-02-14", vec=_unit(1), plover="ASSAULT", keys=("kelem",), subject=("army",), article="art2")
    unread = _node(4, "2024-02-14", vec=np.zeros(384, dtype=np.float32), plover="COERCE", keys=("kelem",),
                   subject=("army",), article="art2")
    link([shelled, blocked, again, unread], texts)
    assert shelled.thread != blocked.thread and again.thread == shelled.thread
    assert unread.thread == blocked.thread


def test_the_outlets_background_goes_to_the_storys_thread_and_starts_none():
    # "The council approved the developer's scheme in March", told by the outlet beside the accusation, is
    # the story around the claim; a far claim a speaker makes still starts its own thread.
    texts = {"art1": "A councillor says the mayor took money from the developer. The council approved the scheme."}
    claim = _node(1, "2024-06-03", vec=_unit(1), keys=("kessler",), subject=("kessler",), article="art1", plover=None)
    background = _node(2, "2024-06-03", vec=_unit(20), keys=("harrowgate",), subject=(), article="art1",
                       voice="outlet", plover=None)
    aside = _node(3, "2024-06-03", vec=_unit(30), keys=("harrowgate",), subject=(), article="art1", plover=None)
    background.position, aside.position = 50, 90
    link([claim, background, aside], texts)
    assert background.thread == claim.thread and aside.thread != claim.thread


def test_a_role_says_whom_a_speaker_speaks_for():
    from counterclaim.threads.relink import speaker_keys

    assert "ship" in speaker_keys("Severnaya Fishing Company", None, "owner of the ship, the Murmansk-based")
    assert {"salnikov", "severnaya"} <= speaker_keys("Viktor Salnikov", None, "director of the Severnaya Fishing Company")
    assert "kessler" in speaker_keys(None, None, "a lawyer for Mr Kessler")
    assert speaker_keys("Lars Eide", None, "coastguard commander") == {"lars", "eide"}


def test_who_answered_for_the_party_speaks_for_it_in_later_articles():
    """Day one: the owner of the ship (its role names the ship) says it was fishing, the owner's answer.
    Day nine: the owner's director says so again; the article names no ship, only the company, which has
    answered for the ship before; an unread claim of the company's joins as its account too."""
    claim = _node(1, "2024-09-09", country="NOR", keys=("RUS", "ship"), subject=("ship",), plover=None)
    eide = _node(5, "2024-09-09", country="NOR", keys=("ship",), subject=("ship",), plover=None,
                 vec=_unit(15, near=1, noise=0.4), speaker_keys={"eide"}, article="art1")
    owner = _node(2, "2024-09-09", country="XXX", vec=_unit(5, near=1, noise=1.0), keys=("kapitan",),
                  subject=("kapitan",), plover=None, article="art1", speaker_keys={"severnaya", "ship"})
    director = _node(3, "2024-09-18", country="XXX", vec=_unit(6, near=1, noise=1.0), keys=("RUS", "crew"),
                     subject=("crew",), plover=None, speaker_keys={"salnikov", "severnaya"})
    unread = _node(4, "2024-09-18", country="XXX", vec=np.zeros(384, dtype=np.float32), keys=("RUS", "crew"),
                   subject=("crew",), plover=None, article="art3", speaker_keys={"severnaya"})
    assert 0.3 < float(claim.vector @ owner.vector) < 0.75 and 0.3 < float(claim.vector @ director.vector) < 0.75
    linker = Linker()
    story = "The Russian trawler Kapitan Orlov was mapping the Finnmark cables, the coastguard said."
    linker.link_article([claim, eide, owner], story)
    [state] = [t for t in linker.threads.values() if t.id == claim.thread]
    assert owner.thread == claim.thread and owner.mentions[0].thread_stance == "deny"
    assert "severnaya" in state.voices
    # A later batch, against the thread as the store keeps it.
    later = Linker([state], linker.words)
    later.link_article([director], story + " The crew were fishing for cod, the company director said.")
    assert director.thread == claim.thread and director.mentions[0].thread_stance == "deny"
    unread.article = director.article
    later.link_article([unread], story + " The company repeated that the crew were fishing.")
    assert unread.mentions[0].thread_stance == "deny"
    t = build(claim.thread, [claim, eide, owner, director], {}, state.voices.keys())
    assert t.status == "disputed" and t.status_history[-1]["date"] == "2024-09-09"


def test_the_partys_admission_in_other_words_is_no_answer():
    # "Northline confirmed that the records of 40,000 customers had been stolen": other words than the
    # thread's claim, but the party says it is so.
    claim = _node(1, "2024-03-04", country="GBR", keys=("northline",), subject=("northline",), plover=None)
    admits = _node(2, "2024-03-21", country="GBR", vec=_unit(5, near=1, noise=1.0), keys=("northline",),
                   subject=("northline",), plover=None, cue="confirm", speaker_keys={"northline"})
    assert 0.3 < float(claim.vector @ admits.vector) < 0.75
    [t] = _threads([claim, admits]).values()
    assert not admits.answer and admits.mentions[0].thread_stance == "assert" and t.status == "confirmed"


def test_what_a_speaker_says_of_itself_does_not_say_whom_the_claim_is_about():
    from counterclaim.threads.link import _subject

    about = [_node(i, "2024-09-09", country="NOR", keys=("vessel",), subject=("vessel",)) for i in (1, 2)]
    own = [_node(i, "2024-09-10", country="NOR", keys=("NOR",), subject=("NOR",)) for i in (3, 4, 5)]
    assert _subject(about + own) == {"vessel"}
