"""Typed records that flow through the pipeline; `to_dict` gives the contract's JSON shape."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "counterclaim/article@1"
STATUSES = ("unverified", "disputed", "confirmed", "refuted", "retracted")  # a thread's, in the contract's words
# What each status and stance means, for the legend of the web pages, the CLI's help and the API.
STATUS_MEANINGS = {
    "unverified": "asserted or relayed, by however many, and denied by no one",
    "disputed": "someone denies what another asserts",
    "confirmed": "first-hand evidence: the party it is about, a court or the police says it is so, "
                 "or an act foretold is reported done",
    "refuted": "shown false: an outlet or a third party calls it a hoax, a satire or a fake, or the "
               "person it says something befell says it did not",
    "retracted": "the one who asserted it takes it back",
}
STANCE_MEANINGS = {
    "assert": "says it is so",
    "deny": "says it is not so, or gives another account",
    "question": "asks or doubts",
    "report": "passes it on without taking a side",
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start, end, text[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Article:
    id: str
    text: str
    title: str | None = None
    source_name: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    language: str = "en"
    path: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Speaker:
    name: str | None
    role: str | None = None
    actor: str | None = None
    country: str | None = None
    sector: str | None = None
    via: str = "mention"  # mention | coreference | metonym | organisation | unnamed

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "actor": self.actor,
            "country": self.country,
            "sector": self.sector,
            "via": self.via,
        }


@dataclass
class Attribution:
    id: str
    kind: str  # direct | indirect | mixed
    cue: Span
    source: Span | None
    content: list[Span]
    speaker: Speaker
    stance: str = "assert"  # assert | deny | question | report
    certainty: str = "certain"  # certain | probable | possible | unverified
    claim: str | None = None
    thread: str | None = None
    confidence: float = 0.5
    sentence: tuple[int, int] = (0, 0)
    cue_lemma: str = ""  # the cue's dictionary form ("denied" -> "deny"): stance and events read it

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "cue": self.cue.to_dict(),
            "source": self.source.to_dict() if self.source else None,
            "content": [c.to_dict() for c in self.content],
            "speaker": self.speaker.to_dict(),
            "stance": self.stance,
            "certainty": self.certainty,
            "claim": self.claim,
            "thread": self.thread,
            "confidence": round(self.confidence, 3),
        }


@dataclass
class Party:
    """An agent or recipient: the words used and the actor code they resolve to."""

    name: str | None
    actor: str | None

    @property
    def country(self) -> str | None:
        return self.actor[:3] if self.actor else None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "actor": self.actor}


@dataclass
class Claim:
    id: str
    text: str
    agent: Party
    predicate: str
    recipient: Party | None
    object: str | None
    event: dict[str, Any] | None = None
    mentions: list[Span] = field(default_factory=list)
    negated: bool = False  # the content said the act did not happen; folded into the stance
    # What the claim is about: named people, organisations, places and things, with actor codes where
    # the dictionary places them. Threads block on these.
    entities: list[dict[str, Any]] = field(default_factory=list)
    subject: list[str] = field(default_factory=list)  # entity keys of the party the claim is about
    # "attribution": someone in the article says it; "outlet": the article's own voice (its headline or a
    # sentence it states as fact), with the outlet's stance and certainty below.
    voice: str = "attribution"
    stance: str | None = None
    certainty: str | None = None
    checkable: bool = True  # false for procedure, feelings and the speaker's own plans: they start no thread
    done: bool = False  # the outlet tells the act as done ("resigned on Monday"), not as foretold or ongoing
    whole: bool = True  # the text reads as a sentence on its own (a named subject, a finite verb)
    vector: Any = None  # the sentence encoder's unit vector of `text` (numpy); not part of the contract
    lingual: Any = None  # the multilingual encoder's, for a claim in another language (nlp/lingual.py)

    @property
    def keys(self) -> list[str]:
        """What the claim is about, as the keys threads block on: its entities' and its subject's."""
        return sorted({e["key"] for e in self.entities} | set(self.subject))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "agent": self.agent.to_dict(),
            "predicate": self.predicate,
            "recipient": self.recipient.to_dict() if self.recipient else None,
            "object": self.object,
            "event": self.event,
            "mentions": [m.to_dict() for m in self.mentions],
            "entities": self.entities,
            "subject": self.subject,
            "voice": self.voice,
            "stance": self.stance,
            "certainty": self.certainty,
            "checkable": self.checkable,
            "negated": self.negated,
            "done": self.done,
            "whole": self.whole,
            "thread": None,
        }


@dataclass
class Event:
    id: str
    actor: Party
    event: str
    mode: str | None
    recipient: Party | None
    cameo: str
    quad_class: int
    goldstein: float
    attribution: str | None
    claim: str | None
    sentence: tuple[int, int]
    context: list[str] = field(default_factory=list)  # PLOVER contexts the text gives ("military")
    background: bool = False  # told as an earlier event ("last week's launches"), not as news

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "actor": self.actor.to_dict(),
            "event": self.event,
            "mode": self.mode,
            "recipient": self.recipient.to_dict() if self.recipient else None,
            "cameo": self.cameo,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "attribution": self.attribution,
            "claim": self.claim,
            "sentence": {"start": self.sentence[0], "end": self.sentence[1]},
            "context": self.context,
            "background": self.background,
        }


@dataclass
class Failure:
    """An article that could not be read, analysed, stored or linked: which, where, and why."""

    article: str
    stage: str  # read | analyse | store | link
    error: str  # the exception, in one line ("IndexError: list index out of range")
    path: str | None = None
    title: str | None = None
    trace: str = ""  # the traceback, shown with --debug
    at: str | None = None  # when the store recorded it (UTC)

    @classmethod
    def of(cls, article: "Article", stage: str, error: BaseException) -> "Failure":
        import traceback

        def plain(text: str | None) -> str | None:  # what any terminal and store takes: no lone surrogates
            return text.encode("utf-8", "backslashreplace").decode("utf-8") if text else text

        line = " ".join(str(error).split())[:300]
        return cls(article=plain(article.id), stage=stage,
                   error=plain(f"{type(error).__name__}: {line}" if line else type(error).__name__),
                   path=plain(article.path), title=plain(article.title),
                   trace=plain("".join(traceback.format_exception(type(error), error, error.__traceback__))))

    def line(self) -> str:
        """One line for a warning: the article (its file where it came from one), the stage and the error."""
        where = f"{self.path} ({self.article})" if self.path and self.path != self.article else self.article
        return f"{where}: failed to {self.stage}: {self.error}"

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "path": self.path, "title": self.title, "stage": self.stage,
                "error": self.error, "at": self.at}


@dataclass
class Analysis:
    """Everything the pipeline found in one article."""

    article: Article
    attributions: list[Attribution] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    signature: list[int] | None = None  # MinHash of the text, for syndication; computed where the work is
    failure: Failure | None = None  # set where the article could not be analysed: nothing else is

    def to_dict(self) -> dict[str, Any]:
        a = self.article
        return {
            "schema": SCHEMA,
            "id": a.id,
            "source": {"name": a.source_name, "url": a.url},
            "title": a.title,
            "published": a.published,
            "language": a.language,
            "text": a.text,
            "attributions": [x.to_dict() for x in self.attributions],
            "claims": [x.to_dict() for x in self.claims],
            "events": [x.to_dict() for x in self.events],
            "warnings": list(a.warnings),
        }


@dataclass
class Thread:
    id: str
    claim: str
    status: str = "unverified"
    status_history: list[dict[str, Any]] = field(default_factory=list)
    first_seen: dict[str, Any] | None = None
    asserted_by: list[dict[str, Any]] = field(default_factory=list)
    denied_by: list[dict[str, Any]] = field(default_factory=list)
    reported_by: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    independent_sources: int = 0
    last_seen: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "claim": self.claim,
            "status": self.status,
            "status_history": self.status_history,
            "first_seen": self.first_seen,
            "asserted_by": self.asserted_by,
            "denied_by": self.denied_by,
            "reported_by": self.reported_by,
            "articles": self.articles,
            "independent_sources": self.independent_sources,
            "last_seen": self.last_seen,
        }


# --- reading the contract back (e.g. from the Parquet partitions a distributed run writes) ----------

def _span(d: dict | None) -> Span | None:
    return Span(d["start"], d["end"], d["text"]) if d else None


def _party(d: dict | None) -> Party | None:
    return Party(d["name"], d["actor"]) if d else None


def analysis_from_dict(rec: dict, path: str | None = None, cue_lemmas: dict[str, str] | None = None) -> Analysis:
    """The inverse of Analysis.to_dict; `cue_lemmas` restores the one field the contract leaves out."""
    article = Article(id=rec["id"], text=rec["text"], title=rec["title"], source_name=rec["source"]["name"],
                      url=rec["source"]["url"], published=rec["published"], language=rec["language"], path=path,
                      warnings=list(rec["warnings"]))
    cue_lemmas = cue_lemmas or {}
    attributions = [Attribution(
        id=a["id"], kind=a["kind"], cue=_span(a["cue"]), source=_span(a["source"]),
        content=[_span(c) for c in a["content"]], speaker=Speaker(**a["speaker"]), stance=a["stance"],
        certainty=a["certainty"], claim=a["claim"], thread=a["thread"], confidence=a["confidence"],
        cue_lemma=cue_lemmas.get(a["id"], a["cue"]["text"].lower())) for a in rec["attributions"]]
    claims = [Claim(id=c["id"], text=c["text"], agent=_party(c["agent"]), predicate=c["predicate"],
                    recipient=_party(c["recipient"]), object=c["object"], event=c["event"],
                    mentions=[_span(m) for m in c["mentions"]], entities=c.get("entities") or [],
                    subject=c.get("subject") or [], voice=c.get("voice") or "attribution", stance=c.get("stance"),
                    certainty=c.get("certainty"), checkable=c.get("checkable", True),
                    negated=bool(c.get("negated")), done=bool(c.get("done")), whole=c.get("whole", True)) for c in rec["claims"]]
    events = [Event(id=e["id"], actor=_party(e["actor"]), event=e["event"], mode=e["mode"],
                    recipient=_party(e["recipient"]), cameo=e["cameo"], quad_class=e["quad_class"],
                    goldstein=e["goldstein"], attribution=e["attribution"], claim=e["claim"],
                    sentence=(e["sentence"]["start"], e["sentence"]["end"]), context=e.get("context") or [],
                    background=bool(e.get("background"))) for e in rec["events"]]
    return Analysis(article, attributions, claims, events)
