"""URL keys: one string per article, computed before any fetch.

``url_key`` maps every address under which the same article is served to one key:

* scheme folded to ``https``, host lower-cased (IDNA), trailing dot and default ports dropped;
* ``www.``, ``m.``, ``mobile.`` and ``amp.`` host prefixes dropped (never below the registered domain);
* AMP paths (an ``amp`` path segment, ``.amp`` / ``/amp.html`` suffixes) mapped to the article;
* full-page switches (``?page=all``, ``?single=1``, ``?showpage=all``, ``?amp``; plus the recipe's own)
  dropped, because they show the same article;
* tracking parameters (``utm_*``, ``fbclid``, ``gclid`` ...) and fragments dropped; the rest sorted;
* percent-encoding normalised, dot segments resolved, a trailing slash dropped.

A key is itself a valid URL and ``url_key(url_key(u)) == url_key(u)``.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
from typing import NamedTuple, Protocol
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from tld import get_fld, is_tld

__all__ = [
    "TRACKING_PARAMS",
    "TRACKING_PREFIXES",
    "FULL_PAGE_SWITCHES",
    "url_key",
    "normalize_url",
    "registered_domain",
    "host_of",
    "date_from_url",
    "same_site",
    "PageSwitch",
]

TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "pk_", "mtm_", "hsa_", "__hs", "_hs")
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "li_fat_id", "igshid", "igsh", "mc_cid", "mc_eid", "_ga", "_gl", "mkt_tok",
        "oly_anon_id", "oly_enc_id", "vero_id", "wickedid", "rb_clickid", "s_cid", "ncid", "cmpid",
        "ref_src", "ref_url", "spm", "soc_src", "soc_trk", "sr_share", "share", "fromshare",
        "smid", "xtor", "at_medium", "at_campaign", "_branch_match_id", "amp_js_v", "usqp",
        "__twitter_impression", "cx_testid",
    }
)
"""Query parameters that identify a campaign or a click, never content."""

FULL_PAGE_SWITCHES: tuple[tuple[str, str | None], ...] = (
    ("page", "all"),
    ("single", "1"),
    ("showpage", "all"),
    ("amp", None),  # any value: ?amp, ?amp=1, ?amp=true
    ("_amp", None),
    ("outputtype", "amp"),
    ("output", "amp"),
    ("view", "amp"),
)
"""(parameter, value) pairs that only switch the presentation of one article (None = any value)."""

_HOST_PREFIXES: tuple[str, ...] = ("www.", "www1.", "www2.", "m.", "mobile.", "amp.")
_DEFAULT_PORTS: frozenset[int] = frozenset({80, 443})
_NO_CONTROL = str.maketrans("", "", "\t\r\n")
_SAFE_PATH = "/:@!$&'()*+,;=-._~"
_SAFE_QUERY = "/:@!$'()*+,;-._~?"

# Dates in article URLs: /2016/10/05/, /2016-10-05/, /20161005..., /read/20161005/...
_DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<![0-9])((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?![0-9])"),
    re.compile(r"(?<![0-9])((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![0-9])"),
    re.compile(r"(?<=[/_-])((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:\d{4,6})?(?![0-9])"),
)


def host_of(url: str) -> str:
    """The lower-cased host of ``url`` (or of a bare host name), without port or trailing dot."""
    text = url.strip()
    if "//" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def registered_domain(url_or_host: str) -> str:
    """The registrable domain: ``news.detik.com`` -> ``detik.com``; IPs and ``localhost`` as they are.

    Uses the public-suffix snapshot bundled with ``tld`` (no network access).
    """
    host = host_of(url_or_host)
    return _registered(host) if host else ""


@functools.lru_cache(maxsize=16384)
def _registered(host: str) -> str:
    """:func:`registered_domain` of a host, cached: a page's links and a crawl's URLs share a few
    hosts, and the public-suffix lookup costs about 20 µs."""
    fld = get_fld(host, fix_protocol=True, fail_silently=True)
    return str(fld) if fld else host


def same_site(url_a: str, url_b: str) -> bool:
    """True when both URLs belong to the same registered domain."""
    a, b = registered_domain(url_a), registered_domain(url_b)
    return bool(a) and a == b


class _Parts(NamedTuple):
    scheme: str
    host: str
    port: int | None
    path: str
    query: str


def _split(url: str, base: str | None) -> _Parts | None:
    """Absolutise and split an http(s) URL (host cleaned); None when it is not one."""
    text = (url or "").strip().replace("\\", "/").translate(_NO_CONTROL)
    if not text or text.startswith("#"):
        return None
    try:
        absolute = text[:8].lower().startswith(("http://", "https://"))
        parts = urlsplit(urljoin(base, text) if base and not absolute else text)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            return None
        host = _clean_host(parts.hostname or "")
        port = parts.port
    except ValueError:
        return None
    return _Parts(scheme, host, port, parts.path, parts.query) if host else None


def normalize_url(url: str, base: str | None = None) -> str | None:
    """Absolutise ``url`` against ``base`` and tidy it; None for anything that is not http(s).

    Rejects ``javascript:``, ``mailto:``, ``tel:``, ``data:`` and other schemes, empty hosts and
    unparseable input. The fragment is dropped; everything else that carries meaning is kept.
    """
    parts = _split(url, base)
    if parts is None:
        return None
    port = None if parts.port == _default_port(parts.scheme) else parts.port
    path = _clean_path(parts.path) or "/"
    return urlunsplit((parts.scheme, _netloc(parts.host, port), path, _clean_query(parts.query), ""))


class PageSwitch(Protocol):
    """What :func:`url_key` reads of a site recipe (:class:`warta.sites.Recipe`): its own full-page
    switch, a query (``?all=1``) or a path suffix (``/all``); None when it has none."""

    @property
    def full_page_switch(self) -> str | None: ...


def url_key(url: str, recipe: PageSwitch | None = None) -> str:
    """The canonical key of the article at ``url`` (see the module docstring).

    Never raises: an input that is not an http(s) URL is returned stripped, so it still compares
    equal to itself (callers that need a fetchable URL use :func:`normalize_url` first).
    """
    parts = _split(url, None)
    if parts is None:
        return url.strip()
    host = _strip_host_prefixes(parts.host)
    port = parts.port if parts.port not in _DEFAULT_PORTS else None
    switches = _recipe_switches(recipe)
    path = _strip_path_switches(_strip_amp_path(_clean_path(parts.path)), switches)
    query = _key_query(parts.query, switches)
    return urlunsplit(("https", _netloc(host, port), path, query, ""))


def date_from_url(url: str) -> dt.date | None:
    """The publication date written in an article URL, if any (path only, not the host)."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(path):
            year, month, day = (int(g) for g in match.groups()[:3])
            try:
                return dt.date(year, month, day)
            except ValueError:
                continue
    return None


