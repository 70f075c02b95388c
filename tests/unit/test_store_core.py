from __future__ import annotations

from pathlib import Path

from warta.model import Article, Block, Capture
from warta.store import Store


def test_upsert_by_key_and_capture_roundtrip(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    with Store(db) as store:
        cap = Capture("http://x/a", "http://x/a", 200, (("Content-Type", "text/html"),), b"<p>hi</p>", "2024-01-01T00:00:00+00:00")
        cid = store.add_capture("x/a", cap)
        a1 = Article(url="http://x/a", title="one", published="2016-10-05T10:00:00+07:00", body=(Block("paragraph", "p"),))
        id1, inserted = store.upsert_article("x/a", a1, cid)
        assert inserted
        id2, inserted2 = store.upsert_article("x/a", a1.replace(title="two"))
        assert (id2, inserted2) == (id1, False)
        assert store.count_articles() == 1
    with Store(db) as store:
        got = store.get_article(id1)
        assert got is not None and got.article.title == "two" and got.capture_id == cid
        assert store.get_capture(cid) == cap
        mode = store.conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_nested_transactions_commit_once_and_roll_back_together(tmp_path: Path) -> None:
    import pytest

    from warta.errors import StoreError

    with Store(tmp_path / "n.db") as store:
        a = Article(url="http://x/a", title="a", body=(Block("paragraph", "p"),))
        with pytest.raises(StoreError):
            with store.transaction() as conn:
                store.upsert_article("x/a", a)  # inner transaction joins the outer one
                conn.execute("INSERT INTO no_such_table VALUES (1)")
        assert store.count_articles() == 0  # rolled back with the failing statement
        with store.transaction():
            store.upsert_article("x/a", a)
            store.upsert_article("x/b", a.replace(url="http://x/b"))
        assert store.count_articles() == 2
        assert not store.conn.in_transaction


def test_a_failing_savepoint_undoes_only_its_own_writes(tmp_path: Path) -> None:
    import pytest

    db = tmp_path / "s.db"
    a = Article(url="http://x/a", title="a", body=(Block("paragraph", "p"),))
    with Store(db) as store:
        with store.transaction():
            with store.savepoint():
                store.upsert_article("x/a", a)
            with pytest.raises(ValueError), store.savepoint():
                store.upsert_article("x/b", a.replace(url="http://x/b"))
                raise ValueError("a hook tripped")
            with store.savepoint():
                store.upsert_article("x/c", a.replace(url="http://x/c"))
            assert store.conn.in_transaction  # releasing a savepoint did not commit the batch
        assert not store.conn.in_transaction
    with Store(db) as store:  # what was committed, seen by a fresh connection
        assert [s.url_key for s in store.iter_articles()] == ["x/a", "x/c"]



_OPEN_AT_ONCE = """
import sys, time
from warta.store.backends import open_article_store, open_frontier
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.0005)
with open_article_store(sys.argv[1]) as store:
    open_frontier(store).job("backfill", ["https://x.example/"], sys.argv[3], sys.argv[3])
    store.count_articles()
"""


def test_processes_opening_a_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    # SQLite answers "database is locked" at once (no busy wait) where two connections upgrade read
    # locks or switch the journal mode together; opening retries it. Without the retry about one
    # attempt in six saw a process fail ("cannot open store: database is locked"), as two crawl
    # jobs started together on a new file did in CI.
    import subprocess
    import sys
    import time

    for attempt in range(4):
        db = tmp_path / f"new{attempt}.db"
        start = time.time() + 1.5
        procs = [subprocess.Popen([sys.executable, "-c", _OPEN_AT_ONCE, str(db), str(start), f"2024-01-0{i + 1}"],
                                  stderr=subprocess.PIPE, text=True) for i in range(6)]
        errors = [p.communicate(timeout=120)[1] for p in procs]
        assert [p.returncode for p in procs] == [0] * 6, [e[-500:] for e in errors if e]
