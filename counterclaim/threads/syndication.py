"""Near-duplicate articles (wire copy reprinted by many outlets): MinHash signatures over word shingles,
so that a thread counts origins, not URLs."""
from __future__ import annotations

import hashlib
import re

import numpy as np

from .sets import DisjointSets

PERMUTATIONS = 64
SHINGLE = 5
THRESHOLD = 0.5  # estimated Jaccard above which two articles are copies of one story
_rng = np.random.default_rng(20221109)  # fixed: signatures must be comparable across runs and machines
_MASKS = _rng.integers(0, np.iinfo(np.int64).max, PERMUTATIONS, dtype=np.int64).astype(np.uint64)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_WORD = re.compile(r"\w+")


def signature(text: str) -> list[int]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        words = words + [""] * (SHINGLE - len(words))
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    x = np.fromiter((int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little")
                     for s in shingles), dtype=np.uint64, count=len(shingles))
    # One keyed splitmix64 finaliser per permutation: uint64 arithmetic wraps, which is the point.
    v = x[None, :] ^ _MASKS[:, None]
    v = (v ^ (v >> np.uint64(30))) * _M1
    v = (v ^ (v >> np.uint64(27))) * _M2
    v = v ^ (v >> np.uint64(31))
    return [int(m) & 0xFFFFFFFF for m in v.min(axis=1)]


def similarity(a: list[int], b: list[int]) -> float:
    if not a or not b:
        return 0.0
    return float(np.mean(np.asarray(a) == np.asarray(b)))


def origins(signatures: dict[str, list[int]]) -> dict[str, str]:
    """Map each article to the representative of its cluster of copies (union-find over pairs)."""
    ids = sorted(signatures)
    sets = DisjointSets(ids)
    root = sets.find

    # Banding (LSH) keeps this near-linear: only articles sharing a band are compared.
    bands: dict[tuple, list[str]] = {}
    rows = 4
    for i in ids:
        sig = signatures[i]
        for b in range(0, len(sig), rows):
            bands.setdefault((b, tuple(sig[b:b + rows])), []).append(i)
    for members in bands.values():
        for other in members[1:]:
            first = members[0]
            if root(first) != root(other) and similarity(signatures[first], signatures[other]) >= THRESHOLD:
                sets.attach(root(other), root(first))
    return {i: root(i) for i in ids}
