"""Claims, stance and events on sentences written for these tests."""
import pytest

from counterclaim.actors import place
from counterclaim.pipeline import analyze_text
from counterclaim.threads.relink import refresh


@pytest.mark.parametrize("phrase,actor,kind", [
    ("Pyongyang", "PRKGOV", "seat"),
    ("the Kremlin", "RUSGOV", "seat"),
    ("KCNA", "PRKJRN", "media"),
    ("Iran's defence ministry", "IRNMIL", "country"),
    ("Chinese foreign ministry spokesman Wang Wenbin", "CHNGOV", "person"),
    ("US intelligence officials", "USASPY", "country"),
    ("the Russian embassy in London", "RUSGOV", "adjective"),
    ("NATO", "IGOWSTNAT", "organisation"),
    ("Ivory Coast rebels", "CIVREB", "country"),
    ("Kenyan police", "KENCOP", "adjective"),
    ("Palestinians in Gaza", "PSE", "people"),  # a people (the demonym's plural), not its government
    ("Serb forces", "SRBMIL", "adjective"),
    ("the UN Security Council", "IGOUNO", "organisation"),
    ("Amnesty International researchers", "NGOAMN", "organisation"),
    ("Hezbollah fighters", "LBNREB", "organisation"),
])
def test_actor_placement(phrase, actor, kind):
    m = place(phrase)
    assert (m.actor, m.kind) == (actor, kind)


def test_office_holder_codes_follow_dates():
    assert place("John Kirby", "2021-06-01").actor == "USAMIL"
    assert place("John Kirby", "2022-11-09").actor == "USAGOV"


def test_denial_of_own_act_is_a_deny_of_the_positive_claim():
    a = analyze_text('"We have never supplied weapons to Russia," the Iranian foreign ministry spokesman said.',
                     published="2022-10-20")
    [att] = a.attributions
    [claim] = a.claims
    assert att.stance == "deny"
    assert claim.text == "Iran has supplied weapons to Russia"  # the clause, stated as what would be true
    assert (claim.agent.actor, claim.predicate, claim.recipient.actor) == ("IRN", "supply", "RUS")
    assert claim.event == {"plover": "AID", "mode": None, "context": ["military"], "cameo": "072"}
    assert att.claim == claim.id


def test_accusation_and_denial_make_accuse_and_reject_events():
    text = ("Ukraine accused Belarus of sending tanks to Russia on Friday. "
            "Belarusian officials rejected the accusation as a provocation.")
    a = analyze_text(text, published="2023-02-03")
    kinds = {(e.actor.actor[:3], e.event, e.cameo, e.mode, e.recipient.actor[:3] if e.recipient else None) for e in a.events}
    assert ("UKR", "ACCUSE", "112", "allege", "BLR") in kinds
    assert ("BLR", "REJECT", "016", None, "UKR") in kinds
    # The alleged act itself is claim content only.
    assert not any(e.event == "AID" for e in a.events)
    reject = next(e for e in a.events if e.event == "REJECT")
    assert (reject.quad_class, reject.goldstein) == (3, -2.0)
    assert a.claims[0].text.startswith("Belarus sending tanks to Russia")  # the clause, as the article words it


def test_question_and_report_stances():
    a = analyze_text("Reporters asked whether the shipments had stopped. Local media reported that Serbia sent "
                     "ammunition to Ukraine through a third country.")
    stances = {x.cue.text: x.stance for x in a.attributions}
    assert stances == {"asked": "question", "reported": "report"}


def test_hedged_content_lowers_certainty():
    a = analyze_text("Western officials said Iran may have supplied missiles to Russia.")
    [att] = a.attributions
    assert att.certainty == "possible" and att.stance == "assert"


def test_dismissive_words_make_a_denial_of_the_claim_referred_to():
    text = ("Britain said Russia attacked its electoral commission. "
            "The Russian embassy called the story a baseless lie invented in London.")
    a = analyze_text(text)
    stance = {x.cue.text: x for x in a.attributions}
    assert stance["said"].stance == "assert"
    assert stance["called"].stance == "deny"
    assert stance["called"].content[0].text == "the story a baseless lie invented in London"  # as annotators mark it
    assert stance["called"].claim == stance["said"].claim == a.claims[0].id
    assert a.claims[0].text == "Russia attacked its electoral commission"


def test_intention_is_not_a_deed():
    a = analyze_text("Pyongyang said it was ready to send engineers to help Russia rebuild.")
    [att] = a.attributions
    assert att.certainty == "possible"


