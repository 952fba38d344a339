"""Time linking the claims of many generated articles into threads (by key, by meaning, time windows,
syndication, status histories): the whole `Store.relink()`, reading the claims and writing the threads
included.

    .venv/bin/python benchmarks/threads_speed.py [--articles 10000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generated import generate  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    args = ap.parse_args()
    from counterclaim.store.db import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "threads.duckdb")
        batch = list(generate(args.articles))
        store.save_many(batch)
        claims = sum(len(x.claims) for x in batch)
        t0 = time.perf_counter()
        threads = store.relink()
        total = time.perf_counter() - t0
        store.close()
    merged = sum(1 for t in threads if len(t.articles) > 1)
    print(f"{args.articles:,} articles, {claims:,} claims -> {len(threads):,} threads ({merged:,} with more than one article)")
    print(f"relink (read claims, link, write threads): {total:.2f} s  (target: under 60 s)")


if __name__ == "__main__":
    main()
