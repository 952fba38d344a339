"""The sentence encoder: offline, unit vectors, padding to the batch's longest changes nothing."""
import numpy as np

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
