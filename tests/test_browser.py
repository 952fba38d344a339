"""End to end in a real headless Chromium (Debian's, driven by Playwright): the threads page of a store
built from examples/, a thread's timeline, an article with a highlighted denial, and an article whose
markup must not run."""
import os
import shutil
import socket
import threading
import time

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
if not shutil.which(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM} (`make test` installs Debian's chromium when it can)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

# Playwright adds headless mode and a fresh profile itself; the rest keeps Chromium off the network.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _serve(app):
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def server(web_db):
    from counterclaim.web.app import create_app

    yield from _serve(create_app(str(web_db)))


@pytest.fixture()
def writable_server(tmp_path):
    from counterclaim.store.db import Store
    from counterclaim.web.app import create_app

    Store(tmp_path / "w.duckdb").close()
    yield from _serve(create_app(str(tmp_path / "w.duckdb"), token="s3cret"))


@pytest.fixture(scope="module")
def page():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser.new_page()
        browser.close()


def test_follow_a_thread_to_a_highlighted_denial(server, page):
    page.goto(server + "/")
    row = page.locator("#threads tr", has_text="disputed").first
    row.locator("a").first.click()
    page.wait_for_selector("#timeline")
    assert page.locator("#timeline mark.deny").count() >= 1
    assert page.locator("#chart circle.deny").count() >= 1 and page.locator("#chart line.change").count() >= 1
    assert page.locator("#chart").bounding_box()["height"] > 40
    page.locator("#timeline tr", has_text="deny").first.locator("a").first.click()
    page.wait_for_selector("#article")
    denial = page.locator("#article mark.deny").first
    assert denial.is_visible()
    assert "deny" in denial.get_attribute("title")


def test_a_confirmed_thread_shows_its_evidence_and_a_legend(server, page):
    page.goto(server + "/?status=confirmed")
    page.locator("#threads tr", has_text="Northline").first.locator("a").first.click()
    page.wait_for_selector("#evidence")
    confirmed = page.locator("#evidence tr.evidence", has_text="confirmed").first
    assert confirmed.is_visible()
    # The admission itself, who made it and why it moved the status.
    assert "40,000 customers had been stolen" in confirmed.locator("q.sentence").inner_text()
    assert "Northline" in confirmed.inner_text() and "says it is so" in confirmed.inner_text()
    legend = page.locator("#legend")
    assert legend.is_visible()
    for word in ("unverified", "disputed", "confirmed", "refuted", "retracted", "assert", "deny", "question", "report"):
        assert legend.locator("dt", has_text=word).count() == 1


def test_docs_render_with_the_network_off(writable_server, page):
    outside = []
    docs = page.context.browser.new_page()
    docs.route("**/*", lambda r: r.continue_() if r.request.url.startswith(writable_server)
               else (outside.append(r.request.url), r.abort()))
    docs.goto(writable_server + "/docs")
    docs.wait_for_selector(".opblock", timeout=20_000)
    assert docs.locator(".opblock").count() >= 10
    docs.close()
    assert outside == []  # every request was the server's own


def test_article_markup_does_not_run(server, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/articles/hostile")
    page.wait_for_selector("#article")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator("#article script, #article img, #article b[onmouseover]").count() == 0
    assert "<script>" in page.locator("#article").inner_text()


def test_upload_a_file_from_the_page(writable_server, page, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Title: Fishing row\n\nChile accused Peru of seizing its fishing boats. "
                     "Peru denied the charge on Monday.\n")
    page.goto(writable_server + "/ingest")
    page.fill("#token", "s3cret")
    page.set_input_files("#upload input[type=file]", str(story))
    page.click("#upload button")
    page.wait_for_selector("#result.ok a")
    page.click("#result a")
    page.wait_for_selector("#article")
    assert page.locator("#article mark.deny").count() >= 1


def test_look_up_a_claim_open_its_thread_then_what_changed(server, page):
    page.goto(server + "/")
    page.fill("#search input[name=claim]", "Hackers took subscriber data from the Northline phone operator")
    page.click("#search button")
    page.wait_for_selector("#results")
    first = page.locator("#results tr td a").first
    claim = first.inner_text()
    first.click()
    page.wait_for_selector("#timeline")
    assert page.locator("h1").inner_text() == claim
    assert "Northline" in page.locator("#timeline").inner_text()
    page.click("#nav-changes")
    page.wait_for_selector("#changes")
    rows = page.locator("#changes tr", has_text=claim)
    assert rows.count() >= 2 and rows.first.locator("a").first.get_attribute("href").startswith("/threads/")
    assert page.locator("a[href='/changes.atom']").count() >= 1
