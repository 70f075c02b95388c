"""Safe rendering helpers for scraped content: URL filtering, highlighted snippets, the day chart.

Scraped text is always rendered as text (Jinja2 autoescaping). The only HTML built from scraped
content is the highlighted snippet, which is escaped piece by piece and then passed through nh3
with ``<mark>`` as the only allowed tag, as a second line of defence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup, escape

from warta.store.snippets import HIGHLIGHT_END, HIGHLIGHT_START

SAFE_SCHEMES = ("http", "https")
MAX_URL_CHARS = 4096


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL without control characters, else ``None``."""
    if not url or len(url) > MAX_URL_CHARS:
        return None
    url = url.strip()
    if any(ord(ch) < 0x20 or ch in "\x7f\\" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return url


def snippet_html(snippet: str) -> Markup:
    """Escape a snippet and turn its highlight markers into ``<mark>`` elements."""
    out: list[str] = []
    inside = False
    for piece in snippet.replace(HIGHLIGHT_END, HIGHLIGHT_START).split(HIGHLIGHT_START):
        text = str(escape(piece))
        out.append(f"<mark>{text}</mark>" if inside and text else text)
        inside = not inside
    cleaned = nh3.clean("".join(out), tags={"mark"}, attributes={}, url_schemes=set())
    return Markup(cleaned)  # noqa: S704 - escaped above and sanitised by nh3


@dataclass(frozen=True, slots=True)
class Bar:
    day: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class DayChart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    max_count: int
    first_day: str | None
    last_day: str | None


def day_chart(counts: list[tuple[str, int]], *, width: int = 720, height: int = 120, max_days: int = 400) -> DayChart:
    """Geometry of a bar chart of articles per day, with empty days filled in (server-side SVG)."""
    if not counts:
        return DayChart((), width, height, 0, None, None)
    series = _fill_days(counts, max_days)
    peak = max(n for _, n in series) or 1
    step = width / len(series)
    bars = tuple(
        Bar(day, n, round(i * step, 2), round(height - n / peak * height, 2), round(max(step - 1, 1), 2),
            round(n / peak * height, 2))
        for i, (day, n) in enumerate(series)
    )
    return DayChart(bars, width, height, peak, series[0][0], series[-1][0])


def _fill_days(counts: list[tuple[str, int]], max_days: int) -> list[tuple[str, int]]:
    try:
        parsed = [(date.fromisoformat(d), n) for d, n in counts]
    except ValueError:
        return counts[-max_days:]
    by_day = dict(parsed)
    start, end = parsed[0][0], parsed[-1][0]
    if (end - start).days >= max_days:
        start = end - timedelta(days=max_days - 1)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return [(d.isoformat(), by_day.get(d, 0)) for d in days]
