"""The article's own voices keep their say: where its attributions and claims speak to the claim, their
stances vote (assert for agree, deny for disagree, report or question for discuss), a first-hand voice
(the party the claim is about) counting several times over, and the vote is mixed with the model's
probabilities. The temperature, the mix and the first-hand weight are learnt on the dev split
(stance/train.py) and kept in the model's card."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .reading import Voice, speaking

VOTE = {"assert": 0, "deny": 1, "report": 2, "question": 2}  # agree, disagree, discuss


@dataclass(frozen=True)
class Blend:
    temperature: float = 1.0
    weight: float = 0.0  # the vote's share, where there is one
    first_hand: float = 1.0  # how many voices a first-hand one is worth

    @classmethod
    def of(cls, card: dict) -> "Blend":
        return cls(**card.get("blend", {}))


def vote(claim: str, vector: np.ndarray, voices: list[Voice], first_hand_weight: float) -> np.ndarray | None:
    """The voices' vote over agree / disagree / discuss / unrelated, or None where none speaks to the claim."""
    votes = np.zeros(4, np.float32)
    for h in speaking(claim, vector, voices):
        votes[VOTE[h.stance]] += h.match * (first_hand_weight if h.first_hand else 1.0)
    if not votes.any():
        return None
    votes[:3] += 0.2  # a little smoothing: no label is ever certain
    return votes / votes.sum()


def blend(p: np.ndarray, voted: np.ndarray | None, b: Blend) -> np.ndarray:
    """The model's agree / disagree / discuss shares softened by the temperature and mixed with the vote;
    the model's unrelated share stays as it is: voices that share a claim's words can be about another
    matter, and telling that is the model's job."""
    related = max(1.0 - float(p[3]), 1e-6)
    soft = np.maximum(p[:3] / related, 1e-6) ** (1.0 / b.temperature)
    soft /= soft.sum()
    if voted is not None and b.weight:
        soft = (1 - b.weight) * soft + b.weight * voted[:3] / voted[:3].sum()
    return np.append(related * soft, p[3])


def read_with(p: np.ndarray, q: np.ndarray, weight: float) -> np.ndarray:
    """The related share of p (agree, disagree, discuss, unrelated) split as (1 - weight) x p's own split +
    weight x q's (agree, disagree, discuss): how the cross-encoder's reading is mixed in."""
    related = float(p[:3].sum())
    out = np.array(p, dtype=float)
    out[:3] = related * ((1 - weight) * p[:3] / related + weight * np.asarray(q))
    return out


def split_with(p: np.ndarray, q: np.ndarray, weight: float) -> np.ndarray:
    """Where the article's voices speak: p's agree + discuss share split as (1 - weight) x p's own split +
    weight x q's (agree against discuss), p's disagree and unrelated shares kept, so that the cross-encoder
    tells agreement from discussion and a denial the voices carry stays theirs."""
    out = np.array(p, dtype=float)
    share, q_share = float(p[0] + p[2]), float(q[0] + q[2])
    if share <= 0 or q_share <= 0:
        return out
    agree = (1 - weight) * p[0] / share + weight * q[0] / q_share
    out[0], out[2] = share * agree, share * (1 - agree)
    return out
