"""Articles per second: bare spaCy `nlp.pipe` against the whole counterclaim pipeline (files read,
analysed, stored in DuckDB, threads linked) on the same articles in one run, with 1 and 2 workers.

    .venv/bin/python benchmarks/throughput.py [--articles 300] [--repeat 3]
    .venv/bin/python benchmarks/throughput.py --multilingual [--articles 200]

Bare spaCy is the stock model as spaCy loads it. counterclaim's own parse runs the same model with its
attribute ruler and lemmatizer as look-up tables (counterclaim/nlp/tables.py: the same annotations, about
a sixth faster) and its paragraph rule; that parse alone is timed too, so the share of the gain that comes
from it can be told from the rest.

Articles: PolNeAR train texts when ../shared is present (written to a temporary folder as .txt files so
ingest is part of the measurement), else the bundled examples repeated with a varying first line. Beside
the wall-clock ratios it prints the same ratios in CPU time, which the machine's other tenants change less.

--multilingual times the whole pipeline (one worker) on the bundled examples in other languages against the
bundled English ones, each repeated to the same number of articles with a varying first line: an article in
another language is read without a parse (counterclaim/languages/), so it should cost no more than one in
English, per article and per character."""
from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus(n: int) -> tuple[str, list[str]]:
    train = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"
    if train.is_dir():
        return "PolNeAR train", [p.read_text(encoding="utf-8") for p in sorted(train.glob("*.txt"))[:n]]
    from counterclaim.ingest import Rejected, iter_articles

    base = [a.text for a in iter_articles([ROOT / "examples"]) if not isinstance(a, Rejected)]
    return "examples (repeated)", [f"Copy {i}.\n\n" + base[i % len(base)] for i in range(n)]


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children: unlike the wall clock, it does not count the
    time this shared machine's other tenants take the cores away."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def full_run(folder: Path, workers: int) -> float:
    """`counterclaim analyze FOLDER` as the command runs it: the ingest flow, read to linked."""
    from counterclaim.flow import ingest
    from counterclaim.ingest import iter_articles
    from counterclaim.settings import Settings
    from counterclaim.store.db import Store

    db = folder.parent / f"bench-{workers}.duckdb"
    db.unlink(missing_ok=True)
    t0 = time.perf_counter()
    store = Store(db)
    report = ingest(iter_articles([folder]), store, Settings(workers=workers))
    if report.failed:
        print(f"  {len(report.failed)} article(s) failed: " + "; ".join(f.line() for f in report.failed[:3]))
    store.close()
    return time.perf_counter() - t0


def examples(n: int, english: bool) -> list[str]:
    """The bundled examples in English, or in the other languages, repeated to n articles."""
    from counterclaim.ingest import Rejected, iter_articles

    base = [a for a in iter_articles([ROOT / "examples"]) if not isinstance(a, Rejected)]
    texts = [a.text for a in base if (a.language == "en") == english]
    return [f"{i}.\n\n" + texts[i % len(texts)] for i in range(n)]


