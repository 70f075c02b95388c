"""What a user meets when the target is wrong (issue 15): a bad URL, a closed port or an unknown
host name is an error naming the cause, never "0 new articles" with exit 0 or a page reported as
robots-disallowed; robots outcomes say when robots.txt itself could not be fetched, and why.
Only loopback: a closed port on 127.0.0.1, and a ``.invalid`` name, which no resolver knows."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from click.testing import CliRunner, Result

from sitefixture import FixtureSite, Page, redirect
from warta.cli.main import cli
from warta.store.sqlite import Store


def crawl(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["crawl", *args, "--db", str(db), "--delay", "0", "--workers", "1"])


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # bound, never listening, then closed: connection refused


def frontier(db: Path) -> list[tuple[str, str, str]]:
    with Store(db) as store:
        rows = store.conn.execute("SELECT kind, outcome, detail FROM frontier ORDER BY id")
        return [(r["kind"], r["outcome"], r["detail"] or "") for r in rows]


def test_not_a_url_is_an_error(tmp_path: Path) -> None:
    for target in ("not-a-url", "example.com", "ftp://example.com/"):
        result = crawl(tmp_path / "x.db", target)
        assert result.exit_code != 0
        assert f"not a site URL: {target!r}" in result.output


def test_connection_refused_is_reported_as_such(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = crawl(db, f"http://127.0.0.1:{closed_port()}/", "--allow-private", "--json")
    assert result.exit_code == 1
    assert "nothing could be fetched" in result.output and "Connection refused" in result.output
    rows = frontier(db)
    assert ("robots", "error:network") in {(k, o) for k, o, _ in rows}
    robots_detail = next(d for k, _, d in rows if k == "robots")
    assert robots_detail.startswith("robots.txt could not be fetched: cannot connect")
    assert not any(o.startswith("robots") for _, o, _ in rows)  # nothing blamed on robots rules
    report = json.loads(result.stdout.splitlines()[0])
    assert report["responses"] == 0 and report["problem"].startswith("nothing could be fetched")


def test_unknown_host_is_a_dns_failure(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = crawl(db, "http://no-such-host.invalid/")
    assert result.exit_code == 1
    assert "DNS lookup failed for no-such-host.invalid" in result.output
    assert "Errno" not in result.output  # the resolver's reason in words, not its error number
    outcomes = {(k, o) for k, o, _ in frontier(db)}
    assert ("robots", "error:dns") in outcomes and ("listing", "error:dns") in outcomes
    assert not any(o.startswith("robots") for _, o in outcomes)


def test_private_target_without_allow_private_says_how_to_allow_it(tmp_path: Path) -> None:
    with FixtureSite({"/": Page(b"<html><body>hi</body></html>")}) as site:
        result = crawl(tmp_path / "x.db", site.url + "/")
        assert site.log == []  # refused before any connection
    assert result.exit_code == 1
    assert "non-public address 127.0.0.1" in result.output and "--allow-private" in result.output


def test_robots_outcomes_say_why_robots_txt_was_not_read(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    pages = {"/robots.txt": Page(b"down", 503), "/": Page(b"<html><body>hi</body></html>")}
    with FixtureSite(pages) as site:
        result = crawl(db, site.url + "/", "--allow-private")
    assert result.exit_code == 0  # the server answered: RFC 9309 makes the site disallowed
    rows = frontier(db)
    assert ("robots", "parsed", "disallow-all (robots.txt answered HTTP 503)") in rows
    outcome, detail = next((o, d) for k, o, d in rows if k == "listing")
    assert outcome == "robots-disallowed"
    assert detail.startswith("robots.txt disallows this URL: robots.txt answered HTTP 503")


def test_redirect_out_of_the_sites_is_recorded_not_followed(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    with FixtureSite({"/robots.txt": Page(b"", 404)}) as site:
        port = site.url.rsplit(":", 1)[1]
        site.mount({"/": redirect(f"http://localhost:{port}/elsewhere"), "/elsewhere": Page(b"<p>x</p>")})
        result = crawl(db, site.url + "/", "--allow-private")
        assert site.hits("/elsewhere") == []
    assert result.exit_code == 0
    listing = next((o, d) for k, o, d in frontier(db) if k == "listing")
    assert listing[0] == "redirect-out-of-scope" and f"http://localhost:{port}/elsewhere" in listing[1]


def test_watch_that_could_fetch_nothing_fails(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    target = f"http://127.0.0.1:{closed_port()}/"
    for extra in (["--once"], ["--every", "1s"]):  # a first poll that reaches no server ends the watch
        result = CliRunner().invoke(cli, ["watch", target, *extra, "--db", str(db), "--delay", "0",
                                          "--workers", "1", "--allow-private"])
        assert result.exit_code == 1, result.output
        assert "nothing could be fetched" in result.output and "Connection refused" in result.output


def test_a_recipe_name_is_named_as_such_with_its_address(tmp_path: Path) -> None:
    result = crawl(tmp_path / "x.db", "antaranews", "--since", "2016-02-14")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: 'antaranews' is a site recipe, not a URL: give the site's address, such as https://www.antaranews.com/")


def test_crawl_and_watch_help_examples_name_sites_by_url() -> None:
    """The examples at the end of --help are copied as they are: their sites must be accepted."""
    import shlex

    from warta.pipeline.runner import check_sites

    for name in ("crawl", "watch"):
        command = cli.commands[name]
        examples = [line.strip() for line in (command.epilog or "").splitlines() if line.strip().startswith("warta ")]
        assert examples
        for example in examples:
            ctx = command.make_context(name, shlex.split(example)[2:])
            check_sites(ctx.params["sites"])
