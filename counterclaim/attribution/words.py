"""An article's words as plain lists, for the cue and span models."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc


@dataclass
class Words:
    """One article's words as plain lists, read from spaCy once: the cue model reads every verb and the
    span model dozens of candidates per cue, and each spaCy Token access builds a new object."""

    lower: list[str]
    lemma: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    ent: list[str]  # the entity type, "" outside entities
    kind: list[str]  # the pronoun itself, else the entity type, else the part of speech
    head: list[int]
    left: list[int]
    right: list[int]
    children: list[list[int]]
    skip: list[bool]  # punctuation and spaces head nothing

    @classmethod
    def of(cls, doc: Doc) -> "Words":
        from spacy.attrs import DEP, ENT_TYPE, HEAD, IS_PUNCT, IS_SPACE, LEMMA, LOWER, POS, TAG

        n = len(doc)
        arr = doc.to_array([HEAD, LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, IS_PUNCT, IS_SPACE])
        head = (np.arange(n) + arr[:, 0].astype(np.int64)).tolist()
        cols = []
        for k in range(1, 7):  # each distinct string looked up once
            keys, at = np.unique(arr[:, k], return_inverse=True)
            strings = [_string(doc, int(x)) for x in keys]
            cols.append([strings[j] for j in at.tolist()])
        lower, lemma, pos, tag, dep, ent = cols
        lemma = [x.lower() for x in lemma]
        kind = [lower[i] if pos[i] == "PRON" else (ent[i] or pos[i]) for i in range(n)]
        skip = ((arr[:, 7] + arr[:, 8]) > 0).tolist()
        children: list[list[int]] = [[] for _ in range(n)]
        roots = []
        for i, h in enumerate(head):
            if h != i:
                children[h].append(i)
            else:
                roots.append(i)
        # Each phrase's edges from its words' phrases, deepest first: words are reached from the roots
        # before their children, so the reversed order has every word after the words below it.
        order = roots
        for i in order:  # grows as it goes: a breadth-first walk
            order.extend(children[i])
        left, right = list(range(n)), list(range(n))
        for i in reversed(order):
            h = head[i]
            if h != i:
                if left[i] < left[h]:
                    left[h] = left[i]
                if right[i] > right[h]:
                    right[h] = right[i]
        return cls(lower, lemma, pos, tag, dep, ent, kind, head, left, right, children, skip)


_STRINGS: dict[int, str] = {}


def _string(doc: Doc, key: int) -> str:
    s = _STRINGS.get(key)
    if s is None:
        s = _STRINGS[key] = doc.vocab.strings[key] if key else ""
    return s
