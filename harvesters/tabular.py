"""Reading the CSV and XLSX lists departments keep, row by row, as German offices write them;
and fetching such a list from a web address into a temporary file first."""

from __future__ import annotations

import codecs
import csv
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harvesters.base import GatherError
from harvesters.http import HttpError

# Tried in this order: UTF-8 (with or without BOM) is right or fails loudly; Windows-1252 is
# what Excel on German Windows writes and accepts any byte, so it comes last.
ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = ";,\t|"
SNIFF_CHARS = 64 * 1024


class TableError(ValueError):
    """A file that cannot be read as a table at all (not a single row); why, in German and
    in English apart (str() joins them for logs, as InputError does)."""

    def __init__(self, message_de: str, message_en: str) -> None:
        super().__init__(f"{message_de} / {message_en}")
        self.message_de = message_de
        self.message_en = message_en


@dataclass(frozen=True)
class TableRow:
    """One data row: its number as the office sees it (header is row 1) and its cells by header."""

    number: int
    cells: dict[str, str]


def read_table(path: Path) -> Iterator[TableRow]:
    """The rows of a CSV or XLSX file, streamed; the first non-empty row is the header."""
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(path)
    if suffix in {".csv", ".txt", ".tsv", ""}:
        return _read_csv(path)
    raise TableError(
        f"{path.name}: unbekanntes Tabellenformat {suffix!r}, erwartet .csv oder .xlsx",
        f"{path.name}: unknown table format {suffix!r}, expected .csv or .xlsx",
    )


def detect_encoding(path: Path) -> str:
    """The first encoding from ENCODINGS that decodes the whole file."""
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise TableError(
        f"{path.name}: Zeichenkodierung nicht erkannt", f"{path.name}: encoding not recognised"
    )


def detect_delimiter(sample: str) -> str:
    """The delimiter that splits the header line into the most columns, among ; , tab |."""
    header = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _read_csv(path: Path) -> Iterator[TableRow]:
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        delimiter = detect_delimiter(handle.read(SNIFF_CHARS))
        handle.seek(0)
        yield from _rows(csv.reader(handle, delimiter=delimiter))


def _read_xlsx(path: Path) -> Iterator[TableRow]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise TableError(
            f"{path.name}: keine lesbare XLSX-Datei: {exc}",
            f"{path.name}: not a readable XLSX file: {exc}",
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        cells = ([_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True))
        yield from _rows(cells)
    finally:
        workbook.close()


def _rows(lines: Iterator[list[str]]) -> Iterator[TableRow]:
    header: list[str] | None = None
    for number, values in enumerate(lines, start=1):
        if not any(value.strip() for value in values):
            continue
        if header is None:
            header = [value.strip() for value in values]
            continue
        padded = values + [""] * (len(header) - len(values))
        cells = {name: padded[i].strip() for i, name in enumerate(header) if name}
        extra = [value for value in padded[len(header) :] if value.strip()]
        if extra:
            cells["__extra__"] = " | ".join(extra)
        yield TableRow(number=number, cells=cells)
    if header is None:
        raise TableError("die Tabelle ist leer", "the table is empty")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.isoformat() if value.time() != datetime.min.time() else value.date().isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


XLSX_MEDIA_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",)
TABLE_ACCEPT = f"text/csv, {XLSX_MEDIA_TYPES[0]}, */*;q=0.5"


@contextmanager
def downloaded_table(http: Any, url: str) -> Iterator[Path]:
    """The list at `url`, fetched through the hardened session into a temporary file.

    The suffix comes from the address, else from the Content-Type, so that read_table knows
    whether it reads CSV or XLSX. The file is gone when the gather ends.
    """
    try:
        response = http.fetch(
            url, accept="text/csv, " + ", ".join(XLSX_MEDIA_TYPES) + ", */*;q=0.5"
        )
    except HttpError as exc:
        raise GatherError.caused_by(exc) from exc
    suffix = Path(urlsplit(response.url).path).suffix.lower()
    if suffix not in {".csv", ".tsv", ".txt", ".xlsx", ".xlsm"}:
        media_type = (response.content_type or "").split(";")[0].strip().lower()
        suffix = ".xlsx" if media_type in XLSX_MEDIA_TYPES else ".csv"
    with tempfile.TemporaryDirectory(prefix="stadtkatalog-sheet-") as folder:
        path = Path(folder) / f"liste{suffix}"
        path.write_bytes(response.body)
        yield path
