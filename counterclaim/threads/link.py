"""Link claims into threads by meaning, incrementally, and date each thread's status changes.

A thread is one claim followed over time, about anyone: a state, a company, a person, a thing. Claims join
a thread when they say the same thing about the same parties: the parties (entity keys: actor codes, names)
pick the candidate threads, the sentence encoder and the article around the claim decide. A claim by the
party a thread is about that answers it in other words ("the vessel was on a fishing trip" against "the
vessel was spying"; "I have no plans to step down") joins it as that party's answer, a denial. Linking is
incremental: each new article meets the threads that share its parties, so a batch costs what it holds,
not what the store holds, and a thread keeps the id of the claim that started it.

Status moves as the record grows: unverified while only asserted or relayed; disputed once the party the
claim is about (or any other party) denies what another asserts; confirmed when that party admits it, or
when an outlet later states it as fact in its own voice; retracted when the asserters take it back; refuted
when a third party with no stake shows it false. After WINDOW_DAYS of silence a claim starts a new thread."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..models import Thread

RETRACT_CUES = {"retract", "withdraw"}
ADMIT_CUES = {"admit", "acknowledge", "concede", "confirm"}
PLAIN_CUES = {"say", "state", "announce", "tell", "add", "declare"}
REFUTE_CUES = {"refute", "debunk", "disprove"}
WINDOW_DAYS = 365
# Chosen on the FNC-1 train stories (`counterclaim eval threads`, tuned there, measured on held-out stories).
SAME = 0.62  # score at which a claim is the thread's claim told again
ANSWER = 0.30  # score at which the thread's own party answers it in other words
ARTICLE_WEIGHT = 0.35  # how much the article around a claim counts beside the claim's own words
MIN_ARTICLES = 2  # a thread shown is followed across articles, or disputed within one


@dataclass
class Mention:
    """One voice on a claim: an attribution, or the outlet's own (headline or stated fact)."""

    attribution: str | None
    article: str
    date: str | None
    order: int  # position of the article in the store, to order same-day mentions stably
    position: int  # offset in its article
    outlet: str | None
    speaker: str | None
    actor: str | None
    country: str | None
    sector: str | None
    stance: str  # the speaker's stance toward the claim as the mention words it
    certainty: str
    cue: str
    claim_id: str
    voice: str = "attribution"
    speaker_keys: frozenset = frozenset()
    thread: str | None = None  # set by linking
    thread_stance: str | None = None  # the stance toward the thread's claim, set by linking


@dataclass
class Node:
    """A claim to link: its text, vector, what it is about, and the voices that carry it."""

    claim_id: str
    article: str
    date: str | None
    order: int
    text: str
    vector: np.ndarray
    keys: frozenset
    subject: frozenset
    checkable: bool = True
    negated: bool = False
    agent_country: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    thread: str | None = None
    answer: bool = False  # joined as the thread party's answer in other words


@dataclass
class ThreadState:
    """What linking keeps of a thread between batches."""

    id: str
    centroid: np.ndarray  # sum of member vectors
    context: np.ndarray  # sum of member articles' vectors
    n: int
    keys: dict[str, int]
    subject: dict[str, int]
    first: str | None
    last: str | None
    agent_country: str | None = None

    def unit(self, v: np.ndarray) -> np.ndarray:
        return v / max(float(np.linalg.norm(v)), 1e-9)


def thread_id(seed: str) -> str:
    return "t" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:10]


def _days(a: str | None, b: str | None) -> int:
    if not a or not b:
        return 0
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


