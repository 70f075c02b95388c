"""Request fuzz against the web app (issue 13): count of 5xx (must be 0), answers without the
security headers (must be 0), latency p50/p99.

Builds a store in a temporary directory (by default 10,500 articles that all match ``banjir`` and
the empty query, so every count is capped, plus articles whose fields start with spreadsheet
formula characters), starts ``warta serve`` on 127.0.0.1 as a separate process, and sends a
seeded random sequence of odd requests from a few client threads: out-of-range and non-numeric
integers (offsets and pages past 2**63, ids past SQLite's range), long filters (50,001 characters:
past SQLite's LIKE limit), operator-only and malformed queries, control characters, bad dates,
unknown paths and methods, path traversal under /static, wrong Host headers (DNS rebinding),
exports in every format, write endpoints with and without the token. Nothing leaves 127.0.0.1.
Bounded by ``--requests`` and ``--seconds``, whichever comes first.

``--peer-src DIR`` runs the same request sequence against a server started from another source
tree (e.g. ``/path/to/main/src``) in the same run, for a before/after table.

    PYTHONPATH=src python benchmarks/reliability_web.py                      # 3000 requests, 4 threads
    PYTHONPATH=src python benchmarks/reliability_web.py --requests 500 --articles 2000 --json
    PYTHONPATH=src python benchmarks/reliability_web.py --peer-src ../main/src

Exit status 1 when any 5xx or any answer without the security headers was seen.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from warta.model import Article, Block
from warta.store.sqlite import Store

REPO = Path(__file__).resolve().parents[1]
TOKEN = "fuzz-token-0b7"
HEADERS_REQUIRED = ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options")
FORMULAS = ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx")


def build_store(db: Path, articles: int) -> None:
    with Store(db) as store, store.transaction():
        for i in range(articles):
            store.upsert_article(f"f|{i}", Article(
                url=f"https://besar.example/{i}", domain=("besar.example", "kecil.example")[i % 2],
                site_name="Besar", language=("id", "en")[i % 2], title=f"Laporan banjir {i}",
                authors=(f"Penulis {i % 7}",), section="nasional",
                published=f"2024-03-{1 + i % 28:02d}T08:{i % 60:02d}:00+07:00",
                body=(Block("paragraph", f"Paragraf banjir nomor {i} di Jakarta."),),
            ))
        for n, value in enumerate(FORMULAS):
            store.upsert_article(f"formula|{n}", Article(
                url=f"https://rumus.example/{n}", domain="rumus.example", title=value, authors=(value,),
                body=(Block("paragraph", value + " rumus"),),
            ))


# -- the fuzz ------------------------------------------------------------------------------------

BIG_INTS = ["9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
            "1" + "0" * 40, "-1", "0", "1e9", "0x10", " 1", "NaN", "", "１２"]
QUERIES = ["banjir", "(", ")", "OR", "NOT", "AND", '""', '"', "( OR )", "banjir OR", "-banjir", "*", "pemilu*",
           "title:banjir", "NEAR(a b)", "a^", "\x00", "\x1f\x7f", "'; DROP TABLE articles; --", "🙂", "x" * 501,
           "banjir " * 70, "((((((((((banjir))))))))))", "rumus", "%", "_", "\\", "=1+1"]
LONG = ["x" * 50_001, "%_" * 300, "y" * 501]
DATES = ["2024-03-01", "2024-02-30", "kemarin", "9999-99-99", "2024-03-01\x00", "+002024-03-01", ""]
PATHS = ["/api/search", "/api/facets", "/api/stats/days", "/api/export", "/", "/api/stats/sites", "/api/runs",
         "/status", "/openapi.json"]
ODD_PATHS = ["/static/../app.py", "/static/%2e%2e/app.py", "/static/warta.css", "/static/none.js", "/api/",
             "/api/search/", "/docs", "/redoc", "/articles/", "/articles/abc", "/api/articles/%00", "/%ff%fe",
             "/" + "a" * 4000, "/api/articles/1/../../status"]
METHODS = ["GET"] * 12 + ["HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]


@dataclass(frozen=True)
class Fuzz:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]


def make_requests(count: int, seed: int) -> list[Fuzz]:
    rng = random.Random(seed)
    return [one_request(rng) for _ in range(count)]


def one_request(rng: random.Random) -> Fuzz:
    headers: dict[str, str] = {}
    kind = rng.random()
    if kind < 0.55:
        path = rng.choice(PATHS)
        params = _params(rng)
    elif kind < 0.75:
        path = f"/{rng.choice(['api/articles', 'articles'])}/{rng.choice(BIG_INTS + [str(rng.randint(1, 12000))])}"
        params = {}
    elif kind < 0.85:
        path, params = rng.choice(ODD_PATHS), {}
    else:
        path, params = rng.choice(PATHS[:5]), _params(rng)
        headers["Host"] = rng.choice(["evil.example", "127.0.0.1.nip.io", "localhost.evil.example", "[::2]", "a b",
                                      "", "localhost", "127.0.0.1"])
    if path == "/api/export" and params.get("q", "") in {"", "banjir", "banjir " * 70}:
        params["q"] = "rumus"  # an export of all 10,500 articles takes seconds: the fuzz is about answers
    method = rng.choice(METHODS)
    if rng.random() < 0.3:
        headers["Authorization"] = rng.choice([f"Bearer {TOKEN}", "Bearer nope", "Basic eA==", "Bearer", ""])
    if method in {"DELETE", "POST"} and path == "/api/reindex":  # a reindex per request only costs time
        path = "/api/search"
    return Fuzz(method, path, params, headers)


def _params(rng: random.Random) -> dict[str, str]:
    params: dict[str, str] = {}
    choices: dict[str, list[str]] = {
        "q": QUERIES, "offset": BIG_INTS, "page": BIG_INTS, "limit": BIG_INTS, "per_page": BIG_INTS,
        "author": LONG + ["Penulis 1", "=1+1", "%", ""], "site": LONG + ["besar.example", "\x00"],
        "language": ["id", "xx", ""], "section": ["nasional", ""], "since": DATES, "until": DATES,
        "paywalled": ["true", "false", "maybe", ""], "sort": ["date", "relevance", "oops"],
        "format": ["jsonl", "csv", "parquet", "xml"],
    }
    for name in rng.sample(sorted(choices), rng.randint(0, 4)):
        params[name] = rng.choice(choices[name])
    if "offset" not in params and rng.random() < 0.5:
        params["q"] = rng.choice(["banjir", ""])  # many matches: the deep-offset paths need them
        params[rng.choice(["offset", "page"])] = rng.choice(BIG_INTS[:5])
    return params


# -- the server ----------------------------------------------------------------------------------

@dataclass
class Server:
    proc: subprocess.Popen[str]
    base: str
    log: Path


def start_server(db: Path, src: Path, workdir: Path) -> Server:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARTA_")}
    env.update(PYTHONPATH=str(src), WARTA_API_TOKEN=TOKEN, WARTA_CONFIG=str(workdir / "absent.toml"))
    log = workdir / f"server-{port}.log"
    cmd = [sys.executable, "-c", "from warta.cli.main import main; main()", "serve", "--db", str(db),
           "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, cwd=workdir, stdout=subprocess.DEVNULL, stderr=log.open("w"), text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/api/stats/sites", timeout=5)
            return Server(proc, base, log)
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"warta serve did not start: {log.read_text()[-2000:]}") from None
            time.sleep(0.2)


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()


# -- running and reporting -----------------------------------------------------------------------

@dataclass
class Result:
    name: str
    sent: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    missing_headers: int = 0
    transport_errors: int = 0
    latencies: list[float] = field(default_factory=list)
    examples_5xx: list[str] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    def row(self) -> dict[str, Any]:
        return {
            "server": self.name, "requests": self.sent, "5xx": self.server_errors,
            "no_security_headers": self.missing_headers, "transport_errors": self.transport_errors,
            "p50_ms": round(self.percentile(50), 1), "p99_ms": round(self.percentile(99), 1),
            "max_ms": round(max(self.latencies, default=0) * 1000, 1),
            "median_ms": round(statistics.median(self.latencies) * 1000, 1) if self.latencies else None,
            "statuses": dict(sorted(self.statuses.items())),
        }


def fuzz(name: str, base: str, requests: list[Fuzz], threads: int, seconds: float) -> Result:
    result = Result(name)
    deadline = time.monotonic() + seconds

    def send(item: Fuzz) -> tuple[int | None, bool, float, str]:
        if time.monotonic() > deadline:
            return None, True, 0.0, ""
        started = time.perf_counter()
        try:
            with httpx.Client(base_url=base, timeout=60) as client:  # a fresh connection: no shared state
                response = client.request(item.method, item.path, params=item.params, headers=item.headers)
        except (httpx.TransportError, httpx.InvalidURL, UnicodeEncodeError) as exc:
            return -1, True, time.perf_counter() - started, f"{item.method} {item.path} {exc!r}"
        elapsed = time.perf_counter() - started
        ok = all(h in response.headers for h in HEADERS_REQUIRED)
        return response.status_code, ok, elapsed, f"{item.method} {item.path} {item.params} {item.headers}"

    with ThreadPoolExecutor(max_workers=threads) as pool:
        for status, ok, elapsed, where in pool.map(send, requests):
            if status is None:
                continue
            result.sent += 1
            if status < 0:
                result.transport_errors += 1
                continue
            result.statuses[status] += 1
            result.latencies.append(elapsed)
            result.slowest = sorted([*result.slowest, (elapsed, f"{status} {where[:160]}")], reverse=True)[:5]
            result.missing_headers += not ok
            if status >= 500 and len(result.examples_5xx) < 5:
                result.examples_5xx.append(f"{status} {where[:200]}")
    return result


def table(results: list[Result]) -> str:
    lines = ["| server | requests | 5xx | no security headers | p50 ms | p99 ms | max ms | answers |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        row = r.row()
        answers = ", ".join(f"{s}: {n}" for s, n in row["statuses"].items())
        lines.append(f"| {r.name} | {row['requests']} | {row['5xx']} | {row['no_security_headers']} | {row['p50_ms']}"
                     f" | {row['p99_ms']} | {row['max_ms']} | {answers} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=300.0, help="stop sending after this long")
    parser.add_argument("--articles", type=int, default=10_500)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--peer-src", type=Path, default=None, help="also fuzz a server from this source tree")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    requests = make_requests(args.requests, args.seed)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="warta-fuzz-") as tmp:
        workdir = Path(tmp)
        db = workdir / "fuzz.db"
        build_store(db, args.articles)
        trees = [("this tree", REPO / "src")] + ([(f"peer {args.peer_src}", args.peer_src)] if args.peer_src else [])
        for name, src in trees:
            server = start_server(db, src.resolve(), workdir)
            try:
                results.append(fuzz(name, server.base, requests, args.threads, args.seconds))
            finally:
                stop_server(server)
    if args.json:
        print(json.dumps([r.row() | {"examples_5xx": r.examples_5xx, "slowest": r.slowest} for r in results], indent=1))
    else:
        for r in results:
            for elapsed, where in r.slowest:
                print(f"  slowest, {r.name}: {elapsed * 1000:.0f} ms {where}", file=sys.stderr)
        print(f"{args.requests} requests planned (seed {args.seed}), {args.threads} client threads,"
              f" {args.articles} articles (+{len(FORMULAS)} formula rows)")
        print(table(results))
        for r in results:
            for example in r.examples_5xx:
                print(f"  {r.name}: {example}")
    mine = results[0]
    return 1 if mine.server_errors or mine.missing_headers else 0


if __name__ == "__main__":
    sys.exit(main())
