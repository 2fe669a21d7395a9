"""The `spreadsheet` source type: a department's CSV or XLSX list, one dataset per row.

Columns are found by the usual German (and English) headers, or by the source's
`options.columns` mapping ({field: header}) (harvesters.sheet_columns). Rows with no identifier,
title or description but an address are further resources of the dataset above them, as
portal exports with one row per resource write them. Several distributions in one row are separated
by `options.separator` (default "|") in the URL and Format columns. A row without title or
description, or with an address that is none, fails alone, with its row number and column in
the message; any other cell that cannot be read is left out with a warning on its row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field
from rdflib import RDF, BNode, Graph, Literal, URIRef

from dcat.bilingual import Bilingual
from dcat.builder import build_dataset_graph
from dcat.dates_text import date_literal_from_text, period_from_text
from dcat.model import ContactInput, DatasetInput, DistributionInput, is_absolute_iri
from dcat.namespaces import DCAT, DCT
from dcat.vocabularies import FILE_TYPES, FREQUENCIES, LICENSES, THEMES
from harvesters.base import GatherError, Harvester, OptionText, RemoteRecord, SourceType
from harvesters.sheet_agents import name_and_reference, publisher_from_row
from harvesters.sheet_columns import DEFAULT_HEADERS, ColumnMapping, SheetField, SheetRow
from harvesters.tabular import TableError, downloaded_table, read_table

REQUIRED_FIELDS = ("title", "description")
_LIST_SPLIT = re.compile(r"\s*[,;]\s*")
# A comma outside double quotes: '"Bildung, Kultur und Sport" (186), "Umwelt" (194)' is two.
_OUTSIDE_QUOTES = re.compile(r'\s*,\s*(?=(?:[^"]*"[^"]*")*[^"]*$)')
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SpreadsheetOptions(BaseModel):
    """`columns` ({field: header}), `fallback_columns` ({field: header} read where the
    field's cell is empty), `separator` (between several URLs/formats in a cell), `language`
    (of the texts)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: Annotated[
        dict[SheetField, str],
        OptionText(
            "Spaltenzuordnung",
            "Column mapping",
            "Nur wenn Ihre Überschriften von den üblichen (Titel, Beschreibung, Lizenz, URL …) "
            "abweichen: eine Zeile je Feld, z. B. „title = Bezeichnung“. Felder: "
            f"{', '.join(DEFAULT_HEADERS)}.",
            "Only if your headings differ from the usual ones (Titel, Beschreibung, Lizenz, URL "
            "…): one line per field, e.g. “title = Bezeichnung”. Fields: "
            f"{', '.join(DEFAULT_HEADERS)}.",
        ),
    ] = Field(default_factory=dict)
    fallback_columns: Annotated[
        dict[SheetField, str],
        OptionText(
            "Ersatzspalten",
            "Fallback columns",
            "Wo die Zelle eines Feldes leer ist, wird diese Spalte gelesen: eine Zeile je Feld, "
            "z. B. „publisher = ORG“ (Herausgeber aus der Spalte ORG, wo keiner genannt ist).",
            "Where a field's cell is empty, this column is read instead: one line per field, "
            "e.g. “publisher = ORG” (the publisher from the ORG column where none is named).",
        ),
    ] = Field(default_factory=dict)
    separator: Annotated[
        str,
        Field(min_length=1, max_length=3),
        OptionText(
            "Trennzeichen zwischen mehreren Adressen oder Formaten in einer Zelle",
            "Separator between several addresses or formats in one cell",
            "Ein bis drei Zeichen; üblich ist „|“.",
            "One to three characters; usually “|”.",
        ),
    ] = "|"
    language: Annotated[
        str,
        OptionText(
            "Sprache der Texte in der Tabelle",
            "Language of the texts in the spreadsheet",
            "Ein Sprachkürzel wie de oder en; leer: de.",
            "A language code such as de or en; empty: de.",
        ),
    ] = "de"


class SpreadsheetHarvester(Harvester):
    """Reads a CSV or XLSX list lazily; each row a record keyed by its identifier column.

    Options: `columns` ({field: header}), `fallback_columns` ({field: header}, read where the
    field's cell is empty), `separator` (between several URLs/formats in a cell, default "|"),
    `language` (of the texts, default "de").
    """

    type_name = "spreadsheet"

    def gather(self) -> Iterator[RemoteRecord]:
        if self.url is not None:
            with downloaded_table(self.context.http, self.url) as path:
                yield from self._rows(path, Path(urlsplit(self.url).path).name or self.url)
            return
        if self.path is None:
            raise GatherError(
                "Tabellenquellen brauchen 'path' oder 'url' (eine CSV- oder XLSX-Datei)",
                "spreadsheet sources need 'path' or 'url' (a CSV or XLSX file)",
            )
        path = Path(self.path)
        if not path.is_file():
            raise GatherError(f"{path}: Datei nicht gefunden", f"{path}: file not found")
        yield from self._rows(path, path.name)

    def _rows(self, path: Path, file_name: str) -> Iterator[RemoteRecord]:
        options = self.context.options
        separator = str(options.get("separator", "|"))
        configured = {str(k): str(v) for k, v in dict(options.get("columns") or {}).items()}
        fallbacks = {str(k): str(v) for k, v in dict(options.get("fallback_columns") or {}).items()}
        mapping: ColumnMapping | None = None
        pending: SheetRow | None = None
        try:
            for row in read_table(path):
                if mapping is None:
                    mapping = ColumnMapping.build(list(row.cells), configured, separator, fallbacks)
                sheet_row = SheetRow(row=row, mapping=mapping, file_name=file_name)
                if pending is not None and sheet_row.continues_a_dataset():
                    pending = replace(pending, continuation=(*pending.continuation, row))
                    continue
                if pending is not None:
                    yield _record(pending)
                pending = sheet_row
            if pending is not None:
                yield _record(pending)
        except TableError as exc:
            raise GatherError.caused_by(exc, file_name) from exc
        except OSError as exc:
            reason = f"{file_name}: {exc.strerror}"
            raise GatherError(reason, reason) from exc

    def to_graph(self, record: RemoteRecord) -> tuple[Graph, URIRef | BNode]:
        row: SheetRow = record.payload
        language = str(self.context.options.get("language", "de"))
        notes: list[Bilingual] = []
        graph, node = row_graph(row, language, notes)
        # Only a row that became a dataset has warnings; a refused row has its error.
        for message in notes:
            self.warn(record, message)
        return graph, node


SOURCE_TYPE = SourceType(
    name=SpreadsheetHarvester.type_name,
    label_de="Tabelle (CSV, XLSX)",
    label_en="Spreadsheet (CSV, XLSX)",
    options=SpreadsheetOptions,
    harvester=SpreadsheetHarvester,
)


def _record(sheet_row: SheetRow) -> RemoteRecord:
    key = sheet_row.cell("identifier") or sheet_row.cell("title")
    return RemoteRecord(
        key=key or f"row:{sheet_row.row.number}",
        payload=sheet_row,
        label=f"{sheet_row.place()} ({key})" if key else sheet_row.place(),
    )


def row_graph(row: SheetRow, language: str, notes: list[Bilingual]) -> tuple[Graph, URIRef | BNode]:
    """One row as a DCAT-AP.de graph; literal licences and formats stay visible for SHACL.

    Only the title and the description (dct:title and dct:description, mandatory in
    DCAT-AP.de) and the distributions' addresses (dcat:accessURL, mandatory on a
    distribution) refuse the row. Any other cell that cannot be read is left out, and a
    warning naming row, column, value and the expected form is appended to `notes`.
    """
    for field_name in REQUIRED_FIELDS:
        if not row.cell(field_name):
            label = {"title": ("Titel", "title"), "description": ("Beschreibung", "description")}
            german, english = label[field_name]
            raise row.error(
                field_name,
                f"{german} fehlt; ohne {german} kann kein Datensatz entstehen",
                f"the {english} is missing; a dataset needs one",
            )
    license_text = _license_text(row)
    license_iri = LICENSES.resolve(license_text) if license_text else None
    urls: list[str] = []
    formats: list[str] = []  # one per address ("" where none is given)
    for resource in row.resource_rows():
        resource_urls = [_url(resource, "urls", text) for text in _split_cell(resource, "urls")]
        resource_formats = _formats(resource, resource_urls, notes)
        urls += resource_urls
        formats += [_format_of(resource_formats, i) for i in range(len(resource_urls))]
    themes, unknown_themes = _themes(row)
    data = DatasetInput(
        title={language: row.cell("title")},
        description={language: row.cell("description")},
        identifier=row.cell("identifier") or None,
        keywords=_split_list(row.cell("keywords")),
        themes=themes,
        contact=_contact(row, notes),
        publisher=publisher_from_row(row, notes),
        accrual_periodicity=_frequency(row, notes),
        landing_page=_landing_page(row, notes),
        distributions=_distributions(urls, formats, license_iri),
        keyword_language=language,
    )
    graph, node = build_dataset_graph(data)
    # Dates are added as typed literals here: the builder knows xsd:date and xsd:dateTime
    # only, and a list's "2014" or "06/2014" must stay a year or a month.
    for predicate, field_name in ((DCT.modified, "modified"), (DCT.issued, "issued")):
        if (value := _date(row, field_name, notes)) is not None:
            graph.add((node, predicate, value))
    if period := _period(row, notes):
        graph.add((node, DCT.temporal, _period_node(graph, *period)))
    # Values that name nothing in the DCAT-AP.de vocabularies are kept as written: validation
    # then names them to the steward, and nothing the department wrote is lost.
    for text in unknown_themes:
        graph.add((node, DCAT.theme, Literal(text)))
    if license_text and license_iri is None:
        for distribution in graph.objects(node, DCAT.distribution):
            graph.add((distribution, DCT.license, Literal(license_text)))
    for distribution, format_text in _unknown_formats(graph, node, urls, formats):
        graph.add((distribution, DCT.format, Literal(format_text)))
    return graph, node


def _license_text(row: SheetRow) -> str:
    """The licence the row states: CKAN's and DKAN's "notspecified" says none, so a fallback
    column that names one is read; a DKAN term reference `"dl-by-de/2.0" (281)` is its name."""
    cells = [name_and_reference(text)[0] for text in row.cells("license")]
    return next((text for text in cells if text.lower() != "notspecified"), "") or next(
        iter(cells), ""
    )


def _split_list(text: str) -> list[str]:
    return [part for part in _LIST_SPLIT.split(text) if part] if text else []


def _split_cell(row: SheetRow, field_name: str) -> list[str]:
    text = row.cell(field_name)
    if not text:
        return []
    return [part.strip() for part in text.split(row.mapping.separator) if part.strip()]


def _is_web_address(text: str) -> bool:
    return bool(re.match(r"^https?://\S+$", text, re.IGNORECASE)) and is_absolute_iri(text)


def _url(row: SheetRow, field_name: str, text: str) -> str:
    value = text.strip()
    if not _is_web_address(value):
        raise row.error(
            field_name,
            f"{value!r} ist keine vollständige Adresse; sie muss mit https:// oder http:// "
            "beginnen",
            f"{value!r} is not a complete address; it must start with https:// or http://",
        )
    return value


def _landing_page(row: SheetRow, notes: list[Bilingual]) -> str | None:
    text = row.cell("landing_page")
    if not text or _is_web_address(text):
        return text or None
    notes.append(
        row.left_out(
            "landing_page",
            f"{text!r} ist keine vollständige Adresse (erwartet https://… oder http://…)",
            f"{text!r} is not a complete address (expected https://… or http://…)",
        )
    )
    return None


def _formats(row: SheetRow, urls: list[str], notes: list[Bilingual]) -> list[str]:
    """The Format cell's entries: one per address or one for all; else none, with a warning."""
    formats = _split_cell(row, "formats")
    if formats and urls and len(formats) not in (1, len(urls)):
        notes.append(
            row.left_out(
                "formats",
                f"{row.cell('formats')!r}: {len(formats)} Formate für {len(urls)} Adressen "
                "(erwartet je Adresse ein Format oder eines für alle)",
                f"{row.cell('formats')!r}: {len(formats)} formats for {len(urls)} addresses "
                "(expected one per address or one for all)",
            )
        )
        return []
    return formats


def _format_of(formats: list[str], index: int) -> str:
    return formats[index if len(formats) > 1 else 0] if formats else ""


def _distributions(
    urls: list[str], formats: list[str], license_iri: str | None
) -> list[DistributionInput]:
    distributions = []
    for index, url in enumerate(urls):
        format_text = _format_of(formats, index)
        distributions.append(
            DistributionInput(
                access_url=url,
                download_url=url if _looks_like_file(url) else None,
                format=FILE_TYPES.resolve(format_text) if format_text else None,
                license=license_iri,
            )
        )
    return distributions


def _unknown_formats(
    graph: Graph, node: URIRef | BNode, urls: list[str], formats: list[str]
) -> Iterator[Any]:
    """Distributions whose Format cell names no EU file type, with that text."""
    by_url = {
        str(graph.value(distribution, DCAT.accessURL)): distribution
        for distribution in graph.objects(node, DCAT.distribution)
    }
    for index, url in enumerate(urls):
        format_text = _format_of(formats, index)
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
    parts = (
        re.split(r"\s*[;|]\s*", cell) if re.search(r"[;|]", cell) else _OUTSIDE_QUOTES.split(cell)
    )
    known, unknown = [], []
    for text in filter(None, parts):
        iri = THEMES.resolve(text)
        if iri is None:
            unknown.append(text)
        else:
            known.append(iri)
    return known, unknown


def _contact(row: SheetRow, notes: list[Bilingual]) -> ContactInput | None:
    name, email = row.cell("contact_name"), row.cell("contact_email")
    if email and not _EMAIL.match(email):
        notes.append(
            row.left_out(
                "contact_email",
                f"{email!r} ist keine E-Mail-Adresse (erwartet name@stadt.de)",
                f"{email!r} is not an e-mail address (expected name@city.de)",
            )
        )
        email = ""
    if not name and not email:
        return None
    return ContactInput(name=name or None, email=email or None)


def _frequency(row: SheetRow, notes: list[Bilingual]) -> str | None:
    """The EU frequency IRI of the Aktualisierung cell; a text that names none is left out."""
    text = row.cell("frequency")
    if not text:
        return None
    if (iri := FREQUENCIES.resolve(text)) is not None:
        return iri
    notes.append(
        row.left_out(
            "frequency",
            f"Aktualisierung {text!r} unbekannt (erwartet z. B. täglich, monatlich, jährlich, "
            "unregelmäßig)",
            f"frequency {text!r} unknown (expected e.g. daily, monthly, annual, irregular)",
        )
    )
    return None


def _date(row: SheetRow, field_name: str, notes: list[Bilingual]) -> Literal | None:
    text = row.cell(field_name)
    if not text:
        return None
    value = date_literal_from_text(text)
    if value is None:
        notes.append(
            row.left_out(
                field_name,
                f"Datum {text!r} nicht lesbar (erwartet z. B. 25.06.2014, 2014-06-25, "
                "2014-06-25T21:28:58, 06/2014 oder 2014; Jahr vierstellig)",
                f"date {text!r} not readable (expected e.g. 25.06.2014, 2014-06-25, "
                "2014-06-25T21:28:58, 06/2014 or 2014; four-digit year)",
            )
        )
    return value


def _period(row: SheetRow, notes: list[Bilingual]) -> tuple[Literal | None, Literal | None] | None:
    text = row.cell("period")
    if not text:
        return None
    period = period_from_text(text)
    if period is None:
        notes.append(
            row.left_out(
                "period",
                f"Zeitraum {text!r} nicht lesbar (erwartet z. B. 2015-2024, 2015 bis 2024, "
                "01.01.2015 - 31.12.2024, ab 2015 oder 06/2024; Jahre vierstellig)",
                f"period {text!r} not readable (expected e.g. 2015-2024, 2015 bis 2024, "
                "01.01.2015 - 31.12.2024, ab 2015 or 06/2024; four-digit years)",
            )
        )
    return period


def _period_node(graph: Graph, start: Literal | None, end: Literal | None) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, DCT.PeriodOfTime))
    if start is not None:
        graph.add((node, DCAT.startDate, start))
    if end is not None:
        graph.add((node, DCAT.endDate, end))
    return node


# DEFAULT_HEADERS, ColumnMapping and SheetRow live in harvesters.sheet_columns; the steward's
# source form and the tests read them from here, with the harvester.
__all__ = ["DEFAULT_HEADERS", "ColumnMapping", "SheetRow", "SpreadsheetHarvester", "row_graph"]
