"""The article the product was born from (../shared/seed/article-000.txt), end to end through the CLI."""
import json
import subprocess
import sys

import pytest


@pytest.fixture(scope="module")
def seed(shared, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("seed")
    out = tmp / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "counterclaim.cli.main", "analyze",
                           str(shared / "seed" / "article-000.txt"), "--db", str(tmp / "seed.duckdb"),
                           "--jsonl", str(out), "-q"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    return record


def test_seed_statement_quotes_are_prk_denials(seed):
    direct = [a for a in seed["attributions"] if a["kind"] == "direct" and a["speaker"]["country"] == "PRK"]
    texts = " ".join(c["text"] for a in direct for c in a["content"])
    assert "groundless 'rumor of arms dealings'" in texts and "never had 'arms dealings' with Russia" in texts
    assert direct and all(a["stance"] == "deny" for a in direct)
    refuted = next(a for a in seed["attributions"] if a["cue"]["text"] == "refuted")
    assert refuted["stance"] == "deny" and refuted["speaker"]["country"] == "PRK"


def test_seed_kirby_quotes(seed):
    kirby = [a for a in seed["attributions"] if a["speaker"]["name"] == "John Kirby"]
    assert kirby and all(a["speaker"]["actor"] == "USAGOV" and a["speaker"]["country"] == "USA" for a in kirby)
    covert = [a for a in kirby if any("covertly supplying" in c["text"] for c in a["content"])]
    assert covert and all(a["stance"] == "assert" for a in covert)
    told = next(a for a in kirby if a["cue"]["text"] == "told" and a["source"])
    assert told["source"]["text"].endswith("John Kirby")


def test_seed_claim_and_events(seed):
    claims = [c for c in seed["claims"] if c["agent"]["actor"] == "PRK" and c["predicate"] == "supply"
              and (c["recipient"] or {}).get("actor", "").startswith("RUS") and "artillery" in (c["object"] or "")]
    assert len(claims) == 1
    claim = claims[0]
    assert claim["event"] == {"plover": "AID", "mode": None, "context": ["military"], "cameo": "072"}
    events = {(e["actor"]["actor"][:3], e["event"], e["cameo"], e["mode"], (e["recipient"] or {}).get("actor", "")[:3])
              for e in seed["events"]}
    assert ("PRK", "REJECT", "016", None, "USA") in events
    assert ("USA", "ACCUSE", "112", "allege", "PRK") in events
    assert not any(e["event"] == "AID" for e in seed["events"])
    # Last week's missile launches (from "the north": the country the article is about) and the joint
    # US-South war drills: force shown, told as background to the denial.
    shows = {(e["actor"]["actor"][:3], e["mode"], tuple(e["context"]), e["background"])
             for e in seed["events"] if e["event"] == "MOBILIZE"}
    assert shows == {("PRK", "weapons", ("military",), True), ("USA", "troops", ("military",), True)}
    # Every attribution of the claim carries the thread, and it is disputed.
    on_claim = [a for a in seed["attributions"] if a["claim"] == claim["id"]]
    assert on_claim and all(a["thread"] for a in on_claim)
    assert len({a["thread"] for a in on_claim}) == 1


def test_seed_thread_is_disputed(shared, tmp_path):
    db = tmp_path / "s.duckdb"
    subprocess.run([sys.executable, "-m", "counterclaim.cli.main", "analyze", str(shared / "seed" / "article-000.txt"),
                    "--db", str(db), "-q"], check=True)
    proc = subprocess.run([sys.executable, "-m", "counterclaim.cli.main", "threads", "--db", str(db), "--json"],
                          capture_output=True, text=True, check=True)
    threads = json.loads(proc.stdout)
    t = next(t for t in threads if "artillery" in t["claim"])
    assert t["status"] == "disputed"
    assert [s["actor"][:3] for s in t["asserted_by"]] == ["USA"]
    assert {s["actor"][:3] for s in t["denied_by"]} == {"PRK"}
