"""Disjoint sets (union-find with path halving): the clustering under syndication and claim merging."""
from __future__ import annotations

from collections.abc import Hashable, Iterable


class DisjointSets:
    def __init__(self, items: Iterable[Hashable]):
        self.parent = {i: i for i in items}

    def find(self, x: Hashable) -> Hashable:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def attach(self, child_root: Hashable, root: Hashable) -> None:
        """Put one set under another; both arguments are roots, and `root` stays the representative."""
        self.parent[child_root] = root
