"""Link claims into threads by meaning, incrementally, and date each thread's status changes.

A thread is one claim followed over time, about anyone: a state, a company, a person, a thing. An article
first finds the story it continues: the thread whose articles' words (TF-IDF, average link) are closest to
its own. Its claims then join the threads of that story they speak to (the sentence encoder decides
between them, and claims of different kinds of act stay apart), or a thread of another story that makes
the same claim in close words about the same parties (entity keys: actor codes, names), or start a thread.
A claim by the party a thread is about that answers it in other words ("the vessel was on a fishing trip"
against "the vessel was spying") joins it as that party's answer, a denial. Linking is incremental: each
new article meets the threads that share its parties or strongest words, so a batch costs what it holds
and what it touches, not what the store holds, and a thread keeps the id of the claim that started it.

Status moves as the record grows, from who said what, never from how often: unverified while only
asserted or relayed; disputed once the party the claim is about (or any other party) denies what another
asserts; confirmed by first-hand words after another made the claim (that party, a court or the police
saying it is so) or by an act foretold that an outlet reports done on a later day; refuted when an outlet
calls the story a hoax, a satire or fake, a third party with no stake shows it false, or the person a claim
says something befell ("she was captured") says it did not; retracted when
the asserters take it back. After a year of silence (LinkSettings.window_days) a claim
starts a new thread."""
from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import itemgetter

import numpy as np

from ..attribution.cues import ADMIT, REFUTE, RETRACT, STATUS_DENY, is_verdict
from ..claims.coder import MATERIAL
from ..claims.entities import keys_of_words_list
from ..models import Thread



@dataclass(frozen=True)
class LinkSettings:
    """The thresholds of linking and of the status rules. The defaults were chosen on the FNC-1 train
    stories (evaluate/tune_threads.py) and measured on held-out stories (docs/evaluation.md)."""

    story: float = 0.17  # TF-IDF cosine of an article's words to a thread's articles' at which they tell one story
    own_min: float = 0.3  # encoder cosine of a claim to a thread of its story at which it speaks to that thread
    own_alone: float = 0.6  # encoder cosine at which a claim sharing the thread's parties joins from another story
    within: float = 0.65  # encoder cosine that joins claims of different kinds of act (PLOVER types)
    loose: float = 0.2  # within one article, the encoder cosine at which a claim speaks to a thread it carries
    answer: float = 0.30  # encoder cosine at which the thread's own party answers it in other words
    confirm: float = 0.75  # encoder cosine at which the thread's own party, asserting, says the same
    admit: float = 0.5  # encoder cosine at which an admission ("confirmed that ...") is of the thread's claim
    outlet_confirm: float = 0.67  # encoder cosine at which an outlet's later report of an act done is of the claim
    plain_denial: float = 0.6  # encoder cosine at which a negated claim is the thread's claim denied
    # Multilingual encoder cosines, for a claim read against a thread in another language (chosen on the
    # written stories in six languages, tests/data/languages.json): the same claim translated or retold
    # scores 0.6 to 0.76 against its thread, another claim about some of the same parties 0.25 to 0.55.
    across: float = 0.55  # at which a claim in another language is the thread's claim
    across_loose: float = 0.35  # at which it speaks to a thread of the story its article continues
    across_answer: float = 0.2  # at which the thread's own party, in an article of its story, answers it
    headline_weight: float = 2.0  # how many mentions a headline counts for when the thread's claim is chosen
    whole_within: float = 0.85  # share of the most central claim's closeness at which a claim that reads whole is told instead
    min_articles: int = 2  # a thread shown is followed across articles, or disputed within one
    window_days: int = 365  # after this long a silent claim starts a new thread


@dataclass(slots=True)
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
    anonymous: bool = False  # an unnamed official or source ("a U.S. official"), not a body's spokesman


@dataclass(slots=True)
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
    plover: str | None = None  # the kind of act claimed, where the coder knows it
    position: int = 0  # where in its article it is first said (-1: the headline)
    mentions: list[Mention] = field(default_factory=list)
    thread: str | None = None
    answer: bool = False  # joined as the thread party's answer in other words
    done: bool = False  # the outlet's own claim tells the act as done (Claim.done)
    whole: bool = True  # its text reads as a sentence on its own (Claim.whole)
    score: float = 0.0  # how close it was to its thread when it joined (1.0 for the claim that started it)
    # A claim in another language: its multilingual vector (its English `vector` is zero) and language.
    lingual: np.ndarray | None = None
    language: str = "en"

    @property
    def foreign(self) -> bool:
        """In another language, read by the multilingual encoder."""
        return self.language != "en" and self.lingual is not None

    @property
    def verdict(self) -> bool:
        """A verdict on a story ("the story was a hoax"): it speaks to the story its article tells."""
        return is_verdict(self.text)


