from __future__ import annotations

from warta.extract.meta_authors import clean_name, credits_in, read_credit, split_names


def test_split_indonesian_and_english_joiners() -> None:
    assert split_names("Budisantoso Budiman dan Agus S") == ["Budisantoso Budiman", "Agus S"]
    assert split_names("By Jane Doe and John Roe") == ["Jane Doe", "John Roe"]
    assert split_names("Ana Lima, Budi Santoso & Citra Dewi") == ["Ana Lima", "Budi Santoso", "Citra Dewi"]


def test_strip_roles_handles_emails_and_site_tails() -> None:
    assert split_names("Oleh Desca Lidya Natalia") == ["Desca Lidya Natalia"]
    assert split_names("Fino Yurio Kristo - detikinet") == ["Fino Yurio Kristo"]
    assert split_names("Penulis: Rina (rina@example.com) @rina_news") == ["Rina"]
    assert clean_name("https://www.facebook.com/detikdotcom") is None
    assert clean_name("16 Feb 2016 09:10") is None


def test_credit_lines() -> None:
    credit = read_credit("Pewarta: Nur Imansyah")
    assert credit is not None and (credit.role, credit.value) == ("author", "Nur Imansyah")
    editor = read_credit("Editor: Ade Marboen")
    assert editor is not None and editor.role == "editor"
    assert read_credit("Oleh karena itu, harga naik") is None
    assert read_credit("Penulis Australia berbagi ilmu") is None


def test_credits_in_lines_with_several_labels() -> None:
    found = credits_in(["Penulis: Ana Lima | Editor: Budi Santoso", "Sumber: ANTARA"])
    assert found == {"author": ["Ana Lima"], "editor": ["Budi Santoso"], "source": ["ANTARA"]}


def test_non_names_are_rejected() -> None:
    assert split_names("Powered by") == []
    assert read_credit("(Image: Getty Images/iStockphoto)") is not None  # a photo credit, not an author
    assert read_credit("(Foto: ANTARA)").role == "photo"  # type: ignore[union-attr]


def test_portal_credit_shapes() -> None:
    found = credits_in(
        [
            "Penulis Firzie A. Idris | Editor Firzie A. Idris",  # no colons, pipe-separated
            "Reporter: Ana Lima | Editor: Budi Santoso KONTAN.CO.ID - Harga naik",
            "Red: Yudha Manggala P Putra",
        ]
    )
    assert found == {"author": ["Firzie A. Idris", "Ana Lima"], "editor": ["Firzie A. Idris", "Budi Santoso", "Yudha Manggala P Putra"]}
    assert split_names("Laporan Wartawan Tribunnews.com, Ashri Fadilla") == ["Ashri Fadilla"]
    assert clean_name("mediaindonesia.com developer") is None


def test_job_titles_are_not_names_in_any_language() -> None:
    assert split_names("Max Mustermann, Redakteur") == ["Max Mustermann"]  # German, after a comma
    assert split_names("Redakteurin Anna Berg") == ["Anna Berg"]  # a leading job title
    assert split_names("Jane Doe, Senior Reporter") == ["Jane Doe"]
    assert split_names("신현주 기자") == ["신현주"]  # Korean: the title follows the name without a comma
    assert split_names("Sky News") == ["Sky News"]  # a capitalised trailing word may belong to the name
