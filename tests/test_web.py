"""The REST API and the pages, over a store built from the examples plus one hostile article."""
import re

import pytest
from fastapi.testclient import TestClient

from counterclaim.store.db import Store
from counterclaim.web.app import create_app
from counterclaim.threads.relink import relink


@pytest.fixture(scope="module")
def client(web_db):
    with TestClient(create_app(str(web_db))) as c:
        yield c


def test_threads_api_filters_and_pages(client):
    body = client.get("/api/threads").json()
    assert body["total"] >= 5 and len(body["items"]) == body["total"]
    disputed = client.get("/api/threads", params={"status": "disputed"}).json()["items"]
    assert disputed and {t["status"] for t in disputed} == {"disputed"}
    page = client.get("/api/threads", params={"limit": 2, "offset": 1}).json()
    assert len(page["items"]) == 2 and page["items"][0] == body["items"][1]
    t = client.get(f"/api/threads/{disputed[0]['id']}").json()
    assert t["timeline"] and {"date", "speaker", "stance", "outlet"} <= set(t["timeline"][0])


def test_articles_speakers_and_tables(client):
    found = client.get("/api/articles", params={"q": "Zakharova"}).json()["items"]
    assert [a["outlet"] for a in found] == ["Baltic Observer"]
    record = client.get(f"/api/articles/{found[0]['id']}").json()
    assert record["schema"] == "counterclaim/article@1" and record["attributions"]
    denies = client.get("/api/attributions", params={"stance": "deny"}).json()["items"]
    assert denies and all(a["stance"] == "deny" for a in denies)
    speakers = client.get("/api/speakers", params={"actor": "IRN"}).json()["items"]
    assert any(s["name"] == "Nasser Kanaani" and s["stances"].get("deny") for s in speakers)
    assert client.get("/api/events", params={"event": "REJECT"}).json()["items"]


def test_full_text_search_ranks_stemmed_words_anywhere_in_the_text(client, web_db):
    with Store(web_db, read_only=True) as store:
        assert store.searchable(), "the DuckDB full-text index should have been built"
    # Words far apart, in another form than written ("drone" for "drones"): substring search finds none of it.
    found = client.get("/api/articles", params={"q": "Kanaani drone"}).json()["items"]
    assert found and "drone" in found[0]["title"].lower()
    assert client.get("/api/articles", params={"q": "xylophonic"}).json()["items"] == []
    narrowed = client.get("/api/articles", params={"q": "drone", "outlet": found[0]["outlet"]}).json()["items"]
    assert narrowed and {a["outlet"] for a in narrowed} == {found[0]["outlet"]}


@pytest.mark.parametrize("url,params", [
    ("/api/threads", {"status": "bogus"}), ("/api/threads", {"since": "yesterday"}), ("/api/threads", {"limit": 0}),
    ("/api/threads", {"offset": -1}), ("/api/attributions", {"stance": "shout"}), ("/api/threads/nope", {}),
    ("/api/articles/nope", {}),
])
def test_bad_requests_get_4xx_json(client, url, params):
    r = client.get(url, params=params)
    assert 400 <= r.status_code < 500
    assert "detail" in r.json()


def test_pages_follow_a_thread_to_an_article_with_a_highlighted_denial(client):
    home = client.get("/").text
    assert "Claim threads" in home and "disputed" in home
    sparks = re.findall(r'<td class="spark"[^>]*>([^<]*)</td>', home)
    assert sparks and all(sparks) and set("".join(sparks)) <= set("▁▂▃▄▅▆▇█")
    t = client.get("/api/threads", params={"status": "disputed"}).json()["items"][0]
    assert f'/threads/{t["id"]}' in home
    page = client.get(f"/threads/{t['id']}").text
    assert "Timeline" in page and "deny" in page
    # The chart: a dot per dated attribution, coloured by stance, and a line where the status changed.
    chart = page[page.index('<svg id="chart"'):page.index("</svg>")]
    timeline = client.get(f"/api/threads/{t['id']}").json()["timeline"]
    assert chart.count("<circle") == sum(1 for e in timeline if e["date"])
    assert 'circle cx=' in chart and 'class="deny"' in chart and 'class="change disputed"' in chart
    article_id = client.get(f"/api/threads/{t['id']}").json()["timeline"][-1]["article"]
    article = client.get(f"/articles/{article_id}").text
    assert '<mark class="deny"' in article