@dataclass
class ThreadState:
    """What linking keeps of a thread between batches."""

    id: str
    centroid: np.ndarray  # sum of member vectors
    context: dict[str, float]  # the words of the member articles (TF-IDF, summed, strongest kept)
    n: int
    keys: dict[str, int]
    subject: dict[str, int]
    first: str | None
    last: str | None
    agent_country: str | None = None
    events: dict[str, int] = field(default_factory=dict)  # PLOVER types of its claims' acts
    # Across languages: the sum of its claims' multilingual vectors, where any was made, and the claim that
    # started it, which the multilingual encoder reads when a claim in another language first meets it.
    lingual: np.ndarray | None = None
    label: str | None = None

    def event(self) -> str | None:
        """The kind of act its claims claim most (kept until a claim is added: every candidate asks)."""
        if "_event" not in self.__dict__:
            self.__dict__["_event"] = max(self.events, key=lambda k: (self.events[k], k)) if self.events else None
        return self.__dict__["_event"]

    docs: int = 0  # articles whose words are in `context`
    story_id: str | None = None  # the thread whose articles' words tell this thread's story (itself, for a story)
    stored_keys: frozenset = frozenset()  # the keys the store already indexes it by
    # Who has answered for its party, by name: "the Severnaya Fishing Company, owner of the ship" once,
    # then "the director of the Severnaya Fishing Company" speaks for the ship too.
    voices: dict[str, int] = field(default_factory=dict)

    def story(self, words: dict[str, float]) -> float:
        """How far an article's words are its articles' words: the mean cosine to each of them (average
        link; the context is the sum of their unit vectors), which a thread grown loose does not inflate."""
        return dot(words, self.context) / max(self.docs, 1)

    def direction(self) -> np.ndarray:
        """The unit vector of its claims' centroid (kept until the centroid moves)."""
        cached = self.__dict__.get("_direction")
        if cached is None:
            cached = self.__dict__["_direction"] = self.centroid / max(float(np.linalg.norm(self.centroid)), 1e-9)
        return cached

    def add_claim(self, v: np.ndarray) -> None:
        self.centroid = self.centroid + v
        self.__dict__.pop("_direction", None)

    def across(self) -> np.ndarray | None:
        """The unit vector of its claims in the multilingual encoder's space (its first claim read now, where
        no claim in another language has joined it yet); None where it has neither."""
        if self.lingual is None and self.label:
            from ..nlp import lingual

            self.lingual = lingual.encode([self.label])[0]
        if self.lingual is None:
            return None
        return self.lingual / max(float(np.linalg.norm(self.lingual)), 1e-9)


CONTEXT_WORDS = 120  # the strongest words kept of an article, and of a thread's articles together
_weight = itemgetter(1)


class Words:
    """How rare each word is among the articles linked so far (document frequencies, grown as articles
    are linked), to weigh an article's words as TF-IDF: the story's own names and terms count, the words
    of every story do not."""

    def __init__(self, df: dict[str, int] | None = None, documents: int = 0):
        self.df = df or {}
        self.documents = documents
        self.added: dict[str, int] = {}  # counts added since loading, for the store to write back

    def vector(self, text: str) -> dict[str, float]:
        counts = Counter(keys_of_words_list(text))
        self.documents += 1
        df, added, log, n1 = self.df, self.added, math.log, self.documents + 1
        weights = {}
        for w, c in counts.items():  # one pass: this runs for every article linked
            d = df[w] = df.get(w, 0) + 1
            added[w] = added.get(w, 0) + 1
            weights[w] = (1 + log(c)) * log(n1 / (d + 0.5))
        top = (heapq.nlargest(CONTEXT_WORDS, weights.items(), key=_weight) if len(weights) > CONTEXT_WORDS
               else sorted(weights.items(), key=_weight, reverse=True))
        norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
        return {w: v / norm for w, v in top if v > 0}


COMMON_KEY = 50  # a key (a country, a common word) in more threads than this does not pick candidates
STORY_CANDIDATES = 40  # stories weighed for one article, those sharing most of its words and names first
BLOCKING_WORDS = 8  # an article's strongest words, used like names to find the stories it may continue
THREAD_WORDS = 800  # the strongest words kept of a thread's articles' summed words


def add_words(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    out = dict(a)
    for w, v in b.items():
        out[w] = out.get(w, 0.0) + v
    # Cut back to the strongest words once a quarter over, not at every article: the sort is the cost.
    if len(out) > THREAD_WORDS * 5 // 4:
        out = dict(sorted(out.items(), key=lambda kv: -kv[1])[:THREAD_WORDS])
    return out


def batch_keys(nodes: list[Node], texts: dict[str, str]) -> set[str]:
    """Every key linking these claims can look up: their parties, and any word of their articles (an
    article's strongest words are among its words, whichever the document frequencies make strongest)."""
    keys: set[str] = set()
    by_article: dict[str, list[Node]] = {}
    for n in nodes:
        keys |= n.keys
        by_article.setdefault(n.article, []).append(n)
    for aid, group in by_article.items():
        text = texts.get(aid) or " ".join(n.text for n in group)
        keys.update("w:" + w for w in keys_of_words_list(text))
    return keys


def word_keys(words: dict[str, float]) -> set[str]:
    return {"w:" + w for w, _ in sorted(words.items(), key=lambda kv: -kv[1])[:BLOCKING_WORDS]}


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def thread_id(seed: str) -> str:
    return "t" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:10]


def _days(a: str | None, b: str | None) -> int:
    if not a or not b:
        return 0
    return abs(_day(a) - _day(b))


