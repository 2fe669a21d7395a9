"""The `csw` source type: a geodata catalog (OGC CSW 2.0.2, ISO 19139), or such records on disk."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field
from rdflib import BNode, Graph, URIRef

from dcat.bilingual import Bilingual
from dcat.iso19139 import IsoMappingError, file_identifier, iso_dataset, keywords_of
from dcat.iso19139_rights import Rights, licence_is_open
from dcat.iso19139_xml import IsoXmlError, metadata_elements, parse_xml, text_at
from harvesters.base import (
    GatherError,
    Harvester,
    OptionText,
    RecordError,
    RecordHeldBack,
    RemoteRecord,
    SourceType,
    cause_text,
)
from harvesters.http import HttpError

log = logging.getLogger(__name__)

GMD = "http://www.isotc211.org/2005/gmd"
CSW = "{http://www.opengis.net/cat/csw/2.0.2}"
OGC_FILTER = "http://www.opengis.net/ogc"


# The words that mark a record the open-licence option keeps out (job report, tests).
NOT_OPEN = "no open licence, not published"


class CswOptions(BaseModel):
    """`constraint`: a keyword (`opendata`), an OGC filter (XML) or a CQL text; `page_size`:
    records per GetRecords page; `open_licence_required`: records without an open licence are
    reported and held back (False publishes them with what licence they state)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    constraint: Annotated[
        str | None,
        OptionText(
            "Auswahl (Constraint)",
            "Selection (constraint)",
            "Nur diese Einträge des Katalogs: ein Schlagwort wie opendata, ein OGC-Filter (XML) "
            "oder ein CQL-Text; leer: alle.",
            "Only these records of the catalog: a keyword such as opendata, an OGC filter "
            "(XML) or a CQL text; empty: all.",
        ),
    ] = None
    page_size: Annotated[
        int,
        Field(ge=1, le=1000),
        OptionText(
            "Einträge je Abruf",
            "Records per request",
            "Wie viele Einträge eine GetRecords-Anfrage holt (1 bis 1000, üblich 100).",
            "How many records one GetRecords request fetches (1 to 1000, usually 100).",
        ),
    ] = 100
    open_licence_required: Annotated[
        bool,
        OptionText(
            "Nur Einträge mit offener Lizenz veröffentlichen",
            "Publish only records with an open licence",
            "Einträge ohne offene Lizenz werden gemeldet und zurückgehalten; ohne Haken "
            "erscheinen sie mit der Lizenz, die sie nennen.",
            "Records without an open licence are reported and held back; unticked, they are "
            "published with the licence they state.",
        ),
    ] = True


@dataclass(frozen=True)
class Unreadable:
    """A record or file that could not be read; to_graph reports it."""

    message: Bilingual


