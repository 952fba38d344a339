"""Time linking the claims of many generated articles into threads (candidates by parties and words, the
encoder's vectors and the articles' words deciding, time windows, syndication, status histories): the
whole `relink(Store)`, reading the claims and writing the threads included; then adding a batch of new
articles to that store, which links only the new ones against the threads they could join.

    .venv/bin/python benchmarks/threads_speed.py [--articles 100000] [--add 1000]
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from counterclaim.threads.relink import relink  # noqa: E402
from generated import generate  # noqa: E402


def signed(analyses: list) -> list:
    """The analyses with the MinHash signatures the ingest flow gives them before they are stored."""
    from counterclaim.threads.syndication import signature

    for x in analyses:
        x.signature = x.signature or signature(x.article.text)
    return analyses


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--add", type=int, default=1_000)
    args = ap.parse_args()
    from counterclaim.store.db import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "threads.duckdb")
        # Generated and saved a chunk at a time: the peak below is linking's, not the made-up articles'.
        made = generate(args.articles + args.add)
        saving = 0.0
        for i in range(0, args.articles, 5000):
            batch = list(islice(made, min(5000, args.articles - i)))
            t = time.perf_counter()
            store.save_many(signed(batch))
            saving += time.perf_counter() - t
        later = list(made)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0 = time.perf_counter()
        threads = relink(store)
        total = time.perf_counter() - t0
        store.save_many(signed(later))
        t1 = time.perf_counter()
        after = relink(store)
        added = time.perf_counter() - t1
        store.close()
    merged = sum(1 for t in threads if len(t.articles) > 1)
    print(f"saving {args.articles:,} analyses, their MinHash signatures made as the ingest flow makes them: "
          f"{saving:.2f} s")
    print(f"{args.articles:,} articles -> {len(threads):,} threads shown ({merged:,} with more than one article)")
    print(f"relink (read claims, link, write threads): {total:.2f} s  (target: under 60 s)")
    print(f"adding {args.add:,} articles to that store, linked incrementally: {added:.2f} s  (target: under 10 s); "
          f"{len(after):,} threads rewritten")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
          f"({before:.0f} MB before linking: the store's saving)")


if __name__ == "__main__":
    main()
