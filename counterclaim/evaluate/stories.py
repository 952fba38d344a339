"""Threads against stories a person has read: the bundled examples and their gold (tests/data/stories.json).
For each story, its thread is the shown thread that holds most of the story's attributions; then each
attribution the gold lists should be in that thread with the stance the gold gives toward the story's
claim, the thread should reach the gold's status on the gold's date, stories kept apart should have
different threads, and the unrelated articles should be in none."""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class StoryResult:
    name: str
    thread: str | None
    claim: str | None
    status: str | None
    gold_status: str
    status_date: str | None
    gold_date: str | None
    stances: list[tuple[str, str, str | None, bool]] = field(default_factory=list)  # quote, gold, found, in thread

    @property
    def status_right(self) -> bool:
        return self.status == self.gold_status and (self.gold_date is None or self.status_date == self.gold_date)


@dataclass
class StoriesResult:
    stories: list[StoryResult]
    apart: list[tuple[str, str, bool]]
    unrelated: dict[str, bool]  # article -> joins no thread

    def stance_accuracy(self) -> float:
        pairs = [s for r in self.stories for s in r.stances]
        return sum(1 for q, g, f, inside in pairs if inside and f == g) / len(pairs) if pairs else 0.0


def _article_name(path: str | None, article_id: str) -> str:
    name = Path(path or "").name
    return f"{name.split(':')[0]}#{article_id}" if ".jsonl" in name else name


def _same_words(quote: str, content: str) -> bool:
    """The reader's quote picks out the attribution whose content holds it, or lies within it when the
    extractor's content is narrower ("reports that its data had been stolen": the content "its data had
    been stolen"); the stance toward the claim is scored, not the span."""
    # The content leaves out the clause's "that" or "whether", as the contract has it; the reader may not.
    quote = re.sub(r"^(that|whether|if) ", "", quote)
    return quote in content or (len(content.split()) >= 4 and content in quote)


def evaluate(store, gold_path: str | Path, include_details: bool = False) -> StoriesResult:
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    names = {_article_name(p, a): a for a, p in store.query("SELECT id, path FROM articles")}
    rows = store.query("""
        SELECT x.article_id, x.id, x.content, coalesce(x.thread_stance, x.stance), tc.thread_id
        FROM attributions x LEFT JOIN thread_claims tc ON tc.claim_id = x.claim_id""")
    by_article: dict[str, list[tuple]] = {}
    for r in rows:
        by_article.setdefault(r[0], []).append(r)
    results = []
    for story in gold["stories"]:
        found = []
        for entry in story["stances"]:
            if entry.get("detail") and not include_details:
                continue
            aid = names.get(entry["article"])
            # Of several attributions that hold the quote ("repeated its call for an inquiry into the attack,
            # which it says was carried out by army artillery"), the innermost is the one that says it.
            hits = [r for r in by_article.get(aid, []) if _same_words(entry["quote"], r[2])]
            hit = min(hits, key=lambda r: (entry["quote"] not in r[2], len(r[2]), r[1])) if hits else None
            found.append((entry, hit))
        threads = Counter(h[4] for _, h in found if h is not None and h[4])
        tid = threads.most_common(1)[0][0] if threads else None
        t = store.thread(tid) if tid else None
        last = t["status_history"][-1] if t and t["status_history"] else {}
        results.append(StoryResult(
            story["name"], tid, t["claim"] if t else None, t["status"] if t else None, story["status"],
            last.get("date"), story.get("status_date"),
            [(e["quote"], e["stance"], h[3] if h else None, bool(h and tid and h[4] == tid)) for e, h in found]))
    thread_of = {r.name: r.thread for r in results}
    apart = [(a, b, thread_of.get(a) is not None and thread_of.get(a) != thread_of.get(b)) for a, b in gold.get("apart", [])]
    unrelated = {}
    for name in gold.get("unrelated", []):
        aid = names.get(name)
        unrelated[name] = aid is not None and not any(r[4] for r in by_article.get(aid, []))
    return StoriesResult(results, apart, unrelated)


@dataclass
class LanguageResult:
    """The articles in other languages against their stories (tests/data/languages.json): whether each joins
    its English story's thread and no other, each gold stance (quote, speaker country, gold stance, stance
    found, in the thread), the look-ups in other languages that find the thread, and the unrelated and
    uncovered articles that join nothing."""

    joins: dict[str, bool]  # article -> its claims in threads are all in its story's thread, and some are
    stances: list[tuple[str, str, str, str | None, bool]]  # article, quote, gold, found, in the story's thread
    queries: list[tuple[str, str, bool]]  # story, language, the thread is among the hits
    apart: dict[str, bool]  # unrelated or uncovered article -> joins no thread

    def stance_accuracy(self) -> float:
        return sum(1 for *_, g, f, inside in self.stances if inside and f == g) / len(self.stances) if self.stances else 0.0


def evaluate_languages(store, stories: StoriesResult, gold_path: str | Path) -> LanguageResult:
    from ..threads.search import search

    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    names = {_article_name(p, a): a for a, p in store.query("SELECT id, path FROM articles")}
    thread_of = {r.name: r.thread for r in stories.stories}
    rows = store.query("""
        SELECT x.article_id, x.content, coalesce(x.thread_stance, x.stance), x.speaker_country, tc.thread_id
        FROM attributions x LEFT JOIN thread_claims tc ON tc.claim_id = x.claim_id""")
    threaded = store.query("SELECT c.article_id, tc.thread_id FROM claims c JOIN thread_claims tc ON tc.claim_id = c.id")
    in_threads: dict[str, set] = {}
    for aid, tid in threaded:
        in_threads.setdefault(aid, set()).add(tid)
    joins, stances, queries = {}, [], []
    for story in gold["stories"]:
        tid = thread_of.get(story["story"])
        for name in story["articles"]:
            joins[name] = tid is not None and in_threads.get(names.get(name), set()) == {tid}
        for e in story["stances"]:
            aid = names.get(e["article"])
            hits = [r for r in rows if r[0] == aid and e["quote"] in r[1]]
            hit = min(hits, key=lambda r: len(r[1])) if hits else None
            stances.append((e["article"], e["quote"], e["stance"], hit[2] if hit else None,
                            bool(hit and tid and hit[4] == tid and hit[3] == e.get("speaker_country"))))
        for code, query in story.get("queries", {}).items():
            queries.append((story["story"], code, tid is not None and tid in {h.thread for h in search(store, query)}))
    apart = {}
    for name in gold.get("unrelated", []) + gold.get("uncovered", []):
        aid = names.get(name) or names.get(Path(name).name)
        if aid is not None or name in gold.get("unrelated", []):  # an uncovered article the store may not hold
            apart[name] = aid is not None and not in_threads.get(aid)
    return LanguageResult(joins, stances, queries, apart)
