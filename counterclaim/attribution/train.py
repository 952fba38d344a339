"""Rebuild the cue and span models from PolNeAR train: `make train-attribution` or
`python -m counterclaim.attribution.train --polnear ../shared/data/polnear [--cache FILE]`.

Parses the train texts with the same spaCy pipeline the product runs, labels each candidate word by
whether a gold cue covers it, chooses the regularisation and the decision threshold by 5-fold
cross-validation over documents (train only: dev stays for measuring; each fold also fits the span model,
so the figures are the whole extractor's), scores the cross-validated extractor against each annotator of
the multi-annotated texts, fits on all of train and writes counterclaim/data/cue-model.npz,
span-model.npz, cue-extent.json and the card cue-model.json."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from spacy.tokens import Token

from .. import nlp
from ..evaluate.polnear import Document, read
from . import spans
from .model import DIM, FEATURES_VERSION, features, index, is_candidate, neighbour_keys, quoted_tokens
from .quotes import scan
from .words import Words

DATA = Path(__file__).resolve().parents[1] / "data"


def parsed(docs: list[Document], cache: Path | None):
    from spacy.tokens import DocBin

    if cache is not None and cache.exists():
        spacy_docs = list(DocBin().from_disk(cache).get_docs(nlp.load().vocab))
        if len(spacy_docs) == len(docs) and all(d.text == s.text for d, s in zip(docs, spacy_docs)):
            return spacy_docs
    spacy_docs = list(nlp.parse_many((d.text for d in docs), batch_size=32))
    if cache is not None:
        bin_ = DocBin(store_user_data=False)
        for d in spacy_docs:
            bin_.add(d)
        bin_.to_disk(cache)
    return spacy_docs


def examples(docs: list[Document], spacy_docs) -> tuple[list[list[int]], np.ndarray, np.ndarray]:
    rows, labels, groups = [], [], []
    for n, (d, doc) in enumerate(zip(docs, spacy_docs)):
        cue_chars = {i for r in d.relations for s, e in r.cue for i in range(s, e)}
        quoted = quoted_tokens(doc, [p for q in scan(doc.text).quotes for p in q.parts])
        words = Words.of(doc)
        for sent in doc.sents:
            for t in sent:
                if is_candidate(t):
                    rows.append([index(f) for f in features(words, t.i, quoted, sent.start, sent.end)])
                    labels.append(int(t.idx in cue_chars))
                    groups.append(n)
    return rows, np.array(labels), np.array(groups)


def _head(doc, sent, frags) -> "Token | None":
    """The syntactic head of a gold span, or None where it lies outside the cue's sentence."""
    span = doc.char_span(min(s for s, _ in frags), max(e for _, e in frags), alignment_mode="expand")
    if span is None or not len(span) or not sent.start <= span.root.i < sent.end:
        return None
    return span.root


def span_examples(docs: list[Document], spacy_docs) -> dict[str, tuple[list[list[int]], np.ndarray, np.ndarray]]:
    """For each gold cue, the words near it in the parse as candidate heads of its source ("s", with "no
    source") and of its content ("c"), labelled by whether they head the gold span. A cue whose gold span
    has its head out of reach (a quotation carried on from another sentence) teaches nothing here: the
    rules place those."""
    out = {}
    for role in ("s", "c"):
        rows, labels, groups = [], [], []
        for n, (d, doc) in enumerate(zip(docs, spacy_docs)):
            quoted = quoted_tokens(doc, [p for q in scan(doc.text).quotes for p in q.parts])
            words = Words.of(doc)
            for r in d.relations:
                cue_span = doc.char_span(r.cue[0][0], r.cue[-1][1], alignment_mode="expand")
                if cue_span is None or not len(cue_span):
                    continue
                cue = cue_span.root
                frags = r.source if role == "s" else r.content
                gold = _head(doc, cue.sent, frags) if frags else None
                options = spans.candidates(words, cue.i, {t.i for t in cue_span}, role) + ([(None, "")] if role == "s" else [])
                gold_i = gold.i if gold is not None else None
                if frags and (gold_i is None or gold_i not in {t for t, _ in options}):
                    continue
                for t, p in options:
                    rows.append([index(f) for f in spans.features(words, cue.i, t, p, quoted, role)])
                    labels.append(int(t == gold_i))
                    groups.append(n)
        out[role] = (rows, np.array(labels), np.array(groups))
    return out


