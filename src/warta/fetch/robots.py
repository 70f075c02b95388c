"""robots.txt rules per RFC 9309, through Protego."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from protego import Protego


@dataclass(frozen=True)
class RobotsRules:
    """The parsed robots.txt of one host.

    ``mode`` is ``"rules"`` (a robots.txt was read), ``"allow-all"`` (4xx: no rules) or
    ``"disallow-all"`` (5xx or unreachable: RFC 9309 section 2.3.1.4). ``reason`` says why in
    words; ``failure`` is the error kind when robots.txt could not be fetched at all (``dns``,
    ``network``, ``timeout``, ``private-address``...), so pages report that cause rather than a
    robots rule; ``truncated`` means the file was longer than the parsed prefix (500 KiB).
    """

    mode: str
    user_agent: str
    parser: Any = None
    fetched_at: float = 0.0
    reason: str = ""
    failure: str | None = None
    truncated: bool = False

    @classmethod
    def parse(cls, text: str, user_agent: str, fetched_at: float, truncated: bool = False) -> RobotsRules:
        if truncated:  # a line cut in the middle is dropped, not misread
            text = text[: text.rfind("\n") + 1]
        reason = "parsed the first 500 KiB (robots.txt is longer)" if truncated else "parsed"
        return cls("rules", user_agent, Protego.parse(text), fetched_at, reason, None, truncated)

    @property
    def state(self) -> str:
        """The robots outcome detail: ``rules``, ``rules, truncated``, ``allow-all (...)``..."""
        if self.mode == "rules":
            return "rules, truncated at 500 KiB" if self.truncated else "rules"
        return f"{self.mode} ({self.reason})" if self.reason else self.mode

    def allowed(self, url: str) -> bool:
        if self.mode == "allow-all":
            return True
        if self.mode == "disallow-all":
            return False
        return bool(self.parser.can_fetch(url, self.user_agent))

    @property
    def crawl_delay(self) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(self.user_agent)
        return float(delay) if delay is not None else None

    @property
    def sitemaps(self) -> list[str]:
        return [str(s) for s in self.parser.sitemaps] if self.parser is not None else []
