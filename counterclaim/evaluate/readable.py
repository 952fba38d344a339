"""Whether a thread reads to a journalist: are the names on its sides speakers (people, bodies, roles,
outlets), and is its claim a sentence that stands alone? The rules are written down here so that the
figures can be checked by hand.

A side entry is junk when it has no name; when it starts with a pronoun ("it", "its disclaimer", "One of
them", "I"; not "some experts"); when it is sentence-long (more than eight words); or when its head noun
is a document, a label or a thing ("the report", "pictures, taken from a patrol aircraft", "Claim",
"distressing symptoms").

A claim stands alone when it parses as a clause with a finite verb and a subject, and that subject is no
pronoun ("its forces had shelled the village" does not; "who I was", "some countries to pay up" neither).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

# A name led by one of these is a pronoun, not a speaker: "it", "its disclaimer", "One of them", "I".
PRONOUNS = frozenset("""i me my we us our ours you your he him his she her hers it its they them their theirs
who whom which what someone somebody anyone everyone nothing nobody""".split())
# These lead a speaker's description ("some arachnid experts", "one senior official"); alone, or before
# "of" ("one of them"), they are pronouns.
QUANTIFIERS = frozenset("this that these those one some many several both each either neither all most few others "
                        "another".split())
THINGS = frozenset("""report reports story stories article articles statement statements photo photos photograph
photographs picture pictures image images video videos footage paper papers document documents letter letters
claim claims review study studies data record records tweet tweets post posts disclaimer symptoms symptom
origins origin rumor rumors rumour rumours headline headlines analysis survey poll polls figures figure
numbers evidence findings finding map maps email emails message messages website site page account
accounts book books film movie release note notes memo memos filing filings video-clip clip clips""".split())
MAX_NAME_WORDS = 8


def junk_side(name: str | None, parse) -> str | None:
    """Why a side entry's name is no speaker, or None when it is one."""
    if not name or not name.strip(" ?()"):
        return "no name"
    raw = name.split()
    words = [w.strip(".,;:'\"“”‘’()").lower() for w in raw]
    if not any(words):
        return "no name"
    if words[0] in PRONOUNS or words[0] in QUANTIFIERS and (len(words) == 1 or words[1] == "of"):
        return "pronoun-led"
    if len(words) > MAX_NAME_WORDS:
        return "sentence-long"
    # The head noun, as the parser finds it ("pictures, taken from a patrol aircraft": pictures; "source
    # familiar with the story": source); a capitalised one is a name ("The Post", "Jimmy Page") unless it
    # stands alone (a fact-check page's "Claim").
    doc = parse(name)
    head = next((t for t in doc if t.dep_ == "ROOT"), doc[-1])
    if (head.lemma_.lower() in THINGS or head.lower_ in THINGS) and (not head.text[:1].isupper() or len(raw) == 1):
        return "a document or thing"
    return None


def stands_alone(doc) -> bool:
    """A parsed claim is a clause with a finite verb and a subject that is no pronoun."""
    for tok in doc:
        if tok.dep_ == "ROOT":
            finite = tok.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
                c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ", "VBP", "MD") for c in tok.children)
            subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")), None)
            if not finite or subject is None:
                return False
            # "its forces", "their leader": a possessive pronoun is no name either.
            return not any(t.lower_ in PRONOUNS and t.tag_ in ("PRP", "PRP$", "WP", "DT", "WDT")
                           for t in subject.subtree)
    return False


@dataclass
class Readability:
    threads: int
    entries: int
    junk: dict[str, list[str]] = field(default_factory=dict)  # why -> the names
    good_names: list[str] = field(default_factory=list)
    claims: int = 0
    alone: list[str] = field(default_factory=list)
    not_alone: list[str] = field(default_factory=list)

    @property
    def junk_share(self) -> float:
        return sum(len(v) for v in self.junk.values()) / self.entries if self.entries else 0.0

    @property
    def alone_share(self) -> float:
        return len(self.alone) / self.claims if self.claims else 0.0

    def examples(self, n: int = 10, seed: int = 0) -> dict[str, list[str]]:
        rng = random.Random(seed)
        junk = [f"{name} ({why})" for why, names in self.junk.items() for name in names]

        def pick(xs):
            return rng.sample(xs, min(n, len(xs)))

        return {"junk": pick(junk), "speakers": pick(self.good_names), "claims alone": pick(self.alone),
                "claims not alone": pick(self.not_alone)}


def measure(threads: list[dict], parse) -> Readability:
    """Over threads with two or more articles: their side entries and their claims (`parse`: text -> Doc)."""
    kept = [t for t in threads if len(t.get("articles") or []) >= 2]
    r = Readability(threads=len(kept), entries=0)
    for t in kept:
        for side in (t.get("asserted_by") or []) + (t.get("denied_by") or []):
            name = "; ".join(side.get("names") or []) or side.get("actor") or ""
            r.entries += 1
            why = junk_side(side["names"][0] if side.get("names") else None, parse) if not side.get("actor") else None
            if why:
                r.junk.setdefault(why, []).append(name)
            else:
                r.good_names.append(name)
        r.claims += 1
        (r.alone if stands_alone(parse(t["claim"])) else r.not_alone).append(t["claim"])
    return r