class Linker:
    """Threads held in memory while a batch is linked: `threads` by id and an index from entity key to the
    threads that carry it. Load the threads a batch could join, link the batch, write back what changed."""

    def __init__(self, threads: list[ThreadState] = (), window_days: int = WINDOW_DAYS,
                 same: float = SAME, answer: float = ANSWER, article_weight: float = ARTICLE_WEIGHT):
        self.threads: dict[str, ThreadState] = {}
        self.index: dict[str, set[str]] = {}
        self.window, self.same, self.answer_at, self.weight = window_days, same, answer, article_weight
        self.changed: set[str] = set()
        for t in threads:
            self._add(t)

    def _add(self, t: ThreadState) -> None:
        self.threads[t.id] = t
        for k in t.keys:
            self.index.setdefault(k, set()).add(t.id)

    def link_article(self, nodes: list[Node]) -> None:
        """Link one article's claims: first what its speakers assert, then their answers."""
        if not nodes:
            return
        context = np.sum([n.vector for n in nodes], axis=0)
        context = context / max(float(np.linalg.norm(context)), 1e-9)
        touched: set[str] = set()
        for node in sorted(nodes, key=lambda n: (not n.checkable, n.negated)):
            self._link(node, context, touched)

    def _link(self, node: Node, context: np.ndarray, touched: set[str]) -> None:
        ids = set(touched)
        for k in node.keys:
            ids |= self.index.get(k, set())
        best, best_score = None, -1.0
        for tid in ids:
            t = self.threads[tid]
            if node.date and t.last and _days(node.date, t.last) > self.window and tid not in touched:
                continue
            score = self._score(node, context, t)
            shared = node.keys & t.keys.keys()
            if not shared and tid not in touched:
                continue
            if score > best_score:
                best, best_score = t, score
        if best is not None and best_score >= self.same and (node.checkable or node.negated):
            self._join(node, best, context, touched)
        elif best is not None and best_score >= self.answer_at and self._answers(node, best):
            node.answer = True
            self._join(node, best, context, touched)
        elif node.checkable and not node.negated:
            t = ThreadState(thread_id(node.claim_id), np.zeros_like(node.vector), np.zeros_like(context), 0, {}, {},
                            node.date, node.date, node.agent_country)
            self._add(t)
            self._join(node, t, context, touched)

    def _score(self, node: Node, context: np.ndarray, t: ThreadState) -> float:
        own = float(node.vector @ t.unit(t.centroid))
        around = float(context @ t.unit(t.context))
        return (1 - self.weight) * own + self.weight * around

    def _answers(self, node: Node, t: ThreadState) -> bool:
        """The thread's own party speaks about itself: the claim's subject, and its speaker, are the party
        the thread is about."""
        subject = {k for k, n in t.subject.items() if n * 3 >= max(t.subject.values(), default=0)}
        speakers = set().union(*(m.speaker_keys for m in node.mentions)) if node.mentions else set()
        return bool(subject & speakers) and bool(subject & (node.subject | node.keys))

    def _join(self, node: Node, t: ThreadState, context: np.ndarray, touched: set[str]) -> None:
        node.thread = t.id
        if not node.answer:  # an answer in other words says what the thread is not; it does not move it
            t.centroid = t.centroid + node.vector
            t.context = t.context + context
            t.n += 1
            for k in node.keys:
                if k not in t.keys:
                    self.index.setdefault(k, set()).add(t.id)
                t.keys[k] = t.keys.get(k, 0) + 1
            for k in node.subject:
                t.subject[k] = t.subject.get(k, 0) + 1
        if node.date:
            t.first = min(t.first or node.date, node.date)
            t.last = max(t.last or node.date, node.date)
        t.agent_country = t.agent_country or node.agent_country
        touched.add(t.id)
        self.changed.add(t.id)
        for m in node.mentions:
            m.thread = t.id
            m.thread_stance = thread_stance(m.stance, node.answer)


def thread_stance(stance: str, answer: bool) -> str:
    """A mention's stance toward its thread's claim: an answer in other words asserts something else about
    the thread's party, which denies the thread's claim ("it was on a fishing trip")."""
    return "deny" if answer and stance == "assert" else stance


def link(nodes: list[Node], **options) -> list[Node]:
    """Link claims from scratch (articles in date order); sets each node's and mention's thread."""
    linker = Linker(**options)
    by_article: dict[str, list[Node]] = {}
    for n in sorted(nodes, key=lambda n: (n.date or "9999-99-99", n.order)):
        by_article.setdefault(n.article, []).append(n)
    for group in by_article.values():
        linker.link_article(group)
    return nodes


# --- a thread's record: its claim, sides and dated status -------------------------------------------

