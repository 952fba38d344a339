"""Claim look-up: the threads that make a claim, given the claim in any words ("has anyone already said,
or denied, this?"). The same encoder and the same entity keys as linking decide: the query is encoded as
a claim is, compared with each thread's claims (their centroid first, then the closest claims of the
likeliest threads), and a thread is found when it is about the same parties (a shared entity key) and
close in meaning, or, without a shared party, when it says nearly the same thing. Anything else is not
found: a look-up that answers every query with its nearest thread would tell a fact-checker nothing."""
from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field

import numpy as np

from ..threads.link import COMMON_KEY

# Encoder cosines, chosen on the written stories (tests/test_search.py): paraphrases that share at most
# half their words with the claim score 0.68 to 0.88 against their thread, and the story's other threads
# 0.5 to 0.55; queries about other things that share one country with a thread ("Russia sent troops into
# Georgia") score under 0.5 against it, and those sharing nothing under 0.4.
WITH_PARTY = 0.45  # a thread sharing two of the query's parties, or a name (not only a country)
ONE_COUNTRY = 0.6  # a thread sharing only a country: a country is in too many stories to say which
ALONE = 0.7  # a thread sharing none: it must say nearly the same
# A query in another language is read by the multilingual encoder against each thread's claim (and the claims
# in other languages it holds): the same claim retold in another language scores 0.55 to 0.76, another claim
# about some of the same parties 0.25 to 0.55 (tests/data/languages.json).
ACROSS_WITH_PARTY = 0.5
ACROSS_ALONE = 0.65
CENTROID_CANDIDATES = 30  # threads weighed claim by claim: the closest by centroid ...
KEY_CANDIDATES = 30  # ... and those sharing most of the query's parties
MAX_QUERY = 500  # characters: a claim is a sentence


@dataclass
class Hit:
    """A thread found for a claim: its record's sides and status, how close it is, and why."""

    thread: str
    claim: str
    status: str
    score: float
    closest: str  # the thread's claim nearest the query, as an article words it
    asserted_by: list[dict] = field(default_factory=list)
    denied_by: list[dict] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)  # the parties (entity keys) query and thread share
    independent_sources: int = 0
    last_seen: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def query_keys(text: str) -> frozenset:
    """What a query is about, in the keys claims use: its named entities as a claim records them (actor
    codes, distinctive names), and the nouns naming its parties where no name does ("the trawler")."""
    from .. import nlp
    from ..actors import UNDATED, country_code
    from ..claims.assemble import ENTITY_LABELS
    from ..claims.entities import entity_of, keys_of_party
    from ..models import Party

    doc = nlp.parse(text)
    actors = UNDATED
    keys = set()
    for ent in nlp.entities(doc, *ENTITY_LABELS):
        e = entity_of(ent.text, ent.label_, actors)
        if e is not None:
            keys.add(e["key"])
    for chunk in doc.noun_chunks:
        if not chunk.ents:
            keys.update(keys_of_party(Party(chunk.text, None), actors))
    # A name spaCy does not tag (short queries often go untagged) is still a name: the dictionary places it.
    for m in actors.find(text):
        if m.country:
            keys.add(country_code(m.actor))
    return frozenset(keys)