def test_what_a_named_person_said_of_themself_told_on_is_asserted_and_anothers_claim_relayed():
    told = analyze_text("People close to her said that Varga had told colleagues she would step down in June.")
    relayed = analyze_text("Officials said Iran had told Moscow it would send more drones.")
    assert [x.stance for x in told.attributions] == ["assert"]
    assert [x.stance for x in relayed.attributions] == ["report"]


def test_an_open_question_is_a_question_and_a_negative_subject_a_denial():
    cases = {
        "A UN spokeswoman said the agency was not yet able to say who had fired on the convoy.": "question",
        "The police said they did not know who had set the warehouse on fire.": "question",
        '"We are aware of the reports and we are looking into them," the bank said.': "question",
        "The governor said nobody had blocked food deliveries to the town.": "deny",
        "The army said that no convoy had been stopped at the checkpoint.": "deny",
        "Iran said it had not sent drones to Russia.": "deny",
        # An inquiry that looked and did not find it speaks against the claim.
        "The review did not find that any law had been broken.": "deny",
    }
    for text, expected in cases.items():
        a = analyze_text(text, published="2024-03-01")
        assert a.attributions and {x.stance for x in a.attributions} == {expected}, text
    a = analyze_text("The governor said nobody had blocked food deliveries to the town.", published="2024-03-01")
    [claim] = [c for c in a.claims if c.voice == "attribution"]
    assert claim.negated and claim.text.startswith("Someone had blocked food deliveries")
    assert "nobody" not in claim.subject


def test_these_reports_may_be_the_outlets_own_finding():
    """The outlet tells what its investigation found; the accused calls "these reports" lies: his denial
    points to the investigation's claim, which it disputes that day."""
    from counterclaim.store.db import Store

    a = analyze_text('The port director, Ivo Brandt, received 80,000 euros from the shipping firm Koster Lines '
                     'while the port was awarding its cargo contracts, an investigation by the Herald has found. '
                     '"These reports are lies," Brandt said on Tuesday. Koster Lines said it had followed '
                     'every rule in its bids.', title="Port director was paid by shipping firm, Herald finds",
                     source_name="The Herald", published="2024-04-02")
    [denial] = [x for x in a.attributions if "These reports are lies" in x.content[0].text]
    claims = {c.id: c for c in a.claims}
    [finding] = [x for x in a.attributions if x.cue.text == "has found"]
    assert finding.speaker.name == "the Herald" and finding.stance == "assert"
    assert denial.stance == "deny" and denial.claim == finding.claim
    assert "Brandt" in claims[denial.claim].text
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.duckdb") as store:
        store.save(a)
        refresh(store)
        [thread] = [t for t in store.threads() if "Brandt" in t["claim"]]
        assert thread["status"] == "disputed" and thread["status_history"][-1]["date"] == "2024-04-02"


def test_a_quotation_that_relays_a_denial_leaves_the_claim_to_the_speakers_next_one():
    text = ('"Last month the ministry denied that it had sold rifles to the militia," the envoy said. '
            '"But our records show that the ministry is still selling rifles to the militia."')
    analysis = analyze_text(text)
    [envoy] = [a for a in analysis.attributions if a.source and a.source.text == "the envoy"]
    assert len(envoy.content) == 2  # one attribution over both quotations
    claim = next(c for c in analysis.claims if c.id == envoy.claim)
    assert "still selling rifles" in claim.text and envoy.stance == "assert"


def test_of_two_clauses_told_together_the_denial_is_the_claim():
    analysis = analyze_text("The governor said the bridge had been shut for repairs, and that no lorry had been "
                            "turned away by the police.")
    [governor] = [a for a in analysis.attributions if a.source and a.source.text == "The governor"]
    claim = next(c for c in analysis.claims if c.id == governor.claim)
    assert "turned away by the police" in claim.text and claim.negated and governor.stance == "deny"
    # An elliptical clause only says the first was not done: the claim stays the first, asserted.
    analysis = analyze_text("The auditor said the payments should have been declared, and they were not.")
    [auditor] = analysis.attributions
    claim = next(c for c in analysis.claims if c.id == auditor.claim)
    assert "declared" in claim.text and not claim.negated and auditor.stance == "assert"


def test_there_has_been_no_breach_is_a_denial_and_there_was_a_shooting_a_claim():
    [a] = analyze_text('"There has been no breach of our network," a spokesperson for the carrier said.').attributions
    assert a.stance == "deny" and a.claim is not None
    analysis = analyze_text("Police said there had been a shooting near the station.")
    [b] = analysis.attributions
    claim = next(c for c in analysis.claims if c.id == b.claim)
    assert b.stance == "assert" and "shooting near the station" in claim.text and not claim.negated


