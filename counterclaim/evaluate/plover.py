"""The event coder scored against PLOVER gold records (CAMEO manual examples; PLOVER 0.5b1 names, mapped
to the 2021 types: DEMAND->REQUEST, DISAPPROVE and INVESTIGATE->ACCUSE, FIGHT->ASSAULT)."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..claims.coder import NAMES_2016


# CAMEO's own older country codes that the gold records still use, and their ISO 3166 codes.
LEGACY = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


@dataclass
class EventScores:
    gold: list[str] = field(default_factory=list)
    pred: list[str] = field(default_factory=list)
    actor_hits: int = 0
    actor_total: int = 0

    @property
    def accuracy(self) -> float:
        return sum(g == p for g, p in zip(self.gold, self.pred)) / len(self.gold) if self.gold else 0.0

    def f1(self, label: str) -> float:
        tp = sum(g == p == label for g, p in zip(self.gold, self.pred))
        np_, ng = self.pred.count(label), self.gold.count(label)
        prec, rec = (tp / np_ if np_ else 0.0), (tp / ng if ng else 0.0)
        return 2 * prec * rec / (prec + rec) if prec + rec else 0.0

    @property
    def macro_f1(self) -> float:
        labels = sorted(set(self.gold))
        return sum(self.f1(label) for label in labels) / len(labels) if labels else 0.0

    @property
    def actor_accuracy(self) -> float:
        return self.actor_hits / self.actor_total if self.actor_total else 0.0

    def confusion(self) -> Counter:
        return Counter(zip(self.gold, self.pred))


def read(path: str | Path) -> list[dict]:
    records = json.loads(Path(path).read_text(encoding="utf-8"))
    return [r for r in records if r.get("text") and r.get("event") not in (None, "DOCUMENT")]


def evaluate(records: list[dict]) -> EventScores:
    from .. import nlp
    from ..claims.coder import actor_of, code_sentence

    scores = EventScores()
    for rec, doc in zip(records, nlp.parse_many(r["text"] for r in records)):
        gold = NAMES_2016.get(rec["event"], rec["event"])
        sents = list(doc.sents)
        coded = next((c for c in (code_sentence(s) for s in sents) if c is not None), None)
        scores.gold.append(gold)
        scores.pred.append(coded.event if coded else "NONE")
        codes = {LEGACY.get(c, c) for c in ((s.get("code") or "")[:3] for s in rec.get("source") or [] if isinstance(s, dict))}
        if codes:
            scores.actor_total += 1
            actor = coded.actor if coded else actor_of(sents[0]) if sents else None
            got = actor.actor if actor else None
            scores.actor_hits += bool(got) and (got[:3] in codes or (got.startswith("IGO") and "IGO" in codes))
    return scores
