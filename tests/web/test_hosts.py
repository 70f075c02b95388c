"""The Host allow-list (DNS rebinding): a request naming another host gets a 400 with the security
headers; the bound address and its names, and names added by --allowed-host / WARTA_ALLOWED_HOSTS /
warta.toml, are answered. Against a real server and a real ``warta serve`` process."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from warta.config import load_settings
from warta.web.app import SECURITY_HEADERS
from warta.web.hosts import host_name, host_policy

from .conftest import LiveServer, fill_store, generated_articles, serve_process


@pytest.mark.parametrize(
    "header, name",
    [("127.0.0.1:8000", "127.0.0.1"), ("LocalHost.", "localhost"), ("[::1]:8000", "::1"), ("[::1]", "::1"),
     ("news.example", "news.example"), ("a:b", None), ("[::1]x", None), ("[nope]:1", None), ("", None),
     ("evil.example@127.0.0.1", None), ("with space", None), ("127.0.0.1:", None)],
)
def test_host_header_parsing(header: str, name: str | None) -> None:
    assert host_name(header) == name


def test_default_policy_follows_the_bound_address() -> None:
    loopback = host_policy("127.0.0.1")
    for ok in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost"):
        assert loopback.allows(ok), ok
    for bad in ("evil.example:8000", "127.0.0.1.nip.io", "localhost.evil.example", "10.0.0.1", "[::2]"):
        assert not loopback.allows(bad), bad
    assert loopback.allows(None)  # no Host header: not a browser, nothing to rebind
    lan = host_policy("192.0.2.10")
    assert lan.allows("192.0.2.10:8000") and not lan.allows("localhost") and not lan.allows("evil.example")
    everywhere = host_policy("0.0.0.0")
    assert everywhere.allows("192.0.2.77:8000") and everywhere.allows("[2001:db8::1]:80")
    assert everywhere.allows(socket.gethostname()) and not everywhere.allows("evil.example")
    extra = host_policy("127.0.0.1", "news.example, *.warta.example")
    assert extra.allows("news.example:443") and extra.allows("a.b.warta.example")
    assert not extra.allows("warta.example.evil") and not extra.allows("xwarta.example")
    assert host_policy("127.0.0.1", "*").allows("anything.example")


def test_allowed_hosts_from_environment_and_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no warta.toml of the developer's
    env = {"WARTA_ALLOWED_HOSTS": "a.example,b.example"}
    assert load_settings(environ=env, config_path=None).allowed_hosts == "a.example,b.example"
    toml = tmp_path / "warta.toml"
    toml.write_text('[warta]\nallowed_hosts = ["c.example", "*.d.example"]\n')
    settings = load_settings(config_path=toml, environ={})
    policy = host_policy(settings.host, settings.allowed_hosts)
    assert policy.allows("c.example") and policy.allows("x.d.example") and not policy.allows("a.example")


@pytest.fixture(scope="module")
def live(serve: Callable[..., LiveServer], tmp_path_factory: pytest.TempPathFactory) -> LiveServer:
    db = tmp_path_factory.mktemp("hosts") / "warta.db"
    return serve(db, fill=lambda base: generated_articles(base, 10))


@pytest.mark.parametrize("path", ["/api/search?q=banjir", "/", "/articles/1", "/openapi.json", "/static/warta.css"])
def test_rebound_name_gets_400_with_security_headers(live: LiveServer, path: str) -> None:
    port = live.base.rsplit(":", 1)[1]
    with httpx.Client(base_url=live.base, timeout=10) as client:
        for host in ("evil.example:" + port, "127.0.0.1.nip.io:" + port, "localhost.evil.example"):
            response = client.get(path, headers={"Host": host})
            assert response.status_code == 400, (host, response.text[:200])
            assert "host not allowed" in response.json()["detail"]
            for name, value in SECURITY_HEADERS.items():
                assert response.headers.get(name) == value
        long = client.get(path, headers={"Host": "a" * 5000})
        assert long.status_code == 400 and len(long.text) < 1000  # the name is not echoed in full
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LOCALHOST."):
            response = client.get(path, headers={"Host": host})
            assert response.status_code == 200, (host, response.text[:200])


def test_serve_command_allowed_host_option(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    fill_store(db, generated_articles("http://127.0.0.1:9", 5))
    with serve_process(db, tmp_path, "--allowed-host", "news.example", "--allowed-host", "*.warta.example",
                       WARTA_ALLOWED_HOSTS="env.example") as server:
        statuses = {host: server.client.get("/api/search", headers={"Host": f"{host}:{server.port}"}).status_code
                    for host in ("news.example", "a.warta.example", "env.example", "localhost", "evil.example")}
    assert statuses == {"news.example": 200, "a.warta.example": 200, "env.example": 200, "localhost": 200,
                        "evil.example": 400}
    assert "answering Host" in server.stderr and "news.example" in server.stderr