def fit_spans(examples: dict, docs_kept: set[int] | None = None, c: float = 1.0) -> spans.SpanModel:
    fitted = {}
    for role, (rows, y, groups) in examples.items():
        keep = np.arange(len(y)) if docs_kept is None else np.flatnonzero(np.isin(groups, list(docs_kept)))
        m = fit(matrix([rows[i] for i in keep]), y[keep], c)
        fitted[role] = (m.coef_[0].astype(np.float32), float(m.intercept_[0]))
    return spans.SpanModel(*fitted["s"], *fitted["c"])


def extent_table(docs: list[Document], spacy_docs, min_count: int = 3) -> dict[str, float]:
    """For words next to a gold cue's head word: how often annotators included them in the cue."""
    counts: dict[str, list[int]] = {}
    for d, doc in zip(docs, spacy_docs):
        for r in d.relations:
            s, e = r.cue[0][0], r.cue[-1][1]
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None or not len(span):
                continue
            head = span.root
            if head.pos_ != "VERB":
                continue
            inside = {t.i for t in span}
            for side, rng in (("L", range(head.i - 1, max(-1, head.i - 5), -1)), ("R", range(head.i + 1, min(len(doc), head.i + 7)))):
                for i in rng:
                    n = doc[i]
                    for key in neighbour_keys(n, head, side):
                        c = counts.setdefault(key, [0, 0])
                        c[0] += i in inside
                        c[1] += 1
                    if i not in inside:
                        break  # only the first word outside the cue on each side tells where it stops
    return {k: round(a / n, 3) for k, (a, n) in counts.items() if n >= min_count}


def matrix(rows: list[list[int]]):
    from scipy.sparse import csr_matrix

    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.float32)
    m = csr_matrix((data, indices, indptr), shape=(len(rows), DIM))
    m.sum_duplicates()
    return m


def fit(x, y, c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=2000, solver="liblinear").fit(x, y)


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float, float]:
    best = (0.5, 0.0, 0.0, 0.0)
    for th in np.arange(0.2, 0.8, 0.02):
        pred = p >= th
        tp = float((pred & (y == 1)).sum())
        prec = tp / max(pred.sum(), 1)
        rec = tp / max((y == 1).sum(), 1)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        if f1 > best[3]:
            best = (float(th), prec, rec, f1)
    return best


def cross_validated_attributions(docs, spacy_docs, x, y, groups, folds, c, thresholds, span_ex=None):
    """The whole extractor run on each held-out fold with a cue model, span model and extent table made
    from the other folds, at each candidate threshold. Returns {threshold: (Scores, {document name:
    predicted relations})}."""
    from ..evaluate.polnear import Relation, Scores, score_document
    from . import model as cue_model
    from .extract import find

    by_threshold = {th: (Scores(), {}) for th in thresholds}
    saved = cue_model.extent_table
    try:
        for tr, te in folds:
            train_docs = sorted(set(groups[tr].tolist()))
            table = extent_table([docs[n] for n in train_docs], [spacy_docs[n] for n in train_docs])
            cue_model.extent_table = lambda table=table: table
            fitted = fit(x[tr], y[tr], c)
            span_m = fit_spans(span_ex, set(train_docs)) if span_ex is not None else None
            for th, (scores, predicted) in by_threshold.items():
                m = cue_model.CueModel(fitted.coef_[0].astype(np.float32), float(fitted.intercept_[0]), th)
                for n in sorted(set(groups[te].tolist())):
                    found, _ = find(spacy_docs[n], model=m, spans=span_m)
                    pred = [Relation(cue=(f.cue,), source=(f.source,) if f.source else None, content=tuple(f.content))
                            for f in found]
                    predicted[docs[n].name] = pred
                    score_document(docs[n].text, docs[n].relations, pred, scores)
    finally:
        cue_model.extent_table = saved
    for th, (scores, _) in by_threshold.items():
        print(f"threshold {th:.2f}: train CV attribution F1 {scores.relations.f1:.3f}")
    return by_threshold


