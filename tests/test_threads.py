"""Threads over the bundled example stories (examples/), plus the linking rules on hand-made mentions."""
from conftest import by_claim

from counterclaim.threads.link import Mention, link


def test_rumour_denied_then_admitted_is_confirmed_on_the_admission_date(examples_store):
    t = by_claim(examples_store.threads(), "Iran", "drones", "Russia")
    assert t["status"] == "confirmed"
    assert [h["status"] for h in t["status_history"]] == ["unverified", "disputed", "confirmed"]
    assert t["status_history"][-1]["date"] == "2022-11-05"
    assert t["first_seen"]["date"] == "2022-10-18"
    assert {s["actor"][:3] for s in t["asserted_by"]} >= {"UKR", "USA", "IRN"}
    assert [s["actor"] for s in t["denied_by"]] == ["IRNGOV"]
    assert t["independent_sources"] == 3


def test_accusation_denied_by_the_accused_is_disputed_and_copies_count_once(examples_store):
    t = by_claim(examples_store.threads(), "Russia", "attacks", "United Kingdom")
    assert t["status"] == "disputed"
    assert any(s["actor"] == "GBRGOV" for s in t["asserted_by"])
    assert [s["actor"] for s in t["denied_by"]] == ["RUSGOV"]
    assert len(t["articles"]) == 3  # two outlets ran the same wire copy, a third wrote its own
    assert t["independent_sources"] == 2
    assert set(t["reported_by"]) == {"Harbour Wire", "Coastline Daily", "Baltic Observer"}


def test_story_with_no_dispute_stays_unverified(examples_store):
    t = by_claim(examples_store.threads(), "Japan", "radars", "Philippines")
    assert t["status"] == "unverified" and t["denied_by"] == []
    assert len(t["articles"]) == 2


def test_different_claims_about_the_same_countries_stay_apart(examples_store):
    threads = examples_store.threads()
    drones = by_claim(threads, "Iran", "drones")
    trainers = by_claim(threads, "Iran", "trainers")
    assert drones["id"] != trainers["id"]


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
    assert iran and all(any(s["actor"].startswith("IRN") for s in t["asserted_by"] + t["denied_by"]) for t in iran)


def _m(i, date, country, stance, cue="say", agent="IRN", certainty="certain", key="IRN|supply|RUS|arms",
       text="Iran supplies drones to Russia", plover="AID", parties="Iran Russia"):
    return Mention(attribution=f"a{i}", article=f"art{i}", date=date, order=i, position=0, outlet=f"Outlet {i}",
                   speaker=f"speaker {i}", actor=country + "GOV", country=country, sector="GOV", stance=stance,
                   certainty=certainty, cue=cue, claim_id=f"c{i}", claim_key=key, claim_text=text,
                   agent_country=agent, plover=plover, parties=parties)


def test_claims_join_by_meaning_and_stay_apart_when_they_differ():
    # Whom left out: joins the one thread with the rest of its key.
    [t] = link([_m(1, "2022-10-01", "UKR", "assert"),
                _m(2, "2022-10-02", "IRN", "deny", key="IRN|supply||arms", text="Iran supplies drones", parties="Iran")])
    assert t.status == "disputed" and len(t.articles) == 2
    # Other words for the same act between the same parties.
    hack = dict(key="RUS|hack|GBR|", text="Russia hacks the British electoral commission", plover="ASSAULT",
                parties="Russia Britain", agent="RUS")
    attack = dict(key="RUS|attack|GBR|", text="Russia attacks the electoral commission of Britain", plover="ASSAULT",
                  parties="Russia Britain", agent="RUS")
    [t] = link([_m(1, "2023-01-01", "GBR", "assert", **hack), _m(2, "2023-01-02", "RUS", "deny", **attack)])
    assert t.status == "disputed"
    # Same parties, same kind of event, different claims: two threads.
    grain = dict(key="IRN|supply|RUS|food", text="Iran supplies grain to Russia")
    threads = link([_m(1, "2022-10-01", "UKR", "assert"), _m(2, "2022-10-02", "IRN", "deny", **grain)])
    assert len(threads) == 2 and {t.status for t in threads} == {"unverified"}
    sanction = dict(key="RUS|sanction|GBR|", text="Russia sanctions the electoral commission of Britain",
                    plover="SANCTION", parties="Russia Britain", agent="RUS")
    assert len(link([_m(1, "2023-01-01", "GBR", "assert", **hack), _m(2, "2023-01-02", "RUS", "deny", **sanction)])) == 2
    # Whom left out, but two threads could take it: it stays on its own.
    syria = dict(key="IRN|supply|SYR|arms", text="Iran supplies drones to Syria", parties="Iran Syria")
    alone = dict(key="IRN|supply||arms", text="Iran supplies drones", parties="Iran")
    assert len(link([_m(1, "2022-10-01", "UKR", "assert"), _m(2, "2022-10-01", "ISR", "assert", **syria),
                     _m(3, "2022-10-02", "IRN", "deny", **alone)])) == 3