@lru_cache(maxsize=8192)
def _day(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


class Linker:
    """Threads held in memory while a batch is linked: `threads` by id and an index from entity key to the
    threads that carry it. Load the threads a batch could join, link the batch, write back what changed."""

    def __init__(self, threads: list[ThreadState] = (), words: "Words | None" = None,
                 wanted: "set[str] | None" = None, settings: LinkSettings | None = None):
        """`wanted`: every key the batch can look up (batch_keys), where the caller knows them: the stored
        threads are then indexed by those alone, not by each of their thousands of words."""
        self.words = words if words is not None else Words()
        self.settings = settings = settings or LinkSettings()
        self.own_min, self.within, self.loose, self.own_alone, self.story = (
            settings.own_min, settings.within, settings.loose, settings.own_alone, settings.story)
        self.answer_at = settings.answer
        self.threads: dict[str, ThreadState] = {}
        self.index: dict[str, set[str]] = {}
        self.window = settings.window_days
        self.changed: set[str] = set()
        self.current: str | None = None  # the story thread the article being linked continues
        self.stories: dict[str, set[str]] = {}  # story thread -> the threads of its story
        self.article_story: str | None = None
        self.admitted: dict[str, frozenset] = {}  # thread -> who admits its claim in the article being linked
        for t in threads:
            self._add(t, wanted)

    def _add(self, t: ThreadState, wanted: "set[str] | None" = None) -> None:
        self.threads[t.id] = t
        self.stories.setdefault(t.story_id or t.id, set()).add(t.id)
        for k in (t.keys if wanted is None else t.keys.keys() & wanted):
            self.index.setdefault(k, set()).add(t.id)

    def link_article(self, nodes: list[Node], text: str = "") -> None:
        """Link one article's claims: first what its speakers assert, then their answers. `text` is the
        article's text: its words are the story around the claims."""
        if not nodes:
            return
        # An article in another language has no words in common with the store's (TF-IDF is per
        # language): its claims find their threads by parties and meaning alone.
        foreign = any(n.foreign for n in nodes)
        context = {} if foreign else self.words.vector(text or " ".join(n.text for n in nodes))
        strongest = word_keys(context)
        around = article_keys(nodes)
        # The story the article continues, if any: the thread whose articles' words are closest to its
        # own. Its claims speak to that thread first.
        touched: set[str] = set()
        self.admitted = {}
        self.current = (self._story_across(nodes, around) if foreign else
                        self._story(nodes, context, around, strongest))
        self.article_story = None  # without a story to continue, the first thread the article starts
        if self.current is not None:
            # The story's threads are this article's to speak to: its claim, and the other claims told
            # in its articles ("the army shelled the village", "the army blocked the convoys").
            touched |= self.stories.get(self.current, set()) | {self.current}
        # The headline and what is asserted first tell the story; answers and asides come after.
        first = None
        for node in sorted(nodes, key=lambda n: (n.verdict, not n.checkable, n.negated, n.position)):
            self._link(node, context, touched, around)
            first = first or node.thread
        # The article's words go to one thread, the story it tells: the one it continues, else the first
        # it starts. A side claim's thread is no second copy of the story.
        story = self.threads.get(self.current or first or "")
        if story is not None and not foreign:
            story.context = add_words(story.context, context)
            story.docs += 1
            self.changed.add(story.id)
            for k in strongest:  # its strongest words find the story too, not only its names
                story.keys[k] = story.keys.get(k, 0) + 1
                self.index.setdefault(k, set()).add(story.id)

    def _story(self, nodes: list[Node], context: dict[str, float], around: frozenset, strongest: set[str]) -> str | None:
        date = next((n.date for n in nodes if n.date), None)
        # Candidates: the threads that share one of its strongest words, or two of its names (a name alone,
        # a country, is in too many stories to weigh them all).
        by_words, by_names = Counter(), Counter()
        for k in strongest:
            by_words.update(self.index.get(k, ()))
        for k in set().union(*(n.keys for n in nodes)) | around:
            postings = self.index.get(k, ())
            if len(postings) <= COMMON_KEY:  # a key in that many threads says little about which story
                by_names.update(postings)
        votes = {tid: 2 * v for tid, v in by_words.items()}
        for tid, v in by_names.items():
            votes[tid] = votes.get(tid, 0) + v
        # The likeliest first, and only so many: the words of a story's articles are weighed, not every
        # story that shares a country with it.
        ids = sorted((tid for tid, v in votes.items() if v >= 2), key=lambda tid: -votes[tid])[:STORY_CANDIDATES]
        names = set().union(*(n.keys for n in nodes)) | around
        best, best_score = None, self.story
        for tid in ids:
            t = self.threads[tid]
            if date and t.last and _days(date, t.last) > self.window:
                continue
            if names and not any(k in t.keys for k in names) and any(not k.startswith("w:") for k in t.keys):
                continue  # the same words about other parties are another story
            score = t.story(context)
            if score >= best_score:
                best, best_score = tid, score
        return best

    def _candidates(self, node: Node, touched: set[str], around: frozenset) -> list[ThreadState]:
        """The threads a claim could join: those the article speaks to, and those that share two of the claim's
        parties (one, where it names only one: a country alone is in too many threads to compare them all),
        heard from within the window."""
        keys = node.keys | around
        selective = [k for k in keys if len(self.index.get(k, ())) <= COMMON_KEY] or list(keys)
        day = _day(node.date) if node.date else None
        out = []
        for tid in set(touched) | _sharing(self.index, selective, min(2, len(selective))):
            t = self.threads[tid]
            if tid in touched or not (day is not None and t.last and abs(day - _day(t.last)) > self.window
                                      or t.keys.keys().isdisjoint(keys)):
                out.append(t)
        return out

    def _story_across(self, nodes: list[Node], around: frozenset) -> str | None:
        """The story an article in another language continues: that of the thread one of its claims makes in
        any language (the closest such claim decides, as an English article's words decide its story)."""
        best, best_own = None, self.settings.across
        for node in nodes:
            if not node.foreign or not node.checkable:
                continue
            for t in self._candidates(node, set(), around):
                direction = t.across()
                if direction is not None and (own := float(node.lingual @ direction)) >= best_own:
                    best, best_own = t, own
        return (best.story_id or best.id) if best is not None else None

    def _link(self, node: Node, context: dict[str, float], touched: set[str], around: frozenset = frozenset()) -> None:
        if node.foreign:
            self._link_across(node, touched, around)
            return
        if not node.vector.any() or node.verdict:
            # A claim the encoder did not read (claims.assemble.MAX_ENCODED), or a verdict on the story
            # ("the report was a hoax"): it speaks to the story its article tells, if the article tells one.
            story = self.threads.get(self.current or self.article_story or "")
            if story is not None:
                # ... or the thread of that story that claims its kind of act ("the checkpoint was still
                # closed" goes to the convoys' thread, not to the shelling's).
                kin = sorted(tid for tid in self.stories.get(story.story_id or story.id, ())
                             if node.plover and self.threads[tid].event() == node.plover)
                if node.plover and story.event() != node.plover and kin:
                    story = self.threads[kin[0]]
                node.score = 0.0
                # One who has answered for the thread's party, asserting again, repeats its own account
                # ("the embassy repeated that the vessel had been collecting data for a survey").
                self._join(node, story, context, touched, around, answering=frozenset(story.voices))
            return
        best, best_rank, best_own = None, (False, -1, False, -1.0), -1.0
        # The outlet's own background ("the council approved the scheme in March") tells the story around
        # the claim, not a claim of its own: it goes to the story's thread, however far its words.
        aside = node.position >= 0 and all(m.voice == "outlet" for m in node.mentions)
        home = self.current or self.article_story
        for t in self._candidates(node, touched, around):
            tid = t.id
            own = self._own(node, t)
            if not t.centroid.any():
                # A thread only claims in other languages have made: joined by the same claim alone.
                if own >= self.settings.across and (True, 3, False, own) > best_rank:
                    best, best_rank, best_own = t, (True, 3, False, own), own
                continue
            # Claims of different kinds of act ("shelled the village", "blocked the convoys to it") are
            # different claims, however alike the story around them: only close words join them.
            kind = t.event()
            # Only deeds are told apart so: a word about the matter ("accepted her resignation", "she will
            # resign") is of the same story whatever the coder calls it.
            differs = bool(node.plover and kind and node.plover != kind and node.plover in MATERIAL and kind in MATERIAL)
            # The same story: the article continues it, or its words are the words of the thread's articles.
            # Within a story a claim speaks to the thread when its words are near; across stories only when
            # they say the same. The story the article continues comes first, then a thread of another
            # story that makes the same claim, then a thread the article itself started, then the closest.
            in_story = tid in touched and (self.threads[tid].story_id or tid) == self.current or tid == self.current
            if in_story:
                # The story the article continues takes any claim of its kind of act; its other threads
                # take the claims near their own, and of two, the claim goes where its kind of act is.
                floor = self.within if differs else -1.0 if tid == self.current else self.loose
                rank = (own >= floor, 4, bool(kind and node.plover == kind), own)
            elif tid not in touched and own >= (self.within if differs else self.own_alone):
                rank = (True, 3, False, own)
            elif tid in touched:
                floor = -1.0 if aside and tid == home else self.within if differs else self.loose
                rank = (own >= floor, 2, bool(kind and node.plover == kind), own)
            elif not differs and own >= self.own_min and (story := t.story(context)) >= self.story:
                rank = (True, 1, False, story)
            else:
                continue
            if rank > best_rank:
                best, best_rank, best_own = t, rank, own
        best_joins = best_rank[0]
        if best_joins and best_rank[1] == 3 and self.current is None:
            # The article tells a claim another story tells: it continues that story.
            self.current = best.story_id or best.id
            touched |= self.stories.get(self.current, set()) | {self.current}
        node.score = best_own
        if best is not None and best_joins:
            # The thread's own party, saying something close but not the same, gives its own account: an
            # answer, not an admission ("it was taking part in a scientific survey").
            self._join(node, best, context, touched, around,
                       answering=(self._party(best) if best_own < self.settings.confirm and not node.negated
                                  else frozenset()))
        elif best is not None and best_own >= self.answer_at and self._answers(node, best):
            self._join(node, best, context, touched, around, answering=self._party(best))
        elif node.checkable and not node.negated:
            self._start(node, context, touched, around)

    def _own(self, node: Node, t: ThreadState) -> float:
        """How close an English claim is to a thread: the English encoder's cosine, or, to a thread only
        claims in other languages have made so far, the multilingual encoder's."""
        if t.centroid.any() or t.lingual is None:
            return float(node.vector @ t.direction())
        if node.lingual is None:
            from ..nlp import lingual

            node.lingual = lingual.encode([node.text])[0]
        return float(node.lingual @ t.across())

    def _link_across(self, node: Node, touched: set[str], around: frozenset) -> None:
        """A claim in another language: to the thread that makes the same claim about the same parties in any
        language (the multilingual encoder decides), else, within the story its article continues, the
        thread its words are nearest; else it starts a thread."""
        best, best_rank = None, (False, False, -1.0)
        for t in self._candidates(node, touched, around):
            direction = t.across()
            if direction is None:
                continue
            own = float(node.lingual @ direction)
            inside = t.id in touched
            # Within the story, the thread's own party speaking is its answer however it words it ("the
            # satellite images only show ordinary cargo containers").
            floor = (self.settings.across if not inside else
                     self.settings.across_answer if self._answers(node, t) else self.settings.across_loose)
            rank = (own >= floor, inside, own)
            if rank > best_rank:
                best, best_rank = t, rank
        node.score = best_rank[2]
        if best is not None and best_rank[0]:
            if self.current is None:  # the article continues the story of the thread it speaks to
                self.current = best.story_id or best.id
                touched |= self.stories.get(self.current, set()) | {self.current}
            # The thread's own party saying the same in another language confirms it; within the story, in
            # words not that close, it gives its own account.
            self._join(node, best, {}, touched, around,
                       answering=(self._party(best) if node.score < self.settings.across and not node.negated
                                  else frozenset()))
        elif best is not None and node.score >= self.settings.across_loose and self._answers(node, best):
            self._join(node, best, {}, touched, around, answering=self._party(best))
        elif node.checkable and not node.negated:
            self._start(node, {}, touched, around)

    def _start(self, node: Node, context: dict[str, float], touched: set[str], around: frozenset) -> None:
        """A thread started by the claim, in the story the article continues (or the first it started). A claim
        in another language brings its multilingual vector; an English one, its first words to read by it."""
        t = ThreadState(thread_id(node.claim_id), np.zeros_like(node.vector), {}, 0, {}, {}, node.date, node.date,
                        node.agent_country, story_id=self.current or self.article_story,
                        label=None if node.foreign else _label(node.text))
        self._add(t)
        node.score = 1.0
        self._join(node, t, context, touched, around)

    @staticmethod
    def _party(t: ThreadState) -> frozenset:
        """The keys of the party the thread is about: the subject its speakers name most, and those who
        have answered for it."""
        top = max(t.subject.values(), default=0)
        return frozenset(k for k, n in t.subject.items() if n == top) | t.voices.keys()

    def _answers(self, node: Node, t: ThreadState) -> bool:
        """The thread's own party speaks: a speaker of the claim is the party the thread is about."""
        party = self._party(t)
        return any(m.speaker_keys & party for m in node.mentions)

    def _join(self, node: Node, t: ThreadState, context: dict[str, float], touched: set[str],
              around: frozenset = frozenset(), answering: frozenset = frozenset()) -> None:
        """Put the claim in the thread. `answering`: the thread's party, when the claim says something else
        than the thread's claim; what that party asserts in it is its own account, a denial."""
        node.thread = t.id
        self.article_story = self.article_story or t.story_id or t.id
        # ... unless it says so in so many words: "confirmed that the records of 40,000 customers had been
        # stolen" admits the claim, however else it words it.
        admits = any(m.cue in ADMIT for m in node.mentions)
        # ... and one who has admitted it in this article, going on, gives details, not another account.
        if admits or any(m.speaker_keys & self.admitted.get(t.id, frozenset()) for m in node.mentions):
            answering = frozenset()
        if admits:
            self.admitted[t.id] = self.admitted.get(t.id, frozenset()).union(*(m.speaker_keys for m in node.mentions))
        node.answer = any(m.speaker_keys & answering and m.stance == "assert" for m in node.mentions)
        if not node.answer:  # an answer in other words says what the thread is not; it does not move it
            t.add_claim(node.vector)
            if node.foreign:
                t.lingual = node.lingual if t.lingual is None else t.lingual + node.lingual
            t.n += 1
            for k in node.keys | around:
                if k not in t.keys:
                    self.index.setdefault(k, set()).add(t.id)
                t.keys[k] = t.keys.get(k, 0) + 1
            if any(m.voice == "attribution" for m in node.mentions):  # who speakers say it is about
                for k in node.subject:
                    t.subject[k] = t.subject.get(k, 0) + 1
            if node.plover:
                t.events[node.plover] = t.events.get(node.plover, 0) + 1
                t.__dict__.pop("_event", None)
        if node.date:
            t.first = min(t.first or node.date, node.date)
            t.last = max(t.last or node.date, node.date)
        t.agent_country = t.agent_country or node.agent_country
        touched.add(t.id)
        self.changed.add(t.id)
        verdict = node.verdict
        for m in node.mentions:
            m.thread = t.id
            m.thread_stance = thread_stance(m.stance, bool(m.speaker_keys & answering))
            if verdict and m.voice == "attribution":
                # To say "the story was a hoax" is to deny the story's claim; to deny that, to assert it.
                m.thread_stance = {"assert": "deny", "deny": "assert"}.get(m.thread_stance, m.thread_stance)
            if m.speaker_keys & answering:
                for k in m.speaker_keys - answering:
                    t.voices[k] = t.voices.get(k, 0) + 1


def _label(text: str) -> str:
    """A thread's first claim as the multilingual encoder reads it: its first words, as the English encoder
    reads a claim (claims.assemble.ENCODED_WORDS), so that the clauses trailing it do not blur it."""
    from ..claims.assemble import ENCODED_WORDS

    return " ".join(text.split()[:ENCODED_WORDS])


def _sharing(index: dict[str, set[str]], keys: list[str], need: int) -> set[str]:
    """The threads that carry `need` (1 or 2) of the keys: set unions and pairwise intersections, which
    run in C, where counting every posting did not."""
    postings = [index[k] for k in keys if k in index]
    if need <= 1 or len(postings) < 2:
        return set().union(*postings) if need <= 1 else set()
    if len(postings) > 12:  # too many pairs: count instead
        counts = Counter(tid for p in postings for tid in p)
        return {tid for tid, n in counts.items() if n >= need}
    out: set[str] = set()
    for i, a in enumerate(postings):
        for b in postings[i + 1:]:
            out |= a & b
    return out


def article_keys(nodes: list[Node], top: int = 4) -> frozenset:
    """What the article is about: the keys most of its claims share (at least two claims), so that a claim
    whose own words name no one ("the ship had been watching the cables") still meets its story."""
    counts: dict[str, int] = {}
    for n in nodes:
        for k in n.keys:
            counts[k] = counts.get(k, 0) + 1
    ranked = sorted((k for k, c in counts.items() if c >= 2), key=lambda k: (-counts[k], k))
    return frozenset(ranked[:top])


def thread_stance(stance: str, answer: bool) -> str:
    """A mention's stance toward its thread's claim: an answer in other words asserts something else about
    the thread's party, which denies the thread's claim ("it was on a fishing trip")."""
    return "deny" if answer and stance == "assert" else stance


def link(nodes: list[Node], texts: dict[str, str] | None = None, **options) -> list[Node]:
    """Link claims from scratch (articles in date order); sets each node's and mention's thread."""
    linker = Linker(**options)
    by_article: dict[str, list[Node]] = {}
    for n in sorted(nodes, key=lambda n: (n.date or "9999-99-99", n.order)):
        by_article.setdefault(n.article, []).append(n)
    for group in by_article.values():
        linker.link_article(group, (texts or {}).get(group[0].article, ""))
    return nodes


# --- a thread's record: its claim, sides and dated status -------------------------------------------

def build(tid: str, nodes: list[Node], origin: dict[str, str], voices: "set[str] | frozenset" = frozenset(),
          settings: LinkSettings | None = None) -> Thread | None:
    """The thread record from its claims and their voices, or None when it is not (yet) a thread to show:
    one article, with no one on the other side. `voices`: who has answered for its party (ThreadState)."""
    settings = settings or LinkSettings()
    mentions = sorted((m for n in nodes for m in n.mentions),
                      key=lambda m: (m.date or "9999-99-99", m.order, m.position))
    if not mentions:
        return None
    articles = list(dict.fromkeys(m.article for m in mentions))
    # The outlet's own finding, stated as fact, is one side of a dispute too.
    stances = {m.thread_stance for m in mentions if m.voice == "attribution"
               or m.thread_stance == "assert" and m.certainty == "certain" and m.position >= 0}
    independent = len({origin.get(a, a) for a in articles})  # a wire story reprinted is still one telling
    if independent < settings.min_articles and not ("assert" in stances and stances & {"deny", "question"}):
        return None
    central = _central(nodes, settings.headline_weight, settings.whole_within)
    t = Thread(id=tid, claim=central.text)
    first = mentions[0]
    t.first_seen = {"date": first.date, "article": first.article, "speaker": first.speaker or first.actor}
    # Who the claim is about: the party its central claim names, else the one its speakers name most.
    subject = set(central.subject) | _subject(nodes) | set(voices)
    agent_country = next((n.agent_country for n in nodes if n.agent_country and not n.answer), None)
    asserted: dict[str, dict] = {}
    denied: dict[str, dict] = {}
    asserters: set[str] = set()
    deniers: set[str] = set()
    first_article_date = next((m.date for m in mentions if m.voice == "attribution"), None)
    done = {n.claim_id for n in nodes if n.done and n.score >= settings.outlet_confirm and not n.answer}
    foretold = any(FORETOLD.search(n.text) for n in nodes if not n.done and not n.answer
                   and any(m.thread_stance in ("assert", "report") for m in n.mentions))
    # A party that denies the claim and, in the same thread, says what happened instead gives its own
    # account: toward the thread's claim that is a denial too ("London has offered no evidence").
    # (A party's denial counts here when it is plainly one: a denying cue, or words close to the claim;
    # "this was not how a fishing boat behaves" denies the other side's account, not the claim.)
    # ("Our units did not fire on Kelem" is plain too: the thread's kind of act, negated.)
    kind = Counter(n.plover for n in nodes if n.plover and not n.answer).most_common(1)
    plain = {n.claim_id for n in nodes
             if n.score >= settings.plain_denial or n.negated and kind and n.plover == kind[0][0]}
    deniers_of = {_party_of(m) for m in mentions if m.voice == "attribution" and m.thread_stance == "deny"
                  and (m.cue in STATUS_DENY or m.claim_id in plain)}
    near = {n.claim_id for n in nodes if n.score >= settings.confirm}
    for m in mentions:
        if (m.voice == "attribution" and m.thread_stance == "assert" and _party_of(m) in deniers_of
                and m.claim_id not in near and m.cue not in ADMIT):
            m.thread_stance = "deny"
    verdicts = {n.claim_id for n in nodes if n.verdict}
    debunking = {m.article for m in mentions if m.claim_id in verdicts and m.voice == "outlet"}
    admitted = {n.claim_id for n in nodes if n.score >= settings.admit and not n.answer and n.checkable}
    befell = BEFELL.match(central.text) is not None
    unharmed = {n.claim_id for n in nodes if UNHARMED.search(n.text)} if befell else set()
    claimants: set[str] = set()  # who has told the claim, the outlets relaying it too
    status = None
    for m in mentions:
        party = _party_of(m)
        side = m.country or party
        accused = bool(m.speaker_keys & subject) or bool(agent_country and m.country == agent_country)
        # First-hand: the party the claim is about, or an authority that knows (a court, the police).
        first_hand = accused or m.sector in AUTHORITY
        stance = m.thread_stance or m.stance
        new, why = status, ""
        if m.voice == "outlet":
            if m.claim_id in verdicts and stance == "deny":
                if status != "confirmed":
                    new, why = "refuted", "the outlet calls the story a hoax, a satire or a fake"
            elif (stance == "assert" and m.certainty == "certain" and m.claim_id in done and foretold
                    and status in ("unverified", "disputed") and m.date and first_article_date
                    and m.date > first_article_date):
                # What was foretold ("she will resign") the outlet now reports done, in its own voice, on a
                # later day: an event shows it. An outlet saying again what was said is a repetition.
                new, why = "confirmed", "the outlet reports done, on a later day, what was foretold"
            elif status is None:
                new, why = "unverified", "the outlet tells or relays it"
            if stance in ("assert", "report"):
                claimants.add(m.speaker or party)
            if stance == "assert" and m.certainty == "certain":
                asserters.add(side)  # the outlet's own finding ("an investigation has found") is an accusation
        elif stance == "assert":
            _side(asserted, party, m)
            # First-hand evidence: the party the claim is about, or an authority, says it is so in so many
            # words ("confirmed that", "admitted") about this claim. Said plainly ("said it had"), it was
            # right in none of 4 FNC-1 train stories.
            # Only what another made a claim of can be confirmed (its maker saying it again is the claim),
            # not in an article that calls the story a hoax (it relays the hoax), and a claim shown false
            # only by the party it is about admitting it.
            # An official or source speaking unnamed confirms nothing on the record.
            if (first_hand and not m.anonymous and claimants - {m.speaker or party} and m.article not in debunking
                    and m.cue in ADMIT and m.claim_id in admitted
                    and (status != "refuted" or accused)):
                new, why = "confirmed", ("the party the claim is about says it is so" if accused else
                                         "an authority that knows (a court, the police) says it is so")
            elif status in (None, "unverified", "retracted"):
                new, why = (("disputed", "asserted against another's denial") if deniers - {side} else
                            ("unverified", "asserted; no one has denied it"))
            asserters.add(side)
            claimants.add(m.speaker or party)
        elif stance == "deny":
            _side(denied, party, m)
            if status == "confirmed":
                pass  # an admission stands; later denials are recorded, not believed
            elif side in asserters and (m.cue in RETRACT or not (asserters - {side})):
                new, why = "retracted", "the one who asserted it takes it back"
            elif not accused and (m.claim_id in verdicts or m.cue in REFUTE and m.sector in ("IGO", "JRN", "JUD")):
                new, why = "refuted", "a third party with no stake shows it false"
            elif (accused and befell and m.speaker and not m.actor and not m.sector
                    and (m.stance == "deny" and m.cue in STATUS_DENY or m.claim_id in unharmed)):
                # What befell a person ("she was captured", "he has died"), that person says did not: their
                # own word is first-hand evidence, where an accused party's denial is one side of a dispute.
                new, why = "refuted", "the person it befell says it did not"
            elif status == "refuted":
                pass  # a denial adds nothing to a claim shown false
            elif asserters - {side}:
                new, why = "disputed", ("the party the claim is about denies it" if accused else
                                        "denied against another's assertion")
            elif status is None:
                new, why = "unverified", "denied before anyone asserted it"
            deniers.add(side)
        elif status is None:
            new, why = "unverified", "questioned or relayed"
        if new != status:
            t.status_history.append({"date": m.date, "status": new, "because": m.attribution or m.claim_id,
                                     "reason": why})
            status = new
    t.status = status or "unverified"
    for party in asserted.keys() & denied.keys():  # a party on both sides, for the reader to see
        asserted[party]["both_sides"] = denied[party]["both_sides"] = True
    t.asserted_by = list(asserted.values())
    t.denied_by = list(denied.values())
    t.articles = articles
    t.reported_by = sorted({m.outlet for m in mentions if m.outlet})
    t.independent_sources = len({origin.get(a, a) for a in articles})
    t.last_seen = mentions[-1].date
    return t


# A claim of an act to come: "will resign", "is preparing to resign", "to leave the government".
FORETOLD = re.compile(r"\b(?:will|shall|would|going to|about to|(?:plans?|planning|preparing|set|expected|due|"
                      r"poised|ready) to)\b|^\S+(?: \S+)? to \w+", re.IGNORECASE)
# A claim of what befell its subject, a person: "Gill Rosenberg was captured near Kobani", "he has died".
BEFELL = re.compile(r"^(?:\S+\s+){0,5}?(?:(?:was|were|is|are|has|have|had)\s+(?:been\s+)?(?:\w+ly\s+)?"
                    r"(?:dead|missing|ill|sick|pregnant|injured|hurt|wounded|killed|captured|kidnapped|"
                    r"abducted|arrested|detained|jailed|shot|stabbed|hospitali[sz]ed|attacked|beaten|executed|"
                    r"beheaded|murdered|taken hostage|held hostage)|(?:has |had )?died)\b", re.IGNORECASE)
# What a person says of themself that answers such a claim: "I am alive and well", "she is safe".
UNHARMED = re.compile(r"\b(?:is|am|are|was|'m|'s)\s+(?:\w+ly\s+|in fact\s+)?"
                      r"(?:(?:still\s+)?alive|safe|fine|well|unharmed|ok|okay|a-ok|free|in good health)\b",
                      re.IGNORECASE)
AUTHORITY = {"JUD", "COP"}  # sectors whose statement of a fact is first-hand: courts, the police


def _party_of(m: Mention) -> str:
    return m.actor or m.country or (m.speaker or "unknown")


def _subject(nodes: list[Node]) -> set[str]:
    """The party the thread is about: the most frequent subject of what its speakers claim (a headline's
    grammar, "Kyiv says ...", is not evidence of who is accused)."""
    counts: dict[str, int] = {}
    for n in nodes:
        if not n.answer and any(m.voice == "attribution" for m in n.mentions):
            # What a speaker says of itself ("Norway would raise the matter") does not say whom the claim
            # is about.
            own = frozenset().union(*(m.speaker_keys for m in n.mentions))
            for k in n.subject - own:
                counts[k] = counts.get(k, 0) + 1
    top = max(counts.values(), default=0)
    return {k for k, c in counts.items() if c == top and c > 1}


def _central(nodes: list[Node], headline_weight: float, whole_within: float = 1.0) -> Node:
    """The thread's claim: its most central claim as someone in it tells it (asserted or denied, not an
    answer; the outlet's own words only where no speaker's are), each weighed by how many voices carry it."""
    pool = [n for n in nodes if not n.answer and n.checkable and any(m.voice == "attribution" for m in n.mentions)]
    pool = pool or [n for n in nodes if not n.answer] or nodes
    # Told in English where any English claim is central enough to be read; a thread only other languages
    # tell is read in the multilingual encoder's space.
    across = all(n.foreign for n in pool)
    vector = (lambda n: n.lingual) if across else (lambda n: n.vector)  # noqa: E731
    vectors = np.stack([vector(n) for n in pool])
    centre = np.array([len(n.mentions) for n in pool], dtype=np.float32) @ vectors
    # Headlines say what the story is about in the outlets' words: each pulls the choice toward itself.
    for n in nodes:
        if n.position < 0 and (n.foreign or not across):
            centre = centre + headline_weight * vector(n)
    scored = list(zip(pool, (vectors @ centre).tolist()))
    rank = lambda nc: (nc[1], -len(nc[0].text))  # noqa: E731 - the closest, the shorter of equals
    best = max(scored, key=rank)
    # A claim a reader can take in alone ("Kim Jong Un broke his ankle", not "to start a hedge fund" or
    # "he had paid off their mortgage") is told in its place when it is nearly as central.
    whole = [nc for nc in scored if nc[0].whole and nc[1] >= whole_within * best[1]]
    return max(whole, key=rank)[0] if whole and best[1] > 0 else best[0]


def _side(sides: dict[str, dict], party: str, m: Mention) -> None:
    if not (m.speaker or m.actor or m.country):
        return  # a voice no one is named for ("it was reported that"), in an article with no outlet named
    entry = sides.setdefault(party, {"actor": m.actor or m.country, "names": [], "attributions": []})
    if m.speaker and m.speaker not in entry["names"]:
        entry["names"].append(m.speaker)
    entry["attributions"].append(m.attribution or m.claim_id)