def _figures(scores) -> dict:
    return {name: {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
            for name, p, r, f, _, _ in scores.table()}


def main(argv: list[str] | None = None) -> None:
    from sklearn.model_selection import GroupKFold

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--polnear", required=True, help="PolNeAR folder with train/ (and dev/)")
    ap.add_argument("--cache", default=None, help="DocBin file to keep the parsed train texts in between runs")
    ap.add_argument("--out", default=str(DATA / "cue-model.npz"))
    args = ap.parse_args(argv)

    docs = list(read(Path(args.polnear) / "train"))
    spacy_docs = parsed(docs, Path(args.cache) if args.cache else None)
    rows, y, groups = examples(docs, spacy_docs)
    x = matrix(rows)
    print(f"{len(docs)} train documents, {x.shape[0]} candidate words, {int(y.sum())} inside gold cues")

    folds = list(GroupKFold(n_splits=5).split(x, y, groups))
    cv = {}
    for c in (0.1, 0.3, 1.0):
        p = np.zeros(len(y))
        for tr, te in folds:
            p[te] = fit(x[tr], y[tr], c).predict_proba(x[te])[:, 1]
        cv[c] = (best_threshold(y, p), p)
        th, prec, rec, f1 = cv[c][0]
        print(f"C={c}: cross-validated word-level P={prec:.3f} R={rec:.3f} F1={f1:.3f} at threshold {th:.2f}")
    c = max(cv, key=lambda k: cv[k][0][3])
    th, prec, rec, f1 = cv[c][0]
    # The word-level optimum is a start; the threshold kept is the one that makes whole attributions best
    # in the same cross-validation (train only).
    candidates = sorted({round(th + d, 2) for d in (-0.04, 0.0, 0.04, 0.08, 0.12)})
    span_ex = span_examples(docs, spacy_docs)
    by_threshold = cross_validated_attributions(docs, spacy_docs, x, y, groups, folds, c, candidates, span_ex)
    th = max(by_threshold, key=lambda t: by_threshold[t][0].relations.f1)
    cv_scores, cv_predicted = by_threshold[th]
    from ..evaluate.polnear import against_each_annotator, agreement

    humans = agreement(Path(args.polnear) / "train")
    machine = against_each_annotator(Path(args.polnear) / "train", cv_predicted)
    for name, p, r, f, _, _ in cv_scores.table():
        print(f"train CV at {th:.2f} {name:16} P={p:.3f} R={r:.3f} F1={f:.3f}")
    table = extent_table(docs, spacy_docs)
    model = fit(x, y, c)
    span_m = fit_spans(span_ex)
    np.savez_compressed(Path(args.out).parent / "span-model.npz", source=span_m.source,
                        source_bias=np.float32(span_m.source_bias), content=span_m.content,
                        content_bias=np.float32(span_m.content_bias),
                        features_version=np.int32(spans.FEATURES_VERSION))
    weights = model.coef_[0].astype(np.float32)
    np.savez_compressed(args.out, weights=weights, bias=np.float32(model.intercept_[0]), threshold=np.float32(th),
                        features_version=np.int32(FEATURES_VERSION))
    card = {
        "model": "logistic regression over hashed parse features (counterclaim/attribution/model.py)",
        "trained_on": "PolNeAR v1.0 train (840 documents; the first annotator's file where several exist)",
        "features_version": FEATURES_VERSION, "dimensions": DIM, "C": c, "threshold": round(th, 2),
        "candidates": int(x.shape[0]), "positives": int(y.sum()),
        "train_cv_word_level": {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "folds": 5},
        "nonzero_weights": int((weights != 0).sum()),
        "span_model": "logistic regressions choosing the source's and the content's head word among the cue "
                      "sentence's words (counterclaim/attribution/spans.py, span-model.npz)",
        "span_features_version": spans.FEATURES_VERSION,
        "train_cv_attribution": _figures(cv_scores),
        "multi_annotated_train_texts": {
            "annotators_against_one_another": _figures(humans), "ordered_pairs": humans.documents,
            "extractor_against_each_annotator": _figures(machine), "annotations": machine.documents,
            "note": "extractor relations from the cross-validation fold that held the text out"},
    }
    (Path(args.out).parent / "cue-extent.json").write_text(json.dumps(
        {"about": "share of PolNeAR train cues that include a word beside the cue's head verb, by side|relation|word "
                  "and side|relation (counterclaim/attribution/model.py: extent)", "include": table}, indent=0) + "\n")
    card["extent_keys"] = len(table)
    Path(args.out).with_suffix(".json").write_text(json.dumps(card, indent=1) + "\n")
    print(json.dumps(card, indent=1))


if __name__ == "__main__":
    main()
