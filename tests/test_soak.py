"""The fast slice of the soak (benchmarks/soak.py, `make soak`): hostile texts are analysed without a
failure, none is lost by the ingest flow, and one article that breaks a stage fails alone, is kept as
failed, is named in one warning line, and is stored by the next run that can analyse it."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import hostile
from counterclaim import pipeline
from counterclaim.flow import ingest
from counterclaim.ingest import iter_articles, make_article
from counterclaim.settings import Settings
from counterclaim.store.db import Store

MARKER = "Quuxbridge"  # a word no real text holds: the article that carries it is made to fail
NORMAL = ["The Kremlin denied on Monday that Russian troops had crossed the border into Ukraine.",
          'Rights groups said the army shelled the village of Kelem. "We did not fire," a spokesman said.']


@pytest.mark.parametrize("kind", sorted(hostile.KINDS))
@settings(max_examples=3, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_hostile_text_is_analysed_without_failure_and_kept_as_given(kind, data):
    text, title = data.draw(hostile.strategy(kind), "text"), data.draw(hostile.titles(), "title")
    a = pipeline.analyze(make_article(text, id="hostile", title=title))
    assert a.failure is None, a.failure.trace
    assert a.article.text == text and a.article.title == (title or None)
    for x in a.attributions:
        for span in [x.cue, x.source, *x.content]:
            if span is not None:
                assert 0 <= span.start <= span.end <= len(text) and text[span.start:span.end] == span.text


def _write_jsonl(path, records) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def _lost(path, ids: list[str], store: Store, report) -> list[str]:
    """Inputs (by line of the file) neither stored, kept as failed, nor rejected by the reader."""
    stored, failed = set(store.article_ids()), {f.article for f in store.failures()}
    rejected = {r.path for r in report.rejected}
    return [aid for n, aid in enumerate(ids, 1)
            if aid not in stored and aid not in failed and f"{path}:{n}" not in rejected]


def test_hostile_inputs_through_the_ingest_flow_lose_nothing(tmp_path):
    samples = hostile.samples(30, seed=1)
    records = [{"id": s.id, "text": s.text} | ({"title": s.title} if s.title else {}) for s in samples]
    records += [{"id": f"normal-{n}", "text": t} for n, t in enumerate(NORMAL)]
    path = tmp_path / "hostile.jsonl"
    _write_jsonl(path, records)
    with Store(tmp_path / "soak.duckdb") as store:
        report = ingest(iter_articles([path]), store, Settings(workers=1))
        assert _lost(path, [r["id"] for r in records], store, report) == []
        assert not report.failed, [f.line() for f in report.failed]
        assert {"normal-0", "normal-1"} <= set(store.article_ids())


@pytest.fixture
def breaks_on_marker(monkeypatch):
    """analyze_doc raising for the article that holds MARKER, as a bug in any stage would."""
    real = pipeline.analyze_doc

    def analyze_doc(article, *args, **kwargs):
        if MARKER in article.text:
            raise ValueError(f"made to fail on {MARKER}")
        return real(article, *args, **kwargs)

    monkeypatch.setattr(pipeline, "analyze_doc", analyze_doc)
    return monkeypatch


def _articles() -> list:
    bad = make_article(f"The mayor of {MARKER} said that the bridge had been closed by the army.", id="bad")
    return [make_article(NORMAL[0], id="first"), bad, make_article(NORMAL[1], id="last")]


def test_an_article_that_breaks_a_stage_fails_alone_and_is_stored_by_the_next_run(tmp_path, breaks_on_marker):
    warnings: list[str] = []
    with Store(tmp_path / "s.duckdb") as store:
        report = ingest(_articles(), store, Settings(workers=1), on_failure=lambda f: warnings.append(f.line()))
        assert set(store.article_ids()) == {"first", "last"} and report.stored == 2
        [kept] = store.failures()
        assert (kept.article, kept.stage) == ("bad", "analyse") and f"made to fail on {MARKER}" in kept.error
        assert len(warnings) == 1 and warnings[0].startswith("bad: failed to analyse: ") and "\n" not in warnings[0]

        breaks_on_marker.undo()
        again = ingest(_articles(), store, Settings(workers=1))
        assert (again.stored, again.skipped, again.failed) == (1, 2, [])
        assert set(store.article_ids()) == {"first", "bad", "last"} and store.failures() == []


def cli(*args, code: int = 0):
    """The command run in this process (so a monkeypatch reaches it), as `cc` in test_cli runs it."""
    from counterclaim.cli.main import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == code, result.output + repr(result.exception)
    return result


def test_the_command_warns_in_one_line_keeps_the_failure_and_shows_its_trace_with_debug(tmp_path,
                                                                                       breaks_on_marker):
    folder, db = tmp_path / "in", tmp_path / "x.duckdb"
    folder.mkdir()
    (folder / "good.txt").write_text(NORMAL[0], encoding="utf-8")
    (folder / "bad.txt").write_text(f"The mayor of {MARKER} said the bridge had been closed.", encoding="utf-8")

    first = cli("analyze", folder, "--db", db, "--workers", 1)
    warned = [line for line in first.stderr.splitlines() if line.startswith("warning:")]
    assert len(warned) == 1 and "bad.txt" in warned[0] and "failed to analyse" in warned[0], first.stderr
    assert "Traceback" not in first.output and "1 failed" in " ".join(first.stderr.split())

    [kept] = json.loads(cli("failures", "--db", db, "--json").stdout)
    assert kept["path"].endswith("bad.txt") and kept["stage"] == "analyse"
    table = cli("failures", "--db", db).stdout
    assert kept["article"] in table and "analyse" in table and "1 failed article" in table

    debug = cli("analyze", folder, "--db", db, "--workers", 1, "--debug")  # tried again: it is not stored
    assert "Traceback" in debug.stderr and f"made to fail on {MARKER}" in debug.stderr


def test_a_lone_surrogate_from_a_json_escape_loses_nothing(tmp_path):
    records = [{"id": "before", "text": NORMAL[0]},
               {"id": "odd", "text": NORMAL[1].replace("village", "vill\ud800age"), "title": "Kelem \udfff"},
               {"id": "after", "text": "The ministry said on Monday that the border had been closed."}]
    path = tmp_path / "surrogates.jsonl"
    _write_jsonl(path, records)  # json.dumps writes the surrogates as \ud800 escapes, as any JSON may
    with Store(tmp_path / "s.duckdb") as store:
        report = ingest(iter_articles([path]), store, Settings(workers=1))
        assert _lost(path, [r["id"] for r in records], store, report) == []
        assert {"before", "odd", "after"} <= set(store.article_ids())
        odd = store.article_record("odd")
        assert odd["title"] == "Kelem \ufffd" and "vill\ufffdage" in odd["text"]


def test_a_line_with_odd_metadata_is_read_and_the_lines_after_it_too(tmp_path):
    records = [{"id": "n1", "text": NORMAL[0], "published": 20240102, "title": 17},
               {"id": "n2", "text": NORMAL[1], "title": ["not", "a", "title"], "source": {"name": "Wire"}},
               {"id": "n3", "text": "The ministry said on Monday that the border had been closed."}]
    path = tmp_path / "odd.jsonl"
    _write_jsonl(path, records)
    items = list(iter_articles([path]))
    assert [getattr(a, "id", None) for a in items] == ["n1", "n2", "n3"]
    assert items[0].title == "17" and items[1].title is None and items[1].source_name == "Wire"


def test_an_article_that_breaks_linking_fails_alone_and_the_others_are_linked(tmp_path, monkeypatch):
    from counterclaim.threads import link

    real = link.Linker.link_article

    def link_article(self, nodes, text=""):
        if MARKER in text:
            raise ValueError("made to fail in linking")
        return real(self, nodes, text)

    monkeypatch.setattr(link.Linker, "link_article", link_article)
    articles = [make_article(t, id=f"a{n}") for n, t in enumerate(NORMAL)]
    articles.append(make_article(f"The mayor of {MARKER} said that the council had approved the budget.", id="bad"))
    told = []
    with Store(tmp_path / "link.duckdb") as store:
        report = ingest(articles, store, Settings(workers=1), on_failure=told.append)
        assert [(f.article, f.stage) for f in store.failures()] == [("bad", "link")]
        assert [f.article for f in told] == ["bad"] and "failed to link" in told[0].line()
        assert set(store.article_ids()) == {"a0", "a1"} and not store.unlinked_articles()
        assert report.stored == 2  # the third was stored, then taken out again when it could not be linked
        monkeypatch.setattr(link.Linker, "link_article", real)
        again = ingest([make_article(articles[-1].text, id="bad")], store, Settings(workers=1))
        assert again.stored == 1 and not store.failures() and "bad" in store.article_ids()


def test_a_fault_of_the_store_not_of_an_article_is_raised_and_takes_nothing_out(tmp_path, monkeypatch):
    from counterclaim.threads import link

    def link_article(self, nodes, text=""):
        raise OSError("no space left on device")

    monkeypatch.setattr(link.Linker, "link_article", link_article)
    articles = [make_article(t, id=f"a{n}") for n, t in enumerate(NORMAL)]
    with Store(tmp_path / "full.duckdb") as store:
        with pytest.raises(OSError):
            ingest(articles, store, Settings(workers=1))
        assert set(store.article_ids()) == {"a0", "a1"} and not store.failures()
        assert set(store.unlinked_articles()) == {"a0", "a1"}  # the next run links them


def test_a_file_a_reader_breaks_on_is_kept_as_failed_and_read_again_later(tmp_path, monkeypatch):
    import counterclaim.ingest as ingest_module

    real = ingest_module.read_text

    def read_text(text, path=None):
        if MARKER in text:
            raise KeyError("made to fail in reading")
        return real(text, path)

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(NORMAL[0])
    (folder / "b.txt").write_text(f"{NORMAL[1]} The port of {MARKER} was closed.")
    monkeypatch.setattr(ingest_module, "read_text", read_text)
    with Store(tmp_path / "read.duckdb") as store:
        report = ingest(iter_articles([folder]), store, Settings(workers=1))
        assert [(f.stage, f.path) for f in report.failed] == [("read", str(folder / "b.txt"))]
        assert [f.stage for f in store.failures()] == ["read"] and report.stored == 1
        monkeypatch.setattr(ingest_module, "read_text", real)
        again = ingest(iter_articles([folder]), store, Settings(workers=1))
        assert again.stored == 1 and again.skipped == 1 and not store.failures()