def test_article_markup_is_shown_as_text(client):
    page = client.get("/articles/hostile").text
    # Not one of the article's tags reaches the page as a tag; all of them are there as text.
    assert "<script" not in page and "<img" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;i&gt;Hostile&lt;/i&gt; title" in page
    assert "javascript:" not in page
    assert '<mark class="deny"' in page


def test_openapi_is_published(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/threads", "/api/articles", "/api/speakers"} <= set(spec["paths"])


def test_ingest_is_refused_on_a_read_only_server(client):
    r = client.post("/api/ingest", json={"text": "The ministry denied the report."})
    assert r.status_code == 403 and "read-only" in r.json()["detail"]


@pytest.fixture()
def writable(tmp_path):
    db = tmp_path / "w.duckdb"
    Store(db).close()
    with TestClient(create_app(str(db), token="s3cret")) as c:
        yield c


def test_ingest_with_token(writable):
    text = "Poland accused Belarus of sending migrants to the border. Belarus rejected the accusation on Friday."
    assert writable.post("/api/ingest", json={"text": text}).status_code == 401
    assert writable.post("/api/ingest", json={"text": text}, headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = writable.post("/api/ingest", json={"text": text, "title": "Border row"}, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 201 and r.json()["stored"] is True
    assert r.json()["article"]["title"] == "Border row"
    threads = writable.get("/api/threads").json()["items"]
    assert any(t["status"] == "disputed" for t in threads)
    both = writable.post("/api/ingest", json={"text": text, "url": "http://example.com/"},
                         headers={"Authorization": "Bearer s3cret"})
    assert both.status_code == 422


def test_ingest_an_uploaded_file(writable):
    auth = {"Authorization": "Bearer s3cret"}
    lines = "\n".join([
        '{"id": "u1", "title": "Fishing row", "text": "Chile accused Peru of seizing its fishing boats. Peru denied the charge.", "published": "2024-03-02"}',
        '{"id": "u2", "title": "", "text": ""}',
    ])
    files = {"file": ("batch.jsonl", lines.encode(), "application/x-ndjson")}
    assert writable.post("/api/ingest/file", files=files).status_code == 401
    r = writable.post("/api/ingest/file", files=files, data={"source": "Andes Wire"}, headers=auth)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["stored"] == 1 and len(body["articles"]) == 1 and body["warnings"]
    record = writable.get(f"/api/articles/{body['articles'][0]}").json()
    assert record["source"]["name"] == "Andes Wire" and record["published"] == "2024-03-02"
    binary = {"file": ("junk.txt", bytes(range(256)) * 40, "application/octet-stream")}
    r = writable.post("/api/ingest/file", files=binary, headers=auth)
    assert r.status_code == 422 and "binary" in r.json()["detail"]


def test_ingest_page_says_when_the_server_is_read_only(client, writable):
    assert 'id="readonly"' in client.get("/ingest").text
    page = writable.get("/ingest").text
    assert 'id="upload"' in page and 'type="file"' in page and 'id="readonly"' not in page


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x", "http://localhost/x", "http://10.0.0.1/x",
                                 "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "file:///etc/passwd"])
def test_ingest_refuses_internal_urls(writable, url):
    r = writable.post("/api/ingest", json={"url": url}, headers={"Authorization": "Bearer s3cret"})
    detail = r.json()["detail"]
    assert r.status_code == 400 and ("refused" in detail or "only http" in detail)


def test_fetch_follows_no_redirect_into_internal_addresses(monkeypatch):
    from counterclaim.ingest import fetch as f

    calls = []

    def fake_check(url, allow_private=False):
        calls.append(url)
        if "127.0.0.1" in url and not allow_private:
            raise f.FetchError("internal address; refused")

    class Resp:
        is_redirect, status_code, headers, encoding = True, 302, {"location": "http://127.0.0.1/admin"}, "utf-8"

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    class Client:
        def __init__(self, **kw):
            assert kw["follow_redirects"] is False

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def stream(self, method, url, headers=None):
            return Resp()

    import httpx

    monkeypatch.setattr(f, "check_url", fake_check)
    monkeypatch.setattr(httpx, "Client", Client)
    with pytest.raises(f.FetchError, match="refused"):
        f.fetch("http://news.example/story")
    assert calls == ["http://news.example/story", "http://127.0.0.1/admin"]


def test_fetch_a_page_when_private_addresses_are_allowed(tmp_path):
    import http.server
    import threading

    from counterclaim.ingest.fetch import fetch

    (tmp_path / "story.html").write_text("<html><body><article><p>The council said the bridge would reopen.</p>"
                                         "</article></body></html>")
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path))  # noqa: E731
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}/story.html"
        assert "bridge would reopen" in fetch(url, allow_private=True)
    finally:
        srv.shutdown()


