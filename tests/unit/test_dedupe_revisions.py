"""Revisions with diffs and the revisit schedule, in a real store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from warta.dedupe import due_for_revisit, history, mark_revisited, parse_schedule, record_revision
from warta.errors import ConfigError
from warta.model import Article, Block
from warta.store.sqlite import Store


def art(*paras: str, title: str = "Harga emas") -> Article:
    return Article(url="https://a.test/emas", title=title, body=tuple(Block("paragraph", p) for p in paras))


def test_changed_content_keeps_versions_and_a_readable_diff(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        assert record_revision(store, "k", art("Harga emas naik.", "Pedagang senang."), "2024-01-01T00:00:00+00:00") is None
        assert record_revision(store, "k", art("Harga emas naik.", "Pedagang senang."), "2024-01-02T00:00:00+00:00") is None
        rev = record_revision(store, "k", art("Harga emas turun.", "Pedagang senang."), "2024-01-03T00:00:00+00:00")
        assert rev is not None and rev.version == 2
        assert "-Harga emas naik." in rev.diff and "+Harga emas turun." in rev.diff
        assert "Pedagang senang." in rev.diff  # context line
        rev3 = record_revision(store, "k", art("Harga emas turun.", "Pedagang senang.", title="Emas turun"))
        assert rev3 is not None and "+# Emas turun" in rev3.diff
        assert [v.version for v in history(store, "k")] == [1, 2, 3]
        assert history(store, "k")[0].text == "Harga emas naik.\n\nPedagang senang."


def test_history_accepts_the_article_url(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        a = art("Satu.")
        store.upsert_article("key-1", a)
        record_revision(store, "key-1", a)
        assert [v.version for v in history(store, "https://a.test/emas")] == [1]


def test_due_for_revisit_follows_the_schedule(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        store.upsert_article("k1", art("Satu."))
        first_seen = datetime.fromisoformat(store.get_article_by_key("k1").first_seen)  # type: ignore[union-attr]
        sched = parse_schedule("1h,1d,7d")
        assert sched == [timedelta(hours=1), timedelta(days=1), timedelta(days=7)]
        assert due_for_revisit(store, sched, first_seen + timedelta(minutes=30)) == []
        assert due_for_revisit(store, sched, first_seen + timedelta(hours=2)) == ["https://a.test/emas"]
        mark_revisited(store, "k1", (first_seen + timedelta(hours=2)).isoformat())
        assert due_for_revisit(store, sched, first_seen + timedelta(hours=3)) == []
        assert due_for_revisit(store, sched, first_seen + timedelta(days=2)) == ["https://a.test/emas"]
        assert due_for_revisit(store, [], datetime.now(UTC)) == []


@pytest.mark.parametrize("spec", ["1x", "h", "1h,,abc"])
def test_bad_schedule_is_a_config_error(spec: str) -> None:
    with pytest.raises(ConfigError):
        parse_schedule(spec)


def test_a_new_article_is_its_own_first_version_until_its_content_changes(tmp_path: Path) -> None:
    from warta.dedupe import on_stored

    with Store(tmp_path / "w.db") as store:
        first = art("Harga emas naik.", "Pedagang senang.")
        aid, _ = store.upsert_article("k", first)
        on_stored(store, aid, first)
        rows = store.conn.execute("SELECT COUNT(*) FROM revisions").fetchone()[0]
        assert rows == 0  # the article row is version 1: its text is not copied
        (v1,) = history(store, "k")
        assert v1.version == 1 and v1.text == first.text and v1.fetched_at == store.get_article(aid).first_seen  # type: ignore[union-attr]
        # an upsert that replaces the content keeps the old content as version 1 first
        store.upsert_article("k", art("Harga emas turun.", "Pedagang senang."))
        store.upsert_article("k", art("Harga emas turun tajam.", "Pedagang sedih."))
        rev = record_revision(store, "k", art("Harga emas turun tajam.", "Pedagang sedih."))
        versions = history(store, "k")
        assert [v.text for v in versions] == [first.text, "Harga emas turun tajam.\n\nPedagang sedih."]
        assert rev is not None and rev.version == 2 and "-Harga emas naik." in rev.diff


def test_recording_after_an_upsert_of_the_same_content_keeps_one_version(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        a = art("Satu.")
        store.upsert_article("k", a)
        store.upsert_article("k", a)  # unchanged: nothing to keep
        assert record_revision(store, "k", a) is None
        assert [v.version for v in history(store, "k")] == [1]
        assert record_revision(store, "k", art("Dua.")) is not None
        assert [v.text for v in history(store, "k")] == ["Satu.", "Dua."]