def test_a_quoted_this_was_not_then_what_was_is_the_claim_of_the_second_sentence():
    text = ('"This was not how a survey ship behaves. The vessel was tracking our pipelines," the navy '
            'spokesman told reporters.')
    [a] = analyze_text(text).attributions
    claim = next(c for c in analyze_text(text).claims if c.id == a.claim)
    assert "tracking our pipelines" in claim.text and a.stance == "assert" and not claim.negated
    # A denial that goes on to deny stays a denial.
    [b] = analyze_text('"That is not true. We have never sold a single rifle," the envoy said.').attributions
    assert b.stance == "deny"


def test_a_named_body_is_keyed_by_its_distinctive_word_not_as_a_surname():
    analysis = analyze_text("Calloway Holdings said that it had always acted properly in its dealings with the port.")
    [a] = analysis.attributions
    claim = next(c for c in analysis.claims if c.id == a.claim)
    assert claim.subject == ["calloway"]


def test_the_subject_of_a_passive_is_the_subject_of_its_infinitive():
    analysis = analyze_text("The Herald reported on Monday that Varga was expected to resign within days.")
    [a] = analysis.attributions
    claim = next(c for c in analysis.claims if c.id == a.claim)
    assert claim.agent.name == "Varga" and "resign" in claim.text and a.stance == "report"


def test_a_denied_role_or_an_unconfirmed_account_speaks_to_the_claim_it_names():
    text = ("Residents said the army shelled the market in Dorvan on Tuesday. A trade union said the port had "
            "been closed for a week. The army has denied any role in the shelling. The Ledger could not "
            "independently confirm the accounts of the shelling.")
    analysis = analyze_text(text)
    shelling = next(c for c in analysis.claims if "shelled the market" in c.text)
    denial = next(a for a in analysis.attributions if a.cue.text == "has denied")
    unconfirmed = next(a for a in analysis.attributions if "confirm" in a.cue.text)
    assert denial.claim == shelling.id and denial.stance == "deny"
    assert unconfirmed.claim == shelling.id and unconfirmed.stance == "question"


def test_a_denied_role_with_no_claim_of_it_told_is_the_speakers_part_in_the_act():
    # The article tells no claim of the shelling for the denial to answer: the role denied is the claim.
    analysis = analyze_text("Iran has denied any role in the attack on the tanker, a spokesman said. The "
                            "group claimed responsibility for the bombing of the embassy on Friday.")
    by_cue = {a.cue.text: a for a in analysis.attributions}
    claims = {c.id: c for c in analysis.claims}
    denied, claimed = by_cue["has denied"], by_cue["claimed"]
    assert claims[denied.claim].text == "Iran had a role in the attack on the tanker" and denied.stance == "deny"
    assert claims[denied.claim].agent.country == "IRN" and claims[denied.claim].event["plover"] == "ASSAULT"
    assert claims[claimed.claim].text.startswith("The group was responsible for the bombing")
    assert claimed.stance == "assert"
    # Another's part is theirs; no one claiming it names no one who did it; a noun that is no part in an act
    # names nothing to claim.
    confirmed = analyze_text("The studio confirmed Rogen's role in the new production.")
    assert [c.text for c in confirmed.claims] == ["Rogen had a role in the new production"]
    [unclaimed] = analyze_text("No group has claimed responsibility for the attack on the convoy.").attributions
    [rejected] = analyze_text("The ministry rejected the timing of the talks.").attributions
    assert unclaimed.claim is None and rejected.claim is None


def test_a_rejected_proposal_is_no_answer_to_the_articles_claim():
    analysis = analyze_text("Residents said the army shelled the market in Dorvan on Tuesday. The army rejected "
                            "the ceasefire proposal on Wednesday.")
    rejected = next(a for a in analysis.attributions if a.cue.text == "rejected")
    assert rejected.claim is None


def test_whom_someone_works_for_is_a_claim_and_working_on_something_is_procedure():
    a = analyze_text('"The trawler was working for a fisheries research institute," the embassy said. '
                     '"We are working with the coastguard to establish the facts," the company said.')
    by_text = {c.text.split(",")[0]: c.checkable for c in a.claims if c.voice == "attribution"}
    assert by_text["The trawler was working for a fisheries research institute"] is True
    # "We" is the company that says it.
    assert by_text["the company is working with the coastguard to establish the facts"] is False
