"""The `ckan` source type: a CKAN or DKAN portal's Action API, or a `ckanapi dump` file."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict
from rdflib import BNode, Graph, URIRef

from dcat.bilingual import Bilingual
from dcat.ckan.parse import (
    CkanMappingError,
    UnusableResource,
    dataset_graph_from_ckan,
    unusable_resources,
)
from dcat.namespaces import DCAT
from dcat.validation import Severity, ValidationResult
from harvesters.base import (
    GatherError,
    HarvestContext,
    Harvester,
    OptionText,
    RecordError,
    RemoteRecord,
    SourceType,
)
from harvesters.ckan_answers import (
    ActionApi,
    ActionFailed,
    SearchResult,
    Unreadable,
    checked_package,
    search_result,
    shown_package,
)
from harvesters.ckan_portal import (
    ListingApi,
    belongs_to,
    current_packages,
    detect_listing_api,
    package_names,
    show_package,
)
from harvesters.http import HttpError

log = logging.getLogger(__name__)

ROWS = 1000
SORT = "metadata_modified asc,id asc"


class CkanOptions(BaseModel):
    """`organization`: a CKAN organisation name; `fq`: a Solr filter (package_search only)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organization: Annotated[
        str | None,
        OptionText(
            "Organisation im Portal",
            "Organisation in the portal",
            "Nur die Datensätze dieser CKAN-Organisation (ihr Kurzname); leer: alle.",
            "Only the datasets of this CKAN organisation (its short name); empty: all.",
        ),
    ] = None
    fq: Annotated[
        str | None,
        OptionText(
            "Filter (fq)",
            "Filter (fq)",
            "Ein Solr-Filter wie in der CKAN-Suche, z. B. tags:verkehr; leer: kein Filter.",
            "A Solr filter as in CKAN’s search, e.g. tags:verkehr; empty: no filter.",
        ),
    ] = None


