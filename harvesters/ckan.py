"""The `ckan` source type: a CKAN or DKAN portal through ckanapi, or a `ckanapi dump` file."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ckanapi import RemoteCKAN
from ckanapi.errors import CKANAPIError, NotFound
from pydantic import BaseModel, ConfigDict
from rdflib import BNode, Graph, URIRef

from dcat.ckan.parse import CkanMappingError, dataset_graph_from_ckan
from harvesters.base import GatherError, Harvester, RecordError, RemoteRecord, SourceType
from harvesters.ckan_portal import (
    ListingApi,
    Unreadable,
    belongs_to,
    current_packages,
    detect_listing_api,
    package_names,
    show_package,
    unwrap_package,
)
from harvesters.http import HttpError

log = logging.getLogger(__name__)

ROWS = 1000
SORT = "metadata_modified asc,id asc"


class CkanOptions(BaseModel):
    """`organization`: a CKAN organisation name; `fq`: a Solr filter (package_search only)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organization: str | None = None
    fq: str | None = None


class CkanHarvester(Harvester):
    """Reads a CKAN portal with package_search, 1,000 datasets a page, oldest change first.

    Options: `organization` (a CKAN organisation name) and `fq` (a Solr filter) narrow the
    source. After a complete job only datasets changed since then are fetched whole; the
    others are listed by id alone (payload None), so vanished ones are still noticed.

    A portal without package_search (DKAN 7, CKAN with search switched off) is read with
    current_package_list_with_resources, else package_list + package_show per package, always
    whole; see ckan_portal. There `organization` is matched client-side and `fq` cannot be
    applied, so such a source fails with that message instead of harvesting the whole portal.
    """

    type_name = "ckan"

    def gather(self) -> Iterator[RemoteRecord]:
        if self.path:
            yield from self._dump_records(Path(self.path))
            return
        api = self._listing_api()
        if api is ListingApi.SEARCH:
            yield from self._gather_by_search()
        elif api is ListingApi.CURRENT_LIST:
            yield from self._gather_current_list()
        else:
            yield from self._gather_list_and_show()

    def _listing_api(self) -> ListingApi:
        """Ask the portal once which listing it answers; note it when it is not package_search."""
        api, passed_over = detect_listing_api(self.context.http, str(self.url))
        if api is ListingApi.SEARCH:
            return api
        note = (
            f"{'; '.join(passed_over)} nicht verfügbar, {api.value} verwendet / "
            f"not available, {api.value} used"
        )
        if fq := self.context.options.get("fq"):
            raise GatherError(
                f"{self.url}: {note}; der Solr-Filter fq={fq!r} lässt sich ohne package_search "
                "nicht anwenden, das ganze Portal wird nicht ersatzweise geerntet: fq entfernen "
                f"oder organization verwenden / the Solr filter fq={fq!r} cannot be applied "
                "without package_search, and the whole portal is not harvested instead: remove "
                "fq or use organization"
            )
        self._note(note)
        if organization := self.context.options.get("organization"):
            self._note(
                f"organization {organization!r} clientseitig gefiltert (Organisation, owner_org, "
                "DKAN-Gruppe) / filtered client-side (organization, owner_org, DKAN group)"
            )
        if self.context.modified_since is not None:
            self._note(
                "ohne package_search werden alle Datensätze gelesen, nicht nur geänderte / "
                "without package_search every dataset is read, not only changed ones"
            )
        return api

    def _note(self, note: str) -> None:
        log.info("%s: %s", self.url, note)
        self.notes.append(note)

    def _gather_current_list(self) -> Iterator[RemoteRecord]:
        organization = self.context.options.get("organization")
        for package in current_packages(self._portal(), str(self.url), self.context.max_pages):
            if organization and not belongs_to(package, organization):
                continue
            key = str(package.get("id") or package.get("name"))
            yield RemoteRecord(key=key, payload=package, label=_label(package))

    def _gather_list_and_show(self) -> Iterator[RemoteRecord]:
        """One package_show per listed name; one that fails fails alone, and as its stored key
        (the package id) is then unknown, nothing is withdrawn in this job."""
        portal = self._portal()
        organization = self.context.options.get("organization")
        failed = 0
        for name in package_names(portal, str(self.url)):
            package = show_package(portal, name)
            if isinstance(package, Unreadable):
                failed += 1
                self.complete = False
                yield RemoteRecord(key=name, payload=package, label=name)
            elif not organization or belongs_to(package, organization):
                key = str(package.get("id") or name)
                yield RemoteRecord(key=key, payload=package, label=_label(package))
        if failed:
            self._note(
                f"package_show für {failed} Datensätze gescheitert / failed for {failed} datasets"
            )

    def _gather_by_search(self) -> Iterator[RemoteRecord]:
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
        if isinstance(record.payload, Unreadable):
            raise RecordError(record.payload.message)
        try:
            return dataset_graph_from_ckan(record.payload, base_url=self.url)
        except CkanMappingError as exc:
            raise RecordError(f"{record.describe()}: {exc}") from exc

    def refetch(self, key: str) -> RemoteRecord | None:
        if self.path:
            return None  # a dump file delivers every record whole
        try:
            package = unwrap_package(self._portal().action.package_show(id=key))
        except NotFound:
            return None
        except (CKANAPIError, HttpError) as exc:
            raise GatherError(f"{self.url}: package_show {key}: {exc}") from exc
        if package is None:
            return None
        return RemoteRecord(key=package["id"], payload=package, label=_label(package))

    def _portal(self) -> RemoteCKAN:
        session = self.context.http
        portal = RemoteCKAN(
            self.url, user_agent=session.headers.get("User-Agent"), session=session, get_only=True
        )
        # CKAN serves /api/3/action/ beside ckanapi's default /api/action/; DKAN 7 only the first.
        portal.base_url = "api/3/action/"
        return portal

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
                        key=f"line:{number}", payload=Unreadable(message), label=where
                    )
                    continue
                if not isinstance(package, dict) or not package.get("id"):
                    message = f"{where}: kein CKAN-Datensatz mit id / not a CKAN dataset with an id"
                    yield RemoteRecord(
                        key=f"line:{number}", payload=Unreadable(message), label=where
                    )
                    continue
                yield RemoteRecord(key=package["id"], payload=package, label=_label(package))


SOURCE_TYPE = SourceType(
    name=CkanHarvester.type_name,
    label_de="CKAN-Portal",
    label_en="CKAN portal",
    options=CkanOptions,
    harvester=CkanHarvester,
)


def _label(package: dict[str, Any]) -> str:
    return f"{package.get('name') or package.get('id')}"
