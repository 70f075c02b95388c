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
from warta.web.dates import short_day

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


PARAGRAPH_MARK = " ¶ "  # how warta.store.snippets joins paragraphs in a snippet
SENTENCE_END = ".!?:;…\"'”’)»"


def snippet_html(snippet: str) -> Markup:
    """Escape a snippet and turn its highlight markers into ``<mark>`` elements.

    Paragraph breaks (the store's ``¶`` marker) become a space after a sentence end, else an
    en dash, so a heading does not run into the next paragraph.
    """
    out: list[str] = []
    inside = False
    for piece in _join_paragraphs(snippet).replace(HIGHLIGHT_END, HIGHLIGHT_START).split(HIGHLIGHT_START):
        text = str(escape(piece))
        out.append(f"<mark>{text}</mark>" if inside and text else text)
        inside = not inside
    cleaned = nh3.clean("".join(out), tags={"mark"}, attributes={}, url_schemes=set())
    return Markup(cleaned)  # noqa: S704 - escaped above and sanitised by nh3


def _join_paragraphs(snippet: str) -> str:
    parts = snippet.split(PARAGRAPH_MARK)
    out = parts[0]
    for part in parts[1:]:
        end = out.rstrip().replace(HIGHLIGHT_END, "")[-1:]
        out += (" " if not end or end in SENTENCE_END else " – ") + part
    return out


@dataclass(frozen=True, slots=True)
class Bar:
    day: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Tick:
    label: str
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class DayChart:
    """Geometry of the per-day bar chart; the plot area is ``left..left+plot_width`` by ``top..top+plot_height``."""

    bars: tuple[Bar, ...]
    width: int
    height: int
    max_count: int
    first_day: str | None
    last_day: str | None
    left: int = 0
    top: int = 0
    plot_width: float = 0
    plot_height: float = 0
    x_ticks: tuple[Tick, ...] = ()  # date labels under the x axis
    y_ticks: tuple[Tick, ...] = ()  # count labels left of the y axis

    @property
    def bottom(self) -> float:
        return self.top + self.plot_height

    @property
    def right(self) -> float:
        return self.left + self.plot_width


CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 48, 12, 26, 40  # margins for title, labels, axis names
MAX_X_LABELS = 6


def day_chart(counts: list[tuple[str, int]], *, width: int = 720, height: int = 120, max_days: int = 400) -> DayChart:
    """Geometry of a bar chart of articles per day, with empty days filled in (server-side SVG).

    ``height`` is the plot area's height; the chart adds margins for its title, axis labels and names.
    """
    total_height = height + CHART_TOP + CHART_BOTTOM
    if not counts:
        return DayChart((), width, total_height, 0, None, None)
    series = _fill_days(counts, max_days)
    peak = max(n for _, n in series) or 1
    plot_width = width - CHART_LEFT - CHART_RIGHT
    step = plot_width / len(series)
    bottom = CHART_TOP + height
    bars = tuple(
        Bar(day, n, round(CHART_LEFT + i * step, 2), round(bottom - n / peak * height, 2),
            round(max(step - 1, 1), 2), round(n / peak * height, 2))
        for i, (day, n) in enumerate(series)
    )
    every = max(1, -(-len(series) // MAX_X_LABELS))
    x_ticks = tuple(
        Tick(short_day(day), round(CHART_LEFT + (i + 0.5) * step, 2), bottom)
        for i, (day, _) in enumerate(series)
        if (len(series) - 1 - i) % every == 0  # counted from the newest day: the last bar is always named
    )
    y_values = sorted({0, peak // 2, peak}) if peak > 1 else [0, peak]
    y_ticks = tuple(Tick(str(v), CHART_LEFT, round(bottom - v / peak * height, 2)) for v in y_values)
    return DayChart(bars, width, total_height, peak, series[0][0], series[-1][0], CHART_LEFT, CHART_TOP,
                    plot_width, height, x_ticks, y_ticks)


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


@dataclass(frozen=True, slots=True)
class DiffLine:
    kind: str  # "file" (---/+++ header), "hunk" (@@), "add", "del" or "same"
    text: str


def diff_lines(diff: str) -> tuple[DiffLine, ...]:
    """A unified diff (as :mod:`difflib` writes it) split into classified lines; rendered escaped."""
    out = []
    for line in diff.splitlines():
        if line.startswith(("---", "+++")):
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "same"
        out.append(DiffLine(kind, line))
    return tuple(out)
