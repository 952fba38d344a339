"""A desk to work at: the threads sorted and filtered (page and API), speaker and outlet pages linked from
the sides, a party on both sides flagged, and sides shown by name with the actor code only where there is one."""
import re
import shutil
from datetime import date
from urllib.parse import quote, unquote

import numpy as np
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import by_claim
from counterclaim.cli.main import app as cli
from counterclaim.store.db import STATUS_ORDER, Store
from counterclaim.threads.link import Mention, Node, build
from counterclaim.web import app as web


@pytest.fixture(scope="module")
def client(web_db):
    with TestClient(web.create_app(str(web_db))) as c:
        yield c


def _all(client, **params) -> list[dict]:
    body = client.get("/api/threads", params={"limit": 500, **params})
    assert body.status_code == 200, body.text
    return body.json()["items"]


def _names(t: dict) -> list[str]:
    return [n for s in t["asserted_by"] + t["denied_by"] for n in s["names"]]


# --- sorting -------------------------------------------------------------------------------------------

def test_default_sort_is_last_seen_most_recent_first(client):
    items = _all(client)
    assert items == _all(client, sort="last_seen") and len(items) >= 5
    seen = [t["last_seen"] for t in items]
    dated = [d for d in seen if d]
    assert dated == sorted(dated, reverse=True) and seen[:len(dated)] == dated  # undated last


def test_sort_by_sources_most_independent_sources_first(client):
    items = _all(client, sort="sources")
    counts = [t["independent_sources"] for t in items]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    assert {t["id"] for t in items} == {t["id"] for t in _all(client)}


def test_sort_by_status_open_disputes_first(client):
    items = _all(client, sort="status")
    ranks = [STATUS_ORDER.index(t["status"]) for t in items]
    assert ranks == sorted(ranks) and items[0]["status"] == "disputed"
    for status in {t["status"] for t in items}:  # within a status, the most recently seen first
        seen = [t["last_seen"] for t in items if t["status"] == status and t["last_seen"]]
        assert seen == sorted(seen, reverse=True)


