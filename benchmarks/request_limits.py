"""How much a large request body costs the server: `counterclaim serve --token T` on this machine's
loopback, sent a 60 MB body to POST /api/ingest without the token, then with the token but over the route's
cap, and once more as an upload over its cap; the server's resident memory (Linux /proc) before and after.
The body is refused before it is read, so the memory should not move by more than a few MB.

    .venv/bin/python benchmarks/request_limits.py [--mb 60]
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    import httpx

    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=60)
    args = ap.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen([sys.executable, "-m", "counterclaim.cli.main", "serve", "--db", f"{tmp}/s.duckdb",
                                   "--port", str(port), "--token", "t0ken"], stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(300):  # up to 30 s for the server to start
                try:
                    httpx.get(f"{url}/api/threads", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            before = rss_mb(server.pid)

            def body():
                for _ in range(args.mb):
                    yield b" " * 1_000_000

            cases = [("no token, streamed", {}, None), ("no token, with Content-Length", {}, b" " * args.mb * 1_000_000),
                     ("token, over the cap", {"Authorization": "Bearer t0ken"}, b" " * args.mb * 1_000_000)]
            for name, headers, data in cases:
                t0 = time.perf_counter()
                r = httpx.post(f"{url}/api/ingest", content=data if data is not None else body(),
                               headers={"Content-Type": "application/json", **headers}, timeout=60)
                print(f"{name}: HTTP {r.status_code} in {time.perf_counter() - t0:.2f} s; "
                      f"server {rss_mb(server.pid):.0f} MB (was {before:.0f} MB)")
            files = {"file": ("big.jsonl", b" " * (args.mb * 1_000_000), "application/json")}
            r = httpx.post(f"{url}/api/ingest/file", files=files, headers={"Authorization": "Bearer t0ken"}, timeout=60)
            print(f"upload of {args.mb} MB with the token: HTTP {r.status_code}; server {rss_mb(server.pid):.0f} MB")
            print(f"server memory grew by {rss_mb(server.pid) - before:.0f} MB")
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
