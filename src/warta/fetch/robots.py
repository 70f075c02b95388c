"""robots.txt rules per RFC 9309, through Protego."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from protego import Protego


@dataclass(frozen=True)
class RobotsRules:
    """The parsed robots.txt of one host.

    ``mode`` is ``"rules"`` (a robots.txt was read), ``"allow-all"`` (4xx: no rules) or
    ``"disallow-all"`` (5xx or unreachable: RFC 9309 section 2.3.1.4).
    """

    mode: str
    user_agent: str
    parser: Any = None
    fetched_at: float = 0.0

    @classmethod
    def parse(cls, text: str, user_agent: str, fetched_at: float) -> RobotsRules:
        return cls("rules", user_agent, Protego.parse(text), fetched_at)

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
