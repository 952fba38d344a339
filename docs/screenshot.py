"""The README's picture: a thread page of the examples' store, in headless Chromium (Debian's, as the
browser tests drive it).

    .venv/bin/counterclaim analyze examples --db /tmp/examples.duckdb -q
    .venv/bin/python docs/screenshot.py /tmp/examples.duckdb [--claim "Iran supplies drones to Russia"]
"""
from __future__ import annotations

import argparse
import socket
import threading
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--claim", default="Iran supplies drones to Russia", help="the thread shown: the one found first")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "thread.png")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args()

    import uvicorn
    from playwright.sync_api import sync_playwright

    from counterclaim.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(args.db), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1100, "height": 900}, device_scale_factor=1)
        page.goto(f"{base}/")
        page.fill("#search input[name=claim]", args.claim)
        page.click("#search button")
        page.locator("#results tr td a").first.click()
        page.wait_for_selector("#timeline")
        page.screenshot(path=str(args.out), clip={"x": 0, "y": 0, "width": 1100, "height": 900})
        browser.close()
    server.should_exit = True
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