class Searcher:
    """Look-ups over one store. The shown threads' centroids are read once per state of the store (the
    meta row linking moves), so a look-up costs one encoding and a matrix product."""

    def __init__(self, store):
        self.store = store
        self._lock = threading.Lock()
        self._version: tuple | None = None
        self._ids: list[str] = []
        self._directions = np.zeros((0, 384), dtype=np.float32)
        self._keys: list[frozenset] = []
        self._postings: dict[str, list[int]] = {}
        self._across: dict[str, np.ndarray] = {}  # thread -> its claim's multilingual direction, made on demand
        self._position: dict[str, int] = {}  # thread -> its row in the index

    def _load(self) -> None:
        version = self.store.query("SELECT (SELECT value FROM meta WHERE key = 'linked_documents'), "
                                   "(SELECT count(*) FROM threads WHERE shown), "
                                   "(SELECT max(seq) FROM status_changes)")[0]
        if version == self._version:
            return
        from ..store.db import vector_of

        rows = self.store.query("SELECT id, centroid, keys FROM threads WHERE shown AND centroid IS NOT NULL "
                                "ORDER BY id")
        self._ids = [r[0] for r in rows]
        vectors = [vector_of(r[1]) for r in rows]
        m = np.stack(vectors) if vectors else np.zeros((0, 384), dtype=np.float32)
        self._directions = m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)
        self._keys = [frozenset(k for k in json.loads(r[2] or "{}") if not k.startswith("w:")) for r in rows]
        self._postings = {}
        for i, keys in enumerate(self._keys):
            for k in keys:
                self._postings.setdefault(k, []).append(i)
        self._version = version
        self._across = {}
        self._position = {tid: i for i, tid in enumerate(self._ids)}

    def search(self, claim: str, limit: int = 10) -> list[Hit]:
        with self._lock:  # one look-up at a time: the index is swapped whole when the threads move
            return self._search(claim, limit)

    def _search(self, claim: str, limit: int) -> list[Hit]:
        from ..ingest.checks import language
        from ..nlp import lingual

        claim = " ".join(claim.split())[:MAX_QUERY]
        if not claim:
            return []
        self._load()
        if not self._ids:
            return []
        spoken = language(claim)
        if spoken not in ("en", "und") and lingual.covers(spoken):
            # A few English words are sometimes told as another language ("Iran drones Russia": Italian):
            # plain ASCII is read as English first.
            hits = self._search_english(claim, limit) if claim.isascii() else []
            return hits or self._search_across(claim, spoken, limit)
        return self._search_english(claim, limit)

    def _search_english(self, claim: str, limit: int) -> list[Hit]:
        from ..nlp import encoder

        q = encoder.encode([claim])[0]
        keys = query_keys(claim)
        by_centroid = self._directions @ q
        candidates = set(np.argsort(-by_centroid)[:CENTROID_CANDIDATES].tolist())
        votes: dict[int, int] = {}
        for k in keys:
            postings = self._postings.get(k, ())
            if len(postings) <= COMMON_KEY:  # a country alone is in too many threads to pick any
                for i in postings:
                    votes[i] = votes.get(i, 0) + 1
        candidates |= set(sorted(votes, key=lambda i: -votes[i])[:KEY_CANDIDATES])
        closest = self._closest([self._ids[i] for i in candidates], q)
        found = []
        for i in candidates:
            tid = self._ids[i]
            best_text, best = closest.get(tid, (None, -1.0))
            score = max(float(by_centroid[i]), best)
            shared = sorted(keys & self._keys[i])
            if score >= _threshold(shared):
                found.append((score, tid, best_text, shared))
        found.sort(key=lambda f: (-f[0], f[1]))
        hits = []
        for f in found:
            hit = self._hit(*f)
            if hit is not None:
                hits.append(hit)
                if len(hits) == limit:
                    break
        return hits

    def _search_across(self, claim: str, spoken: str, limit: int) -> list[Hit]:
        """A query in another language: the threads about its parties (all of them, where it names none the
        lexicon places), each read by the multilingual encoder in its own claim and its claims in other
        languages."""
        from ..actors import country_code
        from ..languages.lexicon import lexicon
        from ..nlp import lingual
        from ..store.db import vector_of

        lex = lexicon(spoken)
        keys = {country_code(h.value) for h in (lex.actors.find(claim) if lex is not None else [])}
        hit_ids = sorted({self._ids[i] for k in keys for i in self._postings.get(k, ())}) or self._ids
        q = lingual.encode([claim])[0]
        missing = [tid for tid in hit_ids if tid not in self._across]
        if missing:
            rows = self.store.query_with_ids(missing, "SELECT id, claim, lingual FROM threads WHERE id IN "
                                                      "(SELECT id FROM given_ids)")
            made = lingual.encode([r[1] or "" for r in rows])
            for (tid, _, stored), v in zip(rows, made):
                other = vector_of(stored)
                self._across[tid] = np.stack([v] + ([other / max(float(np.linalg.norm(other)), 1e-9)]
                                                    if other is not None else []))
        found = []
        for tid in hit_ids:
            score = float((self._across[tid] @ q).max())
            shared = sorted(keys & self._keys[self._position[tid]])
            if score >= (ACROSS_WITH_PARTY if shared else ACROSS_ALONE):
                found.append((score, tid, None, shared))
        found.sort(key=lambda f: (-f[0], f[1]))
        hits = [h for h in (self._hit(*f) for f in found[:limit]) if h is not None]
        return hits

    def _closest(self, thread_ids: list[str], q: np.ndarray) -> dict[str, tuple[str, float]]:
        """Per thread, its claim nearest the query (claims the encoder read: a zero vector is none)."""
        rows = self.store.query_with_ids(
            thread_ids, "SELECT thread_id, text, vector FROM claims WHERE thread_id IN (SELECT id FROM given_ids) "
                        "AND vector IS NOT NULL AND NOT coalesce(answer, false)")
        if not rows:
            return {}
        # One matrix product over the candidates' claims (float16 as stored, 384 to a claim).
        m = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float16).reshape(len(rows), -1).astype(np.float32)
        norms = np.linalg.norm(m, axis=1)
        scores = np.where(norms > 1e-6, (m @ q) / np.maximum(norms, 1e-6), -1.0)
        out: dict[str, tuple[str, float]] = {}
        for (tid, text, _), score in zip(rows, scores.tolist()):
            if score > out.get(tid, ("", -1.0))[1]:
                out[tid] = (text, score)
        return out

    def _hit(self, score: float, tid: str, closest: str | None, shared: list[str]) -> Hit | None:
        t = self.store.thread(tid)
        if t is None:  # hidden by a relink since the index was read
            return None
        return Hit(thread=tid, claim=t["claim"], status=t["status"], score=round(score, 3), closest=closest or t["claim"],
                   asserted_by=t["asserted_by"], denied_by=t["denied_by"], shared=shared,
                   independent_sources=t["independent_sources"], last_seen=t["last_seen"])


def _threshold(shared: list[str]) -> float:
    if not shared:
        return ALONE
    if len(shared) == 1 and _is_code(shared[0]):
        return ONE_COUNTRY
    return WITH_PARTY


def _is_code(key: str) -> bool:
    """An actor code (IRN, IGOUNO), as keys of placed parties are; other keys are lower-case words."""
    return key.isupper()


def search(store, claim: str, limit: int = 10) -> list[Hit]:
    return Searcher(store).search(claim, limit)
