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


def _mix(v: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser over uint64 arrays (the arithmetic wraps, which is the point)."""
    v = (v ^ (v >> np.uint64(30))) * _M1
    v = (v ^ (v >> np.uint64(27))) * _M2
    return v ^ (v >> np.uint64(31))


def signature(text: str) -> list[int]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        words = words + [""] * (SHINGLE - len(words))
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    x = np.fromiter((int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little")
                     for s in shingles), dtype=np.uint64, count=len(shingles))
    # One keyed finaliser per permutation.
    v = _mix(x[None, :] ^ _MASKS[:, None])
    return [int(m) & 0xFFFFFFFF for m in v.min(axis=1)]


def similarity(a: list[int], b: list[int]) -> float:
    if not a or not b:
        return 0.0
    return float(np.mean(np.asarray(a) == np.asarray(b)))


ROWS = 4  # signature values per band: copies share a band, unrelated articles almost never do


def band_keys(signatures: list[list[int]]) -> np.ndarray:
    """The signatures' bands (LSH), each as one signed 64-bit key that also says which band it is, so a
    store finds an article's copies by the keys it shares instead of comparing every pair: (n, bands)."""
    s = np.asarray(signatures, dtype=np.uint64).reshape(len(signatures), -1, ROWS)
    band = np.arange(s.shape[1], dtype=np.uint64)
    v = _mix(_mix((s[..., 0] | (s[..., 1] << np.uint64(32))) ^ band) ^ (s[..., 2] | (s[..., 3] << np.uint64(32))))
    return v.view(np.int64)


def join_copies(signatures: dict[str, list[int]], known: dict[str, str], pairs) -> tuple[dict[str, str], dict[str, str]]:
    """Cluster articles into copies of one story, incrementally. `signatures`: the new articles' and those
    of the stored articles they share a band with; `known`: each stored one's origin (the least id of its
    cluster); `pairs`: the article pairs that share a band. Returns each new article's origin, and the
    stored origins that a new article joined to a lesser one (to relabel)."""
    sets = DisjointSets(set(signatures) | set(known.values()))
    root = sets.find
    for a, o in known.items():  # a stored article is its cluster, named by its origin
        if a != o:
            sets.parent.setdefault(a, a)
            if root(a) != root(o):
                sets.attach(root(a), root(o))
    for a, b in pairs:
        if a in signatures and b in signatures and root(a) != root(b) \
                and similarity(signatures[a], signatures[b]) >= THRESHOLD:
            sets.attach(root(b), root(a))
    least: dict = {}
    for i in sets.parent:
        r = root(i)
        least[r] = min(least.get(r, i), i)
    new = {a: least[root(a)] for a in signatures if a not in known}
    moved = {o: least[root(o)] for o in set(known.values()) if least[root(o)] != o}
    return new, moved


def origins(signatures: dict[str, list[int]]) -> dict[str, str]:
    """Map each article to the origin of its cluster of copies: the least id among them."""
    ids = sorted(signatures)
    bands: dict[int, list[str]] = {}
    for i, keys in zip(ids, band_keys([signatures[i] for i in ids]) if ids else ()):
        for k in keys.tolist():
            bands.setdefault(k, []).append(i)
    pairs = [(members[0], other) for members in bands.values() for other in members[1:]]
    return join_copies(signatures, {}, pairs)[0]
