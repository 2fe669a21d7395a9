"""How a spreadsheet's columns are found, and one row as the harvester reads it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from dcat.bilingual import Bilingual
from harvesters.base import GatherError, RecordError
from harvesters.tabular import TableRow

# The fields a spreadsheet row can fill: the keys of a column mapping (options.columns).
SheetField = Literal[
    "identifier",
    "title",
    "description",
    "keywords",
    "themes",
    "license",
    "formats",
    "urls",
    "contact_name",
    "contact_email",
    "frequency",
    "period",
    "landing_page",
    "modified",
    "issued",
]
# The headers departments actually write, per field; compared case- and accent-insensitively.
DEFAULT_HEADERS: dict[SheetField, tuple[str, ...]] = {
    "identifier": ("Kennung", "ID", "Identifier", "Nummer", "Datensatz-ID"),
    "title": ("Titel", "Title", "Name", "Bezeichnung", "Datensatz"),
    "description": ("Beschreibung", "Description", "Inhalt", "Kurzbeschreibung"),
    "keywords": ("Schlagworte", "Schlagwörter", "Stichworte", "Keywords", "Tags"),
    "themes": ("Kategorie", "Kategorien", "Thema", "Themen", "Category", "Theme"),
    "license": ("Lizenz", "License", "Licence", "Nutzungsbedingungen"),
    "formats": ("Format", "Formate", "Dateiformat", "Formats"),
    "urls": ("URL", "URLs", "Link", "Links", "Adresse", "Download", "Zugang"),
    "contact_name": ("Ansprechpartner", "Ansprechperson", "Kontakt", "Contact"),
    "contact_email": ("E-Mail", "Email", "Mail", "E-Mail-Adresse"),
    "frequency": ("Aktualisierung", "Aktualisierungsintervall", "Frequency", "Turnus"),
    "period": ("Zeitraum", "Zeitbezug", "Period", "Temporal"),
    "landing_page": ("Webseite", "Landingpage", "Landing Page", "Homepage"),
    "modified": ("Stand", "Geändert", "Letzte Änderung", "Modified"),
    "issued": ("Veröffentlicht", "Erstellt", "Issued"),
}


def _key(header: str) -> str:
    folded = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


@dataclass(frozen=True)
class ColumnMapping:
    """Which header holds which field, decided once from the file's header row."""

    headers: dict[str, str]  # field -> header as written in the file
    separator: str = "|"

    @classmethod
    def build(
        cls, header_row: list[str], configured: Mapping[str, str], separator: str
    ) -> ColumnMapping:
        unknown = set(configured) - set(DEFAULT_HEADERS)
        if unknown:
            raise GatherError(
                f"options.columns: unbekannte Felder {sorted(unknown)} (bekannt: "
                f"{sorted(DEFAULT_HEADERS)})",
                f"options.columns: unknown fields {sorted(unknown)} (known: "
                f"{sorted(DEFAULT_HEADERS)})",
            )
        present = {_key(header): header for header in header_row}
        headers: dict[str, str] = {}
        for field_name, wanted in configured.items():
            if _key(wanted) not in present:
                present_headers = ", ".join(header_row)
                raise GatherError(
                    f"options.columns.{field_name}: Spalte {wanted!r} fehlt in der Tabelle "
                    f"(vorhanden: {present_headers})",
                    f"options.columns.{field_name}: column {wanted!r} is not in the table "
                    f"(present: {present_headers})",
                )
            headers[field_name] = present[_key(wanted)]
        for field_name, candidates in DEFAULT_HEADERS.items():
            if field_name in headers:
                continue
            for candidate in candidates:
                if _key(candidate) in present:
                    headers[field_name] = present[_key(candidate)]
                    break
        if "title" not in headers:
            raise GatherError(
                "keine Spalte für den Titel gefunden (erwartet z. B. 'Titel'; sonst "
                "options.columns.title setzen)",
                "no title column found (e.g. 'Titel'; or set options.columns.title)",
            )
        return cls(headers=headers, separator=separator)


@dataclass(frozen=True)
class SheetRow:
    """A row with the mapping that reads it; the payload of a spreadsheet RemoteRecord."""

    row: TableRow
    mapping: ColumnMapping
    file_name: str
    # Rows below it that carry only further resources (URL, format) of the same dataset, as
    # portal exports with one row per resource write them.
    continuation: tuple[TableRow, ...] = ()

    def resource_rows(self) -> Iterator[SheetRow]:
        """This row and its continuation rows, each read with the same mapping."""
        yield self
        for row in self.continuation:
            yield SheetRow(row=row, mapping=self.mapping, file_name=self.file_name)

    def continues_a_dataset(self) -> bool:
        """A row without identifier, title or description, but with an address."""
        dataset_fields = ("identifier", "title", "description")
        return not any(self.cell(name) for name in dataset_fields) and bool(self.cell("urls"))

    def cell(self, field_name: str) -> str:
        header = self.mapping.headers.get(field_name)
        return self.row.cells.get(header, "").strip() if header else ""

    def place(self) -> str:
        """File and row(s), language-neutral ("liste.csv:7-9"): the record's label."""
        return f"{self.file_name}:{self._rows()}"

    def where(self, field_name: str | None = None) -> Bilingual:
        """File, row(s) and column, said in each language."""
        de, en = f"{self.file_name}, Zeile {self._rows()}", f"{self.file_name}, row {self._rows()}"
        if field_name is not None:
            column = repr(self.mapping.headers.get(field_name, field_name))
            de, en = f"{de}, Spalte {column}", f"{en}, column {column}"
        return Bilingual(de, en)

    def _rows(self) -> str:
        number = f"{self.row.number}"
        if self.continuation:
            number += f"–{self.continuation[-1].number}"
        return number

    def error(self, field_name: str, german: str, english: str) -> RecordError:
        where = self.where(field_name)
        return RecordError(f"{where.de}: {german}", f"{where.en}: {english}")

    def left_out(self, field_name: str, german: str, english: str) -> Bilingual:
        """A warning that the cell's value was left out of the dataset, and why."""
        where = self.where(field_name)
        return Bilingual(f"{where.de}: {german}; weggelassen", f"{where.en}: {english}; left out")