def test_article_page_lists_its_events(client):
    t = client.get("/api/threads", params={"status": "disputed"}).json()["items"][0]
    timeline = client.get(f"/api/threads/{t['id']}").json()["timeline"]
    # The latest article of a thread need not hold an event; the latest that does.
    record = next(r for r in (client.get(f"/api/articles/{x['article']}").json() for x in reversed(timeline))
                  if r["events"])
    page = client.get(f"/articles/{record['id']}").text
    assert '<table id="events">' in page
    assert all(e["cameo"] in page and e["event"] in page for e in record["events"])


def test_upload_over_the_cap_is_refused(writable, monkeypatch):
    import counterclaim.web.app as web
    from counterclaim.settings import Settings

    monkeypatch.setattr(web, "DEFAULT", Settings(max_upload_bytes=100))
    files = {"file": ("big.txt", b"Peru denied the charge. " * 20, "text/plain")}
    r = writable.post("/api/ingest/file", files=files, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 413 and "MB" in r.json()["detail"]


def test_search_falls_back_to_substrings_without_a_full_text_index(tmp_path):
    from counterclaim.pipeline import analyze_text
    from counterclaim.store import queries

    with Store(tmp_path / "plain.duckdb") as store:
        store.save(analyze_text("Chile accused Peru of seizing fishing boats.", title="Fishing row"))
        relink(store)  # threads only: no full-text index built
        assert not store.searchable()
        assert [a["title"] for a in queries.articles(store, q="fishing bo")["items"]] == ["Fishing row"]
        assert queries.articles(store, q="drones")["total"] == 0


def test_claim_look_up_api_and_page(client):
    found = client.get("/api/search", params={"claim": "Tehran has been sending unmanned aircraft to Moscow"}).json()
    [best, *_] = found["items"]
    assert "drones" in best["claim"] and best["status"] == "confirmed" and best["asserted_by"] and best["score"] > 0
    assert client.get("/api/search", params={"claim": "A new species of frog was found in the Amazon"}).json()["items"] == []
    assert client.get("/api/search", params={"claim": ""}).status_code == 422
    assert client.get("/api/search", params={"claim": "x" * 501}).status_code == 422
    home = client.get("/").text
    assert '<form id="search"' in home and 'name="claim"' in home
    page = client.get("/search", params={"claim": "Tehran has been sending unmanned aircraft to Moscow"}).text
    assert f'href="/threads/{best["thread"]}"' in page
    assert "No thread makes that claim" in client.get("/search", params={"claim": "frogs of the Amazon"}).text


def test_changes_api_page_and_feed(client):
    import feedparser

    body = client.get("/api/changes", params={"limit": 500}).json()
    assert body["total"] == len(body["items"]) >= 5
    assert {"disputed", "confirmed"} <= {c["to"] for c in body["items"]}
    one = next(c for c in body["items"] if c["to"] == "confirmed")
    assert client.get("/api/changes", params={"thread": one["thread"]}).json()["items"]
    assert client.get("/api/changes", params={"since": "2999-01-01T00:00:00"}).json()["total"] == 0
    page = client.get("/changes").text
    assert "What changed" in page and f'href="/threads/{one["thread"]}"' in page and 'href="/changes.atom"' in page
    feed = feedparser.parse(client.get("/changes.atom").content)
    assert not feed.bozo and len(feed.entries) == body["total"]
    assert any(e.title.endswith(one["claim"]) and e.link.endswith(f"/threads/{one['thread']}") for e in feed.entries)


def test_the_feed_escapes_what_articles_say(tmp_path):
    from counterclaim.web.atom import changes_feed

    import feedparser

    hostile = {"seq": 1, "thread": "t1", "claim": "<script>alert(1)</script> & more", "status": "disputed",
               "date": "2024-01-02", "from": None, "to": "unverified", "because": "a", "article": "a1", "title": None,
               "speaker": "O'Brien <b>", "actor": None, "stance": "assert", "outlet": "X & Y", "content": "]]> <x>",
               "recorded_at": "2024-01-03T10:00:00"}
    feed = feedparser.parse(changes_feed([hostile], "http://desk.example/"))
    assert not feed.bozo and feed.entries[0].title == "new → unverified: <script>alert(1)</script> & more"


@pytest.mark.parametrize("address", ["100.100.100.200", "100.64.0.1", "127.0.0.1", "10.1.2.3", "169.254.169.254",
                                     "2002:7f00:1::", "2002:a9fe:a9fe::", "::ffff:127.0.0.1", "64:ff9b::7f00:1",
                                     "::1", "fe80::1", "224.0.0.1"])
def test_the_url_guard_refuses_every_address_that_is_not_the_internets(address):
    import ipaddress

    from counterclaim.ingest import fetch as f

    assert not f.is_public(ipaddress.ip_address(address))
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(f.FetchError, match="internal address"):
        f.check_url(f"http://{host}/page")  # a literal address: resolved without a packet sent


def test_the_url_guard_lets_the_internets_addresses_through():
    import ipaddress

    from counterclaim.ingest.fetch import is_public

    assert all(is_public(ipaddress.ip_address(a)) for a in ("8.8.8.8", "2001:4860:4860::8888", "64:ff9b::808:808"))


def test_a_token_with_a_character_outside_ascii_is_refused_not_an_error(writable):
    r = writable.post("/api/ingest", json={"text": "Peru denied the charge."},
                      headers={"Authorization": "Bearer s3crét".encode("utf-8")})
    assert r.status_code == 401


def test_a_time_past_the_last_there_is_is_a_client_error(client):
    assert client.get("/api/changes", params={"since": "9999-12-31T23:59:59-23:59"}).status_code == 422


def test_a_page_that_is_not_there_is_a_page(client):
    for path in ("/threads/tnope", "/articles/nope", "/speakers/Nobody%20Here", "/speakers/nobody"):
        r = client.get(path)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
        assert "Not found" in r.text and "<nav>" in r.text  # a page of the app, not a dead end
    r = client.get("/", params={"status": "bogus"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert client.get("/api/threads/tnope").json() == {"detail": "no thread tnope"}


def test_claims_api_answers_without_the_vectors(client):
    r = client.get("/api/claims", params={"limit": 5})
    assert r.status_code == 200 and r.json()["items"] and "vector" not in r.json()["items"][0]


def test_an_article_id_with_a_slash_has_working_pages_and_links(tmp_path):
    from counterclaim.pipeline import analyze_text
    from counterclaim.threads.relink import relink

    db = tmp_path / "ids.duckdb"
    with Store(db) as store:
        for aid, day in (("wire/2024/001", "2024-03-01"), ("wire/2024/002?x#y", "2024-03-02")):
            store.save(analyze_text("Chile accused Peru of seizing Chilean fishing boats. Peru denied that it had "
                                    "seized any boats.", id=aid, published=day, source_name="Wire"))
        relink(store)
    with TestClient(create_app(str(db))) as c:
        assert c.get("/articles/wire/2024/001").status_code == 200
        assert c.get("/api/articles/wire/2024/001").json()["id"] == "wire/2024/001"
        assert c.get("/api/articles/wire%2F2024%2F002%3Fx%23y").json()["id"] == "wire/2024/002?x#y"
        hrefs = set()
        for t in c.get("/api/threads").json()["items"]:
            hrefs |= set(re.findall(r'href="(/articles/[^"]+)"', c.get(f"/threads/{t['id']}").text))
        assert hrefs and all(c.get(h).status_code == 200 for h in hrefs)


def test_an_id_already_stored_with_another_text_is_a_reported_conflict(writable):
    auth = {"Authorization": "Bearer s3cret"}
    first = {"file": ("a.jsonl", b'{"id": "wire-7", "text": "Peru denied that it had seized any Chilean boats."}\n')}
    assert writable.post("/api/ingest/file", files=first, headers=auth).json()["stored"] == 1
    other = {"file": ("b.jsonl", b'{"id": "wire-7", "text": "Chile said that Peru had seized two boats."}\n')}
    r = writable.post("/api/ingest/file", files=other, headers=auth)
    assert r.status_code == 409 and "wire-7" in r.json()["detail"]
    assert writable.post("/api/ingest/file", files=first, headers=auth).json()["stored"] == 0  # the same: no conflict


def test_a_write_without_the_token_is_refused_before_its_body_is_read(writable):
    import counterclaim.web.app as web

    sent = []

    def body():
        for _ in range(1000):  # 1 GB, were it read
            sent.append(1)
            yield b"x" * 1_000_000

    r = writable.post("/api/ingest", content=body(), headers={"Content-Type": "application/json"})
    assert r.status_code == 401 and len(sent) <= 2
    too_big = writable.post("/api/ingest", content=b"{" + b" " * (web.DEFAULT.max_json_bytes + 10) + b"}",
                            headers={"Authorization": "Bearer s3cret", "Content-Type": "application/json"})
    assert too_big.status_code == 413


def test_a_validation_error_does_not_echo_the_body(writable):
    secret_text = "x" * 6_000_000  # over the field's 5,000,000 characters
    r = writable.post("/api/ingest", json={"text": secret_text}, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 422 and len(r.content) < 2_000 and "xxxx" not in r.text


def test_a_page_that_trickles_in_is_cut_off_by_one_deadline(monkeypatch):
    import socket
    import threading
    import time as clock

    from counterclaim.ingest import fetch as f
    from counterclaim.settings import Settings

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def trickle():  # headers at once, then a byte every 0.2 s: each read is quick, the whole is not
        conn, _ = server.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n")
        try:
            for _ in range(100):
                conn.sendall(b"x")
                clock.sleep(0.2)
        except OSError:
            pass
        conn.close()

    threading.Thread(target=trickle, daemon=True).start()
    monkeypatch.setattr(f, "DEFAULT", Settings(page_timeout_s=1.0))
    started = clock.monotonic()
    with pytest.raises(f.FetchError, match="took over"):
        f.fetch(f"http://127.0.0.1:{server.getsockname()[1]}/slow", allow_private=True)
    assert clock.monotonic() - started < 3
    server.close()


def test_the_feed_links_come_from_the_configured_address_never_the_host_header(web_db):
    with TestClient(create_app(str(web_db))) as c:
        feed = c.get("/changes.atom", headers={"Host": "evil.example"}).text
        assert "evil.example" not in feed and 'href="/threads/' in feed
    with TestClient(create_app(str(web_db), base_url="https://desk.example/cc")) as c:
        feed = c.get("/changes.atom", headers={"Host": "evil.example"}).text
        assert "evil.example" not in feed and 'href="https://desk.example/cc/threads/' in feed
