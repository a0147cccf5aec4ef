"""The fetch stage: HTTP client, on-disk cache, politeness (robots.txt, pacing, retries), offline.

with Fetcher(FetchSettings(cache_dir=Path(".bookmaker-cache"))) as fetcher:
    page = fetcher.get("https://blog.example/2024/05/a-post/")
"""

from __future__ import annotations

from bookmaker.fetch.client import Fetcher
from bookmaker.fetch.records import USER_AGENT, FetchError, FetchSettings, FetchStats

__all__ = ["USER_AGENT", "FetchError", "FetchSettings", "FetchStats", "Fetcher"]