class CkanHarvester(Harvester):
    """Reads a CKAN portal with package_search, 1,000 datasets a page, oldest change first.

    Options: `organization` (a CKAN organisation name) and `fq` (a Solr filter) narrow the
    source. After a complete job only datasets changed since then are fetched whole; the
    others are listed by id alone (payload None), so vanished ones are still noticed.

    A portal without package_search (DKAN 7, CKAN with search switched off) is read with
    current_package_list_with_resources, else package_list + package_show per package, always
    whole; see ckan_portal. There `organization` is matched client-side and `fq` cannot be
    applied, so such a source fails with that message instead of harvesting the whole portal.

    Every answer is checked against ckan_answers' models: a listing out of shape fails the
    job, a package out of shape fails alone (and, if its id is unreadable, nothing is withdrawn).
    """

    type_name = "ckan"

    def __init__(self, url: str | None, path: str | None, context: HarvestContext) -> None:
        super().__init__(url, path, context)
        self._unidentified = 0  # packages out of shape whose id could not be read

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
        passed = "; ".join(passed_over)
        note = Bilingual(
            f"{passed} nicht verfügbar, {api.value} verwendet",
            f"{passed} not available, {api.value} used",
        )
        if fq := self.context.options.get("fq"):
            raise GatherError(
                f"{self.url}: {note.de}; der Solr-Filter fq={fq!r} lässt sich ohne "
                "package_search nicht anwenden, das ganze Portal wird nicht ersatzweise "
                "geerntet: fq entfernen oder organization verwenden",
                f"{self.url}: {note.en}; the Solr filter fq={fq!r} cannot be applied without "
                "package_search, and the whole portal is not harvested instead: remove fq or "
                "use organization",
            )
        self._note(note)
        if organization := self.context.options.get("organization"):
            self._note(
                Bilingual(
                    f"organization {organization!r} clientseitig gefiltert (Organisation, "
                    "owner_org, DKAN-Gruppe)",
                    f"organization {organization!r} filtered client-side (organization, "
                    "owner_org, DKAN group)",
                )
            )
        if self.context.modified_since is not None:
            self._note(
                Bilingual(
                    "ohne package_search werden alle Datensätze gelesen, nicht nur geänderte",
                    "without package_search every dataset is read, not only changed ones",
                )
            )
        return api

    def _note(self, note: Bilingual) -> None:
        log.info("%s: %s", self.url, note.en)
        self.notes.append(note)

    def _gather_current_list(self) -> Iterator[RemoteRecord]:
        organization = self.context.options.get("organization")
        for package in current_packages(self._api(), self.context.max_pages):
            if isinstance(package, Unreadable):
                yield self._unreadable_record(package)
            elif not organization or belongs_to(package, organization):
                key = str(package.get("id") or package.get("name"))
                yield RemoteRecord(key=key, payload=package, label=_label(package))
        self._note_unidentified()

    def _gather_list_and_show(self) -> Iterator[RemoteRecord]:
        """One package_show per listed name; one that fails fails alone, and when its stored key
        (the package id) is then unknown, nothing is withdrawn in this job."""
        api = self._api()
        organization = self.context.options.get("organization")
        failed = 0
        for name in package_names(api):
            package = show_package(api, name)
            if isinstance(package, Unreadable):
                failed += 1
                yield self._unreadable_record(package, fallback_key=name, label=name)
            elif not organization or belongs_to(package, organization):
                key = str(package.get("id") or name)
                yield RemoteRecord(key=key, payload=package, label=_label(package))
        if failed:
            self._note(
                Bilingual(
                    f"package_show für {failed} Datensätze gescheitert",
                    f"package_show failed for {failed} datasets",
                )
            )

    def _gather_by_search(self) -> Iterator[RemoteRecord]:
        yielded: set[str] = set()
        since = self.context.modified_since
        try:
            for package in self._search(self._filter(since)):
                record = self._searched_record(package, whole=True)
                if record.key not in yielded:  # a dataset changed while paging shows twice
                    yielded.add(record.key)
                    yield record
            if since is not None:
                for package in self._search(self._filter(None), fields="id,name"):
                    record = self._searched_record(package, whole=False)
                    if record.key not in yielded:
                        yielded.add(record.key)
                        yield record
        except HttpError as exc:
            raise GatherError.caused_by(exc) from exc
        self._note_unidentified()

    def _searched_record(self, package: dict[str, Any] | Unreadable, whole: bool) -> RemoteRecord:
        if isinstance(package, Unreadable):
            return self._unreadable_record(package)
        payload = package if whole else None  # listed by id alone: unchanged since the last job
        return RemoteRecord(key=package["id"], payload=payload, label=_label(package))

    def _unreadable_record(
        self, unreadable: Unreadable, fallback_key: str | None = None, label: str | None = None
    ) -> RemoteRecord:
        """A package the portal lists out of shape fails alone; when its id cannot be read,
        its stored record cannot be recognised as still listed, so nothing is withdrawn."""
        if unreadable.key is None:
            self.complete = False
            self._unidentified += 1
        key = unreadable.key or fallback_key or unreadable.label
        return RemoteRecord(key=key, payload=unreadable, label=label or unreadable.label)

    def _note_unidentified(self) -> None:
        if self._unidentified:
            self._note(
                Bilingual(
                    f"{self._unidentified} Datensätze ohne lesbare Kennung",
                    f"{self._unidentified} datasets without a readable id",
                )
            )

    def to_graph(self, record: RemoteRecord) -> tuple[Graph, URIRef | BNode]:
        if isinstance(record.payload, Unreadable):
            raise RecordError(record.payload.message.de, record.payload.message.en)
        try:
            mapped = dataset_graph_from_ckan(record.payload, base_url=self.url)
        except CkanMappingError as exc:
            raise RecordError.caused_by(exc, record.describe()) from exc
        for resource in unusable_resources(record.payload, base_url=self.url):
            self.warn(record, *_left_out(resource))
        return mapped

    def refetch(self, key: str) -> RemoteRecord | None:
        if self.path:
            return None  # a dump file delivers every record whole
        try:
            answer = self._api().call("package_show", id=key)
        except ActionFailed as exc:
            if exc.not_found:
                return None
            raise
        except HttpError as exc:
            raise GatherError.caused_by(exc, f"{self.url}: package_show {key}") from exc
        package = shown_package(answer)
        if isinstance(package, Unreadable):
            return RemoteRecord(key=key, payload=package, label=key)
        return RemoteRecord(key=key, payload=package, label=_label(package))

    def _api(self) -> ActionApi:
        return ActionApi(self.context.http, str(self.url))

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

    def _search(self, fq: str, fields: str | None = None) -> Iterator[dict[str, Any] | Unreadable]:
        """package_search page by page; a page out of shape fails the gather (ActionFailed),
        a package out of shape comes as an Unreadable."""
        api = self._api()
        start = 0
        for _ in range(self.context.max_pages):
            query: dict[str, Any] = {"q": "*:*", "rows": ROWS, "start": start, "sort": SORT}
            if fq:
                query["fq"] = fq
            if fields:
                query["fl"] = fields
            answer = api.call("package_search", **query)
            page: SearchResult = search_result(answer)
            for number, item in enumerate(page.results):
                path = f"result.results[{number}]"
                yield checked_package(item, answer.address, path, id_required=True)
            start += len(page.results)
            if not page.results or start >= page.count:
                return
        pages = self.context.max_pages
        raise GatherError(
            f"{self.url}: mehr als {pages} Seiten; das Seitenlimit erhöhen, wenn das Portal so "
            "groß ist",
            f"{self.url}: more than {pages} pages; raise the page limit if the portal is that "
            "large",
        )

    def _dump_records(self, path: Path) -> Iterator[RemoteRecord]:
        """A `ckanapi dump datasets` file: one package_show result per line, read lazily."""
        try:
            handle = path.open(encoding="utf-8")
        except OSError as exc:
            raise GatherError(f"{path}: {exc.strerror}", f"{path}: {exc.strerror}") from exc
        with handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path.name}:{number}"
                try:
                    package = json.loads(line)
                except json.JSONDecodeError as exc:
                    message = Bilingual(
                        f"{path.name}, Zeile {number}: kein gültiges JSON: {exc.msg}",
                        f"{path.name}, line {number}: not valid JSON: {exc.msg}",
                    )
                    yield RemoteRecord(
                        key=f"line:{number}", payload=Unreadable(message), label=where
                    )
                    continue
                if not isinstance(package, dict) or not package.get("id"):
                    message = Bilingual(
                        f"{path.name}, Zeile {number}: kein CKAN-Datensatz mit id",
                        f"{path.name}, line {number}: not a CKAN dataset with an id",
                    )
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


def _left_out(resource: UnusableResource) -> tuple[Bilingual, ValidationResult]:
    """The warning for a resource whose address is none: the record is published without it,
    and the report's "Wert" column shows what the portal delivered."""
    named = f" ({resource.name!r})" if resource.name else ""
    message = Bilingual(
        f"Ressource {resource.position}{named}: {resource.value!r} ist keine gültige Adresse "
        "(erwartet wird eine mit http:// oder https://); die Ressource wurde weggelassen",
        f"Resource {resource.position}{named}: {resource.value!r} is not a valid address "
        "(expected one starting with http:// or https://); the resource was left out",
    )
    finding = ValidationResult(
        severity=Severity.WARNING,
        focus_node=f"resource {resource.position}",
        path=str(DCAT.accessURL),
        value=resource.value,
        message_de=message.de,
        message_en=message.en,
        source_shape=None,
    )
    return message, finding
