"""Articles in other languages: read without a parse (languages/read.py), linked into the thread of the same
claim in English by the multilingual encoder, shown marked with their language, and found by look-ups in
other languages. The sentences below and the stories in examples/ were written for counterclaim; the gold
for the stories is tests/data/languages.json."""
from pathlib import Path

import pytest

from counterclaim.evaluate.stories import evaluate, evaluate_languages
from counterclaim.ingest import make_article
from counterclaim.pipeline import analyze, analyze_text

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("text, country, stance", [
    # A denial by the accused, in its own language, with its agency named.
    ("북한 국방성 대변인은 15일 미국의 주장을 근거 없는 낭설이라고 일축했다.", "PRK", "deny"),
    ("«Эти обвинения беспочвенны и нелепы», — заявила официальный представитель МИД России Мария Захарова.",
     "RUS", "deny"),
    ("朝鲜外务省发言人否认朝鲜向俄罗斯提供了炮弹。", "PRK", "deny"),
    ("نفى المتحدث باسم وزارة الخارجية الإيرانية أن تكون طهران قد زودت روسيا بطائرات مسيرة.", "IRN", "deny"),
    ("Die russische Botschaft in Oslo erklärte, das Schiff habe keine Kabel ausgespäht.", "RUS", "deny"),
    # An admission, and an accusation.
    ("防衛省は、フィリピンに沿岸監視レーダーを供与していることを認めた。", "JPN", "assert"),
    ("El Gobierno de Ucrania acusó a Irán de suministrar drones a Rusia.", "UKR", "assert"),
])
def test_an_attribution_in_another_language(text, country, stance):
    a = analyze_text(text, published="2023-10-14")
    assert a.article.language != "en" and a.failure is None
    said = [x for x in a.attributions if x.speaker.country == country]
    assert said, [(x.speaker.to_dict(), x.stance) for x in a.attributions]
    assert said[0].stance == stance
    # Its claim is read by the multilingual encoder (the English one reads none of it).
    claim = next(c for c in a.claims if c.id == said[0].claim)
    assert claim.lingual is not None and claim.lingual.any() and not claim.vector.any()


def test_a_denial_is_glossed_with_the_english_cue_the_status_rules_read():
    a = analyze_text("Пресс-секретарь Кремля опроверг сообщения о том, что Россия получает снаряды из КНДР.",
                     published="2023-10-14")
    [x] = a.attributions
    assert x.cue_lemma in ("deny", "reject", "refute") and x.stance == "deny" and x.speaker.actor.startswith("RUS")


def test_headline_and_lede_are_the_outlets_claims():
    a = analyze(make_article("미국은 북한이 러시아에 포탄을 보냈다고 밝혔다. 북한은 아직 반응하지 않았다.",
                             title="북한, 러시아에 포탄 수송 의혹", published="2023-10-14"))
    outlet = [c for c in a.claims if c.voice == "outlet"]
    assert outlet and outlet[0].text == "북한, 러시아에 포탄 수송 의혹" and "PRK" in outlet[0].keys


@pytest.mark.parametrize("name", ["mixed.txt", "rtl-ar.txt", "nospace-ja.txt", "drones-fa.txt"])
def test_awkward_text_gives_a_result_or_a_warning_never_a_crash(name):
    text = (DATA / "languages" / name).read_text(encoding="utf-8")
    a = analyze(make_article(text, published="2023-10-14"))
    assert a.failure is None
    assert a.attributions or a.claims or a.article.warnings


def test_a_language_the_encoder_lacks_is_stored_named_and_left_unthreaded():
    text = (DATA / "languages" / "drones-fa.txt").read_text(encoding="utf-8")
    a = analyze(make_article(text))
    assert a.article.language == "fa" and not a.claims
    assert any("Persian (fa)" in w and "not analysed or threaded" in w for w in a.article.warnings)


# --- the written stories -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def languages(examples_store):
    return evaluate_languages(examples_store, evaluate(examples_store, DATA / "stories.json"), DATA / "languages.json")


def test_every_article_joins_its_storys_thread_and_no_other(languages):
    assert len(languages.joins) >= 6 and all(languages.joins.values()), languages.joins


def test_the_accused_shows_as_denying_in_its_own_language(languages):
    # The denials by the accused (or for it) in Korean, Chinese, Russian, Arabic and German.
    denials = [s for s in languages.stances if s[2] == "deny"]
    assert len(denials) >= 10 and sum(1 for *_, g, f, inside in denials if inside and f == g) >= 0.75 * len(denials)


def test_stance_toward_the_storys_claim_across_languages(languages):
    # 0.78 when written (docs/evaluation.md); the misses are alternative accounts read as assertions and
    # details that start threads of their own.
    assert languages.stance_accuracy() >= 0.75, [s for s in languages.stances if not (s[4] and s[2] == s[3])]


def test_look_ups_in_other_languages_find_the_thread(languages):
    found = {(story, code) for story, code, ok in languages.queries if ok}
    assert len({code for _, code in found}) >= 3
    assert sum(ok for *_, ok in languages.queries) >= 0.8 * len(languages.queries), languages.queries


def test_unrelated_articles_join_nothing(languages):
    assert languages.apart and all(languages.apart.values()), languages.apart


