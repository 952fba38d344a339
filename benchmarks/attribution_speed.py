"""How much the attribution stage adds to the spaCy parse it runs on, measured in one run on the same
articles: PolNeAR dev texts when ../shared is present, else the bundled examples.

    .venv/bin/python benchmarks/attribution_speed.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def texts() -> tuple[str, list[str]]:
    dev = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"
    if dev.is_dir():
        return "PolNeAR dev", [p.read_text(encoding="utf-8") for p in sorted(dev.glob("*.txt"))]
    from counterclaim.ingest import Rejected, iter_articles

    return "examples/", [a.text for a in iter_articles([ROOT / "examples"]) if not isinstance(a, Rejected)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from counterclaim import nlp
    from counterclaim.attribution.extract import find
    from counterclaim.attribution.speakers import resolve
    from counterclaim.ingest import make_article
    from counterclaim.pipeline import analyze_doc

    name, corpus = texts()
    nlp.load()
    list(nlp.parse_many(corpus[:2]))  # warm up
    from counterclaim.claims.assemble import MAX_ENCODED, vectors_many
    from counterclaim.nlp import encoder

    encoder.load()
    parse_s, attr_s, rest_s, enc_s = [], [], [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        docs = list(nlp.parse_many(corpus, batch_size=16))
        t1 = time.perf_counter()
        for doc in docs:
            found, _ = find(doc)
            resolve(doc, found)
        t2 = time.perf_counter()
        claims = []
        for text, doc in zip(corpus, docs):
            claims.append(analyze_doc(make_article(text), doc, encode=False).claims)
        t3 = time.perf_counter()
        for b in range(0, len(claims), 16):  # what the pipeline reads of the claims, a parse batch at a time
            vectors_many([([c.text for c in cs], [(c.voice, c.checkable, c.mentions[0].start if c.mentions else -1)
                                                  for c in cs]) for cs in claims[b:b + 16]])
        enc_s.append(time.perf_counter() - t3)
        parse_s.append(t1 - t0)
        attr_s.append(t2 - t1)
        rest_s.append(t3 - t2 + enc_s[-1])  # the encoder included, as the pipeline runs it
    parse, attr, full, enc = min(parse_s), min(attr_s), min(rest_s), min(enc_s)
    n_claims = sum(map(len, claims))
    chars = sum(map(len, corpus))
    print(f"{name}: {len(corpus)} articles, {chars:,} characters; best of {args.repeat} runs")
    print(f"spaCy parse            {parse:7.2f} s  {len(corpus) / parse:7.1f} articles/s")
    print(f"attribution stage      {attr:7.2f} s  = {100 * attr / parse:5.1f}% of the parse (target: at most 25%)")
    print(f"all stages after parse {full:7.2f} s  = {100 * full / parse:5.1f}% of the parse (attributions, claims, "
          "events, the encoder included)")
    read = sum(min(len(cs), MAX_ENCODED) for cs in claims)
    print(f"sentence encoder       {enc:7.2f} s  = {100 * enc / parse:5.1f}% of the parse ({read:,} of {n_claims:,} "
          "claims read; target: at most 20%)")


if __name__ == "__main__":
    main()
