"""The real-catalog corpus (tests/data/real): served on 127.0.0.1, harvested, and judged.

Shared by tests/harvesters/test_real_catalogs.py and benchmarks/conformance.py, so that the
table in benchmarks/RESULTS.md and the test's assertions come from the same run.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import BNode, Graph, Literal, URIRef
from sqlalchemy import func, select

from catalog.ingest import RecordPreparer
from catalog.jobs import job_errors
from catalog.models import DatasetRecord, RecordStatus, Revision, ValidationState
from catalog.organizations import get_source_by_name, sync_organizations, sync_sources
from catalog.settings import Settings, settings_from_mapping
from catalog.store import Store
from harvesters.csw import NOT_OPEN
from harvesters.service import harvest_sources
from tests.conftest import REPO, minimal_config
from tests.harvesters.csw_pages import paged_handler, records_in
from tests.harvesters.recorded import RecordedServer, Route, ckan_action_handlers, dkan_handlers
from tests.messages import both

CORPUS = REPO / "tests" / "data" / "real"
MANIFEST = CORPUS / "manifest.yaml"
STEWARD_SETTINGS = CORPUS / "steward-settings.yaml"
CONTENT_TYPES = {
    ".ttl": "text/turtle; charset=utf-8",
    ".rdf": "application/rdf+xml",
    ".xml": "application/rdf+xml",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
}
# The city that harvests the corpus: its own contributor ID and geocoding, which must never
# land on another publisher's record.
CITY_NAME = "Stadt Teststadt"  # tests.conftest.minimal_config's publisher
CITY_CONTRIBUTOR = "http://dcat-ap.de/def/contributors/teststadt"
CITY_KEY = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/09999999"
# A CSW catalog's records are served in pages this small, so that even a catalog of three
# records is read across GetRecords pages along nextRecord.
CSW_PAGE_SIZE = 2


@dataclass(frozen=True)
class CorpusCatalog:
    slug: str
    kind: str
    origin: str
    files: tuple[str, ...]
    datasets: int
    columns: dict[str, str] = field(default_factory=dict)
    fallback_columns: dict[str, str] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return CORPUS / self.slug


def load_corpus() -> list[CorpusCatalog]:
    entries = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["catalogs"]
    return [
        CorpusCatalog(
            slug=entry["slug"],
            kind=entry["kind"],
            origin=entry.get("origin", ""),
            files=tuple(entry.get("files") or ()),
            datasets=int(entry.get("datasets") or 0),
            columns=dict(entry.get("columns") or {}),
            fallback_columns=dict(entry.get("fallback_columns") or {}),
        )
        for entry in entries
    ]


def steward_settings() -> dict[str, dict[str, Any]]:
    """What a steward wrote per source after reading the first job report (kept as data)."""
    if not STEWARD_SETTINGS.is_file():
        return {}
    return yaml.safe_load(STEWARD_SETTINGS.read_text(encoding="utf-8")) or {}


# --- serving ----------------------------------------------------------------------------------


def serve(server: RecordedServer, catalog: CorpusCatalog) -> list[dict[str, Any]]:
    """Put the catalog's recorded answers on the server; the sources that read them."""
    if catalog.kind in ("ckan", "dkan"):
        handlers = ckan_handlers(catalog) if catalog.kind == "ckan" else dkan_corpus(catalog)
        server.handlers.update(
            {f"/{catalog.slug}{path}": handler for path, handler in handlers.items()}
        )
        return [{"name": catalog.slug, "type": "ckan", "url": server.url(f"/{catalog.slug}")}]
    if catalog.kind == "csw":
        server.handlers[f"/{catalog.slug}/csw"] = paged_handler(csw_records(catalog))
        return [
            {
                "name": catalog.slug,
                "type": "csw",
                "url": server.url(f"/{catalog.slug}/csw"),
                "options": {"page_size": CSW_PAGE_SIZE},
            }
        ]
    sources = []
    for number, name in enumerate(catalog.files):
        path = catalog.folder / name
        route = f"/{catalog.slug}/{name}"
        server.routes[route] = Route(path.read_bytes(), CONTENT_TYPES[path.suffix.lower()])
        source: dict[str, Any] = {
            "name": catalog.slug if len(catalog.files) == 1 else f"{catalog.slug}-{number}",
            "type": catalog.kind,
            "url": server.url(route),
        }
        if catalog.columns:
            source["options"] = {"columns": catalog.columns}
        if catalog.fallback_columns:
            source.setdefault("options", {})["fallback_columns"] = catalog.fallback_columns
        sources.append(source)
    return sources


def ckan_packages(catalog: CorpusCatalog) -> list[dict[str, Any]]:
    """Every package the recorded answers hold, as the portal delivered it."""
    packages: list[dict[str, Any]] = []
    for name in catalog.files:
        path = catalog.folder / name
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for file in files:
            answer = json.loads(file.read_text(encoding="utf-8"))
            result = answer.get("result", answer) if isinstance(answer, dict) else answer
            if isinstance(result, dict) and "results" in result:
                packages.extend(result["results"])
            elif isinstance(result, list):
                packages.extend(item for item in result if isinstance(item, dict))
            elif isinstance(result, dict):
                packages.append(result)
    return packages


def ckan_handlers(catalog: CorpusCatalog) -> dict[str, Any]:
    """A CKAN 2.9+ answering package_search and package_show over the recorded packages."""
    return ckan_action_handlers(ckan_packages(catalog))