def multilingual(n: int, repeat: int) -> None:
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, english in (("English", True), ("other languages", False)):
            folder = Path(tmp) / name.replace(" ", "-")
            folder.mkdir()
            texts = examples(n, english)
            for i, t in enumerate(texts):
                (folder / f"{i:05d}.txt").write_text(t, encoding="utf-8")
            rows[name] = (texts, folder)
        warm = Path(tmp) / "warm-up"  # every model the two runs load, loaded before either is timed
        warm.mkdir()
        for i, t in enumerate(rows["English"][0][:4] + rows["other languages"][0][:4]):
            (warm / f"{i:05d}.txt").write_text(t, encoding="utf-8")
        full_run(warm, 1)
        times: dict[str, list[float]] = {name: [] for name in rows}
        for _ in range(repeat):
            for name, (_, folder) in rows.items():
                times[name].append(full_run(folder, 1))
    for name, (texts, _) in rows.items():
        t = statistics.median(times[name])
        print(f"{name:16s} {n / t:7.2f} articles/s, {sum(map(len, texts)) / t / 1000:7.1f} thousand characters/s "
              f"({sum(map(len, texts)) // n} characters an article)")
    en, other = (statistics.median(times[k]) for k in ("English", "other languages"))
    print(f"an article in another language costs {other / en:.0%} of an English one (target: 100% or less)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--multilingual", action="store_true",
                    help="time the bundled examples in other languages against the English ones instead")
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds of the three runs, one after another; each ratio is taken within a round and "
                         "the median round reported (this machine's speed drifts from minute to minute)")
    args = ap.parse_args()
    if args.multilingual:
        multilingual(args.articles, args.repeat)
        return
    import spacy

    from counterclaim import nlp

    name, texts = corpus(args.articles)
    n = len(texts)
    bares, parses, ones, twos = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i, t in enumerate(texts):
            (folder / f"{i:05d}.txt").write_text(t, encoding="utf-8")
        model = spacy.load(nlp.MODEL)
        model.max_length = nlp.MAX_CHARS + 1
        # Warm up both sides: bare spaCy's model, and everything the pipeline loads on first use (the
        # encoder, the other models, the actor dictionary, the store's full-text extension).
        list(model.pipe(texts[:4]))
        warm = Path(tmp) / "warm-up"
        warm.mkdir()
        for i, t in enumerate(texts[:8]):
            (warm / f"{i:05d}.txt").write_text(t, encoding="utf-8")
        full_run(warm, 1)
        cpu_share, cpu_extra = [], []
        for r in range(args.repeat):
            c0, t0 = cpu_seconds(), time.perf_counter()
            for _ in model.pipe(texts, batch_size=16):
                pass
            bares.append(time.perf_counter() - t0)
            bare_cpu = cpu_seconds() - c0
            t0 = time.perf_counter()
            for _ in nlp.parse_many(texts, batch_size=16):
                pass
            parses.append(time.perf_counter() - t0)
            c1 = cpu_seconds()
            ones.append(full_run(folder, 1))
            c2 = cpu_seconds()
            self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            twos.append(full_run(folder, 2))
            c3 = cpu_seconds()
            cpu_share.append(bare_cpu / (c2 - c1))
            cpu_extra.append((c3 - c2) / (c2 - c1) - 1)
            print(f"round {r + 1}: bare {n / bares[-1]:.2f}, counterclaim's parse {n / parses[-1]:.2f}, "
                  f"1 worker {n / ones[-1]:.2f} ({bares[-1] / ones[-1]:.1%}), "
                  f"2 workers {n / twos[-1]:.2f} ({ones[-1] / twos[-1]:.2f}x) articles/s; in CPU time, 1 worker "
                  f"{cpu_share[-1]:.1%} of bare, 2 workers {cpu_extra[-1]:+.1%} CPU over one", flush=True)
        child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    # Each ratio within its round, whose runs are minutes apart; then the median round's.
    share = statistics.median(b / o for b, o in zip(bares, ones))
    scale = statistics.median(o / t for o, t in zip(ones, twos))
    print(f"{name}: {n} articles, {sum(map(len, texts)):,} characters; median of {args.repeat} rounds")
    print(f"bare spaCy nlp.pipe          {n / statistics.median(bares):7.2f} articles/s")
    print(f"counterclaim's parse alone   {n / statistics.median(parses):7.2f} articles/s  = "
          f"{statistics.median(p / b for b, p in zip(bares, parses)):5.1%} of bare spaCy's time")
    print(f"counterclaim, 1 worker       {n / statistics.median(ones):7.2f} articles/s  = {share:5.1%} of bare spaCy "
          "(target: 75% or more)")
    print(f"counterclaim, 2 workers      {n / statistics.median(twos):7.2f} articles/s  = {scale:4.2f}x one worker "
          "(target: 1.7x)")
    print(f"in CPU time (what the machine's other tenants do not change): 1 worker {statistics.median(cpu_share):.1%} "
          f"of bare spaCy; 2 workers spend {statistics.median(cpu_extra):+.1%} CPU over one worker (the models loaded "
          "in each worker, results passed between processes, and two busy cores slowing each other)")
    print(f"peak memory: main process {self_peak:,.0f} MB (1-worker run); largest worker {child_peak:,.0f} MB")


if __name__ == "__main__":
    main()
