from __future__ import annotations

from warta.extract.body import BodyResult
from warta.extract.metadata import Metadata, refine
from warta.model import Article, Block


def _body(*texts: str) -> BodyResult:
    return BodyResult(blocks=tuple(Block("paragraph", t) for t in texts))


def test_credit_lines_trailer_and_signature_move_to_furniture() -> None:
    body = _body(
        "Jakarta - Harga cabai naik tajam pekan ini.",
        "Pewarta: Nur Imansyah",
        "Jalan saja bisa dilakukan. DINI TEJA",
        "Editor: Ade Marboen",
    )
    meta, cleaned = refine(Metadata(signature="DINI TEJA"), body)
    assert [b.text for b in cleaned.blocks] == ["Jakarta - Harga cabai naik tajam pekan ini.", "Jalan saja bisa dilakukan."]
    assert cleaned.furniture == ("Pewarta: Nur Imansyah", "Editor: Ade Marboen", "DINI TEJA")
    assert refine(meta, cleaned)[1] == cleaned  # idempotent


def test_editor_initials_are_removed_from_the_last_block() -> None:
    _, cleaned = refine(Metadata(), _body("Teks pertama.", "Film ini sudah tayang sejak 4 Februari lalu. (kpl/pur/tch)"))
    assert cleaned.blocks[-1].text == "Film ini sudah tayang sejak 4 Februari lalu."
    assert cleaned.furniture == ("(kpl/pur/tch)",)


def test_lead_repeating_the_first_paragraph_is_dropped() -> None:
    meta = Metadata(Article(lead="Harga cabai naik tajam pekan ini", provenance={"lead": "meta"}))
    refined, _ = refine(meta, _body("Harga cabai naik tajam pekan ini.", "Lanjutan."))
    assert refined.fields.lead is None and "lead" not in refined.fields.provenance
    kept, _ = refine(Metadata(Article(lead="Ringkasan lain")), _body("Harga cabai naik tajam pekan ini."))
    assert kept.fields.lead == "Ringkasan lain"


def test_prose_is_untouched() -> None:
    body = _body("Oleh karena itu, harga naik.", "Sumber: Pemerintah Kota Cekmekoy")
    assert refine(Metadata(), body)[1] == body
