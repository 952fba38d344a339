"""Attribution extraction scored against PolNeAR (Newell et al., LREC 2018): brat files with Source, Cue
and Content spans tied together by `E` relation lines.

Span scores count each distinct span once per article. `exact` needs the same characters (all fragments
of a discontinuous span); `overlap` needs one shared character, pairs matched one-to-one. A relation
matches when its cue, content and source all overlap the same gold relation's (a relation with no source
matches one with none)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

Frags = tuple[tuple[int, int], ...]


@dataclass
class Relation:
    cue: Frags
    source: Frags | None
    content: Frags


@dataclass
class Document:
    name: str
    text: str
    relations: list[Relation]


def read(folder: str | Path) -> Iterator[Document]:
    """Texts in `text/`, annotations in `attributions/` (`<name>_<annotator>.ann`). Where several
    annotators did the same text, the first annotation file in sorted order is the gold."""
    for name, text, anns in _texts(folder):
        yield Document(name, text, parse_ann(anns[0].read_text(encoding="utf-8")))


def _texts(folder: str | Path) -> Iterator[tuple[str, str, list[Path]]]:
    """Each text with its annotation files, in sorted order."""
    folder = Path(folder)
    anns: dict[str, list[Path]] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        anns.setdefault(ann.stem.rsplit("_", 1)[0], []).append(ann)
    for name, files in sorted(anns.items()):
        text_path = folder / "text" / f"{name}.txt"
        if not text_path.exists():
            continue
        with text_path.open(encoding="utf-8", newline="") as fh:
            yield name, fh.read(), files


def agreement(folder: str | Path) -> Scores:
    """How far the annotators agree with one another: on each text that several annotators did, every
    annotator's relations scored against every other's as gold (both orders), with the same scorer as the
    extractor. This is the ceiling an extractor can be expected to reach on the corpus."""
    from itertools import permutations

    scores = Scores()
    for _, text, anns in _texts(folder):
        if len(anns) < 2:
            continue
        annotations = [parse_ann(a.read_text(encoding="utf-8")) for a in anns]
        for gold, other in permutations(annotations, 2):
            score_document(text, gold, other, scores)
    return scores


def against_each_annotator(folder: str | Path, predicted: dict[str, list[Relation]]) -> Scores:
    """The extractor on the same texts as `agreement`: its relations for each text that several annotators
    did, scored against every one of those annotators as gold. Beside `agreement`, this compares the
    extractor and people on equal terms."""
    scores = Scores()
    for name, text, anns in _texts(folder):
        if len(anns) < 2 or name not in predicted:
            continue
        for a in anns:
            score_document(text, parse_ann(a.read_text(encoding="utf-8")), predicted[name], scores)
    return scores


def parse_ann(ann: str) -> list[Relation]:
    spans: dict[str, tuple[str, Frags]] = {}
    relations = []
    for line in ann.splitlines():
        if line.startswith("T") and line.count("\t") >= 1:
            tid, info = line.split("\t")[:2]
            kind, offsets = info.split(" ", 1)
            frags = tuple(tuple(map(int, f.split())) for f in offsets.split(";"))
            spans[tid] = (kind, frags)
    for line in ann.splitlines():
        if not line.startswith("E"):
            continue
        roles: dict[str, list[Frags]] = {}
        for arg in line.split("\t", 1)[1].split():
            role, tid = arg.split(":")
            role = re.sub(r"\d+$", "", role)
            if tid in spans:
                roles.setdefault(role, []).append(spans[tid][1])
        if "Cue" not in roles or not (roles.get("Content") or roles.get("Discuss")):
            continue
        content = tuple(f for c in roles.get("Content", []) + roles.get("Discuss", []) for f in c)
        relations.append(Relation(roles["Cue"][0], (roles.get("Source") or [None])[0], content))
    return relations


@dataclass
class Counts:
    tp_pred: int = 0  # predictions that matched
    tp_gold: int = 0  # gold items that were matched
    pred: int = 0
    gold: int = 0

    def add(self, other: "Counts") -> None:
        self.tp_pred += other.tp_pred
        self.tp_gold += other.tp_gold
        self.pred += other.pred
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.tp_pred / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    spans: dict[str, Counts] = field(default_factory=lambda: {
        f"{k}/{m}": Counts() for k in ("cue", "source", "content") for m in ("exact", "overlap")})
    relations: Counts = field(default_factory=Counts)
    documents: int = 0

    def table(self) -> list[tuple[str, float, float, float, int, int]]:
        rows = [(k, c.precision, c.recall, c.f1, c.pred, c.gold) for k, c in self.spans.items()]
        rows.append(("attribution", self.relations.precision, self.relations.recall, self.relations.f1,
                     self.relations.pred, self.relations.gold))
        return rows


def _overlaps(a: Frags, b: Frags) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _norm(frags: Frags, text: str) -> Frags:
    """Compare spans as the words they cover: surrounding spaces and a closing period do not count."""
    out = []
    for s, e in frags:
        while s < e and text[s].isspace():
            s += 1
        while e > s and (text[e - 1].isspace()):
            e -= 1
        out.append((s, e))
    return tuple(out)


def _match(pred: list, gold: list, same) -> Counts:
    used = set()
    tp = 0
    for p in pred:
        for i, g in enumerate(gold):
            if i not in used and same(p, g):
                used.add(i)
                tp += 1
                break
    return Counts(tp, tp, len(pred), len(gold))


def score_document(text: str, gold: list[Relation], pred: list[Relation], scores: Scores) -> None:
    scores.documents += 1
    for part in ("cue", "source", "content"):
        g = list(dict.fromkeys(_norm(getattr(r, part), text) for r in gold if getattr(r, part)))
        p = list(dict.fromkeys(_norm(getattr(r, part), text) for r in pred if getattr(r, part)))
        gs = set(g)
        exact = sum(1 for x in p if x in gs)
        scores.spans[f"{part}/exact"].add(Counts(exact, exact, len(p), len(g)))
        scores.spans[f"{part}/overlap"].add(_match(p, g, _overlaps))

    def same(p: Relation, g: Relation) -> bool:
        if not (_overlaps(p.cue, g.cue) and _overlaps(p.content, g.content)):
            return False
        if p.source is None or g.source is None:
            return p.source is None and g.source is None
        return _overlaps(p.source, g.source)

    scores.relations.add(_match(pred, gold, same))


def relations_of(analysis) -> list[Relation]:
    """counterclaim attributions as scorable relations."""
    out = []
    for a in analysis.attributions:
        out.append(Relation(cue=((a.cue.start, a.cue.end),),
                            source=((a.source.start, a.source.end),) if a.source else None,
                            content=tuple((c.start, c.end) for c in a.content)))
    return out
