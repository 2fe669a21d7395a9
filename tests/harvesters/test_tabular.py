"""Department lists are read as German offices write them."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from harvesters.tabular import TableError, read_table

ROWS = [["Titel", "Beschreibung", "Lizenz"], ["Bäume", "Straßenbäume; gepflegt", "CC BY 4.0"]]


def _csv(path: Path, delimiter: str, encoding: str, bom: bool = False) -> Path:
    text = "\r\n".join(delimiter.join(f'"{cell}"' for cell in row) for row in ROWS) + "\r\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("delimiter", "encoding", "bom"),
    [(";", "utf-8", True), (";", "utf-8", False), (",", "cp1252", False), ("\t", "utf-8", False)],
    ids=["utf8-bom-semicolon", "utf8-semicolon", "windows1252-comma", "utf8-tab"],
)
def test_csv_in_the_usual_encodings_and_delimiters_reads_the_same(
    tmp_path: Path, delimiter: str, encoding: str, bom: bool
) -> None:
    rows = list(read_table(_csv(tmp_path / "liste.csv", delimiter, encoding, bom)))
    assert rows == [type(rows[0])(number=2, cells=dict(zip(ROWS[0], ROWS[1], strict=True)))]


def test_xlsx_reads_the_first_sheet_with_dates_as_iso_text(tmp_path: Path) -> None:
    from datetime import date

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Titel", "Aktualisierung", "Anzahl"])
    sheet.append([None, None, None])
    sheet.append(["Radwege", date(2024, 3, 1), 12.0])
    workbook.save(tmp_path / "liste.xlsx")
    rows = list(read_table(tmp_path / "liste.xlsx"))
    assert [(r.number, r.cells) for r in rows] == [
        (3, {"Titel": "Radwege", "Aktualisierung": "2024-03-01", "Anzahl": "12"})
    ]


def test_cells_beyond_the_header_are_kept_for_the_error_report(tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text("Titel;Lizenz\nA;B;verrutscht\n", encoding="utf-8")
    (row,) = read_table(path)
    assert row.cells["__extra__"] == "verrutscht"


def test_an_empty_or_unknown_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "leer.csv").write_text("\n\n", encoding="utf-8")
    with pytest.raises(TableError, match="leer"):
        list(read_table(tmp_path / "leer.csv"))
    (tmp_path / "liste.ods").write_bytes(b"PK")
    with pytest.raises(TableError, match=r"\.ods"):
        list(read_table(tmp_path / "liste.ods"))
    (tmp_path / "kaputt.xlsx").write_bytes(b"not a zip")
    with pytest.raises(TableError, match="XLSX"):
        list(read_table(tmp_path / "kaputt.xlsx"))
