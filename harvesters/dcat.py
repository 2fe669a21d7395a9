"""The `dcat` source type: an RDF catalog (endpoint or file), following Hydra paging."""

from __future__ import annotations

import hashlib
import logging
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from dcat.bilingual import Bilingual
from dcat.namespaces import DCAT, DCT, HYDRA
from dcat.origin import CatalogOrigin
from dcat.parsing import RDFParseError, parse_rdf, parse_rdf_file
from dcat.relative import RELATIVE_BASE, absolute_link, rebase_described_nodes
from dcat.split import DatasetGraph, dataset_nodes, split_catalog_into_datasets
from harvesters.base import GatherError, Harvester, RemoteRecord, SourceType
from harvesters.http import HttpError

log = logging.getLogger(__name__)

ACCEPT = (
    "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, "
    "application/n-triples;q=0.7, */*;q=0.1"
)
NEXT_PAGE = (HYDRA.next, HYDRA.nextPage)
RDF_SUFFIXES = {".ttl", ".rdf", ".xml", ".jsonld", ".json", ".nt", ".n3"}


@dataclass(frozen=True)
class CatalogPage:
    address: str
    graph: Graph


class DcatHarvester(Harvester):
    """Reads a DCAT catalog page by page, each dataset a record keyed by its identity.

    Paging follows hydra:next (PartialCollectionView) and hydra:nextPage (PagedCollection);
    sub-catalogs linked by dct:hasPart or dcat:catalog but described elsewhere are fetched
    too. A page without datasets does not end the chain when it names a next page. Stopping
    at a page already seen (same address or same content) or at the page limit, and a read
    that does not match what the source announced (see _Announced), mark the gather as
    incomplete, so nothing is withdrawn on the strength of it.
    """

    type_name = "dcat"

    def gather(self) -> Iterator[RemoteRecord]:
        pages = self._file_pages() if self.path else self._remote_pages()
        for page in pages:
            for dataset in split_catalog_into_datasets(page.graph):
                yield RemoteRecord(
                    key=dataset.identity, payload=dataset, label=f"{dataset.identity}"
                )

    def to_graph(self, record: RemoteRecord) -> tuple[Graph, URIRef | BNode]:
        dataset: DatasetGraph = record.payload
        return dataset.graph, dataset.node

    def origin(self, record: RemoteRecord) -> CatalogOrigin | None:
        dataset: DatasetGraph = record.payload
        return dataset.origin if isinstance(dataset, DatasetGraph) else None

    def _file_pages(self) -> Iterator[CatalogPage]:
        """A file, or every RDF file of a folder in name order (a paged catalog saved to disk)."""
        assert self.path is not None
        root = Path(self.path)
        if root.is_dir():
            files = sorted(p for p in root.iterdir() if p.suffix.lower() in RDF_SUFFIXES)
        elif root.is_file():
            files = [root]
        else:
            raise GatherError(f"{root}: Datei nicht gefunden", f"{root}: file not found")
        for file in files:
            address = file.resolve().as_uri()
            try:
                graph = parse_rdf_file(file, base=RELATIVE_BASE)
            except RDFParseError as exc:
                raise GatherError.caused_by(exc, str(file)) from exc
            rebase_described_nodes(graph, address)
            yield CatalogPage(address, graph)

    def _remote_pages(self) -> Iterator[CatalogPage]:
        assert self.url is not None
        queue: deque[str] = deque([self.url])
        seen_addresses: set[str] = set()
        seen_contents: set[str] = set()
        fetched = 0
        announced = _Announced()
        while queue:
            address = queue.popleft()
            if address in seen_addresses:
                self._stop_incomplete(
                    Bilingual(f"Seite {address} wiederholt sich", f"page {address} repeats")
                )
                continue
            if fetched >= self.context.max_pages:
                limit = self.context.max_pages
                self._stop_incomplete(
                    Bilingual(f"Seitenlimit {limit} erreicht", f"page limit {limit} reached")
                )
                return
            seen_addresses.add(address)
            try:
                response = self.context.http.fetch(address, accept=ACCEPT)
            except HttpError as exc:
                raise GatherError.caused_by(exc) from exc
            fetched += 1
            digest = hashlib.sha256(response.body).hexdigest()
            if digest in seen_contents:
                self._stop_incomplete(
                    Bilingual(
                        f"Seite {address} hat denselben Inhalt wie eine frühere",
                        f"page {address} has the same content as an earlier one",
                    )
                )
                continue
            seen_contents.add(digest)
            graph = self._parse(response.body, response.url, response.content_type)
            next_pages = [
                _absolute(page, response.url) for page in _next_pages(graph, response.url)
            ]
            sub_catalogs = [
                link for link in _sub_catalogs(graph, response.url) if link not in seen_addresses
            ]
            # A page without datasets does not end a chain that names a next page.
            if reason := announced.check(graph, response.url, next_pages, sub_catalogs):
                self._stop_incomplete(reason)
            yield CatalogPage(response.url, graph)
            # A next page already seen is a paging loop: queued, so the check above reports it.
            queue.extend(next_pages)
            queue.extend(sub_catalogs)
        if reason := announced.final_check():
            self._stop_incomplete(reason)

    def _parse(self, data: bytes, address: str, content_type: str | None) -> Graph:
        try:
            graph = parse_rdf(data, content_type=content_type, filename=address, base=RELATIVE_BASE)
        except RDFParseError as exc:
            raise GatherError.caused_by(exc, address) from exc
        rebase_described_nodes(graph, address)
        return graph

    def _stop_incomplete(self, reason: Bilingual) -> None:
        log.warning("source %s: %s", self.url or self.path, reason.en)
        self.complete = False
        self.notes.append(reason)


