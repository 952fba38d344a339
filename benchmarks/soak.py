"""Soak: every real text in ../shared/data and a few thousand hostile ones through ONE ingest run, as
`counterclaim analyze` runs it (JSON Lines read, analysed by worker processes, stored, linked), then every
input accounted for: stored, failed (kept in the store's failures, with why), rejected by the reader, or
skipped as a repeat. What is none of these is lost; lost must be 0, and no real text should fail.

    make soak
    .venv/bin/python benchmarks/soak.py --shared ../shared [--limit N] [--hostile 3000] [--workers 2]
        [--without KIND] [--keep DIR]

Real texts: FNC-1 train bodies, FNC-ARC bodies, PolNeAR train and dev, and each distinct Emergent
headline as a short article. Hostile texts: tests/hostile.py, the kinds in turn, the same on every run;
the lone-surrogate kind (JSON escapes of unpaired UTF-16 halves) is sent too unless `--without
lone-surrogate`. `--limit N` takes the first N real texts of each corpus, for a quick run.

Prints, per corpus (hostile texts by kind): inputs, stored, failed, rejected, skipped, lost; the failures
grouped by stage and error type, with an example id; the rejections grouped by reason; throughput. Exits
1 where anything is lost, a real text failed, or the run itself raised.

How long, on the two shared cores of the development machine: `--limit 40 --hostile 200 --workers 1` (400
inputs) takes about 45 s, `--limit 40 --hostile 0` (200 real texts, 0.48 M characters) about 18 s with two
workers. The real texts are 9,078 (10.6 M characters) and the 3,000 hostile ones hold 333 sentences of
5,000 words, so a full run should take roughly 10 to 15 minutes, nearly all of it the parse."""
from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import islice
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile  # noqa: E402 - tests/hostile.py, found through the path set above

CHUNK_LINES = 500  # a JSON Lines file is read whole, and the reader takes 5 MB at most
CHUNK_BYTES = 3_000_000
STATUSES = ("stored", "failed", "rejected", "skipped", "lost")


@dataclass
class Input:
    corpus: str
    id: str
    text: str
    title: str | None = None
    where: str = ""  # the file and line the reader names it by
    status: str = "lost"


def _csv_bodies(path: Path, corpus: str, prefix: str) -> Iterator[Input]:
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            yield Input(corpus, f"{prefix}-{row['Body ID']}", row["articleBody"])


def _polnear(folder: Path, corpus: str) -> Iterator[Input]:
    for p in sorted(folder.glob("*.txt")):
        yield Input(corpus, f"{corpus}-{p.stem}", p.read_text(encoding="utf-8"))


def _emergent(path: Path) -> Iterator[Input]:
    """Each distinct article headline once, as a short article of its own."""
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            headline = row["articleHeadline"].strip()
            if headline and headline not in seen:
                seen.add(headline)
                yield Input("emergent", f"emergent-{row['articleId']}", headline)


def real_inputs(shared: Path, limit: int | None) -> list[Input]:
    data = shared / "data"
    corpora = [_csv_bodies(data / "fnc-1" / "train_bodies.csv", "fnc-1", "fnc1"),
               _csv_bodies(data / "fnc-arc" / "arc_bodies.csv", "fnc-arc", "arc"),
               _polnear(data / "polnear" / "train" / "text", "polnear-train"),
               _polnear(data / "polnear" / "dev" / "text", "polnear-dev"),
               _emergent(data / "emergent" / "train.csv")]
    return [x for corpus in corpora for x in islice(corpus, limit)]


def hostile_inputs(n: int, seed: int, without: list[str]) -> list[Input]:
    kinds = [k for k in hostile.ALL_KINDS if k not in without]
    return [Input(f"hostile/{s.kind}", s.id, s.text, s.title) for s in hostile.samples(n, seed, kinds)]


def write_jsonl(inputs: list[Input], folder: Path) -> list[Path]:
    """The inputs as JSON Lines files of a few MB each (ASCII escapes, so any code point survives), each
    input given the `file:line` the reader will name it by."""
    files: list[Path] = []
    fh, lines, size = None, 0, 0
    for x in inputs:
        if fh is None or lines >= CHUNK_LINES or size >= CHUNK_BYTES:
            if fh:
                fh.close()
            files.append(folder / f"soak-{len(files):04d}.jsonl")
            fh, lines, size = files[-1].open("w", encoding="ascii"), 0, 0
        rec = {"id": x.id, "text": x.text} | ({"title": x.title} if x.title is not None else {})
        line = json.dumps(rec, ensure_ascii=True) + "\n"
        fh.write(line)
        lines, size = lines + 1, size + len(line)
        x.where = f"{files[-1]}:{lines}"
    if fh:
        fh.close()
    return files


@dataclass
class Run:
    seconds: float = 0.0
    saved_at: float = 0.0  # seconds from the start to the last batch stored: analysis and storing
    crash: str | None = None  # the traceback, where ingest itself raised
    rejected: dict[str, str] | None = None  # where -> reason
    report: object = None