class CswHarvester(Harvester):
    """Reads GetRecords pages (GET KVP, outputSchema gmd, ElementSetName full) from
    startPosition 1 along nextRecord, or every .xml file of a folder (a file alone).

    The paging ends where the source says it ends: nextRecord 0 (or past the matched count).
    A read that does not end that way — nextRecord not advancing before the matched count is
    reached, fewer records than numberOfRecordsMatched, a record without fileIdentifier, the
    page limit — is incomplete, so nothing is withdrawn on its strength.
    """

    type_name = "csw"

    def gather(self) -> Iterator[RemoteRecord]:
        if self.path:
            yield from self._file_records(Path(self.path))
        else:
            yield from self._remote_records()

    def to_graph(self, record: RemoteRecord) -> tuple[Graph, URIRef | BNode]:
        if isinstance(record.payload, Unreadable):
            raise RecordError(record.payload.message.de, record.payload.message.en)
        try:
            mapped = iso_dataset(record.payload, self._licence_table())
        except IsoMappingError as exc:
            raise RecordError.caused_by(exc) from exc
        if self._options.open_licence_required and not self._open(mapped.rights):
            stated = mapped.rights.licence or mapped.rights.described
            raise RecordHeldBack(
                f"{record.describe()}: keine offene Lizenz, nicht veröffentlicht "
                f"(gmd:resourceConstraints: {stated or 'keine'})",
                f"{record.describe()}: {NOT_OPEN} (gmd:resourceConstraints: {stated or 'none'})",
            )
        for warning in mapped.warnings:
            self.warn(record, warning)
        return mapped.graph, mapped.node

    def _open(self, rights: Rights) -> bool:
        """An open licence stated, or the licence text one the steward mapped to an open one."""
        if rights.licence_open:
            return True
        table = self._licence_table()
        return rights.licence_text is not None and licence_is_open(table.get(rights.licence_text))

    def _licence_table(self) -> dict[str, str]:
        """The steward's licence mapping of this source: source text -> licence."""
        return {str(k): str(v) for k, v in (self.context.mappings.get("license") or {}).items()}

    @property
    def _options(self) -> CswOptions:
        return CswOptions(**self.context.options)

    def _remote_records(self) -> Iterator[RemoteRecord]:
        assert self.url is not None
        options = self._options
        start, read, matched, pages = 1, 0, None, 0
        while True:
            if pages >= self.context.max_pages:
                pages_limit = self.context.max_pages
                self._incomplete(
                    Bilingual(
                        f"Seitenlimit {pages_limit} erreicht", f"page limit {pages_limit} reached"
                    )
                )
                return
            address = get_records_url(self.url, start, options.page_size, options.constraint)
            page = self._read_page(address)
            pages += 1
            matched = page.matched if matched is None else matched
            yield from self._records(page.records, address)
            read += len(page.records)
            if page.next_record == 0 or page.next_record > matched:
                break
            if page.next_record <= start or not page.records:
                if read < matched:
                    self._incomplete(
                        Bilingual(
                            f"{address}: nextRecord={page.next_record} führt nicht weiter",
                            f"{address}: nextRecord={page.next_record} does not lead further",
                        )
                    )
                return  # FIS-Broker answers nextRecord=1 on its last page
            start = page.next_record
        if read < matched:
            self._incomplete(
                Bilingual(
                    f"die Quelle nennt {matched} Datensätze (numberOfRecordsMatched), gelesen "
                    f"wurden {read}",
                    f"the source announces {matched} records (numberOfRecordsMatched), {read} "
                    "were read",
                )
            )

    def _read_page(self, address: str) -> _Page:
        try:
            response = self.context.http.fetch(address, accept="application/xml, text/xml")
        except HttpError as exc:
            raise GatherError.caused_by(exc) from exc
        try:
            root = parse_xml(response.body)
        except IsoXmlError as exc:
            raise GatherError.caused_by(exc, address) from exc
        if root.tag.endswith("ExceptionReport"):
            reason = text_at(root, ".//ows:ExceptionText") or "ows:ExceptionReport"
            raise GatherError(f"{address}: CSW-Fehler: {reason}", f"{address}: CSW error: {reason}")
        results = root.find(f"{CSW}SearchResults")
        if results is None:
            raise GatherError(
                f"{address}: keine csw:SearchResults, keine GetRecords-Antwort",
                f"{address}: no csw:SearchResults, not a GetRecords answer",
            )
        return _Page(
            records=metadata_elements(results),
            matched=_number(results.get("numberOfRecordsMatched")),
            next_record=_number(results.get("nextRecord")),
        )

    def _file_records(self, root: Path) -> Iterator[RemoteRecord]:
        if root.is_dir():
            files = sorted(p for p in root.iterdir() if p.suffix.lower() == ".xml")
        elif root.is_file():
            files = [root]
        else:
            raise GatherError(f"{root}: Datei nicht gefunden", f"{root}: file not found")
        keyword = _keyword(self._options.constraint)
        for file in files:
            try:
                document = parse_xml(file.read_bytes())
            except (OSError, IsoXmlError) as exc:
                name = file.name
                self._incomplete(Bilingual(f"{name}: nicht lesbar", f"{name}: unreadable"))
                unreadable = Bilingual.neutral(f"{file.name}: ") + cause_text(exc)
                yield RemoteRecord(f"file:{file.name}", Unreadable(unreadable))
                continue
            records = metadata_elements(document)
            if keyword:  # on disk no server applies the keyword: apply it here
                records = [r for r in records if keyword.casefold() in _folded(keywords_of(r))]
            yield from self._records(records, file.name)

    def _records(self, elements: list[Any], where: str) -> Iterator[RemoteRecord]:
        for number, element in enumerate(elements, start=1):
            key = file_identifier(element)
            if key is None:
                # Its key is unknown, so a stored copy of it would look vanished.
                message = Bilingual(
                    f"{where}, Datensatz {number}: gmd:fileIdentifier fehlt",
                    f"{where}, record {number}: gmd:fileIdentifier missing",
                )
                self._incomplete(message)
                yield RemoteRecord(f"{where}#{number}", Unreadable(message), f"{where}#{number}")
                continue
            title = text_at(element, "gmd:identificationInfo/*/gmd:citation/*/gmd:title")
            yield RemoteRecord(key, element, f"{key} ({title})" if title else key)

    def _incomplete(self, reason: Bilingual) -> None:
        log.warning("source %s: %s", self.url or self.path, reason.en)
        self.complete = False
        self.notes.append(reason)


@dataclass(frozen=True)
class _Page:
    records: list[Any]
    matched: int
    next_record: int


def get_records_url(base: str, start: int, page_size: int, constraint: str | None) -> str:
    """A CSW 2.0.2 GetRecords request as GET KVP (retried like every GET, unlike a POST)."""
    query = {
        "service": "CSW",
        "version": "2.0.2",
        "request": "GetRecords",
        "typeNames": "gmd:MD_Metadata",
        "namespace": f"xmlns(gmd={GMD})",
        "outputSchema": GMD,
        "resultType": "results",
        "ElementSetName": "full",
        "startPosition": str(start),
        "maxRecords": str(page_size),
    }
    if constraint and constraint.strip():
        query.update(_constraint(constraint.strip()))
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}{urlencode(query)}"


def _constraint(text: str) -> dict[str, str]:
    keyword = _keyword(text)
    if keyword is not None:
        text = (
            f'<ogc:Filter xmlns:ogc="{OGC_FILTER}"><ogc:PropertyIsEqualTo>'
            f"<ogc:PropertyName>apiso:Subject</ogc:PropertyName>"
            f"<ogc:Literal>{keyword}</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>"
        )
    if text.startswith("<"):
        return {"constraintLanguage": "FILTER", "constraint_language_version": "1.1.0",
                "constraint": text}  # fmt: skip
    return {"constraintLanguage": "CQL_TEXT", "constraint_language_version": "1.1.0",
            "constraint": text}  # fmt: skip


def _keyword(constraint: str | None) -> str | None:
    """The constraint as a single keyword, or None when it is a filter or a CQL expression."""
    text = (constraint or "").strip()
    if text and all(char.isalnum() or char in "-_." for char in text):
        return text
    return None


def _folded(words: list[str]) -> set[str]:
    return {word.casefold() for word in words}


def _number(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


SOURCE_TYPE = SourceType(
    name=CswHarvester.type_name,
    label_de="Geodatenkatalog (CSW)",
    label_en="Geodata catalog (CSW)",
    options=CswOptions,
    harvester=CswHarvester,
)
