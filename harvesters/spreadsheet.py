"""The `spreadsheet` source type: a department's CSV or XLSX list, one dataset per row.

Columns are found by the usual German (and English) headers, or by the source's
`options.columns` mapping ({field: header}). Several distributions in one row are separated
by `options.separator` (default "|") in the URL and Format columns. A row that cannot become a
dataset fails alone, with its row number and column in the message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rdflib import BNode, Graph, Literal, URIRef

from dcat.builder import build_dataset_graph
from dcat.model import ContactInput, DatasetInput, DistributionInput, PeriodInput
from dcat.namespaces import DCAT, DCT
from dcat.vocabularies import FILE_TYPES, FREQUENCIES, LICENSES, THEMES
from harvesters.base import GatherError, Harvester, RecordError, RemoteRecord
from harvesters.tabular import TableError, TableRow, downloaded_table, read_table

# The headers departments actually write, per field; compared case- and accent-insensitively.
DEFAULT_HEADERS: dict[str, tuple[str, ...]] = {
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
REQUIRED_FIELDS = ("title", "description")
_LIST_SPLIT = re.compile(r"\s*[,;]\s*")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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
                f"{sorted(DEFAULT_HEADERS)}) / unknown fields {sorted(unknown)}"
            )
        present = {_key(header): header for header in header_row}
        headers: dict[str, str] = {}
        for field_name, wanted in configured.items():
            if _key(wanted) not in present:
                raise GatherError(
                    f"options.columns.{field_name}: Spalte {wanted!r} fehlt in der Tabelle "
                    f"(vorhanden: {', '.join(header_row)}) / column {wanted!r} is not in the table"
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
                "options.columns.title setzen) / no title column found (e.g. 'Titel'; or set "
                "options.columns.title)"
            )
        return cls(headers=headers, separator=separator)


@dataclass(frozen=True)
class SheetRow:
    """A row with the mapping that reads it; the payload of a spreadsheet RemoteRecord."""

    row: TableRow
    mapping: ColumnMapping
    file_name: str

    def cell(self, field_name: str) -> str:
        header = self.mapping.headers.get(field_name)
        return self.row.cells.get(header, "").strip() if header else ""

    def where(self, field_name: str | None = None) -> str:
        place = f"{self.file_name}, Zeile/row {self.row.number}"
        if field_name is not None:
            place += f", Spalte/column {self.mapping.headers.get(field_name, field_name)!r}"
        return place

    def error(self, field_name: str, german: str, english: str) -> RecordError:
        return RecordError(f"{self.where(field_name)}: {german} / {english}")


class SpreadsheetHarvester(Harvester):
    """Reads a CSV or XLSX list lazily; each row a record keyed by its identifier column.

    Options: `columns` ({field: header}), `separator` (between several URLs/formats in a
    cell, default "|"), `language` (of the texts, default "de").
    """

    type_name = "spreadsheet"

    def gather(self) -> Iterator[RemoteRecord]:
        if self.url is not None:
            with downloaded_table(self.context.http, self.url) as path:
                yield from self._rows(path, Path(urlsplit(self.url).path).name or self.url)
            return
        if self.path is None:
            raise GatherError(
                "Tabellenquellen brauchen 'path' oder 'url' (eine CSV- oder XLSX-Datei) / "
                "spreadsheet sources need 'path' or 'url' (a CSV or XLSX file)"
            )
        path = Path(self.path)
        if not path.is_file():
            raise GatherError(f"{path}: Datei nicht gefunden / file not found")
        yield from self._rows(path, path.name)

    def _rows(self, path: Path, file_name: str) -> Iterator[RemoteRecord]:
        options = self.context.options
        separator = str(options.get("separator", "|"))
        configured = {str(k): str(v) for k, v in dict(options.get("columns") or {}).items()}
        mapping: ColumnMapping | None = None
        try:
            for row in read_table(path):
                if mapping is None:
                    mapping = ColumnMapping.build(list(row.cells), configured, separator)
                sheet_row = SheetRow(row=row, mapping=mapping, file_name=file_name)
                key = sheet_row.cell("identifier") or sheet_row.cell("title")
                yield RemoteRecord(
                    key=key or f"row:{row.number}",
                    payload=sheet_row,
                    label=f"{sheet_row.where()} ({key or 'ohne Kennung / no identifier'})",
                )
        except TableError as exc:
            raise GatherError(f"{file_name}: {exc}") from exc
        except OSError as exc:
            raise GatherError(f"{file_name}: {exc.strerror}") from exc

    def to_graph(self, record: RemoteRecord) -> tuple[Graph, URIRef | BNode]:
        row: SheetRow = record.payload
        language = str(self.context.options.get("language", "de"))
        return row_graph(row, language)


def row_graph(row: SheetRow, language: str = "de") -> tuple[Graph, URIRef | BNode]:
    """One row as a DCAT-AP.de graph; literal licences and formats stay visible for SHACL."""
    for field_name in REQUIRED_FIELDS:
        if not row.cell(field_name):
            label = {"title": ("Titel", "title"), "description": ("Beschreibung", "description")}
            german, english = label[field_name]
            raise row.error(
                field_name,
                f"{german} fehlt; ohne {german} kann kein Datensatz entstehen",
                f"the {english} is missing; a dataset needs one",
            )
    license_text = row.cell("license")
    license_iri = LICENSES.resolve(license_text) if license_text else None
    distributions = _distributions(row, license_iri)
    themes, unknown_themes = _themes(row)
    frequency, unknown_frequency = _frequency(row)
    data = DatasetInput(
        title={language: row.cell("title")},
        description={language: row.cell("description")},
        identifier=row.cell("identifier") or None,
        keywords=_split_list(row.cell("keywords")),
        themes=themes,
        contact=_contact(row),
        accrual_periodicity=frequency,
        temporal=[period] if (period := _period(row)) else [],
        landing_page=_url(row, "landing_page") if row.cell("landing_page") else None,
        modified=_date(row, "modified"),
        issued=_date(row, "issued"),
        distributions=distributions,
        keyword_language=language,
    )
    graph, node = build_dataset_graph(data)
    # Values that name nothing in the DCAT-AP.de vocabularies are kept as written: validation
    # then names them to the steward, and nothing the department wrote is lost.
    for text in unknown_themes:
        graph.add((node, DCAT.theme, Literal(text)))
    if unknown_frequency:
        graph.add((node, DCT.accrualPeriodicity, Literal(unknown_frequency)))
    if license_text and license_iri is None:
        for distribution in graph.objects(node, DCAT.distribution):
            graph.add((distribution, DCT.license, Literal(license_text)))
    for distribution, format_text in _unknown_formats(graph, node, row):
        graph.add((distribution, DCT.format, Literal(format_text)))
    return graph, node


def _split_list(text: str) -> list[str]:
    return [part for part in _LIST_SPLIT.split(text) if part] if text else []


def _split_cell(row: SheetRow, field_name: str) -> list[str]:
    text = row.cell(field_name)
    if not text:
        return []
    return [part.strip() for part in text.split(row.mapping.separator) if part.strip()]


def _url(row: SheetRow, field_name: str, text: str | None = None) -> str:
    value = (text if text is not None else row.cell(field_name)).strip()
    if not re.match(r"^https?://\S+$", value, re.IGNORECASE):
        raise row.error(
            field_name,
            f"{value!r} ist keine vollständige Adresse; sie muss mit https:// oder http:// "
            "beginnen",
            f"{value!r} is not a complete address; it must start with https:// or http://",
        )
    return value


def _distributions(row: SheetRow, license_iri: str | None) -> list[DistributionInput]:
    urls = [_url(row, "urls", text) for text in _split_cell(row, "urls")]
    formats = _split_cell(row, "formats")
    if formats and urls and len(formats) not in (1, len(urls)):
        raise row.error(
            "formats",
            f"{len(formats)} Formate für {len(urls)} Adressen; je Adresse ein Format oder eines "
            "für alle",
            f"{len(formats)} formats for {len(urls)} addresses; one per address or one for all",
        )
    distributions = []
    for index, url in enumerate(urls):
        format_text = formats[index if len(formats) > 1 else 0] if formats else ""
        distributions.append(
            DistributionInput(
                access_url=url,
                download_url=url if _looks_like_file(url) else None,
                format=FILE_TYPES.resolve(format_text) if format_text else None,
                license=license_iri,
            )
        )
    return distributions


def _unknown_formats(graph: Graph, node: URIRef | BNode, row: SheetRow) -> Iterator[Any]:
    """Distributions whose Format cell names no EU file type, with that text."""
    formats = _split_cell(row, "formats")
    urls = _split_cell(row, "urls")
    by_url = {
        str(graph.value(distribution, DCAT.accessURL)): distribution
        for distribution in graph.objects(node, DCAT.distribution)
    }
    for index, url in enumerate(urls):
        format_text = formats[index if len(formats) > 1 else 0] if formats else ""
        if format_text and FILE_TYPES.resolve(format_text) is None and url in by_url:
            yield by_url[url], format_text


def _looks_like_file(url: str) -> bool:
    return bool(re.search(r"\.[A-Za-z0-9]{2,7}$", url.split("?", 1)[0]))


def _themes(row: SheetRow) -> tuple[list[str], list[str]]:
    """EU theme IRIs of the Kategorie cell, and the texts that name no EU theme."""
    cell = row.cell("themes")
    if not cell:
        return [], []
    if whole := THEMES.resolve(cell):  # "Bildung, Kultur und Sport" is one EU theme
        return [whole], []
    parts = re.split(r"\s*[;|]\s*", cell) if re.search(r"[;|]", cell) else _split_list(cell)
    known, unknown = [], []
    for text in filter(None, parts):
        iri = THEMES.resolve(text)
        if iri is None:
            unknown.append(text)
        else:
            known.append(iri)
    return known, unknown


def _contact(row: SheetRow) -> ContactInput | None:
    name, email = row.cell("contact_name"), row.cell("contact_email")
    if not name and not email:
        return None
    if email and not _EMAIL.match(email):
        raise row.error(
            "contact_email",
            f"{email!r} ist keine E-Mail-Adresse",
            f"{email!r} is not an e-mail address",
        )
    return ContactInput(name=name or None, email=email or None)


def _frequency(row: SheetRow) -> tuple[str | None, str | None]:
    """The EU frequency IRI of the Aktualisierung cell, or the text if it names none."""
    text = row.cell("frequency")
    if not text:
        return None, None
    iri = FREQUENCIES.resolve(text)
    return (iri, None) if iri is not None else (None, text)


_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")
_DATE_RANGE = re.compile(r"^(\S+)\s*(?:[-–]|bis)\s*(\S+)$")


def _period(row: SheetRow) -> PeriodInput | None:
    text = row.cell("period")
    if not text:
        return None
    if match := _YEAR_RANGE.match(text):
        start, end = int(match.group(1)), int(match.group(2))
        return PeriodInput(start=date(start, 1, 1), end=date(end, 12, 31))
    if re.fullmatch(r"\d{4}", text):
        return PeriodInput(start=date(int(text), 1, 1), end=date(int(text), 12, 31))
    if match := _DATE_RANGE.match(text):
        start_date = parse_german_date(match.group(1))
        end_date = parse_german_date(match.group(2))
        if start_date and end_date:
            return PeriodInput(start=start_date, end=end_date)
    if (since := re.match(r"^(?:ab|seit)\s+(\S+)$", text, re.IGNORECASE)) and (
        start_date := parse_german_date(since.group(1)) or _year_start(since.group(1))
    ):
        return PeriodInput(start=start_date, end=None)
    raise row.error(
        "period",
        f"Zeitraum {text!r} nicht lesbar (z. B. 2015-2024 oder 01.01.2015 - 31.12.2024)",
        f"period {text!r} not readable (e.g. 2015-2024 or 01.01.2015 - 31.12.2024)",
    )


def _year_start(text: str) -> date | None:
    return date(int(text), 1, 1) if re.fullmatch(r"\d{4}", text) else None


def _date(row: SheetRow, field_name: str) -> date | None:
    text = row.cell(field_name)
    if not text:
        return None
    value = parse_german_date(text)
    if value is None:
        raise row.error(
            field_name,
            f"Datum {text!r} nicht lesbar (TT.MM.JJJJ oder JJJJ-MM-TT)",
            f"date {text!r} not readable (DD.MM.YYYY or YYYY-MM-DD)",
        )
    return value


def parse_german_date(text: str) -> date | None:
    """'31.12.2024' or '2024-12-31' (Excel cells arrive as ISO) -> a date; else None."""
    text = text.strip()
    try:
        if match := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None