def test_a_claim_revived_after_a_long_silence_is_a_new_thread():
    mentions = [_m(1, "2014-03-01", "UKR", "assert"), _m(2, "2014-03-02", "IRN", "deny"),
                _m(3, "2022-09-20", "UKR", "assert"), _m(4, "2022-09-21", "UKR", "assert")]
    old, new = sorted(link(mentions), key=lambda t: t.first_seen["date"])
    assert old.status == "disputed" and old.last_seen == "2014-03-02"
    assert new.status == "unverified" and new.first_seen["date"] == "2022-09-20" and new.id != old.id
    assert [m.thread for m in mentions] == [old.id, old.id, new.id, new.id]
    assert len(link(mentions, window_days=10_000)) == 1


def test_status_rules():
    [t] = link([_m(1, "2022-10-01", "UKR", "assert")])
    assert t.status == "unverified"
    [t] = link([_m(1, "2022-10-01", "UKR", "assert"), _m(2, "2022-10-02", "IRN", "deny")])
    assert t.status == "disputed" and t.status_history[-1] == {"date": "2022-10-02", "status": "disputed", "because": "a2"}
    [t] = link([_m(1, "2022-10-01", "UKR", "assert"), _m(2, "2022-10-05", "UKR", "deny", cue="retract")])
    assert t.status == "retracted"
    # Repetition by more outlets is no evidence.
    [t] = link([_m(i, f"2022-10-0{i}", "UKR", "assert") for i in range(1, 6)])
    assert t.status == "unverified" and t.independent_sources == 5
    # An intention announced by the accused is not an admission.
    [t] = link([_m(1, "2022-10-01", "UKR", "assert"), _m(2, "2022-10-02", "IRN", "assert", certainty="possible")])
    assert t.status == "unverified"
    [t] = link([_m(1, "2022-10-01", "UKR", "assert"), _m(2, "2022-10-02", "IRN", "deny"),
                _m(3, "2022-11-05", "IRN", "assert", cue="admit"), _m(4, "2022-11-06", "IRN", "deny")])
    assert t.status == "confirmed" and t.status_history[-1]["date"] == "2022-11-05"


def test_syndicated_copies_count_as_one_origin():
    from counterclaim.threads.syndication import signature

    story = ("The foreign ministry said on Monday that the border crossing would reopen next week after "
             "repairs to the bridge, and that trucks carrying grain would be allowed through first. ")
    sigs = {f"copy{i}": signature(story + f"Distributed by outlet number {i}.") for i in range(5)}
    sigs["other"] = signature("A different report about a football match in the capital, where the home side won.")
    mentions = [_m(i, "2022-10-01", "UKR", "report") for i in range(6)]
    for m, aid in zip(mentions, sigs):
        m.article = aid
    [t] = link(mentions, sigs)
    assert t.independent_sources == 2