def dkan_corpus(catalog: CorpusCatalog) -> dict[str, Any]:
    """A DKAN 7: package_list (recorded, or the recorded packages' names) and package_show."""
    listed = catalog.folder / "package_list.json"
    names = None
    if not listed.is_file():
        names = sorted(path.stem for path in (catalog.folder / "package_show").glob("*.json"))
    return dkan_handlers(catalog.folder, names)


def csw_records(catalog: CorpusCatalog) -> list[bytes]:
    """Every gmd:MD_Metadata of the catalog's files (single records, GetRecordById or
    GetRecords answers), in file order: served re-paged as GetRecords answers of one CSW."""
    return [record for name in catalog.files for record in records_in(catalog.folder / name)]


# --- harvesting -------------------------------------------------------------------------------


@dataclass
class CatalogOutcome:
    """What one harvest of one corpus catalog did, and what the store holds afterwards."""

    slug: str
    delivered: int = 0
    published: int = 0
    held_back: int = 0
    refused: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    # "path: message" of every violation of held-back records, counted per record.
    reasons: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)
    # Held back by a rule of the source's own (csw: no open licence), not for a violation:
    # "record key: message" each. Such a record is no candidate for publishing.
    kept_out: dict[str, str] = field(default_factory=dict)
    # Record key -> message of every record that was refused (not stored).
    refused_keys: dict[str, str] = field(default_factory=dict)


def corpus_settings(
    data_dir: Path, sources: list[dict[str, Any]], with_steward_settings: bool
) -> Settings:
    chosen = steward_settings() if with_steward_settings else {}
    configured = []
    for source in sources:
        extra = chosen.get(source["name"]) or chosen.get(source["name"].rsplit("-", 1)[0]) or {}
        configured.append({"organization": "umweltamt", **source, **extra})
    config = minimal_config(
        storage={"data_dir": str(data_dir)},
        sources=configured,
        harvest={"allow_private_networks": True, "retries": 0, "read_timeout": 10.0},
    )
    config["catalog"]["contributor_id"] = CITY_CONTRIBUTOR
    config["catalog"]["political_geocoding"] = {
        "level": "http://dcat-ap.de/def/politicalGeocoding/Level/municipality",
        "uri": CITY_KEY,
    }
    return settings_from_mapping(config, base_dir=data_dir, env={})


def harvest(
    store: Store,
    settings: Settings,
    preparer: RecordPreparer | None = None,
) -> dict[str, CatalogOutcome]:
    """One job per configured source; outcomes per source name."""
    sync_organizations(store, settings.organizations)
    sync_sources(store, settings.sources)
    outcomes: dict[str, CatalogOutcome] = {}
    for configured in settings.sources:
        source = get_source_by_name(store, configured.name)
        assert source is not None
        started = time.perf_counter()
        (job,) = harvest_sources(store, settings, [source], preparer=preparer)
        outcome = CatalogOutcome(slug=configured.name, seconds=time.perf_counter() - started)
        counts = job.counts
        outcome.published = counts.new + counts.updated
        outcome.held_back, outcome.refused = counts.held_back, counts.refused
        outcome.unchanged = counts.unchanged
        outcome.delivered = counts.new + counts.updated + counts.failed + counts.unchanged
        for error in job_errors(store, job.job_id):
            if error.stage == "validate" and error.report:
                for finding in _violations(error.report):
                    outcome.reasons[finding] += 1
            elif NOT_OPEN in both(error):
                outcome.kept_out[error.record_key] = both(error)
            elif error.stage not in ("validate", "warning"):
                outcome.refusals[f"{error.stage}: {both(error)[:90]}"] += 1
                outcome.refused_keys[error.record_key] = both(error)
        outcomes[configured.name] = outcome
    return outcomes


def total_of(outcomes: dict[str, CatalogOutcome], slug: str) -> CatalogOutcome:
    """The figures of a catalog's sources added up (a catalog of several files, several jobs)."""
    total = CatalogOutcome(slug=slug)
    for outcome in outcomes.values():
        total.delivered += outcome.delivered
        total.published += outcome.published
        total.held_back += outcome.held_back
        total.refused += outcome.refused
        total.unchanged += outcome.unchanged
        total.seconds += outcome.seconds
        total.reasons.update(outcome.reasons)
        total.refusals.update(outcome.refusals)
        total.kept_out.update(outcome.kept_out)
        total.refused_keys.update(outcome.refused_keys)
    return total


def _violations(report: dict[str, Any]) -> set[str]:
    found = set()
    for result in report.get("results", []):
        if result.get("severity") == "violation":
            found.add(f"{result.get('path') or '-'}: {result.get('message_en', '')}")
    return found


def revision_count(store: Store) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(Revision)) or 0


def public_graphs(store: Store) -> list[tuple[str, Graph]]:
    """The graph of every record public outputs show (published, without violations)."""
    with store.reading() as session:
        rows = session.execute(
            select(DatasetRecord.uri, DatasetRecord.graph).where(
                DatasetRecord.status == RecordStatus.PUBLISHED,
                DatasetRecord.validation_state != ValidationState.INVALID,
            )
        ).all()
    return [(uri, Graph().parse(data=text, format="nt")) for uri, text in rows]


def ground_signature(
    graph: Graph, anonymous: set[URIRef] | frozenset[URIRef] = frozenset()
) -> Counter[tuple[str, str, str]]:
    """Triples with blank nodes (and the `anonymous` IRIs, such as a minted dataset IRI)
    made anonymous: what survives a re-parse, as a multiset."""

    def term(node: Any) -> str:
        if isinstance(node, BNode) or node in anonymous:
            return "_"
        if isinstance(node, Literal):
            return node.n3()
        return f"<{node}>" if isinstance(node, URIRef) else str(node)

    return Counter((term(s), term(p), term(o)) for s, p, o in graph)
