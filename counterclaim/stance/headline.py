"""A headline's stance toward a claim (for / against / observing, Emergent's labels): a logistic regression
over the headline's words and word pairs (the claim's own words masked, so that what is learnt is how a
headline treats a claim, not which claims there were), the body classifier's probabilities and its
word and encoder features. Trained on Emergent train by counterclaim/stance/train.py; ships as
counterclaim/data/stance-headline.npz."""
from __future__ import annotations

import zlib
from functools import lru_cache
from importlib import resources

import numpy as np

from .classifier import StanceModel, content_words, words

LABELS = ("for", "against", "observing")
DIM = 1 << 16


def features(model: StanceModel, claim: str, headline: str) -> tuple[dict[int, float], list[float]]:
    """Hashed word features of the headline, and the dense part: the body model's probabilities and its
    word and encoder features (the headline read as a one-sentence body; it has no voices of its own)."""
    mask = set(content_words(claim))
    toks = ["<c>" if w in mask else w for w in words(headline)]
    names = [f"u={t}" for t in toks] + [f"b={a}|{b}" for a, b in zip(["<s>"] + toks, toks + ["</s>"])]
    names += [f"f={t}" for t in toks[:3]] + [f"q={'?' in headline}"]
    sparse = {zlib.crc32(n.encode()) % DIM: 1.0 for n in names}
    from .reading import VOICED

    rel, st, _ = model.inputs(claim, headline)
    probs = model.combine(rel[None], st[None])[0]
    return sparse, [float(p) for p in probs] + [float(v) for v in st[:len(st) - len(VOICED)]]


class HeadlineModel:
    def __init__(self, body: StanceModel, coef: np.ndarray, intercept: np.ndarray):
        self.body, self.coef, self.intercept = body, coef.astype(np.float32), intercept.astype(np.float32)

    def labels_of(self, x) -> list[str]:
        """Labels for rows of the training matrix (features already computed)."""
        return [LABELS[i] for i in np.asarray(x @ self.coef.T + self.intercept).argmax(axis=1)]

    def probabilities(self, claim: str, headline: str) -> dict[str, float]:
        sparse, dense = features(self.body, claim, headline)
        z = self.intercept + self.coef[:, list(sparse)].sum(axis=1) + self.coef[:, DIM:] @ np.asarray(dense, np.float32)
        p = np.exp(z - z.max())
        p /= p.sum()
        return {label: round(float(v), 3) for label, v in zip(LABELS, p)}


@lru_cache(maxsize=1)
def load() -> HeadlineModel:
    from .classifier import load as load_body

    path = resources.files("counterclaim") / "data" / "stance-headline.npz"
    with resources.as_file(path) as p, np.load(p) as z:
        return HeadlineModel(load_body(), z["coef"], z["intercept"])


def matrix(body: StanceModel, pairs):
    from scipy.sparse import csr_matrix, hstack

    rows, dense = zip(*(features(body, p.headline, p.body) for p in pairs))
    ptr = np.cumsum([0] + [len(r) for r in rows])
    sparse = csr_matrix(([v for r in rows for v in r.values()], [c for r in rows for c in r], ptr), shape=(len(rows), DIM))
    return hstack([sparse, csr_matrix(np.asarray(dense))]).tocsr()


def fit(body: StanceModel, pairs, x=None) -> HeadlineModel:
    """Train on Emergent-style pairs (headline = claim, body = article headline). Needs scikit-learn."""
    from sklearn.linear_model import LogisticRegression

    x = matrix(body, pairs) if x is None else x
    y = np.array([LABELS.index(p.label) for p in pairs])
    # Balanced classes: "against" is the rarest label and the one that matters most here.
    clf = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit(x, y)
    return HeadlineModel(body, clf.coef_, clf.intercept_)


def cross_validate(body: StanceModel, pairs, folds: int = 10) -> list[str]:
    """Out-of-fold labels, the folds split by claim so that no claim is both trained on and predicted."""
    from sklearn.model_selection import GroupKFold

    x = matrix(body, pairs)
    pred = [""] * len(pairs)
    for train, test in GroupKFold(folds).split(x, groups=[p.group for p in pairs]):
        model = fit(body, [pairs[i] for i in train], x[train])
        for i, label in zip(test, model.labels_of(x[test])):
            pred[i] = label
    return pred
