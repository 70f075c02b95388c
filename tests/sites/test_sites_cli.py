"""`warta sites list|check`, the live check against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from warta.cli.main import cli

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Lokal</title><link>http://127.0.0.1/</link>
<item><title>Satu</title><link>/read/2016/10/05/1/gempa-di-lombok</link><pubDate>Wed, 05 Oct 2016 10:00:00 +0700</pubDate></item>
<item><title>Dua</title><link>/read/2016/10/05/2/banjir-di-jakarta</link></item>
</channel></rss>"""
INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/sitemap-1.xml</loc></sitemap></sitemapindex>"""
URLSET = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>/read/2016/10/04/3/a</loc></url><url><loc>/read/2016/10/04/4/b</loc></url><url><loc>/tag/x</loc></url></urlset>"""
LISTING = b"""<html><body><a href="/read/2016/10/05/5/c">c</a><a href="/tag/gempa">tag</a>
<a href="/private/read/2016/10/05/6/d">d</a></body></html>"""
ROUTES = {
    "/robots.txt": (200, b"User-agent: *\nDisallow: /private\nCrawl-delay: 0.3\n"),
    "/rss": (200, RSS),
    "/private/feed": (200, RSS),
    "/sitemap.xml": (200, INDEX),
    "/sitemap-1.xml": (200, URLSET),
    "/indeks": (200, LISTING),
}
HEADERS = {  # routes whose answer carries a header
    "/moved": (301, {"Location": "/rss"}),
    "/meta": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}),
    "/to-private": (302, {"Location": "/private/feed"}),
    "/busy": (503, {"Retry-After": "0"}),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.server.log.append((time.monotonic(), self.path, self.headers.get("User-Agent")))  # type: ignore[attr-defined]
        path = self.path.split("?")[0]
        status, body = ROUTES.get(path, (404, b"not found"))
        status, headers = HEADERS.get(path, (status, {}))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ThreadingHTTPServer]:
    monkeypatch.setenv("WARTA_ALLOW_PRIVATE", "1")  # the server is on 127.0.0.1: allowed explicitly
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.log = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _recipe_dir(tmp_path: Path, port: int) -> Path:
    base = f"http://127.0.0.1:{port}"
    (tmp_path / "lokal.toml").write_text(
        f"""id = "lokal"
name = "Lokal"
domains = ["127.0.0.1"]
feeds = ["{base}/rss", "{base}/private/feed"]
sitemaps = ["{base}/sitemap.xml"]
listing_templates = ["{base}/indeks?date={{date:%Y-%m-%d}}"]
index_pages = ["{base}/gone"]
sources = ["test"]
"""
    )
    return tmp_path


