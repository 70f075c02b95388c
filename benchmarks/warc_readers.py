"""FastWARC vs warcio: response records read per second on the same generated WARC files.

Usage: python benchmarks/warc_readers.py [--records N] [--runs R]
Writes N gzip-per-record responses (real news pages from tests/fixtures/extract) to a temporary
file, then reads every response record's URL, HTTP headers and body with each library,
alternating libraries per run; prints the median records/s of each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import warcfiles  # noqa: E402


def read_fastwarc(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    n = 0
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh, record_types=WarcRecordType.response, parse_http=True):
            rec.headers.get("WARC-Target-URI")
            rec.http_headers.get("Content-Type")
            rec.reader.read()
            n += 1
    return n


def read_warcio(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type != "response":
                continue
            rec.rec_headers.get_header("WARC-Target-URI")
            rec.http_headers.get_header("Content-Type")
            rec.content_stream().read()
            n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    readers: dict[str, Callable[[Path], int]] = {"fastwarc": read_fastwarc, "warcio": read_warcio}
    with tempfile.TemporaryDirectory() as tmp:
        path = warcfiles.write_warc(Path(tmp) / "bench.warc.gz", list(warcfiles.many_pages(args.records)))
        rates: dict[str, list[float]] = {name: [] for name in readers}
        for _ in range(args.runs):
            for name, read in readers.items():
                start = time.perf_counter()
                n = read(path)
                rates[name].append(n / (time.perf_counter() - start))
                assert n == args.records, (name, n)
        size = path.stat().st_size / 1e6
    print(f"{args.records} records, {size:.1f} MB gzip-per-record, median of {args.runs} runs")
    print("| reader | records/s |\n|---|---|")
    for name, values in rates.items():
        print(f"| {name} | {statistics.median(values):,.0f} |")


if __name__ == "__main__":
    main()
