from __future__ import annotations

import pytest

from warta.extract.meta_text import find_dateline, signature

SITES = ["Bisnis.com", "Kompas.com", "tempo.co", "Kapanlagi.com"]


@pytest.mark.parametrize(
    ("text", "city", "wires"),
    [
        ("Mataram, NTB (ANTARA News) - Sebanyak 29 penerbangan", "Mataram", ("ANTARA",)),
        ("Jakarta (ANTARA) - PT Astra meluncurkan", "Jakarta", ("ANTARA",)),
        ("Bisnis.com, MOSKOW - Kerry membicarakan", "MOSKOW", ()),
        ("JAKARTA, KOMPAS.com - Presiden mengatakan", "JAKARTA", ()),
        ("TEMPO.CO, Jakarta - Organisasi Kesehatan Dunia", "Jakarta", ()),
        ("Jakarta - Galaxy S6 Edge adalah", "Jakarta", ()),
        ("ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) -- Pemerintah kota", "ISTANBUL", ("PRNewswire", "ANTARA")),
        ("BERLIN (dpa) - Die Regierung", "BERLIN", ("dpa",)),
    ],
)
def test_datelines(text: str, city: str, wires: tuple[str, ...]) -> None:
    found = find_dateline(text, SITES)
    assert found is not None
    assert (found.city, found.wires) == (city, wires)


def test_no_dateline() -> None:
    assert find_dateline("Kapanlagi.com - Brandon Salim makin mantap", SITES) is None
    assert find_dateline("PT PLN hari ini resmi mengoperasikan gardu", SITES) is None


def test_closing_signature() -> None:
    assert signature(["Teks.", "Jalan saja bisa dilakukan. DINI TEJA"]) == "DINI TEJA"
    assert signature(["Teks terakhir.", "ANTARA"]) == "ANTARA"
    assert signature(["Harga naik lagi kata dia."]) is None


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("Jakarta, CNN Indonesia -- Presiden", "Jakarta"),
        ("REPUBLIKA.CO.ID, JAKARTA -- Presiden", "JAKARTA"),
        ("JAKARTA, KONTAN.CO.ID - Harga", "JAKARTA"),
        ("Bisnis.com, JAKARTA — Harga", "JAKARTA"),
        ("PADANG, KOMPAS.com – Harga", "PADANG"),
    ],
)
def test_portal_datelines(text: str, city: str) -> None:
    found = find_dateline(text, SITES)
    assert found is not None and found.city == city