# --- helpers ---------------------------------------------------------------------------------


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _clean_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host or any(ch in host for ch in " /\\@"):
        return ""
    if host.isascii():  # IPv6 literal or an ASCII name: nothing to encode
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""


def _netloc(host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port is not None else shown


def _clean_path(path: str) -> str:
    if not path:
        return ""
    decoded = unquote(path)
    resolved = posixpath.normpath(decoded)
    if resolved.startswith("//"):
        resolved = "/" + resolved.lstrip("/")
    if decoded.endswith("/") and not resolved.endswith("/"):
        resolved += "/"
    if resolved == ".":
        resolved = "/"
    return quote(resolved, safe=_SAFE_PATH)


def _clean_query(query: str) -> str:
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode(pairs, safe=_SAFE_QUERY, quote_via=quote)


def _strip_host_prefixes(host: str) -> str:
    """Drop www./m./amp. prefixes, never down to a public suffix (``m.co.id`` stays).

    Only the ICANN part of the public-suffix list counts: "www." before a private suffix
    (blogspot.com, x0.com ...) is still a "www." prefix of the same site.
    """
    changed = True
    while changed and host.startswith(_HOST_PREFIXES):
        changed = False
        for prefix in _HOST_PREFIXES:
            rest = host[len(prefix):]
            if host.startswith(prefix) and "." in rest and not is_tld(rest, search_private=False):
                host, changed = rest, True
                break
    return host


def _strip_amp_path(path: str) -> str:
    segments = [s for s in path.split("/") if s and s.lower() != "amp"]
    if segments:
        last = segments[-1]
        for suffix in (".amp.html", ".amp"):
            if last.lower().endswith(suffix) and len(last) > len(suffix):
                segments[-1] = last[: -len(suffix)]
                if suffix == ".amp.html":
                    segments[-1] += ".html"
                break
        if segments[-1].lower() == "amp.html":
            segments.pop()
    return "/" + "/".join(segments) if segments else "/"


def _recipe_switches(recipe: PageSwitch | None) -> tuple[tuple[str, str | None], ...]:
    extra: list[tuple[str, str | None]] = []
    switch = recipe.full_page_switch if recipe is not None else None
    if switch and not switch.startswith("/"):
        name, _, value = switch.lstrip("?").partition("=")
        extra.append((name.lower(), value or None))
    elif switch:
        extra.append((switch, ""))  # path suffix such as "/all"
    return FULL_PAGE_SWITCHES + tuple(extra)


def _strip_path_switches(path: str, switches: tuple[tuple[str, str | None], ...]) -> str:
    for name, value in switches:
        if value == "" and name.startswith("/") and path.endswith(name) and len(path) > len(name):
            path = path[: -len(name)] or "/"
    return path


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def _is_switch(name: str, value: str, switches: tuple[tuple[str, str | None], ...]) -> bool:
    low, val = name.lower(), value.lower()
    return any(low == n and (v is None or v == val) for n, v in switches if v != "")


def _key_query(query: str, switches: tuple[tuple[str, str | None], ...]) -> str:
    if not query:
        return ""
    pairs = [
        (k, v)
        for k, v in parse_qsl(query, keep_blank_values=True)
        if k and not _is_tracking(k) and not _is_switch(k, v, switches)
    ]
    return urlencode(sorted(pairs), safe=_SAFE_QUERY, quote_via=quote)
