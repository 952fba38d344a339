"""Sizes and limits of ingest and analysis, in one place: every flow (analyze, watch, the web app's
ingest, the Ray loader, the evaluations) reads them from a Settings object."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    workers: int = 1  # processes that analyse (0: one per core)
    parse_batch: int = 16  # articles parsed and encoded together (spaCy's pipe, the encoder's runs)
    save_batch: int = 32  # articles per store transaction: a killed run loses at most this much work
    max_article_bytes: int = 5_000_000  # a news article is tens of KB; megabytes mean a dump, not an article
    page_timeout_s: float = 10.0  # a page the web app fetches: connect, redirects and body together
    max_page_bytes: int = 5_000_000  # a news page is tens of KB; megabytes mean a dump, not an article
    max_redirects: int = 3
    feed_timeout_s: float = 20.0  # a watched feed's answer
    max_feed_bytes: int = 20_000_000  # a feed carries many articles; far more is not a feed
    max_upload_bytes: int = 50_000_000  # a file uploaded to the web app may be a feed, JSON Lines or a WARC
    max_json_bytes: int = 12_000_000  # POST /api/ingest: an article's text or HTML (5 MB each) and its fields
    max_skipped_rounds: int = 16  # the longest a failing watched source is left alone (4 h at --every 15m)

    def cores(self) -> int:
        import os

        return self.workers or os.cpu_count() or 1


DEFAULT = Settings()
