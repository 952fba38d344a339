"""The event coder on sentences written for these tests: one or more per PLOVER type."""
import pytest

from counterclaim import nlp
from counterclaim.claims.coder import code_sentence

CASES = [
    ("Greece and Turkey agreed to reopen two border crossings next month.", "AGREE", "GRC", None),
    ("The Japanese prime minister met the Philippine president in Manila on Tuesday.", "CONSULT", "JPN", "PHL"),
    ("Canada praised Norway for its role in the ceasefire talks.", "SUPPORT", "CAN", "NOR"),
    ("Police in Spain and France shared intelligence on the smuggling network.", "COOPERATE", "ESP", None),
    ("Germany donated 40 ambulances to Ukraine.", "AID", "DEU", "UKR"),
    ("Russia withdrew its troops from the border region on Monday.", "RETREAT", "RUS", None),
    ("Iran admitted that its air defences shot down the airliner.", "CONCEDE", "IRN", None),
    ("The European Union urged Serbia to resume talks with Kosovo.", "REQUEST", "IGO", "SRB"),
    ("Poland accused Belarus of pushing migrants across the border.", "ACCUSE", "POL", "BLR"),
    ("Hungary rejected the proposal from Brussels.", "REJECT", "HUN", None),
    ("North Korea threatened to strike American bases in the Pacific.", "THREATEN", "PRK", None),
    ("Thousands of Israeli teachers demonstrated outside parliament on Sunday.", "PROTEST", "ISR", None),
    ("Britain expelled two Russian diplomats on Thursday.", "SANCTION", "GBR", "RUS"),
    ("China deployed warships near Taiwan after the vote.", "MOBILIZE", "CHN", None),
    ("Egyptian police arrested 30 students in Cairo.", "COERCE", "EGY", None),
    ("Syrian government forces shelled a village near Idlib.", "ASSAULT", "SYR", None),
    ("Israel and Lebanon held talks on the maritime border.", "CONSULT", "ISR", None),
]


@pytest.mark.parametrize("text,event,actor,recipient", CASES)
def test_event_type_and_parties(text, event, actor, recipient):
    doc = nlp.parse(text)
    coded = code_sentence(next(doc.sents))
    assert coded is not None and coded.event == event, (coded and coded.event)
    assert coded.actor is not None and coded.actor.actor[:3] == actor
    if recipient:
        assert coded.recipient is not None and coded.recipient.actor[:3] == recipient
    assert coded.cameo.isdigit() and coded.quad_class in (1, 2, 3, 4)


def test_reported_speech_is_not_coded_as_the_act():
    doc = nlp.parse("The minister said the weather was mild.")
    assert code_sentence(next(doc.sents)) is None
