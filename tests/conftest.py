from __future__ import annotations

from pathlib import Path

import pytest
from counterclaim.threads.relink import refresh

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "seed" / "article-000.txt").exists():
        pytest.skip(f"../shared is not present beside the checkout ({SHARED}); these tests read the seed article and gold data")
    return SHARED


@pytest.fixture(scope="session")
def examples_store(tmp_path_factory):
    """A store built from the bundled examples, the way `make demo` builds it."""
    from counterclaim.ingest import Rejected, iter_articles
    from counterclaim.pipeline import analyze_many
    from counterclaim.store.db import Store

    path = tmp_path_factory.mktemp("store") / "examples.duckdb"
    store = Store(path)
    articles = [a for a in iter_articles([EXAMPLES]) if not isinstance(a, Rejected)]
    for analysis in analyze_many(articles):
        store.save(analysis)
    refresh(store)
    yield store
    store.close()


HOSTILE = ('<script>alert("pwned")</script> The ministry <b onmouseover="alert(1)">denied</b> that '
           '<img src=x onerror=alert(2)> troops had crossed the border.')


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> Path:
    """A store file for the web tests: the examples plus an article full of markup that must not run."""
    from counterclaim.ingest import Rejected, iter_articles
    from counterclaim.pipeline import analyze_many, analyze_text
    from counterclaim.store.db import Store

    db = tmp_path_factory.mktemp("web") / "web.duckdb"
    store = Store(db)
    for analysis in analyze_many([a for a in iter_articles([EXAMPLES]) if not isinstance(a, Rejected)]):
        store.save(analysis)
    store.save(analyze_text(HOSTILE, id="hostile", title="<i>Hostile</i> title", url="javascript:alert(3)"))
    refresh(store)
    store.close()
    return db


def by_claim(threads: list[dict], *words: str) -> dict:
    """The one thread whose claim mentions all the words."""
    hits = [t for t in threads if all(w.lower() in t["claim"].lower() for w in words)]
    assert len(hits) == 1, [t["claim"] for t in threads]
    return hits[0]
