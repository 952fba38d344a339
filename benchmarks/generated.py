"""Made-up analysed articles for the scale benchmarks: no NLP, so a store grows large quickly. Each
article carries one claim between two countries, asserted by a third and sometimes denied by the agent;
some claims leave out whom, or use other words for the act, so that linking by meaning has work to do."""
from __future__ import annotations

import random
import zlib

COUNTRIES = ["USA", "RUS", "CHN", "IRN", "PRK", "UKR", "GBR", "FRA", "DEU", "JPN", "KOR", "TUR", "ISR", "IND"]
PREDICATES = ["supply", "attack", "sanction", "threaten", "deploy", "interfere", "train", "aid"]
SYNONYMS = {"supply": "ship", "attack": "strike", "threaten": "menace", "aid": "help"}
PLOVER = {"supply": "AID", "attack": "ASSAULT", "sanction": "SANCTION", "threaten": "THREATEN", "deploy": "MOBILIZE",
          "interfere": "COERCE", "train": "COOPERATE", "aid": "AID"}
WORDS = "the ministry said officials denied reports border drones shells talks troops week tuesday".split()


def _vector(story: tuple, rnd: random.Random, noise: float = 0.15):
    """A made-up claim vector: one direction per story (who did what to whom), plus noise, so that tellings
    of one story are close and different stories are not."""
    import numpy as np

    base = np.random.default_rng(zlib.crc32("|".join(story).encode())).standard_normal(384)
    v = base / np.linalg.norm(base) + noise * np.array([rnd.gauss(0, 1) for _ in range(384)]) / 384 ** 0.5
    return (v / np.linalg.norm(v)).astype(np.float32)


def _word(n: int) -> str:
    """A made-up word for a number: letters only, as the word tokeniser reads words."""
    out = "q"
    while True:
        n, r = divmod(n, 26)
        out += chr(97 + r)
        if not n:
            return out


def _story_words(story: tuple) -> list[str]:
    base = zlib.crc32("|".join(story).encode())
    return [_word(100_000 + (base + k * 7919) % 900_000) for k in range(12)]


def generate(n: int, seed: int = 7):
    from counterclaim.models import Analysis, Article, Attribution, Claim, Party, Span, Speaker

    rnd = random.Random(seed)
    for i in range(n):
        agent, target, accuser = rnd.sample(COUNTRIES, 3)
        pred = rnd.choice(PREDICATES)
        # Words: common ones, the story's own (its names and terms), and rare ones, as in real news.
        story = _story_words((agent, PLOVER[pred], target))
        text = " ".join([rnd.choice(WORDS) for _ in range(30)] + [rnd.choice(story) for _ in range(20)]
                        + [_word(rnd.randrange(50_000)) for _ in range(10)])
        aid = f"gen{i:07d}"
        day = f"2023-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        # One claim in ten leaves out whom; one in ten says the act in other words (same PLOVER type).
        shape = rnd.random()
        recipient = None if shape < 0.1 else Party(target, target)
        verb = SYNONYMS.get(pred, pred) if 0.1 <= shape < 0.2 else pred
        claim = Claim(id=f"{aid}:c1", text=" ".join(filter(None, [agent, verb + "s", recipient and target, "near the border"])),
                      agent=Party(agent, agent), predicate=verb, recipient=recipient, object=None,
                      mentions=[Span(0, 10, text[:10])], event={"plover": PLOVER[pred], "cameo": None},
                      entities=[{"name": c, "label": "GPE", "actor": c, "key": c} for c in (agent, target)],
                      subject=[agent], vector=_vector((agent, PLOVER[pred], target), rnd))
        attrs = [Attribution(id=f"{aid}:a{k}", kind="indirect", cue=Span(0, 3, text[:3]), source=None,
                             content=[Span(4, 20, text[4:20])],
                             speaker=Speaker(f"{who} spokesman", None, who + "GOV", who, "GOV", "unnamed"),
                             stance=stance, claim=claim.id, cue_lemma="say")
                 for k, (who, stance) in enumerate([(accuser, "assert"), (agent, "deny")], 1)
                 if k == 1 or rnd.random() < 0.5]
        yield Analysis(Article(id=aid, text=text, title=f"Story {i}", source_name=f"Outlet {rnd.randint(1, 60)}",
                               published=day), attrs, [claim], [])