def test_live_check_against_loopback_site(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    port = server.server_address[1]
    args = ["sites", "check", "--live", "--recipes", str(_recipe_dir(tmp_path, port)), "--delay", "0.2", "--json", "lokal"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.output)["live"]
    probes = {p["url"].split(str(port))[1].split("?")[0]: p for p in report["probes"]}
    assert report["working"] is True
    assert probes["/rss"]["outcome"] == "ok" and probes["/rss"]["articles"] == 2
    assert probes["/private/feed"]["outcome"] == "robots-disallowed"
    assert probes["/sitemap.xml"]["articles"] == 2 and "index of 1" in probes["/sitemap.xml"]["detail"]
    assert probes["/indeks"]["articles"] == 2
    assert probes["/gone"]["outcome"] == "http-404"
    log = server.log  # type: ignore[attr-defined]
    paths = [p for _, p, _ in log]
    assert not any(p.startswith("/private") for p in paths)
    assert paths.count("/robots.txt") == 1
    assert all(ua and ua.startswith("warta/") for _, _, ua in log)
    gaps = [b[0] - a[0] for a, b in zip(log, log[1:], strict=False)]
    assert min(gaps) >= 0.29  # robots.txt Crawl-delay 0.3 s beats --delay 0.2


def test_live_check_reports_a_dead_recipe(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    port = server.server_address[1]
    (tmp_path / "mati.toml").write_text(
        f'id = "mati"\nname = "Mati"\ndomains = ["127.0.0.1"]\nindex_pages = ["http://127.0.0.1:{port}/gone"]\n'
    )
    result = CliRunner().invoke(cli, ["sites", "check", "--live", "--recipes", str(tmp_path), "--delay", "0", "mati"])
    assert result.exit_code == 1
    assert "NOT WORKING" in result.output and "http-404" in result.output


def test_sites_list_json() -> None:
    result = CliRunner().invoke(cli, ["sites", "list", "--json"])
    assert result.exit_code == 0
    recipes = json.loads(result.output)
    assert len(recipes) >= 20
    assert {"id", "status", "domains", "feeds", "listing_templates", "verified_by"} <= set(recipes[0])
    table = CliRunner().invoke(cli, ["sites", "list"]).output
    assert "kompas" in table and "verified" in table


def test_offline_check_all_bundled_recipes_pass() -> None:
    result = CliRunner().invoke(cli, ["sites", "check", "--json"])
    assert result.exit_code == 0, result.output
    assert all(c["ok"] for c in json.loads(result.output)["offline"])


def test_offline_check_finds_problems(tmp_path: Path) -> None:
    (tmp_path / "salah.toml").write_text(
        'id = "salah"\nname = "Salah"\ndomains = ["salah.example"]\n'
        'feeds = ["https://elsewhere.example/rss", "https://salah.example/read/2016/10/05/1/artikel-bukan-feed"]\n'
    )
    result = CliRunner().invoke(cli, ["sites", "check", "--recipes", str(tmp_path), "salah"])
    assert result.exit_code == 1
    assert "not covered" in result.output and "looks like an article" in result.output


def test_unknown_site_and_bad_recipe_dir(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["sites", "check", "no-such-site"]).exit_code == 2
    (tmp_path / "bad.toml").write_text("id = [")
    result = CliRunner().invoke(cli, ["sites", "list", "--recipes", str(tmp_path)])
    assert result.exit_code == 1 and "cannot read site recipe" in result.output


def test_live_check_allow_private_flag(server: ThreadingHTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WARTA_ALLOW_PRIVATE")  # neither the environment nor warta.toml allows it
    args = ["sites", "check", "--live", "--recipes", str(_recipe_dir(tmp_path, server.server_address[1])),
            "--delay", "0", "--json", "lokal"]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 1
    (report,) = json.loads(refused.output)["live"]
    assert report["working"] is False and server.log == []  # type: ignore[attr-defined]
    first = report["probes"][0]  # named as robots.txt that could not be read, not as a robots rule
    assert first["outcome"] == "error" and first["detail"].startswith("robots.txt could not be fetched")
    assert "non-public address 127.0.0.1" in first["detail"]
    allowed = CliRunner().invoke(cli, [*args, "--allow-private"])
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(allowed.output)["live"][0]["working"] is True


def test_live_check_one_fetcher_for_all_recipes(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    """Two recipes on one host: robots.txt is read once for the whole check, its Crawl-delay
    separates every two requests (also across recipes), in-site redirects are followed with
    robots.txt checked on each hop, a redirect to the metadata address is never dialled, and a
    503 is retried as the crawler retries it."""
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (tmp_path / "satu.toml").write_text(
        f'id = "satu"\nname = "Satu"\ndomains = ["127.0.0.1"]\nfeeds = ["{base}/moved", "{base}/to-private"]\n'
        f'index_pages = ["{base}/meta"]\n'
    )
    (tmp_path / "dua.toml").write_text(
        f'id = "dua"\nname = "Dua"\ndomains = ["127.0.0.1"]\nfeeds = ["{base}/rss"]\nindex_pages = ["{base}/busy"]\n'
    )
    args = ["sites", "check", "--live", "--recipes", str(tmp_path), "--delay", "0", "--json", "satu", "dua"]
    result = CliRunner().invoke(cli, args)
    satu, dua = json.loads(result.output)["live"]
    moved, to_private, meta = satu["probes"]
    assert moved["outcome"] == "ok" and moved["articles"] == 2 and moved["status"] == 200
    assert to_private["outcome"] == "error" and "RobotsDisallowed" in to_private["detail"]
    assert meta["outcome"] == "error" and meta["detail"].startswith("RedirectOutOfScope")
    assert "169.254.169.254" in meta["detail"]
    rss, busy = dua["probes"]
    assert rss["outcome"] == "ok" and busy["outcome"] == "http-503" and busy["status"] == 503
    log = server.log  # type: ignore[attr-defined]
    paths = [p for _, p, _ in log]
    assert paths.count("/robots.txt") == 1  # one fetcher for the whole check
    assert not any(p.startswith("/private") for p in paths)  # the disallowed hop was not requested
    assert paths.count("/busy") == 4  # the crawler's policy: three retries of a 503
    gaps = [b[0] - a[0] for a, b in zip(log, log[1:], strict=False)]
    assert min(gaps) >= 0.29  # Crawl-delay 0.3 s beats --delay 0, across both recipes
