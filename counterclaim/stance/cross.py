"""The stance cross-encoder: all-MiniLM-L6-v2 fine-tuned to read a claim and a passage together and say
whether the passage agrees with the claim, disagrees with it, or discusses it without taking a side
(data/cross-encoder.json tells how it was trained and what it scores on the dev stories). Int8 ONNX on
onnxruntime, one thread, with MiniLM's own WordPiece tokenizer (the same file as the sentence encoder's,
data/encoder/tokenizer.json). Loaded once per process. When the model file is absent (it is trained by
`make train-cross` and shipped only where, mixed in, it beats the feature model), available() is False and
the product goes on without it."""
from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from importlib import resources

import numpy as np

from .reading import sentences

MODEL = "data/cross-encoder.onnx"
CARD = "data/cross-encoder.json"
TOKENIZER = "data/encoder/tokenizer.json"
LABELS = ("agree", "disagree", "discuss")  # the order of probabilities()' columns (also in the card)
MAX_TOKENS = 160  # claim and passage together, as trained; the longer of the two is cut first
PASSAGE_SENTENCES = 4
# One pair per run: onnxruntime's dynamic int8 quantisation takes one activation scale per tensor, so in a
# batch a pair's probabilities would move (by about 0.01) with the other pairs and their padding. Alone,
# 4.6 ms a pair on one thread against 3.0 in batches of 16; a pair's answer is then its own.
BATCH = 1

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STOP = frozenset("""a an the and or but if of to in on at by for with from as into onto over under about after
before than then that this these those it its is are was were be been being has have had do does did will would
can could should may might must shall not no so such there their they them he she his her him we our you your
i me my who whom whose which what when where why how all any some more most other own same very just also up
out off new says said say report reports reported""".split())


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def passage(claim: str, body: str, k: int = PASSAGE_SENTENCES) -> str:
    """The body's k sentences sharing the most content words with the claim (earlier ones first on ties),
    in body order: what the model reads as the claim's evidence. The same cut it was trained on."""
    parts = sentences(body)
    if len(parts) <= k:
        return " ".join(parts)
    head = _words(claim)
    score = [(-len(head & _words(s)), i) for i, s in enumerate(parts)]
    keep = sorted(i for _, i in sorted(score)[:k])
    return " ".join(parts[i] for i in keep)


def _file(name: str):
    return resources.files("counterclaim").joinpath(name)


def available() -> bool:
    try:
        return _file(MODEL).is_file()
    except (FileNotFoundError, ModuleNotFoundError):
        return False


@lru_cache(maxsize=1)
def card() -> dict:
    return json.loads(_file(CARD).read_text("utf-8"))


@lru_cache(maxsize=1)
def _model():
    import onnxruntime as ort
    from tokenizers import Tokenizer

    if not available():
        raise FileNotFoundError(f"counterclaim/{MODEL} is absent: train it with `make train-cross`")
    tokenizer = Tokenizer.from_str(_file(TOKENIZER).read_text("utf-8"))
    tokenizer.enable_truncation(MAX_TOKENS, strategy="longest_first")
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # no length: pad to the batch's longest
    options = ort.SessionOptions()
    options.intra_op_num_threads = int(os.environ.get("COUNTERCLAIM_CROSS_THREADS", "1"))
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(_file(MODEL).read_bytes(), options, providers=["CPUExecutionProvider"])
    return tokenizer, session


def load() -> None:
    _model()


def logits(pairs: list[tuple[str, str]]) -> np.ndarray:
    """Raw scores (n, 3) in LABELS order, for (claim, passage) pairs."""
    out = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
    if not pairs:
        return out
    tokenizer, session = _model()
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
    for b in range(0, len(order), BATCH):
        idx = order[b:b + BATCH]
        enc = tokenizer.encode_batch([(pairs[i][0] or " ", pairs[i][1] or " ") for i in idx])
        feed = {"input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64)}
        out[idx] = session.run(None, feed)[0]
    return out


def probabilities(pairs: list[tuple[str, str]]) -> np.ndarray:
    """P(agree, disagree, discuss) (n, 3), each row summing to 1, for (claim, passage) pairs. A body is best
    cut to its passage first (passage())."""
    z = logits(pairs)
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)