def test_an_article_the_encoder_cannot_read_joins_no_thread(tmp_path):
    from counterclaim.store.db import Store
    from counterclaim.threads.relink import refresh

    store = Store(tmp_path / "x.duckdb")
    texts = [(DATA / "languages" / "drones-fa.txt").read_text(encoding="utf-8"),
             (Path(__file__).parents[1] / "examples" / "drones-ar.txt").read_text(encoding="utf-8")]
    from counterclaim.ingest.readers import read_text

    for text in texts:
        store.save(analyze(read_text(text)))
    refresh(store)
    [(fa,)] = store.query("SELECT id FROM articles WHERE language = 'fa'")
    assert not store.query("SELECT 1 FROM claims WHERE article_id = ?", [fa])
    assert store.counts()["articles"] == 2
    store.close()


def test_the_denial_is_the_evidence_on_the_thread(examples_store):
    from counterclaim.store import queries

    [tid] = {r[0] for r in examples_store.query(
        "SELECT tc.thread_id FROM thread_claims tc JOIN claims c ON c.id = tc.claim_id JOIN articles a "
        "ON a.id = c.article_id WHERE a.path LIKE '%shells-ko.txt'")}
    t = examples_store.thread(tid)
    [(korean,)] = examples_store.query("SELECT id FROM articles WHERE path LIKE '%shells-ko.txt'")
    # North Korea denies, and the Korean article's attributions are the evidence its side cites.
    assert any(s["actor"] and s["actor"].startswith("PRK") and any(a.startswith(korean) for a in s["attributions"])
               for s in t["denied_by"])
    korean = [e for e in queries.timeline(examples_store, tid) if e["language"] == "ko"]
    assert korean and any(e["stance"] == "deny" for e in korean)


# --- shown and looked up ---------------------------------------------------------------------------------

def _thread_of(store, name: str) -> str:
    """The thread that holds most of the article's claims."""
    [(tid, _)] = store.query(
        "SELECT tc.thread_id, count(*) n FROM thread_claims tc JOIN claims c ON c.id = tc.claim_id JOIN articles a "
        "ON a.id = c.article_id WHERE a.path LIKE ? GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1", [f"%{name}"])
    return tid


def test_the_thread_page_marks_each_mention_with_its_language(web_db):
    from fastapi.testclient import TestClient

    from counterclaim.web import app as web
    from counterclaim.store.db import Store

    with Store(web_db, read_only=True) as store:
        tid = _thread_of(store, "cyber-ru.txt")
    with TestClient(web.create_app(str(web_db))) as client:
        page = client.get(f"/threads/{tid}").text
    assert '<span class="lang" title="Russian">ru</span>' in page and '<span lang="ru" dir="auto">' in page
    assert "Захарова" in page and "Zakharova" in page  # who denies, in both languages


def test_the_cli_thread_marks_each_mention_with_its_language(web_db):
    from typer.testing import CliRunner

    from counterclaim.cli.main import app as cli
    from counterclaim.store.db import Store

    with Store(web_db, read_only=True) as store:
        tid = _thread_of(store, "shells-ko.txt")
    out = CliRunner().invoke(cli, ["thread", tid, "--db", str(web_db)]).output
    assert "[ko] " in out and "[zh] " in out
    listing = CliRunner().invoke(cli, ["threads", "--db", str(web_db)]).output
    assert "languages" in listing and "en ko zh" in listing


def test_search_takes_a_claim_in_korean_and_finds_the_english_thread(examples_store):
    from counterclaim.threads.search import search

    tid = _thread_of(examples_store, "shells-1.txt")
    hits = search(examples_store, "북한이 러시아에 무기를 보내고 있다")
    assert hits and hits[0].thread == tid
    assert not search(examples_store, "서울 시의회는 새 자전거 도로 건설을 승인했다")  # the council's bike lanes: nothing


def test_article_stance_leaves_other_languages_unscored_and_says_so(web_db):
    from typer.testing import CliRunner

    from counterclaim.cli.main import app as cli

    out = CliRunner().invoke(cli, ["stance", "--claim", "North Korea ships artillery shells to Russia", "--db",
                                   str(web_db)]).output
    assert "in other languages not scored" in " ".join(out.split())


def test_a_denial_first_heard_in_korean_is_joined_by_the_english_accusation(tmp_path):
    from counterclaim.ingest.readers import read_text
    from counterclaim.store.db import Store
    from counterclaim.threads.relink import refresh

    examples = Path(__file__).parents[1] / "examples"
    store = Store(tmp_path / "x.duckdb")
    # The accused answers first, in its own language; the English accusation arrives in a later batch.
    store.save(analyze(read_text((examples / "shells-ko.txt").read_text(encoding="utf-8")
                                 .replace("Date: 2023-10-14", "Date: 2023-10-10"))))
    refresh(store)
    store.save(analyze(read_text((examples / "shells-1.txt").read_text(encoding="utf-8"))))
    refresh(store)
    [t] = [t for t in store.threads() if len(t["articles"]) == 2]
    assert t["status"] == "disputed" and any(s["actor"].startswith("PRK") for s in t["denied_by"])
    store.close()


def test_an_arabic_article_page_runs_right_to_left(web_db):
    from fastapi.testclient import TestClient

    from counterclaim.store.db import Store
    from counterclaim.web.app import create_app

    with Store(web_db, read_only=True) as store:
        [(aid,)] = store.query("SELECT id FROM articles WHERE path LIKE '%drones-ar.txt'")
    with TestClient(create_app(str(web_db))) as client:
        page = client.get(f"/articles/{aid}").text
    assert 'id="article" lang="ar" dir="auto"' in page and "Arabic" in page
    assert '<mark class="deny"' in page  # Iran's denial, highlighted
