"""Linking the store's new articles into its threads: their copies placed, their claims linked, and each
thread they touched rebuilt with its dated status. Works only through the store's public methods; the
rules are link.py's (who joins which thread, the status) and syndication.py's (which articles are copies)."""
from __future__ import annotations

import gc
import re
from collections import Counter
from functools import lru_cache

import numpy as np

from ..actors import country_code
from ..attribution.speakers import ANONYMOUS, REPRESENTATIVES
from ..claims.assemble import vectors_many
from ..claims.entities import name_key
from ..models import Thread
from ..store.db import Links, Store, vector_of
from .link import LinkSettings, Linker, Mention, Node, ThreadState, Words, batch_keys, build
from .syndication import band_keys, join_copies, signature

# Roles that speak for someone or something: what "the owner of the ship" or "a lawyer for the mayor"
# says in answer is the ship's or the mayor's answer.
_SPEAKS_FOR = re.compile(
    r"\b(?:owners?|operators?|captain|skipper|crew|makers?|manufacturers?|builders?|solicitors?|director|chief|"
    r"head|chair(?:man|woman)?|president|executive|" + "|".join(sorted(f"{w}s?" for w in REPRESENTATIVES)) +
    r")\s+(?:of|for|at)\s+([^,;(]+)", re.IGNORECASE)
_ANONYMOUS = re.compile(r"\b(?:" + "|".join(sorted(f"{w}s?" for w in ANONYMOUS)) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=65536)  # a store's speakers repeat: a thread's members are read again at each relink
def speaker_keys(name: str | None, actor: str | None, role: str | None = None) -> frozenset:
    """Who a speaker is, in the keys claims use: the speaker's country (or whole code) and surname, and
    whom its role speaks for ("director of the Severnaya Fishing Company": severnaya)."""
    keys = set()
    if actor:
        keys.add(country_code(actor))
    if name:  # a person's surname or an organisation's first name word: both, not knowing which it is
        keys |= {k for k in (name_key(name), name_key(name, person=True)) if k}
    for m in _SPEAKS_FOR.finditer(role or ""):
        keys |= {k for k in (name_key(m.group(1)), name_key(m.group(1), person=True)) if k}
    return frozenset(keys)


def anonymous(name: str | None, role: str | None) -> bool:
    """An official or a source left unnamed ("a senior U.S. official", "a source within the army")."""
    return not name and bool(_ANONYMOUS.search(role or ""))


def refresh(store: Store, settings: LinkSettings | None = None, articles: list[str] | None = None) -> list[Thread]:
    """After a run of saves: link the new articles' threads and rebuild the search index; returns the
    shown threads that changed."""
    threads = relink(store, settings, articles=articles)
    store.reindex()
    return threads


def place_copies(store: Store, articles: list[str] | None = None, chunk: int = 5000) -> None:
    """Give each article not yet placed its origin, the least id among the copies of it (a wire story
    reprinted by many outlets is one telling), by the MinHash bands it shares with the articles stored: the
    cost is the batch's, not the store's, and a large batch is placed a chunk at a time, so its signatures
    are not all held at once."""
    unplaced = store.unplaced(articles)
    for i in range(0, len(unplaced), chunk):
        signatures = {}
        for aid, sig, text in store.signatures(unplaced[i:i + chunk]):
            sig = sig or (signature(text) if text and text.strip() else None)
            if sig:
                signatures[aid] = sig
        if signatures:
            ids = list(signatures)
            keys = band_keys([signatures[a] for a in ids])
            store.place(signatures, [(k, aid) for aid, row in zip(ids, keys.tolist()) for k in row], join_copies)


def relink(store: Store, settings: LinkSettings | None = None, full: bool = False,
           articles: list[str] | None = None) -> list[Thread]:
    """Link the claims of articles not yet linked (of `articles` only, where given; all of them from
    scratch with `full`) into the threads, and rewrite the threads they touched. Returns those of them
    that are shown; `store.new_changes` is how many status changes it recorded."""
    # Linking makes hundreds of thousands of small objects and no reference cycles to speak of: the
    # cycle collector would walk every live object (a caller's too) many times over for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with store.lock:  # one relink at a time, and no write between what it reads and what it writes
            return _relink(store, settings or LinkSettings(), full, articles)
    finally:
        if collecting:
            gc.enable()


