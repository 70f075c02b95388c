"""Property tests of URL keys: idempotent and stable under the variants of one article's address."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from warta.urls import normalize_url, url_key

_label = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)
_segment = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
).map(str.strip).filter(lambda s: s not in ("", ".", ".."))
_param = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda p: not p.startswith(("utm_", "pk_", "mtm_")) and p not in {"amp", "page", "single", "showpage"}
)
_value = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8).map(str.strip)


@st.composite
def article_urls(draw: st.DrawFn) -> str:
    host = ".".join(draw(st.lists(_label, min_size=1, max_size=2))) + draw(st.sampled_from([".com", ".co.id", ".id"]))
    path = "/".join(draw(st.lists(_segment, min_size=1, max_size=4)))
    params = draw(st.dictionaries(_param, _value, max_size=3))
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = f"https://{host}/{path}"
    return url + ("?" + query if query else "")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_key_is_idempotent_on_any_text(text: str) -> None:
    key = url_key(text)
    assert url_key(key) == key


@settings(max_examples=300, deadline=None)
@given(article_urls())
def test_key_is_idempotent_and_a_url(url: str) -> None:
    key = url_key(url)
    assert url_key(key) == key
    assert normalize_url(key) is not None
    assert urlsplit(key).scheme == "https"


@settings(max_examples=200, deadline=None)
@given(article_urls(), st.lists(st.sampled_from(["utm_source=x", "utm_medium=y", "fbclid=abc", "gclid=1"]), max_size=3), st.randoms())
def test_key_stable_under_tracking_params_and_reordering(url: str, tracking: list[str], rnd: object) -> None:
    parts = urlsplit(url)
    params = [p for p in parts.query.split("&") if p] + tracking
    import random

    assert isinstance(rnd, random.Random)
    rnd.shuffle(params)
    variant = parts._replace(query="&".join(params)).geturl()
    assert url_key(variant) == url_key(url)


@settings(max_examples=200, deadline=None)
@given(article_urls(), st.text(max_size=10), st.sampled_from(["www.", "m.", "amp.", "WWW.", ""]), st.booleans())
def test_key_stable_under_fragment_case_prefix_and_scheme(url: str, fragment: str, prefix: str, http: bool) -> None:
    parts = urlsplit(url)
    host = prefix + parts.netloc.upper()
    variant = parts._replace(scheme="http" if http else "https", netloc=host, fragment=fragment).geturl()
    assert url_key(variant) == url_key(url)


@settings(max_examples=200, deadline=None)
@given(article_urls(), st.sampled_from(["page=all", "single=1", "amp", "amp=1", "showpage=all"]))
def test_key_stable_under_amp_and_full_page_variants(url: str, switch: str) -> None:
    parts = urlsplit(url)
    query = "&".join(p for p in (parts.query, switch) if p)
    assert url_key(parts._replace(query=query).geturl()) == url_key(url)
    amp_path = parts._replace(path=parts.path.rstrip("/") + "/amp").geturl()
    assert url_key(amp_path) == url_key(url)