SOURCE_TYPE = SourceType(
    name=DcatHarvester.type_name,
    label_de="DCAT-Katalog",
    label_en="DCAT catalog",
    harvester=DcatHarvester,
)


@dataclass
class _Announced:
    """What a paged source said of itself, against what was read.

    A read that did not end the way the source said it ends is incomplete: a page with fewer
    datasets than its hydra:itemsPerPage though a next page follows, or a hydra:totalItems of
    the first page that the whole chain does not match (checked only when no sub-catalog was
    followed, whose datasets that total does not count).
    """

    total: int | None = None
    read: int = 0
    first_page: bool = True
    followed_sub_catalogs: bool = False

    def check(
        self, graph: Graph, address: str, next_pages: list[str], sub_catalogs: list[str]
    ) -> Bilingual | None:
        on_page = len(dataset_nodes(graph))
        self.read += on_page
        self.followed_sub_catalogs |= bool(sub_catalogs)
        if self.first_page:
            self.total = _announced_count(graph, HYDRA.totalItems)
            self.first_page = False
        per_page = _announced_count(graph, HYDRA.itemsPerPage)
        if next_pages and per_page is not None and on_page < per_page:
            return Bilingual(
                f"Seite {address} enthält {on_page} statt {per_page} Datensätze, obwohl eine "
                "weitere Seite folgt",
                f"page {address} holds {on_page} of the {per_page} datasets announced though a "
                "next page follows",
            )
        return None

    def final_check(self) -> Bilingual | None:
        if self.total is None or self.followed_sub_catalogs or self.read == self.total:
            return None
        return Bilingual(
            f"die Quelle nennt {self.total} Datensätze (hydra:totalItems), gelesen wurden "
            f"{self.read}",
            f"the source announces {self.total} datasets (hydra:totalItems), {self.read} were read",
        )


def _announced_count(graph: Graph, predicate: URIRef) -> int | None:
    """The one whole number a page states for `predicate` (the largest, if it states more)."""
    numbers = []
    for value in graph.objects(None, predicate):
        try:
            numbers.append(int(str(value)))
        except ValueError:
            continue
    return max(numbers) if numbers else None


def _sub_catalogs(graph: Graph, address: str) -> list[str]:
    """Sub-catalogs this page links to (dct:hasPart, dcat:catalog) without describing them."""
    links = [
        absolute_link(part, address)
        for predicate in (DCT.hasPart, DCAT.catalog)
        for part in graph.objects(None, predicate)
        if isinstance(part, URIRef) and (part, None, None) not in graph
    ]
    return list(dict.fromkeys(links))


def _next_pages(graph: Graph, address: str) -> list[Node]:
    """hydra:next of this page's view if it says which it is, else any next link on the page."""
    own = [obj for p in NEXT_PAGE for obj in graph.objects(URIRef(address), p)]
    return own or [obj for p in NEXT_PAGE for obj in graph.objects(None, p)][:1]


def _absolute(link: Node, address: str) -> str:
    # Some portals write page links as literals; a link is a link either way.
    return absolute_link(link, address) if isinstance(link, URIRef | Literal) else address
