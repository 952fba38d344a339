"""Choose the linking thresholds on FNC-1's train stories: relink a store of analysed bodies (made by
`counterclaim eval threads --stories train --db STORE`) under each setting and print the pair scores.

    .venv/bin/python -m counterclaim.evaluate.tune_threads --db STORE --fnc-bodies F --fnc-stances F \\
        STORY=0.17,OWN_MIN=0.3,OWN_ALONE=0.6 STORY=0.2 ...

Each setting names module constants of counterclaim.threads.link; the shipped values are the ones chosen
this way (see docs/evaluation.md)."""
from __future__ import annotations

import argparse
import time

from ..threads import link as L
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
    ids = [r[0].removeprefix("fnc-") for r in store.con.execute("SELECT id FROM articles").fetchall()]
    defaults = {k: getattr(L, k) for spec in args.settings for k in dict(x.split("=") for x in spec.split(","))}
    for spec in args.settings:
        for k, v in defaults.items():
            setattr(L, k, v)
        for k, v in (x.split("=") for x in spec.split(",")):
            setattr(L, k, type(defaults[k])(float(v)))
        t0 = time.perf_counter()
        store.relink(full=True)
        found = threads_of_bodies(store)
        s = score({b: found.get(b, set()) for b in ids}, {b: story[b] for b in ids})
        print(f"{spec}: precision {s.precision:.3f} recall {s.recall:.3f} F1 {s.f1:.3f} "
              f"in a thread {s.in_thread:.3f} ({time.perf_counter() - t0:.1f} s)", flush=True)
    store.close()


if __name__ == "__main__":
    main()
