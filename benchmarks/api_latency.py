"""Latency of the thread list, a thread page and claim look-up (/api/search) on a large store of generated articles (no NLP: the
articles, attributions, claims and threads are made up, so the store is large quickly).

    .venv/bin/python benchmarks/api_latency.py [--articles 100000] [--requests 200] [--db PATH]

With --db the store is built at PATH (or reused when PATH exists) and kept.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from counterclaim.threads.relink import relink  # noqa: E402
from generated import COUNTRIES, WORDS, generate  # noqa: E402
from threads_speed import signed  # noqa: E402

# Claims a fact-checker might look up, in the words of the news (the generated claims are made-up codes and
# vectors, so these find little; what is measured is the look-up's cost: encoding, entities, candidates).
NAMES = {"USA": "Washington", "RUS": "Moscow", "CHN": "Beijing", "IRN": "Tehran", "PRK": "Pyongyang", "UKR": "Kyiv",
         "GBR": "London", "FRA": "Paris", "DEU": "Berlin", "JPN": "Tokyo", "KOR": "Seoul", "TUR": "Ankara",
         "ISR": "Israel", "IND": "New Delhi"}
ACTS = ["has been supplying drones to", "launched a cyber attack on", "imposed new sanctions on",
        "threatened military action against", "deployed troops near the border with", "interfered in the elections of",
        "trained the special forces of", "sent humanitarian aid to"]


def claim_query(rnd: random.Random) -> str:
    agent, target = rnd.sample(COUNTRIES, 2)
    return f"{NAMES[agent]} {rnd.choice(ACTS)} {NAMES[target]}"


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--db", type=Path, help="build the store here (or reuse it) and keep it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "big.duckdb"
        if not db.exists():
            build(db, args.articles)
        measure(db, args.requests, args.articles)


def build(db: Path, articles: int) -> None:
    from counterclaim.store.db import Store

    t0 = time.perf_counter()
    store = Store(db)
    batch = []
    for analysis in generate(articles):
        batch.append(analysis)
        if len(batch) == 2000:
            store.save_many(signed(batch))  # signed as the ingest flow signs them, so linking is timed alone
            batch = []
    store.save_many(signed(batch))
    t1 = time.perf_counter()
    threads = relink(store)
    t2 = time.perf_counter()
    store.reindex()
    t3 = time.perf_counter()
    store.close()
    print(f"{articles:,} generated articles stored in {t1 - t0:.1f} s; {len(threads):,} threads linked in "
          f"{t2 - t1:.1f} s; full-text index built in {t3 - t2:.1f} s")


def measure(db: Path, requests: int, articles: int) -> None:
    from fastapi.testclient import TestClient

    from counterclaim.web.app import create_app

    with TestClient(create_app(str(db))) as client:
        ids = [t["id"] for t in client.get("/api/threads", params={"limit": 500}).json()["items"]]
        rnd = random.Random(1)
        cases = {
            "GET /api/threads": lambda: client.get("/api/threads", params={"limit": 50, "offset": rnd.randint(0, 500)}),
            "GET /api/threads?status&actor": lambda: client.get("/api/threads", params={"status": "disputed", "actor": rnd.choice(COUNTRIES)}),
            "GET / (threads page)": lambda: client.get("/"),
            "GET /api/threads/ID": lambda: client.get(f"/api/threads/{rnd.choice(ids)}"),
            "GET /threads/ID (page)": lambda: client.get(f"/threads/{rnd.choice(ids)}"),
            # Every generated article holds these common words: the worst case for a search (no target).
            "GET /api/articles?q (search)": lambda: client.get("/api/articles", params={"q": " ".join(rnd.sample(WORDS, 2))}),
            "GET /api/search?claim": lambda: client.get("/api/search", params={"claim": claim_query(rnd)}),
        }
        for name, call in cases.items():
            call()  # warm up (template compilation, first query plans)
            samples = []
            for _ in range(requests):
                s = time.perf_counter()
                r = call()
                samples.append((time.perf_counter() - s) * 1000)
                assert r.status_code == 200, (name, r.status_code)
            aim = ("  (target: p95 <= 150 ms)" if "claim" in name else "" if "search" in name
                   else "  (target: p95 < 100 ms)")
            print(f"{name:32} p50 {statistics.median(samples):7.1f} ms   p95 {p95(samples):7.1f} ms{aim}")


if __name__ == "__main__":
    main()