def _relink(store: Store, settings: LinkSettings, full: bool, articles: list[str] | None) -> list[Thread]:
    if full:
        store.unlink_all()
    place_copies(store, articles)
    new = _nodes(*store.claims_to_link(articles))
    _encode_missing(store, new)
    keys = sorted({k for n in new for k in n.keys})
    texts = store.unlinked_texts(articles)
    words = Words(*store.word_counts())
    stored = [ThreadState(**s, stored_keys=frozenset(s["keys"])) for s in store.thread_states(keys)]
    linker = Linker(stored, words, wanted=batch_keys(new, texts) if stored else None, settings=settings)
    by_article: dict[str, list[Node]] = {}
    for n in sorted(new, key=lambda n: (n.date or "9999-99-99", n.order)):
        by_article.setdefault(n.article, []).append(n)
    for aid, group in by_article.items():
        linker.link_article(group, texts.pop(aid, None) or "")
    del texts, by_article  # the batch's texts are read once: what follows holds the threads in memory
    changed = sorted(linker.changed)
    # A thread's record is rebuilt from all its claims: those stored before (read once, here) and the
    # batch's, as the linker left them (their stance toward the thread's claim included).
    members = _nodes(*store.claims_of_threads(changed)) if changed else []
    members = sorted(members + [n for n in new if n.thread in linker.changed], key=lambda n: (n.order, n.claim_id))
    by_thread: dict[str, list[Node]] = {}
    for n in members:
        by_thread.setdefault(n.thread, []).append(n)
    origin = store.origins(sorted({n.article for n in members}))
    # What is already stored is written again only where it changed: a shown thread's claims stay its
    # claims (the batch's are added), and a stance is rewritten where the record moved it.
    was_shown = store.shown_among(changed)
    batch = {n.claim_id for n in new}
    stored_stance = {m.attribution: m.thread_stance for n in members if n.claim_id not in batch
                     for m in n.mentions if m.attribution}
    links = Links(changed=changed, claims=[[n.claim_id, n.thread, n.answer, n.score] for n in new if n.thread],
                  articles=articles, words=words.added, documents=words.documents, threads=[], keys=[], hidden=[],
                  members=[], days=[], stances=[], histories={}, full=full)
    for tid in changed:
        state = linker.threads[tid]
        t = build(tid, by_thread.get(tid, []), origin, state.voices.keys(), settings)
        links.threads.append(({"id": tid, "first": state.first, "last": state.last}
                              | {k: getattr(state, k) for k in _STATE}, t.to_dict() if t is not None else None))
        links.keys += [[tid, k] for k in state.keys if k not in state.stored_keys]  # keys are only added
        links.histories[tid] = t.status_history if t is not None else []
        if t is None:
            links.hidden += [tid] if tid in was_shown else []
            continue
        group = by_thread[tid]
        links.members += [[tid, n.claim_id] for n in group if tid not in was_shown or n.claim_id in batch]
        links.stances += [[m.attribution, m.thread_stance] for n in group for m in n.mentions
                          if m.attribution and stored_stance.get(m.attribution) != m.thread_stance]
        days = Counter(m.date for n in group for m in n.mentions if m.date and m.attribution)
        links.days += [[tid, d, k] for d, k in days.items()]
    store.new_changes = store.write_links(links)
    return store.shown_threads(changed)


_STATE = ("centroid", "context", "n", "keys", "subject", "agent_country", "events", "docs", "story_id", "voices",
          "lingual", "label")


def _nodes(claims: list[tuple], attributions: list[tuple]) -> list[Node]:
    """Claims (with their attributions) as linking reads them, from the store's rows (Store._claim_rows)."""
    nodes: dict[str, Node] = {}
    for r in claims:
        day = r[2].isoformat() if r[2] else None
        position = r[16] if r[16] is not None else 0
        n = Node(claim_id=r[0], article=r[1], date=day, order=r[3], text=r[4], vector=vector_of(r[5]),
                 keys=frozenset(r[6] or ()), subject=frozenset(r[7] or ()),
                 checkable=r[8] if r[8] is not None else True, negated=bool(r[9]), agent_country=r[10],
                 thread=r[11], answer=bool(r[12]), score=r[20] or 0.0, plover=r[21], position=position,
                 done=bool(r[22]), whole=r[23] is not False, lingual=vector_of(r[24]), language=r[25] or "en")
        if r[6] is None:  # a claim stored before claims had keys (an older store): its parties
            n.keys = frozenset(k for k in (r[10], (r[19] or "")[:3]) if k)
            n.subject = frozenset(k for k in (r[10],) if k)
        if r[13] == "outlet":
            n.mentions.append(Mention(attribution=None, article=r[1], date=day, order=r[3],
                                      position=r[16] if r[16] is not None else -1, outlet=r[17], speaker=r[17],
                                      actor=None, country=None, sector="MED", stance=r[14] or "report",
                                      certainty=r[15] or "certain", cue="", claim_id=r[0], voice="outlet",
                                      thread=r[11], thread_stance=r[14] or "report"))
        nodes[r[0]] = n
    for r in attributions:
        n = nodes[r[1]]
        n.mentions.append(Mention(
            attribution=r[0], article=n.article, date=n.date, order=n.order, position=r[2], outlet=r[11],
            speaker=r[3], actor=r[5], country=r[6], sector=r[7], stance=r[8], certainty=r[9], cue=r[10],
            claim_id=r[1], speaker_keys=speaker_keys(r[4], r[5], r[13]), thread=n.thread,
            thread_stance=r[12] or r[8], anonymous=anonymous(r[4], r[13])))
    return list(nodes.values())


def _encode_missing(store: Store, nodes: list[Node]) -> None:
    """Claims stored without a vector (an older store, or partitions from another engine) get them now,
    an article's at a time and chosen as the pipeline chooses them."""
    by_article: dict[str, list[Node]] = {}
    for n in nodes:
        by_article.setdefault(n.article, []).append(n)
    made, lingual_made = {}, {}
    for n in nodes:  # another language's claims are read by the multilingual encoder; the English one reads none
        if n.language != "en" and n.lingual is None:
            from ..nlp import encoder, lingual

            n.lingual = lingual_made[n.claim_id] = lingual.encode([n.text])[0]
            n.vector = made[n.claim_id] = np.zeros(encoder.DIM, dtype=np.float32)
    groups = [g for g in by_article.values() if any(n.vector is None for n in g)]
    if not groups:
        if made:
            store.set_vectors(made, lingual_made)
        return
    for group, vecs in zip(groups, vectors_many([([n.text for n in group], [
            ("outlet" if any(m.voice == "outlet" for m in n.mentions) else "attribution", n.checkable, n.position)
            for n in group]) for group in groups])):
        for n, v in zip(group, vecs):
            n.vector = made[n.claim_id] = v
    store.set_vectors(made, lingual_made)
