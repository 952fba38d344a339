"""Words that introduce what someone said, believes or reports, grouped by what they tell about stance."""
from __future__ import annotations

import re

# Verbs whose subject is a source and whose complement is content ("X said that ...").
SPEECH = {
    "say", "tell", "add", "state", "note", "explain", "announce", "declare", "write", "tweet", "post",
    "argue", "insist", "maintain", "stress", "emphasize", "emphasise", "remark", "comment", "observe",
    "reply", "respond", "answer", "continue", "conclude", "recall", "mention", "point", "indicate",
    "suggest", "predict", "promise", "pledge", "vow", "threaten", "urge", "estimate", "testify",
    "report", "learn", "reveal", "disclose", "inform", "brief", "repeat", "reiterate", "assert",
    "affirm", "claim", "allege", "accuse", "charge", "blame", "warn", "caution", "cite", "quote",
    "acknowledge", "admit", "concede", "confirm", "agree", "believe", "think", "fear", "hope", "expect",
    "feel", "know", "suspect", "assume", "worry", "doubt", "wonder", "ask", "question", "deny",
    "reject", "dismiss", "refute", "rebut", "dispute", "contest", "counter", "retract", "withdraw",
    "decline", "boast", "complain", "lament", "contend", "speculate", "signal",
    "show", "find", "determine", "assess", "describe", "call", "label", "brand",
}
# Verbs that count as cues only with a that-clause or a quote: "show", "find" and "call" are
# too common as plain verbs ("the map shows the border") to fire on a subject alone.
NEEDS_CLAUSE = {"show", "find", "determine", "assess", "know", "think", "feel", "expect", "hope",
                "continue", "point", "call", "describe", "label", "brand",
                "post", "answer", "indicate", "signal", "decline", "withdraw", "counter", "mention",
                "agree", "learn", "inform", "brief", "quote"}

DENY = {"deny", "reject", "dismiss", "refute", "rebut", "dispute", "contest", "counter", "retract",
        "withdraw", "disavow", "repudiate"}
RETRACT = {"retract", "withdraw"}
# For a thread's status, the cues that deny plainly: not "counter" (an answer, not a denial), nor a
# retraction or a disavowal (the speaker takes back or disowns its own word, which RETRACT covers).
STATUS_DENY = DENY - {"counter", "retract", "withdraw", "disavow"}
# Plain statements: a party that says so in close words confirms what it is accused of.
PLAIN_SPEECH = {"say", "state", "announce", "tell", "add", "declare"}
# Showing a claim false, as a third party with no stake does.
REFUTE = {"refute", "debunk", "disprove"}
# A verdict on a story: what an outlet or a fact-checker says when it shows a claim false ("the story
# was a hoax", "a satirical site", "the photo was doctored"). "Fake" and "false" count only as a verdict
# on a story, a report or a picture, or as what something is ("turned out to be fake"), not "fake
# passports" or "a false alarm". Measured on FNC-1 train stories: a sentence so in 29 of 39 false
# claims' stories, 3 of 22 true ones'.
_TOLD = (r"(?:story|stories|report|reports|article|articles|news|site|website|claim|claims|rumou?rs?|photo|photos|"
         r"photograph|image|images|picture|pictures|video|tweet|account|post|headline|letter|document)")
VERDICT = re.compile(
    r"\b(?:hoax(?:es|ers?)?|satir(?:e|ical)|debunk(?:ed|s|ing)?|bogus|untrue|not true|spoof|fabricated|"
    r"photoshopped|doctored|fake news|(?:is|was|are|were|be|been|as|proved|proven) (?:a |an |completely |totally |"
    r"entirely )?(?:fake|false|fabrication)(?!\s+[a-z])|(?:fake|false|phony|phoney) " + _TOLD + r")\b", re.IGNORECASE)


def is_verdict(text: str) -> bool:
    """The words show a story false (a hoax, a satire, fake, debunked)."""
    return VERDICT.search(text) is not None