def build(tid: str, nodes: list[Node], origin: dict[str, str]) -> Thread | None:
    """The thread record from its claims and their voices, or None when it is not (yet) a thread to show:
    one article, with no one on the other side."""
    mentions = sorted((m for n in nodes for m in n.mentions),
                      key=lambda m: (m.date or "9999-99-99", m.order, m.position))
    if not mentions:
        return None
    articles = list(dict.fromkeys(m.article for m in mentions))
    stances = {m.thread_stance for m in mentions if m.voice == "attribution"}
    if len(articles) < MIN_ARTICLES and not ("assert" in stances and stances & {"deny", "question"}):
        return None
    t = Thread(id=tid, claim=_central(nodes), key=tid)
    first = mentions[0]
    t.first_seen = {"date": first.date, "article": first.article, "speaker": first.speaker or first.actor}
    subject = _subject(nodes)
    agent_country = next((n.agent_country for n in nodes if n.agent_country and not n.answer), None)
    asserted: dict[str, dict] = {}
    denied: dict[str, dict] = {}
    asserters: set[str] = set()
    deniers: set[str] = set()
    first_article_date = next((m.date for m in mentions if m.voice == "attribution"), None)
    status = None
    for m in mentions:
        party = m.actor or m.country or (m.speaker or "unknown")
        side = m.country or party
        accused = bool(m.speaker_keys & subject) or bool(agent_country and m.country == agent_country)
        stance = m.thread_stance or m.stance
        new = status
        if m.voice == "outlet":
            if (stance == "assert" and m.certainty == "certain" and first_article_date and m.date
                    and m.date > first_article_date and status != "confirmed"):
                new = "confirmed"  # the outlet now reports as fact, in its own voice, what was claimed
            elif status is None:
                new = "unverified"
        elif stance == "assert":
            _side(asserted, party, m)
            if accused and (m.cue in ADMIT_CUES or m.cue in PLAIN_CUES and m.certainty == "certain"):
                new = "confirmed"  # the party the claim is about says it is so
            elif status in (None, "unverified", "retracted"):
                new = "disputed" if deniers - {side} else "unverified"
            asserters.add(side)
        elif stance == "deny":
            _side(denied, party, m)
            if status == "confirmed":
                pass  # an admission stands; later denials are recorded, not believed
            elif side in asserters and (m.cue in RETRACT_CUES or not (asserters - {side})):
                new = "retracted"
            elif m.cue in REFUTE_CUES and not accused and m.sector in ("IGO", "JRN", "JUD"):
                new = "refuted"
            elif asserters - {side}:
                new = "disputed"
            elif status is None:
                new = "unverified"
            deniers.add(side)
        else:
            new = status or "unverified"
        if new != status:
            t.status_history.append({"date": m.date, "status": new, "because": m.attribution or m.claim_id})
            status = new
    t.status = status or "unverified"
    t.asserted_by = list(asserted.values())
    t.denied_by = list(denied.values())
    t.articles = articles
    t.reported_by = sorted({m.outlet for m in mentions if m.outlet})
    t.independent_sources = len({origin.get(a, a) for a in articles})
    t.last_seen = mentions[-1].date
    return t


def _subject(nodes: list[Node]) -> set[str]:
    counts: dict[str, int] = {}
    for n in nodes:
        if not n.answer:
            for k in n.subject:
                counts[k] = counts.get(k, 0) + 1
    top = max(counts.values(), default=0)
    return {k for k, c in counts.items() if c * 3 >= top}


def _central(nodes: list[Node]) -> str:
    """The thread's claim: the text of its most central claim, among those told as asserted by someone
    (not denied, not an answer), closest to the thread's mean."""
    pool = [n for n in nodes if not n.answer and not n.negated and n.checkable] or nodes
    mean = np.sum([n.vector for n in pool], axis=0)
    return max(pool, key=lambda n: (float(n.vector @ mean), -len(n.text))).text


def _side(sides: dict[str, dict], party: str, m: Mention) -> None:
    entry = sides.setdefault(party, {"actor": m.actor or m.country, "names": [], "attributions": []})
    if m.speaker and m.speaker not in entry["names"]:
        entry["names"].append(m.speaker)
    entry["attributions"].append(m.attribution or m.claim_id)
