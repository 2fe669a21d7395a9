"""GetRecords answers served by a RecordedServer: recorded pages, or real records re-paged."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import parse_qs

from lxml import etree

from dcat.iso19139_xml import NAMESPACES, metadata_elements, parse_xml
from tests.harvesters.recorded import Route

CSW_FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "csw"
XML = "application/xml; charset=utf-8"


def records_in(path: Path, *, identifier: str | None = None) -> list[bytes]:
    """The gmd:MD_Metadata elements of a fixture file, each with its namespaces; `identifier`
    replaces the fileIdentifier (the Berlin variants of one record share theirs)."""
    elements = metadata_elements(parse_xml(path.read_bytes()))
    if identifier is not None:
        (element,) = elements
        (text,) = element.xpath("gmd:fileIdentifier/gco:CharacterString", namespaces=NAMESPACES)
        text.text = identifier
    return [etree.tostring(element) for element in elements]


def get_records_page(records: Sequence[bytes], start: int, size: int, matched: int) -> bytes:
    """A csw:GetRecordsResponse holding `records`; nextRecord 0 on the last page."""
    returned = len(records)
    after = start + returned
    next_record = after if after <= matched else 0
    body = b"\n".join(records)
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" '
        b'xmlns:gmd="http://www.isotc211.org/2005/gmd" '
        b'xmlns:gco="http://www.isotc211.org/2005/gco" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        b"<csw:SearchStatus/>"
        + f'<csw:SearchResults numberOfRecordsMatched="{matched}" '
        f'numberOfRecordsReturned="{returned}" nextRecord="{next_record}" '
        f'elementSet="full">'.encode()
        + body
        + b"</csw:SearchResults></csw:GetRecordsResponse>"
    )


def paged_handler(records: Sequence[bytes]) -> Callable[[str, bytes], Route]:
    """A handler that pages `records` by startPosition/maxRecords, as a CSW server does."""

    def handle(query: str, _body: bytes) -> Route:
        params = {key.lower(): values[0] for key, values in parse_qs(query).items()}
        start = int(params.get("startposition", "1"))
        size = int(params.get("maxrecords", "10"))
        chosen = list(records[start - 1 : start - 1 + size])
        return Route(get_records_page(chosen, start, size, len(records)), XML)

    return handle


def recorded_pages_handler(pages: dict[int, bytes]) -> Callable[[str, bytes], Route]:
    """A handler answering recorded pages by their startPosition."""

    def handle(query: str, _body: bytes) -> Route:
        params = {key.lower(): values[0] for key, values in parse_qs(query).items()}
        page = pages.get(int(params.get("startposition", "1")))
        return Route(page, XML) if page is not None else Route(b"", status=404)

    return handle
