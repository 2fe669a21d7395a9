"""How a spreadsheet's columns are found, and one row as the harvester reads it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
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
    "publisher",
    "publisher_uri",
    "publisher_email",
    "publisher_homepage",
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
    "publisher": ("Herausgeber", "Veröffentlichende Stelle", "Publisher"),
    "publisher_uri": ("Herausgeber-URI", "Publisher URI"),
    "publisher_email": ("Herausgeber-E-Mail", "Publisher E-Mail"),
    "publisher_homepage": ("Herausgeber-Webseite", "Publisher Homepage"),
}


def _key(header: str) -> str:
    folded = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


@dataclass(frozen=True)
class ColumnMapping:
    """Which header holds which field, decided once from the file's header row."""

    headers: dict[str, str]  # field -> header as written in the file
    separator: str = "|"
    # field -> the header read where the row's cell in the field's own column is empty
    fallbacks: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        header_row: list[str],
        configured: Mapping[str, str],
        separator: str,
        fallbacks: Mapping[str, str] | None = None,
    ) -> ColumnMapping:
        present = {_key(header): header for header in header_row}
        headers = {
            name: _header_in(present, header_row, "columns", name, wanted)
            for name, wanted in _known_fields(configured, "columns").items()
        }
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
        second = {
            name: _header_in(present, header_row, "fallback_columns", name, wanted)
            for name, wanted in _known_fields(fallbacks or {}, "fallback_columns").items()
        }
        return cls(headers=headers, separator=separator, fallbacks=second)


def _known_fields(configured: Mapping[str, str], option: str) -> Mapping[str, str]:
    unknown = set(configured) - set(DEFAULT_HEADERS)
    if unknown:
        raise GatherError(
            f"options.{option}: unbekannte Felder {sorted(unknown)} (bekannt: "
            f"{sorted(DEFAULT_HEADERS)})",
            f"options.{option}: unknown fields {sorted(unknown)} (known: "
            f"{sorted(DEFAULT_HEADERS)})",
        )
    return configured


def _header_in(
    present: Mapping[str, str], header_row: list[str], option: str, field_name: str, wanted: str
) -> str:
    """The header as the file writes it; a configured column the file lacks fails the job."""
    if _key(wanted) not in present:
        present_headers = ", ".join(header_row)
        raise GatherError(
            f"options.{option}.{field_name}: Spalte {wanted!r} fehlt in der Tabelle "
            f"(vorhanden: {present_headers})",
            f"options.{option}.{field_name}: column {wanted!r} is not in the table "
            f"(present: {present_headers})",
        )
    return present[_key(wanted)]


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
        """The field's cell; where it is empty, the cell of its fallback column (if any)."""
        return next(iter(self.cells(field_name)), "")

    def cells(self, field_name: str) -> list[str]:
        """The field's non-empty cells, its own column's first, then its fallback column's:
        for readers that pass over a placeholder ("null", "notspecified") to the next."""
        headers = (self.mapping.headers.get(field_name), self.mapping.fallbacks.get(field_name))
        texts = (self.row.cells.get(header, "").strip() for header in headers if header)
        return [text for text in texts if text]

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
