"""warta's one exception tree.

    WartaError
    ├── ConfigError            bad settings, bad site recipe, bad CLI input
    ├── FetchError             (url, status)
    │   ├── RobotsDisallowed
    │   ├── BlockedError       403 / persistent 429 / JavaScript-only shell
    │   ├── BodyTooLarge       size cap hit before or after decompression
    │   ├── TooManyRedirects
    │   ├── RedirectOutOfScope a redirect leaves the crawl's sites (not followed)
    │   ├── UnsafeAddress      the host resolves to a non-public address (SSRF guard)
    │   ├── HostNotFound       DNS lookup failed
    │   └── DeadlineExceeded   no complete response within the per-request deadline
    ├── DiscoverError          (url) unparseable sitemap / feed / listing
    ├── ExtractError           (url, field) a crash inside extraction (expected negatives are Skip values)
    ├── StoreError             (path) database problems
    └── InputError             (path) unreadable input file or corpus

Expected negatives ("not an article", "empty", "too large") are :class:`warta.model.Skip`
values, never exceptions. Foreign exceptions are wrapped where the foreign library is called.
"""

from __future__ import annotations


class WartaError(Exception):
    """Root of every error warta raises on purpose."""

    def __init__(self, message: str, **context: object) -> None:
        super().__init__(message)
        self.context = context
        for key, value in context.items():
            setattr(self, key, value)

    def __str__(self) -> str:
        """The message, plus in words any context it does not already say ("(file: x.db)")."""
        base = super().__str__()
        extra = "; ".join(
            f"{_LABELS.get(k, k.replace('_', ' '))}: {v}"
            for k, v in self.context.items()
            if v is not None and str(v) not in base
        )
        return f"{base} ({extra})" if extra else base


_LABELS = {"path": "file", "url": "URL", "field": "setting", "status": "HTTP status"}


class ConfigError(WartaError):
    """Invalid configuration, site recipe or command-line input."""


class FetchError(WartaError):
    """A fetch failed (network, HTTP status, size)."""


class RobotsDisallowed(FetchError):
    """robots.txt forbids this URL."""


class BlockedError(FetchError):
    """The site blocks us: 403, persistent 429, JavaScript-only shell."""


class BodyTooLarge(FetchError):
    """The response body exceeded the size cap (before or after decompression)."""


class TooManyRedirects(FetchError):
    """Redirect loop or chain too long."""


class RedirectOutOfScope(FetchError):
    """A redirect points outside the crawl's sites; it is recorded, not followed."""


class UnsafeAddress(FetchError):
    """The host resolves to a non-public address and private targets are not allowed."""


class HostNotFound(FetchError):
    """The host name does not resolve (DNS failure)."""


class DeadlineExceeded(FetchError):
    """Headers and body did not arrive within the per-request wall-clock deadline."""


class DiscoverError(WartaError):
    """A sitemap, feed or listing page could not be parsed."""


class ExtractError(WartaError):
    """Extraction crashed on a document (expected negatives are Skip values instead)."""


class StoreError(WartaError):
    """The store could not be opened, read or written."""


class StoreConflict(StoreError):
    """Two writers collided (PostgreSQL found a deadlock or a serialization failure): the
    transaction was rolled back whole and may be run again."""


class InputError(WartaError):
    """An input file or corpus could not be read."""


__all__ = [
    "WartaError",
    "ConfigError",
    "FetchError",
    "RobotsDisallowed",
    "BlockedError",
    "BodyTooLarge",
    "TooManyRedirects",
    "RedirectOutOfScope",
    "UnsafeAddress",
    "HostNotFound",
    "DeadlineExceeded",
    "DiscoverError",
    "ExtractError",
    "StoreError",
    "InputError",
]
