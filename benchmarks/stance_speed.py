"""Time `counterclaim stance --claim TEXT --db DB` over a store of 1,000 real articles, on one core, the
encoder included: FNC-1 train bodies (research data, read from ../shared, never copied here) analysed
into a temporary store, the claim one of FNC-1's headlines, so that some of the stored articles tell its
story and most do not.

    .venv/bin/python benchmarks/stance_speed.py [--shared ../shared] [--articles 1000]
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[1] / ".." / "shared"))
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--keep", help="keep the analysed store at this path (and reuse it when it is there)")
    args = ap.parse_args()
    fnc = Path(args.shared) / "data" / "fnc-1"
    if not fnc.exists():
        sys.exit(f"needs FNC-1 train at {fnc}")
    with open(fnc / "train_bodies.csv", encoding="utf-8", newline="") as f:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    with open(fnc / "train_stances.csv", encoding="utf-8", newline="") as f:
        related = [(r["Headline"], r["Body ID"]) for r in csv.DictReader(f) if r["Stance"] != "unrelated"]
    # The claim: a headline told by many bodies; then bodies drawn at random fill the store.
    claim, _ = Counter(h for h, _ in related).most_common(1)[0]
    chosen = list(dict.fromkeys([b for h, b in related if h == claim]))
    rnd = random.Random(7)
    rest = [b for b in bodies if b not in set(chosen)]
    rnd.shuffle(rest)
    chosen = (chosen + rest)[:args.articles]
    bin_ = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for b in chosen:
            (folder / f"fnc-{b}.txt").write_text(bodies[b], encoding="utf-8")
        db = Path(args.keep) if args.keep else Path(tmp) / "stance.duckdb"
        if not db.exists():
            t0 = time.time()
            subprocess.run([bin_ / "counterclaim", "analyze", folder, "--db", db, "--quiet"], check=True)
            print(f"analysed {len(chosen)} articles into the store in {time.time() - t0:.0f} s (not timed below)")
        env = {**os.environ, "COUNTERCLAIM_ENCODER_THREADS": "1", "OMP_NUM_THREADS": "1"}
        t0 = time.time()
        # taskset pins the command to one core where the machine has it.
        pin = ["taskset", "-c", "0"] if subprocess.run(["which", "taskset"], capture_output=True).returncode == 0 else []
        proc = subprocess.run([*pin, bin_ / "counterclaim", "stance", "--claim", claim, "--db", db, "--limit", "3"],
                              check=True, capture_output=True, text=True, env=env)
        seconds = time.time() - t0
    summary = proc.stdout.splitlines()[0]
    stored = int(summary.split()[0])  # duplicates among the bodies are stored once
    print(f"claim: {claim!r}")
    print(f"stance over the store, one core: {seconds:.1f} s for {stored} stored articles "
          f"({stored / seconds:.0f} articles/s; loading the models included); {summary}")


if __name__ == "__main__":
    main()
