"""The store as the desk uses it: status changes kept as data, incrementally and across a migration, and
a store held by another process named in one line instead of a DuckDB traceback."""
import subprocess
import sys

import pytest
from conftest import EXAMPLES

from counterclaim.store import queries
from counterclaim.store.db import SCHEMA_VERSION, Store, StoreLocked
from test_cli import cc
from counterclaim.threads.relink import refresh, relink


def _analyses(*names):
    from counterclaim.ingest import iter_articles
    from counterclaim.pipeline import analyze_many

    return list(analyze_many(list(iter_articles([EXAMPLES / n for n in names]))))


@pytest.fixture(scope="module")
def breach(tmp_path_factory):
    db = tmp_path_factory.mktemp("changes") / "c.duckdb"
    store = Store(db)
    store.save_many(_analyses("breach-1.txt", "breach-2.txt"))
    refresh(store)
    before = queries.changes(store, limit=500)["items"]
    first_new = store.new_changes
    store.save_many(_analyses("breach-3.txt"))
    refresh(store)
    yield store, before, first_new
    store.close()


def test_each_relink_records_only_what_changed(breach):
    store, before, first_new = breach
    assert first_new == len(before) >= 2
    assert store.new_changes == 1
    after = queries.changes(store, limit=500)["items"]
    [new] = [c for c in after if c["seq"] not in {b["seq"] for b in before}]
    assert (new["from"], new["to"], new["date"]) == ("disputed", "confirmed", "2024-03-21")
    assert new["speaker"] and new["article"] and new["content"] and new["status"] == "confirmed"
    kept = {c["seq"]: c for c in after}
    assert all(kept[b["seq"]]["recorded_at"] == b["recorded_at"] for b in before)
    # The changes are the threads' histories, one row per step.
    for t in store.threads():
        rows = [c for c in after if c["thread"] == t["id"]]
        assert [c["to"] for c in sorted(rows, key=lambda c: c["seq"])] == [h["status"] for h in t["status_history"]]


def test_relinking_from_scratch_keeps_the_record(breach):
    store, _, _ = breach
    rows = queries.changes(store, limit=500)["items"]
    relink(store, full=True)
    assert store.new_changes == 0 and queries.changes(store, limit=500)["items"] == rows


def test_since_bounds_when_a_change_was_recorded(breach):
    store, _, _ = breach
    latest = queries.changes(store, limit=1)["items"][0]["recorded_at"]
    assert queries.changes(store, since=latest)["total"] >= 1
    assert queries.changes(store, since="2999-01-01")["total"] == 0


def _older(store, path, version: int, *undo: str):
    """A copy of the store made to look like one of an older schema version: `undo` takes back what came
    after it."""
    import shutil

    store.con.execute("CHECKPOINT")
    shutil.copy(store.path, path)
    with Store(path) as old:
        for statement in undo + (f"UPDATE meta SET value = '{version}' WHERE key = 'schema_version'",):
            old.con.execute(statement)
    return path


def test_a_version_3_store_gets_its_changes_on_migration(breach, tmp_path):
    store, _, _ = breach
    expected = sorted((c["thread"], c["to"], c["because"]) for c in queries.changes(store, limit=500)["items"])
    db = _older(store, tmp_path / "old.duckdb", 3, "DROP TABLE status_changes")
    with Store(db) as migrated:
        assert migrated.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
        got = sorted((c["thread"], c["to"], c["because"]) for c in queries.changes(migrated, limit=500)["items"])
    assert got == expected


def test_a_version_5_store_gains_the_threads_voices_and_links_on(breach, tmp_path):
    store, _, _ = breach
    db = _older(store, tmp_path / "old5.duckdb", 5, "ALTER TABLE threads DROP COLUMN voices")
    with Store(db) as migrated:
        columns = {r[0] for r in migrated.con.execute("DESCRIBE threads").fetchall()}
        assert "voices" in columns
        migrated.save_many(_analyses("breach-1.txt"))  # already stored: nothing new, the relink still runs
        relink(migrated, full=True)
        assert migrated.con.execute("SELECT count(*) FROM threads WHERE voices IS NOT NULL").fetchone()[0] > 0


@pytest.fixture()
def held(tmp_path):
    """A store held open for writing by another process."""
    db = tmp_path / "held.duckdb"
    Store(db).close()
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from counterclaim.store.db import Store; "
                               f"s = Store({str(db)!r}); print('open', flush=True); time.sleep(120)"],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    yield db, holder.pid
    holder.kill()
    holder.wait()


def test_a_held_store_names_its_holder(held):
    db, pid = held
    with pytest.raises(StoreLocked) as info:
        Store(db, read_only=True)
    assert info.value.pid == pid and f"process {pid}" in str(info.value)


@pytest.mark.parametrize("command", [["threads"], ["analyze", EXAMPLES / "breach-1.txt"], ["changes"],
                                     ["search", "Northline lost customer data"], ["export", "-o", "x.jsonl"],
                                     ["watch", EXAMPLES / "breach-1.txt", "--rounds", "1"]])
def test_every_command_on_a_held_store_says_so_in_one_line(held, command, tmp_path):
    db, pid = held
    proc = cc(*command, "--db", db, check=False)
    assert proc.returncode == 1, proc.stderr
    [line] = proc.stderr.strip().splitlines()
    assert f"process {pid}" in line and "stop it" in line and "ingest" in line


def _origins(store):
    return dict(store.con.execute("SELECT id, origin FROM articles").fetchall())


def test_a_copy_stored_later_is_placed_with_its_origin(tmp_path):
    """Syndicated copies are found by the store's MinHash bands batch by batch, not by comparing the whole
    store again: the second wire copy, stored a batch later, takes the first's origin."""
    first, second = _analyses("wire.jsonl")
    other = _analyses("breach-1.txt")
    with Store(tmp_path / "copies.duckdb") as store:
        store.save_many([first] + other)
        refresh(store)
        store.save_many([second])
        refresh(store)
        origin = _origins(store)
        assert origin[second.article.id] == origin[first.article.id] == min(first.article.id, second.article.id)
        assert origin[other[0].article.id] == other[0].article.id
        [thread] = [t for t in store.threads() if second.article.id in t["articles"]]
        assert first.article.id in thread["articles"] and thread["independent_sources"] == 1


def test_a_version_4_store_gets_its_origins_at_its_next_link(breach, tmp_path):
    store, _, _ = breach
    expected = _origins(store)
    db = _older(store, tmp_path / "v4.duckdb", 4, "DROP TABLE minhash_bands", "ALTER TABLE articles DROP COLUMN origin")
    with Store(db) as migrated:
        relink(migrated)  # copies are placed by linking, which the store's every writer runs
        assert _origins(migrated) == expected and all(expected.values())


def test_the_store_in_use_message_never_shows_a_secret():
    from counterclaim.store.db import redact

    assert redact(["counterclaim", "serve", "--token", "s3cret", "--db", "x.duckdb"]) == \
        ["counterclaim", "serve", "--token", "***", "--db", "x.duckdb"]
    assert redact(["serve", "--token=s3cret", "--port", "8000"]) == ["serve", "--token=***", "--port", "8000"]
