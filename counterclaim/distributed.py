"""The same per-article pipeline on Ray Data, for corpora beyond one machine. Each input file is read on
a worker, its articles analysed by actors that load spaCy once, and the results written as Parquet
partitions (one row per article: the contract record as JSON, plus what the store needs) that
`counterclaim load` puts into the store. Thread linking runs after, over the store."""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

COLUMNS = ("file_no", "item_no", "id", "path", "record", "cue_lemmas", "rejected", "failed")


def input_files(paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Expand folders into the files ingest reads; URLs are passed through. Returns (files, missing)."""
    from .ingest import kind_of

    files, missing = [], []
    for p in paths:
        if str(p).startswith(("http://", "https://")):
            files.append(str(p))
            continue
        path = Path(p)
        if path.is_dir():
            files += [str(f) for f in sorted(path.rglob("*")) if f.is_file() and kind_of(f)]
        elif path.is_file():
            files.append(str(path))
        else:
            missing.append((str(p), "no such file or folder"))
    return files, missing


def _read(row: dict) -> list[dict]:
    from .ingest import Rejected, iter_articles

    out = []
    for n, item in enumerate(iter_articles([row["file"]])):
        where = {"file_no": row["file_no"], "item_no": n}
        if isinstance(item, Rejected):
            out.append({**where, "id": "", "path": item.path, "record": "", "cue_lemmas": "", "rejected": item.reason,
                        "failed": ""})
        else:
            out.append({**where, "id": item.id, "path": item.path or "", "record": json.dumps(_article_dict(item)),
                        "cue_lemmas": "", "rejected": "", "failed": ""})
    return out


def _article_dict(a) -> dict:
    return {"id": a.id, "text": a.text, "title": a.title, "source": a.source_name, "url": a.url,
            "published": a.published, "language": a.language, "warnings": a.warnings}


class _Analyze:
    """A Ray actor: spaCy is loaded once per actor, then batches of articles flow through."""

    def __init__(self):
        from . import nlp

        nlp.load()

    def __call__(self, batch: dict) -> dict:
        from .models import Article
        from .pipeline import analyze_many

        todo, out = [], {k: list(batch[k]) for k in COLUMNS}
        for i, (rec, rejected) in enumerate(zip(batch["record"], batch["rejected"])):
            if not rejected:
                d = json.loads(rec)
                todo.append((i, Article(id=d["id"], text=d["text"], title=d["title"], source_name=d["source"],
                                        url=d["url"], published=d["published"], language=d["language"],
                                        path=out["path"][i] or None, warnings=d["warnings"])))
        for (i, _), analysis in zip(todo, analyze_many([a for _, a in todo])):
            out["record"][i] = json.dumps(analysis.to_dict(), ensure_ascii=False)
            out["cue_lemmas"][i] = json.dumps({x.id: x.cue_lemma for x in analysis.attributions})
            if analysis.failure is not None:  # kept with its reason, stored as failed by the loader
                out["failed"][i] = json.dumps({k: v for k, v in vars(analysis.failure).items() if k != "at"})
        return out


def run(paths: list[str], out_dir: str | Path, address: str | None = None, workers: int | None = None) -> list[tuple[str, str]]:
    """Analyse on Ray and write Parquet partitions to out_dir. Returns the inputs that could not be read."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no telemetry calls home
    import ray
    import ray.data

    files, missing = input_files(paths)
    if not files:
        return missing
    started = not ray.is_initialized()
    if started:
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=workers or os.cpu_count(), include_dashboard=False, log_to_driver=False)
    try:
        cpus = int(ray.cluster_resources().get("CPU", 1))
        # Reading is light and the analysing actors hold a core each: give reading a sliver of a CPU so
        # the actors cannot starve it of cores (a deadlock on small clusters).
        ds = ray.data.from_items([{"file_no": n, "file": f} for n, f in enumerate(files)]).flat_map(_read, num_cpus=0.1)
        actors = ray.data.ActorPoolStrategy(size=max(1, min(workers or cpus, cpus)))
        ds = ds.map_batches(_Analyze, batch_size=16, compute=actors, num_cpus=0.9, batch_format="numpy")
        ds.write_parquet(str(out_dir))
    finally:
        if started:
            ray.shutdown()
    return missing


def read(store, parquet_dir: str | Path) -> Iterator:
    """The analyses of a distributed run's Parquet partitions, in input order where the run kept it, with
    its rejected inputs (ingest.Rejected) and its failed articles (an Analysis whose `failure` is set), for
    the ingest flow (flow.ingest) to store. Raises FileNotFoundError where there are no partitions."""
    files = sorted(str(p) for p in Path(parquet_dir).rglob("*.parquet"))
    if not files:
        raise FileNotFoundError(f"no .parquet files under {parquet_dir}")
    columns = {r[0] for r in store.query("DESCRIBE SELECT * FROM read_parquet(?, union_by_name = true)", [files])}
    failed = "failed" if "failed" in columns else "NULL"  # partitions written before failures were kept
    rows = store.query(f"SELECT id, path, record, cue_lemmas, rejected, {failed} FROM "
                       "read_parquet(?, union_by_name = true) ORDER BY file_no, item_no", [files])
    return _analyses(rows)


def _analyses(rows: list[tuple]) -> Iterator:
    """Each row as what the ingest flow takes; a row that cannot be read back is that article's failure."""
    from .ingest import Rejected
    from .models import Analysis, Article, Failure, analysis_from_dict

    for aid, path, record, lemmas, reason, failed in rows:
        try:
            if reason:
                yield Rejected(path, reason)
            elif failed:
                f = Failure(**json.loads(failed))
                yield Analysis(analysis_from_dict(json.loads(record), path or None).article, failure=f)
            else:
                yield analysis_from_dict(json.loads(record), path or None, json.loads(lemmas) if lemmas else {})
        except Exception as err:  # noqa: BLE001 - one corrupt row is its article's failure, not the load's
            article = Article(id=aid or str(path), text="", path=path or None)
            yield Analysis(article, failure=Failure.of(article, "read", err))