QUESTION = {"ask", "question", "wonder", "doubt"}
REPORT = {"report", "cite", "quote", "learn"}
ACCUSE = {"accuse", "allege", "charge", "blame", "claim"}
ADMIT = {"admit", "acknowledge", "concede", "confirm"}
BELIEF = {"believe", "think", "fear", "hope", "expect", "feel", "suspect", "assume", "worry", "estimate"}

# Nouns that stand for a claim ("rejected the accusations", "the rumour of arms deals").
CLAIM_NOUNS = {"accusation", "allegation", "claim", "charge", "rumor", "rumour", "report", "assertion",
               "suggestion", "speculation", "story", "assessment", "finding", "notion", "idea", "theory",
               "insinuation", "contention"}
# Nouns that carry speech ("in a statement", "the statement added").
SPEECH_NOUNS = {"statement", "communique", "release", "announcement", "remarks", "comments", "interview",
                "briefing", "post", "tweet", "letter", "report", "speech", "message"}
# Words that dismiss what they qualify: "a groundless rumour" is a denial.
DISMISSIVE = {"groundless", "baseless", "unfounded", "false", "fabricated", "fake", "absurd", "ridiculous",
              "nonsense", "lie", "lies", "fabrication", "propaganda", "slander", "smear", "untrue",
              "misinformation", "disinformation", "rumor", "rumour", "rumors", "rumours", "hoax", "fiction",
              "fictional", "fantasy", "fantasies", "invented", "inventing", "invention", "hysteria", "fairy"}
# Words that dismiss only what is named as a claim: "the reports were simply wrong" (but "it was wrong to").
DISMISSIVE_OF_CLAIMS = {"wrong", "inaccurate", "misleading", "incorrect", "speculation", "speculative"}
CLAIM_WORDS = CLAIM_NOUNS | {w + "s" for w in CLAIM_NOUNS} | {"account", "accounts", "stories"}
# Cues that, negated, leave a claim open: "could not confirm", "would not say whether".
OPEN_WHEN_NEGATED = {"confirm", "verify", "say", "corroborate", "comment", "know"}
# An inquiry that looked and did not find, show or establish it speaks against the claim ("the review did not
# find that any law had been broken"), as "found no evidence that" does.
FINDING = {"find", "show", "establish", "prove", "uncover", "discover", "detect", "conclude", "determine"}
HEDGES = {
    "possible": {"may", "might", "could", "possibly", "perhaps", "maybe"},
    "probable": {"likely", "probably", "believe", "believes", "believed", "suspect", "suspected",
                 "apparently", "seemingly", "appears", "seems", "indicates", "indicate", "suggests"},
    "unverified": {"reportedly", "allegedly", "alleged", "unverified", "unconfirmed", "purportedly",
                   "rumored", "rumoured"},
}

# Words that carry an article's stance toward a claim rather than its topic, read by the stance models as
# they were trained (stance/classifier.py counts them in the body, its lede and the sentences nearest the
# claim; stance/reading.py in the sentences its encoder finds nearest): a change here is a change of the
# models' features, to be retrained (`make train-stance`). Surface forms, not lemmas.
STANCE_REFUTE = frozenset("""fake fraud hoax false falsely deny denies denied denying refute refutes refuted not no
never nope despite doubt
doubts doubted bogus debunk debunks debunked prank pranks retract retracts retracted reject rejects rejected
dismiss dismisses dismissed untrue myth satire satirical fabricated baseless groundless contrary wrong
misleading incorrect rumour rumor""".split())
STANCE_HEDGE = frozenset("""reportedly allegedly alleged claims claimed claim according rumors rumours unconfirmed
unverified may might
could appears apparently purportedly purported suggests suggested believed possibly possible report reports
reported says said speculation speculated if whether sources""".split())
STANCE_AGREE = frozenset("""confirmed confirms confirm official officially announced announces revealed reveals
shows showed proved proves
true indeed verified actually""".split())
SENTENCE_REFUTE = frozenset("""deny denies denied denying refute refuted reject rejects rejected dismissed false
fake hoax baseless groundless
untrue not never no nothing debunked""".split())
SENTENCE_HEDGE = frozenset("""reportedly allegedly alleged claims claimed unconfirmed unverified may might could
appears apparently
purportedly rumors rumours according""".split())
