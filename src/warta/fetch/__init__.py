"""Polite HTTP fetching: robots.txt, per-host delay, retries, size caps, redirects.

    Fetcher (async context manager)
    ├── fetch(url, validators=None) -> Capture        2xx or 304; FetchError subclasses otherwise
    ├── allowed(url) -> bool                           robots.txt, per RFC 9309
    └── robots(url) -> RobotsRules                     cached per host with expiry

Only this package and ``warta.store`` do I/O.
"""

from __future__ import annotations

from warta.fetch.body import read_capped
from warta.fetch.client import Fetcher, FetchPolicy, Validators, fetch_one, guarded_client
from warta.fetch.robots import RobotsRules

__all__ = ["Fetcher", "FetchPolicy", "RobotsRules", "Validators", "fetch_one", "guarded_client", "read_capped"]
