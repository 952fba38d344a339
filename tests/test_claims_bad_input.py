"""Claims and threads on awkward input: a clear result or a warning, never a crash, and the rest goes on."""
from counterclaim.claims.extract import MAX_CLAUSE_WORDS
from counterclaim.pipeline import analyze_text
from counterclaim.store.db import Store
from counterclaim.threads.relink import relink


def _store_and_link(tmp_path, *analyses):
    store = Store(tmp_path / "bad.duckdb")
    store.save_many(list(analyses))
    threads = relink(store)
    return store, threads


def test_an_attribution_with_no_entity_is_a_claim_with_no_entities(tmp_path):
    a = analyze_text('"It was a mistake to wait so long before acting," he said.', published="2024-01-02")
    assert len(a.attributions) == 1
    assert all(not c.entities for c in a.claims)
    store, threads = _store_and_link(tmp_path, a)
    assert threads == [] and store.article_record(a.article.id)["attributions"][0]["thread"] is None


def test_a_five_thousand_word_quote_gives_a_claim_of_bounded_length(tmp_path):
    quote = " ".join(["the council will build the new road to the harbour before the winter"] * 400)
    a = analyze_text(f'The mayor told the council: "{quote}."', published="2024-01-02")
    assert len(a.article.text.split()) > 5000
    claims = [c for c in a.claims if c.voice == "attribution"]
    assert claims and all(len(c.text.split()) <= MAX_CLAUSE_WORDS for c in claims)
    _store_and_link(tmp_path, a)


def test_an_article_with_five_hundred_attributions_is_analysed_and_linked(tmp_path):
    text = " ".join(f"Official number {i} said that bridge {i} on the northern road had been closed by the army."
                    for i in range(500))
    a = analyze_text(text, published="2024-01-02")
    assert len(a.attributions) >= 450
    store, _ = _store_and_link(tmp_path, a)
    assert store.counts()["attributions"] == len(a.attributions)


def test_a_claim_in_a_language_the_encoder_lacks_is_stored_with_a_warning_and_not_threaded(tmp_path):
    hebrew = ("הממשלה הודיעה ביום שני כי הצבא לא הפגיז כפרים. הדובר אמר כי הדיווחים על התקפות שגויים "
              "וכי המצב בגבול שקט.")
    a = analyze_text(hebrew, published="2024-01-02")
    assert a.article.language == "he" and a.article.warnings and not a.claims
    english = analyze_text("Rights groups said the army shelled the village of Kelem. The army denied that "
                           "it had shelled the village.", published="2024-01-02")
    store, threads = _store_and_link(tmp_path, a, english)
    assert store.counts()["articles"] == 2
    assert [t.status for t in threads] == ["disputed"]
