"""Choose the linking thresholds on FNC-1's train stories: relink a store of analysed bodies (made by
`counterclaim eval threads --stories train --db STORE`) under each setting and print the pair scores.

    .venv/bin/python -m counterclaim.evaluate.tune_threads --db STORE --fnc-bodies F --fnc-stances F \\
        STORY=0.17,OWN_MIN=0.3,OWN_ALONE=0.6 STORY=0.2 ...

Each setting names fields of counterclaim.threads.link.LinkSettings (STORY: story); the shipped defaults
are the ones chosen this way (see docs/evaluation.md)."""
from __future__ import annotations

import argparse
import time
from dataclasses import fields, replace

from ..threads.link import LinkSettings
from ..threads.relink import relink
from .threads import score, stories, threads_of_bodies


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--fnc-bodies", required=True)
    ap.add_argument("--fnc-stances", required=True)
    ap.add_argument("settings", nargs="+", help="NAME=VALUE,NAME=VALUE ...")
    args = ap.parse_args()
    from ..store.db import Store

    _, story = stories(args.fnc_bodies, args.fnc_stances)
    store = Store(args.db)
    ids = [aid.removeprefix("fnc-") for aid in store.article_ids()]
    kinds = {f.name: f.type for f in fields(LinkSettings)}
    for spec in args.settings:
        chosen = {k.lower(): v for k, v in (x.split("=") for x in spec.split(","))}
        unknown = set(chosen) - set(kinds)
        if unknown:
            ap.error(f"no linking setting {', '.join(sorted(unknown))}; choose from {', '.join(kinds)}")
        settings = replace(LinkSettings(), **{k: (int if kinds[k] == "int" else float)(float(v))
                                              for k, v in chosen.items()})
        t0 = time.perf_counter()
        relink(store, settings, full=True)
        found = threads_of_bodies(store)
        s = score({b: found.get(b, set()) for b in ids}, {b: story[b] for b in ids})
        print(f"{spec}: precision {s.precision:.3f} recall {s.recall:.3f} F1 {s.f1:.3f} "
              f"in a thread {s.in_thread:.3f} ({time.perf_counter() - t0:.1f} s)", flush=True)
    store.close()


if __name__ == "__main__":
    main()
