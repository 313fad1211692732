"""Publication dates read from the article itself, in the ways people save articles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from corridor.evidence.header import read_header
from corridor.evidence.io import read_document

BODY = ("Hundreds of migrants walked north from the border city on Monday, activists said, "
        "in the third such group to leave this month.")


@pytest.mark.parametrize(("head", "day", "how"), [
    ("Caravan sets out\nWire Service\nPublished 3 January 2024\n", dt.date(2024, 1, 3),
     "date line"),
    ("Caravan sets out\nBy Jane Roe | Jan. 3, 2024\n", dt.date(2024, 1, 3), "date line"),
    ("Caravan sets out\nDate: 2024-01-03T10:15:00Z\n", dt.date(2024, 1, 3), "date line"),
    ("Sale caravana\nFecha: 03/01/2024\n", dt.date(2024, 1, 3), "date line"),
    ("Sale caravana\nmiércoles, 3 de enero de 2024\n", dt.date(2024, 1, 3), "date line"),
    ("Caravan sets out\nJanuary 3, 2024 5:00 PM ET\n", dt.date(2024, 1, 3), "date line"),
    ("Caravan sets out\nUpdated Jan. 5, 2024\nPublished Jan. 3, 2024\n", dt.date(2024, 1, 3),
     "Published"),
])
def test_date_lines(head: str, day: dt.date, how: str) -> None:
    h = read_header(head + BODY)
    assert h.published == day
    assert how in h.published_from


def test_dateline_opening_the_text() -> None:
    text = ("Salen cientos de migrantes\nTapachula, 21 de agosto 2022.- Cientos de personas "
            "salieron este domingo de la ciudad fronteriza rumbo al centro del país, según los "
            "activistas que acompañan al grupo desde hace semanas.")
    h = read_header(text)
    assert h.published == dt.date(2022, 8, 21) and h.published_from.startswith("dateline")


def test_a_sentence_with_a_date_is_not_a_date_line() -> None:
    h = read_header("On January 17, 2021, the institute sent 800 agents to the crossing, and "
                    "300 migrants arrived in the city the next day.")
    assert h.published is None


def test_outlet_line_and_wire_marker() -> None:
    assert read_header("Title here\nLa Gaceta\nPublished 3 January 2024\n" + BODY).outlet == \
        "La Gaceta"
    assert read_header("Un titular\nCIUDAD DE MÉXICO (EFE).- " + BODY).outlet == "EFE"


def test_published_option_overrides_the_article(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Caravan sets out\nPublished 3 January 2024\n" + BODY, encoding="utf-8")
    doc = read_document(f)
    assert doc.published == dt.date(2024, 1, 3) and "Published" in doc.published_how
    doc = read_document(f, dt.date(2024, 1, 9))
    assert doc.published == dt.date(2024, 1, 9) and doc.published_how == "--published"


def test_url_path_date_and_yearless_wire_dateline() -> None:
    h = read_header("Trasladan a migrantes\nUn Diario\n[URL path date 2024/01/02]\n" + BODY)
    assert h.published == dt.date(2024, 1, 2)
    text = ("Caravana avanza\nAgencia\nTegucigalpa, 20 ene (EFE).- Unos 300 hondureños "
            "salieron este miércoles, una semana después de la caravana del 13 de enero de "
            "2021, según las autoridades del país centroamericano que los contaron en la "
            "frontera.")
    h = read_header(text)
    assert h.published == dt.date(2021, 1, 20) and "year 2021 from the text" in h.published_from