def run_ingest(files: list[Path], db: Path, workers: int) -> Run:
    """One ingest over every file into a fresh store, as `analyze` runs it; a raise ends it, and is kept."""
    from counterclaim.flow import ingest
    from counterclaim.ingest import iter_articles
    from counterclaim.settings import Settings
    from counterclaim.store.db import Store

    run, rejected, said = Run(), {}, Counter()
    t0 = time.perf_counter()

    def on_failure(f) -> None:
        said["failed"] += 1
        if said["failed"] <= 20:
            print(f"  failed: {f.line()[:200]}", file=sys.stderr, flush=True)

    def on_saved(n: int) -> None:
        run.saved_at = time.perf_counter() - t0
        if n // 1000 > said["thousands"]:
            said["thousands"] = n // 1000
            print(f"  {n} stored, {run.saved_at:.0f} s", file=sys.stderr, flush=True)

    store = Store(db)
    try:
        run.report = ingest(iter_articles(files), store, Settings(workers=workers), on_failure=on_failure,
                            on_rejected=lambda r: rejected.setdefault(r.path, r.reason), on_saved=on_saved)
    except BaseException:  # noqa: BLE001 - the soak's finding, reported with the accounting below
        run.crash = traceback.format_exc()
    finally:
        run.seconds = time.perf_counter() - t0
        run.rejected = rejected
        store.close()
    return run


def account(inputs: list[Input], db: Path, run: Run) -> tuple[dict, list]:
    """Each input's status from the store as it was left, and the failures it keeps."""
    from counterclaim.store.db import Store

    store = Store(db, read_only=True)
    stored, failures = set(store.article_ids()), store.failures()
    store.close()
    failed = {f.article for f in failures}
    seen: set[str] = set()
    for x in inputs:
        if x.id in seen:
            x.status = "skipped"
        elif x.where in run.rejected:
            x.status = "rejected"
        elif x.id in stored:
            x.status = "stored"
        elif x.id in failed or x.where in failed:  # a line a reader broke on is kept by where it is
            x.status = "failed"
        seen.add(x.id)
    odd = {"stored and failed": sorted(stored & failed), "stored, never sent": sorted(stored - seen)}
    return odd, failures


def print_table(inputs: list[Input]) -> None:
    rows: dict[str, Counter] = defaultdict(Counter)
    for x in inputs:
        rows[x.corpus][x.status] += 1
        rows[x.corpus]["inputs"] += 1
    total = sum(rows.values(), Counter())
    print(f"\n{'corpus':<26}{'inputs':>8}" + "".join(f"{s:>10}" for s in STATUSES))
    for name, c in [*rows.items(), ("total", total)]:
        print(f"{name:<26}{c['inputs']:>8}" + "".join(f"{c[s]:>10}" for s in STATUSES))


def print_failures(inputs: list[Input], failures: list) -> None:
    corpus = {x.id: x.corpus for x in inputs}
    groups: dict[tuple, list] = defaultdict(list)
    for f in failures:
        real = "hostile" if corpus.get(f.article, "").startswith("hostile") else "real"
        groups[(real, f.stage, f.error.split(":")[0])].append(f)
    print(f"\nfailed: {len(failures)}" + (" (grouped by texts, stage, error type)" if failures else ""))
    for (real, stage, kind), fs in sorted(groups.items(), key=lambda g: -len(g[1])):
        print(f"  {len(fs):>6}  {real:<8}{stage:<9}{kind:<28}e.g. {fs[0].article}: {fs[0].error[:120]}")


def print_rejected(inputs: list[Input], run: Run) -> None:
    by_where = {x.where: x for x in inputs}
    groups: dict[str, list] = defaultdict(list)
    for where, reason in run.rejected.items():
        groups[reason].append(by_where[where].id if where in by_where else where)
    print(f"\nrejected by the reader: {sum(map(len, groups.values()))}")
    for reason, ids in sorted(groups.items(), key=lambda g: -len(g[1])):
        print(f"  {len(ids):>6}  {reason[:80]:<82}e.g. {ids[0]}")


def print_summary(inputs: list[Input], run: Run, odd: dict) -> None:
    n = len(inputs)
    print(f"\n{n} inputs in {run.seconds:.0f} s: {n / max(run.seconds, 1e-9):.1f} articles/s end to end; "
          f"analysed and stored by {run.saved_at:.0f} s, linking and indexing the rest")
    if run.report is not None:
        r = run.report
        print(f"ingest's report: inputs {r.inputs}, stored {r.stored}, skipped {r.skipped}, "
              f"failed {len(r.failed)}, rejected {len(r.rejected)}, status changes {r.changes}")
    for what, ids in odd.items():
        if ids:
            print(f"inconsistent: {len(ids)} {what}, e.g. {ids[:3]}")
    if run.crash:
        print("\ningest raised, ending the run:\n" + run.crash)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--limit", type=int, default=None, help="real texts per corpus (default: all)")
    ap.add_argument("--hostile", type=int, default=3000, help="generated hostile inputs")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--without", action="append", default=[], choices=sorted(hostile.ALL_KINDS),
                    help="leave out a hostile kind (repeatable)")
    ap.add_argument("--keep", type=Path, default=None, help="write the JSON Lines and the store here, and keep them")
    args = ap.parse_args(argv)

    inputs = real_inputs(args.shared, args.limit) + hostile_inputs(args.hostile, args.seed, args.without)
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "soak.duckdb").unlink(missing_ok=True)
        files = write_jsonl(inputs, folder)
        print(f"{len(inputs)} inputs in {len(files)} JSON Lines files; {args.workers} worker(s)", file=sys.stderr)
        run = run_ingest(files, folder / "soak.duckdb", args.workers)
        odd, failures = account(inputs, folder / "soak.duckdb", run)
    print_table(inputs)
    print_failures(inputs, failures)
    print_rejected(inputs, run)
    print_summary(inputs, run, odd)
    lost = sum(x.status == "lost" for x in inputs)
    real_failed = sum(x.status == "failed" and not x.corpus.startswith("hostile") for x in inputs)
    print(f"\nlost: {lost}; real texts failed: {real_failed}")
    return 1 if lost or real_failed or run.crash else 0


if __name__ == "__main__":
    sys.exit(main())