def test_an_unknown_sort_is_refused(client, web_db):
    r = client.get("/api/threads", params={"sort": "claim"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "sort"]
    page = client.get("/", params={"sort": "claim"})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    with Store(web_db, read_only=True) as store, pytest.raises(ValueError, match="sort"):
        store.thread_page(sort="claim; DROP TABLE threads")


def test_sort_and_filters_are_documented(client):
    params = {p["name"]: p for p in client.get("/openapi.json").json()["paths"]["/api/threads"]["get"]["parameters"]}
    assert {"sort", "status", "speaker", "outlet", "since", "until"} <= set(params)
    assert all(params[name].get("description") for name in ("sort", "status", "speaker", "outlet", "since", "until"))
    assert "last_seen|sources|status" in params["sort"]["schema"]["pattern"]


# --- filters -------------------------------------------------------------------------------------------

def test_filter_by_status(client):
    disputed = _all(client, status="disputed")
    assert disputed and {t["status"] for t in disputed} == {"disputed"}
    assert len(disputed) == sum(t["status"] == "disputed" for t in _all(client))


def test_filter_by_speaker_matches_any_sides_name_in_any_case(client):
    everything = _all(client)
    for query in ("kanaani", "NED PRICE", "Amir-Abdollahian"):
        found = _all(client, speaker=query)
        expected = [t["id"] for t in everything if any(query.lower() in n.lower() for n in _names(t))]
        assert found and [t["id"] for t in found] == expected
    drones = by_claim(everything, "drones")
    assert drones["id"] in {t["id"] for t in _all(client, speaker="kanaani")}  # a denier
    assert _all(client, speaker="Nobody Ever Quoted") == []
    assert _all(client, speaker="%") == []  # a character, not a wildcard


def test_filter_by_outlet(client):
    everything = _all(client)
    outlet = by_claim(everything, "drones")["reported_by"][0]
    found = _all(client, outlet=outlet)
    assert found and [t["id"] for t in found] == [t["id"] for t in everything if outlet in t["reported_by"]]
    assert _all(client, outlet=outlet[:-1]) == []  # the outlet's name, not a part of it


def test_filter_by_date(client):
    everything = _all(client)
    since, until = "2024-01-01", "2024-06-30"
    found = _all(client, since=since, until=until)
    expected = [t["id"] for t in everything if t["last_seen"] and t["last_seen"] >= since
                and t["first_seen"] and t["first_seen"]["date"] and t["first_seen"]["date"] <= until]
    assert found and len(found) < len(everything) and [t["id"] for t in found] == expected


def test_filters_and_sort_together(client):
    found = _all(client, status="disputed", since="2023-01-01", sort="sources")
    assert found and {t["status"] for t in found} == {"disputed"}
    assert all(t["last_seen"] >= "2023-01-01" for t in found)
    assert [t["independent_sources"] for t in found] == sorted((t["independent_sources"] for t in found), reverse=True)


# --- the threads page ------------------------------------------------------------------------------------

def _rows(html: str) -> list[str]:
    return re.findall(r'<a href="/threads/(t\w+)">', html[html.index('<table id="threads">'):])


def test_threads_page_has_a_form_and_answers_its_parameters(client):
    home = client.get("/").text
    form = home[home.index('<form id="filters"'):home.index("</form>", home.index('<form id="filters"'))]
    for name in ("status", "speaker", "outlet", "since", "until", "sort"):
        assert f'name="{name}"' in form
    assert 'method="get"' in form
    # The form as a browser sends it: every field, the empty ones too.
    blank = client.get("/", params={"status": "", "speaker": "", "outlet": "", "since": "", "until": "", "sort": ""})
    assert blank.status_code == 200 and _rows(blank.text) == _rows(home)
    for params in ({"sort": "sources"}, {"sort": "status"}, {"status": "confirmed"}, {"speaker": "kanaani"},
                   {"since": "2024-01-01", "until": "2024-06-30"}):
        page = client.get("/", params=params)
        assert page.status_code == 200
        assert _rows(page.text) == [t["id"] for t in _all(client, **params)], params
    page = client.get("/", params={"speaker": "Kanaani", "sort": "sources"}).text
    assert 'name="speaker" value="Kanaani"' in page and '<option value="sources" selected>' in page


def test_threads_page_paging_keeps_the_sort_and_filters(client, monkeypatch):
    monkeypatch.setattr(web, "PAGE", 2)
    params = {"sort": "sources", "since": "2020-01-01"}
    expected = [t["id"] for t in _all(client, **params)]
    assert len(expected) > 2
    seen, url = [], "/?" + "&".join(f"{k}={v}" for k, v in params.items())
    while url:
        page = client.get(url).text
        seen += _rows(page)
        nxt = re.search(r'<a href="([^"]+)">next</a>', page)
        url = nxt.group(1).replace("&amp;", "&") if nxt else None
        if url:
            assert "sort=sources" in url and "since=2020-01-01" in url
    assert seen == expected


def test_side_names_and_outlets_link_to_their_pages(client):
    home = client.get("/").text
    table = home[home.index('<table id="threads">'):]
    speakers = set(re.findall(r'href="(/speakers/[^"]+)"', table))
    outlets = set(re.findall(r'href="(/outlets/[^"]+)"', table))
    everything = _all(client)
    assert {unquote(s[len("/speakers/"):]) for s in speakers} == {n for t in everything for n in _names(t)}
    assert {unquote(o[len("/outlets/"):]) for o in outlets} == {o for t in everything for o in t["reported_by"]}
    for url in sorted(speakers | outlets):
        assert client.get(url).status_code == 200, url
    t = by_claim(everything, "drones")
    page = client.get(f"/threads/{t['id']}").text
    sides = page[page.index('<table id="sides">'):page.index("</table>", page.index('<table id="sides">'))]
    assert all(f'>{n}</a>' in sides for n in _names(t))
    assert all(f'href="/outlets/{quote(o, safe="")}"' in sides for o in t["reported_by"])  # "الأفق العربي" too


# --- outlet and speaker pages ---------------------------------------------------------------------------

def test_outlet_page_lists_its_articles_and_threads(client):
    everything = _all(client)
    outlet = by_claim(everything, "drones")["reported_by"][0]
    page = client.get(f"/outlets/{outlet}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    articles = client.get("/api/articles", params={"outlet": outlet}).json()["items"]
    listed = page.text[page.text.index('<table id="outlet-articles">'):]
    assert articles and all(web.article_url(a["id"]) in listed for a in articles)
    threads = page.text[page.text.index('<table id="outlet-threads">'):page.text.index('<table id="outlet-articles">')]
    assert re.findall(r'href="/threads/(t\w+)"', threads) == [t["id"] for t in _all(client, outlet=outlet)]


def test_an_unknown_outlet_is_a_not_found_page(client):
    for path in ("/outlets/Nobody%20Publishes%20This", "/outlets/a/b"):
        r = client.get(path)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
        assert "Not found" in r.text and "<nav>" in r.text


def test_speaker_page_lists_every_thread_with_their_side(client):
    drones = by_claim(_all(client), "drones")
    for name, side in (("Nasser Kanaani", "denies"), ("Ned Price", "asserts"),
                       ("Hossein Amir-Abdollahian", "asserts and denies")):
        page = client.get(f"/speakers/{name}").text
        table = page[page.index('<table id="speaker-threads">'):page.index("</table>", page.index('<table id="speaker-threads">'))]
        on = [t["id"] for t in _all(client, speaker=name) if name in _names(t)]
        assert re.findall(r'href="/threads/(t\w+)"', table) == on and drones["id"] in on
        row = table[table.index(f'/threads/{drones["id"]}'):]
        assert re.search(r'<td class="side">([^<]*)', row).group(1).strip() == side, name


# --- a party on both sides --------------------------------------------------------------------------------

def _mention(i: int, stance: str, actor: str, speaker: str) -> Node:
    m = Mention(attribution=f"a{i}", article=f"art{i}", date=f"2024-01-0{i}", order=i, position=0,
                outlet=f"Outlet {i}", speaker=speaker, actor=actor, country=actor[:3], sector="GOV", stance=stance,
                certainty="certain", cue="say", claim_id=f"c{i}", speaker_keys=frozenset({actor[:3]}))
    v = np.ones(384, dtype=np.float32) / np.sqrt(384)
    return Node(claim_id=f"c{i}", article=f"art{i}", date=m.date, order=i, text=f"claim {i}", vector=v,
                keys=frozenset({"IRN"}), subject=frozenset({"IRN"}), score=1.0, mentions=[m])


def test_a_party_on_both_sides_is_flagged_on_both_entries():
    t = build("t1", [_mention(1, "assert", "UKRGOV", "Dmytro Kuleba"), _mention(2, "deny", "IRNGOV", "Nasser Kanaani"),
                     _mention(3, "assert", "IRNGOV", "Hossein Amir-Abdollahian")], {})
    flagged = {(s["actor"], s.get("both_sides")) for s in t.asserted_by + t.denied_by}
    assert flagged == {("UKRGOV", None), ("IRNGOV", True)}
    assert [s["actor"] for s in t.denied_by if s.get("both_sides")] == ["IRNGOV"]


def test_both_sides_shown_on_the_thread_page_and_in_the_cli(client, web_db):
    drones = by_claim(_all(client), "drones")
    iran = [s for s in drones["asserted_by"] + drones["denied_by"] if s["actor"] == "IRNGOV"]
    assert len(iran) == 2 and all(s.get("both_sides") for s in iran)
    page = client.get(f"/threads/{drones['id']}").text
    sides = page[page.index('<table id="sides">'):page.index("</table>", page.index('<table id="sides">'))]
    assert sides.count('class="both"') == 2
    runner = CliRunner()
    one = runner.invoke(cli, ["thread", drones["id"], "--db", str(web_db)])
    assert one.exit_code == 0, one.output
    assert re.search(r"asserted by: .*\(IRNGOV\) \[both sides\]", one.output)
    assert re.search(r"denied by: .*\(IRNGOV\) \[both sides\]", one.output)
    listing = runner.invoke(cli, ["threads", "--db", str(web_db)])
    assert listing.exit_code == 0 and "[both sides]" in listing.output


# --- sides by name ------------------------------------------------------------------------------------

def test_cli_shows_sides_by_name_with_the_code_only_where_there_is_one(web_db):
    out = CliRunner().invoke(cli, ["threads", "--db", str(web_db)]).output
    assert "? (" not in out
    flat = " ".join(out.split())
    assert re.search(r"Zakharova[^()]*\(RUSGOV\)", flat)  # a name (and her name in Russian) with its code
    assert re.search(r"United Kingdom[^()]*\(GBRGOV\)", flat)  # (a long cell wraps: other cells between)
    with Store(web_db, read_only=True) as store:
        nameless = [s for t in store.threads() for s in t["asserted_by"] + t["denied_by"] if not s["actor"]]
    assert nameless and all(s["names"] for s in nameless)


def test_pages_show_sides_by_name_never_a_question_mark(client):
    for url in ["/"] + [f"/threads/{t['id']}" for t in _all(client)]:
        html = client.get(url).text
        assert "? (" not in html and ">?<" not in html, url
    home = client.get("/").text
    assert re.search(r'<a href="/speakers/Ned%20Price">Ned Price</a> \(USAGOV\)', home)


# --- the store ---------------------------------------------------------------------------------------------

def test_a_version_7_store_gains_the_speaker_names_of_its_threads(web_db, tmp_path):
    db = tmp_path / "old.duckdb"
    shutil.copy(web_db, db)
    with Store(db) as old:
        old.con.execute("ALTER TABLE threads DROP COLUMN speakers")
        old.con.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    with Store(db) as migrated, Store(web_db, read_only=True) as fresh:
        assert migrated.threads(speaker="kanaani") == fresh.threads(speaker="kanaani") != []
        assert migrated.query("SELECT count(*) FROM threads WHERE shown AND speakers IS NULL")[0][0] == 0


def test_the_threads_form_takes_a_date_as_a_browser_sends_it(client):
    today = date.today().isoformat()
    assert client.get("/", params={"since": today, "until": ""}).status_code == 200
    bad = client.get("/", params={"since": "yesterday"})
    assert bad.status_code == 422 and "since" in bad.text


def test_the_cli_sorts_and_filters_as_the_page_does(web_db):
    runner = CliRunner()
    got = runner.invoke(cli, ["threads", "--db", str(web_db), "--json", "--sort", "sources", "--speaker", "KESSLER"])
    assert got.exit_code == 0, got.output
    import json

    rows = json.loads(got.stdout)
    assert rows and all(any("kessler" in n.lower() for s in t["asserted_by"] + t["denied_by"] for n in s["names"])
                        for t in rows)
    assert [t["independent_sources"] for t in rows] == sorted((t["independent_sources"] for t in rows), reverse=True)
    bad = runner.invoke(cli, ["threads", "--db", str(web_db), "--sort", "bogus"])
    assert bad.exit_code == 2 and "--sort 'bogus'" in bad.output
