"""The `ckan` source type: a CKAN portal through ckanapi, or a `ckanapi dump datasets` file."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ckanapi import RemoteCKAN
from ckanapi.errors import CKANAPIError, NotFound
from rdflib import BNode, Graph, URIRef

from dcat.ckan import CkanMappingError, dataset_graph_from_ckan
from harvesters.base import GatherError, Harvester, RecordError, RemoteRecord
from harvesters.http import HttpError

log = logging.getLogger(__name__)

ROWS = 1000
SORT = "metadata_modified asc,id asc"


@dataclass(frozen=True)
class UnreadableLine:
    """A line of a dump file that is not a CKAN dataset; it fails alone in to_graph."""

    message: str


class CkanHarvester(Harvester):
    """Reads a CKAN portal with package_search, 1,000 datasets a page, oldest change first.

    Options: `organization` (a CKAN organisation name) and `fq` (a Solr filter) narrow the
    source. After a complete job only datasets changed since then are fetched whole; the
    others are listed by id alone (payload None), so vanished ones are still noticed.
    """

    type_name = "ckan"

    def gather(self) -> Iterator[RemoteRecord]:
        if self.path:
            yield from self._dump_records(Path(self.path))
            return
        yielded: set[str] = set()
        since = self.context.modified_since
        try:
            for package in self._search(self._filter(since)):
                if package["id"] not in yielded:  # a dataset changed while paging shows twice
                    yielded.add(package["id"])
                    yield RemoteRecord(key=package["id"], payload=package, label=_label(package))
            if since is not None:
                for package in self._search(self._filter(None), fields="id,name"):
                    if package["id"] not in yielded:
                        yielded.add(package["id"])
                        yield RemoteRecord(key=package["id"], payload=None, label=_label(package))
        except CKANAPIError as exc:
            raise GatherError(f"{self.url}: CKAN-API-Fehler / CKAN API error: {exc}") from exc
        except HttpError as exc:
            raise GatherError(str(exc)) from exc

    def to_graph(self, record: RemoteRecord) -> tuple[Graph, URIRef | BNode]:
        if isinstance(record.payload, UnreadableLine):
            raise RecordError(record.payload.message)
        try:
            return dataset_graph_from_ckan(record.payload, base_url=self.url)
        except CkanMappingError as exc:
            raise RecordError(f"{record.describe()}: {exc}") from exc

    def refetch(self, key: str) -> RemoteRecord | None:
        if self.path:
            return None  # a dump file delivers every record whole
        try:
            package = self._portal().action.package_show(id=key)
        except NotFound:
            return None
        except (CKANAPIError, HttpError) as exc:
            raise GatherError(f"{self.url}: package_show {key}: {exc}") from exc
        return RemoteRecord(key=package["id"], payload=package, label=_label(package))

    def _portal(self) -> RemoteCKAN:
        session = self.context.http
        return RemoteCKAN(
            self.url, user_agent=session.headers.get("User-Agent"), session=session, get_only=True
        )

    def _filter(self, since: datetime | None) -> str:
        parts = []
        if organization := self.context.options.get("organization"):
            parts.append(f"organization:{organization}")
        if fq := self.context.options.get("fq"):
            parts.append(f"({fq})")
        if since is not None:
            stamp = since.strftime("%Y-%m-%dT%H:%M:%SZ")
            parts.append(f"metadata_modified:[{stamp} TO *]")
        return " AND ".join(parts)

    def _search(self, fq: str, fields: str | None = None) -> Iterator[dict[str, Any]]:
        portal = self._portal()
        start = 0
        for _ in range(self.context.max_pages):
            query: dict[str, Any] = {"q": "*:*", "rows": ROWS, "start": start, "sort": SORT}
            if fq:
                query["fq"] = fq
            if fields:
                query["fl"] = fields
            page = portal.action.package_search(**query)
            results = page.get("results") or []
            yield from results
            start += len(results)
            if not results or start >= int(page.get("count", 0)):
                return
        raise GatherError(
            f"{self.url}: mehr als {self.context.max_pages} Seiten / more than "
            f"{self.context.max_pages} pages; raise the page limit if the portal is that large"
        )

    def _dump_records(self, path: Path) -> Iterator[RemoteRecord]:
        """A `ckanapi dump datasets` file: one package_show result per line, read lazily."""
        try:
            handle = path.open(encoding="utf-8")
        except OSError as exc:
            raise GatherError(f"{path}: {exc.strerror}") from exc
        with handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path.name}, Zeile/line {number}"
                try:
                    package = json.loads(line)
                except json.JSONDecodeError as exc:
                    message = f"{where}: kein gültiges JSON / not valid JSON: {exc.msg}"
                    yield RemoteRecord(
                        key=f"line:{number}", payload=UnreadableLine(message), label=where
                    )
                    continue
                if not isinstance(package, dict) or not package.get("id"):
                    message = f"{where}: kein CKAN-Datensatz mit id / not a CKAN dataset with an id"
                    yield RemoteRecord(
                        key=f"line:{number}", payload=UnreadableLine(message), label=where
                    )
                    continue
                yield RemoteRecord(key=package["id"], payload=package, label=_label(package))


def _label(package: dict[str, Any]) -> str:
    return f"{package.get('name') or package.get('id')}"
