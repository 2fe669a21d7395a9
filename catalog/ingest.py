"""From a DCAT-AP.de graph to a record's content: normalise, validate, derive the columns.

The one path every save takes (harvest, steward form, API), so that a record's columns,
hash and validation report always come from its graph in the same way.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from catalog.models import HarvestSource, ValidationState
from catalog.profile_store import V3Judge, V3Judgement, shared_v3_judge
from catalog.records import RecordContent
from catalog.settings import Settings
from dcat.bilingual import Bilingual
from dcat.hashing import content_hash
from dcat.normalise import (
    RULES,
    Change,
    NormalisationContext,
    NormalisationResult,
    SourceRules,
    normalise,
    rule_named,
)
from dcat.origin import AgentDescription, CatalogOrigin
from dcat.quality import quality_facts
from dcat.serialise import serialise
from dcat.validation import GOVDATA_WARNINGS, OWN_SHAPES, OWN_SHAPES_V3, ValidationReport, Validator
from dcat.view import DatasetView, dataset_view


@dataclass(frozen=True)
class PreparedRecord:
    """A graph made ready for the store, with what normalisation did and what SHACL said."""

    content: RecordContent
    view: DatasetView
    report: ValidationReport
    changes: list[Change]

    @property
    def name_hint(self) -> str:
        """What a new record's name is made from: its title, else its identifier."""
        return self.view.title or self.view.identifier or self.content.uri.rsplit("/", 1)[-1]

    def summary(self) -> Bilingual:
        """Every violation, short, in each language ("2 DCAT-AP.de-Verstöße: path: message;
        ..."); the same finding on several nodes once, with its count."""
        from catalog.job_findings import compact_iri

        found: dict[tuple[str, str, str], int] = {}
        for result in self.report.violations:
            key = (compact_iri(result.path or ""), result.message_de, result.message_en)
            found[key] = found.get(key, 0) + 1
        count = len(self.report.violations)
        if count == 1:
            text = Bilingual("1 DCAT-AP.de-Verstoß", "1 DCAT-AP.de violation")
        else:
            text = Bilingual(f"{count} DCAT-AP.de-Verstöße", f"{count} DCAT-AP.de violations")
        parts_de, parts_en = [], []
        for (path, german, english), times in found.items():
            where = f"{path} ({times}×): " if times > 1 else (f"{path}: " if path else "")
            parts_de.append(where + (german or english))
            parts_en.append(where + (english or german))
        if not parts_de:
            return text
        return Bilingual(f"{text.de}: {'; '.join(parts_de)}", f"{text.en}: {'; '.join(parts_en)}")

    def report_json(self) -> dict[str, Any]:
        return self.report.to_json()

    def change_note(self) -> Bilingual | None:
        """The revision's account of every repair: each rule by its label and name, how often,
        and what it did; None when normalisation changed nothing.

        E.g. "normalisiert: Herausgeber ergänzt (publisher-default) ×2: Herausgeber aus den
        Einstellungen der Quelle ergänzt", so the revision says where a value that the
        source did not state came from; the English text reads alike.
        """
        if not self.changes:
            return None
        counts: dict[str, int] = {}
        kinds: dict[str, dict[Bilingual, None]] = {}
        for change in self.changes:
            counts[change.rule] = counts.get(change.rule, 0) + 1
            what = Bilingual(
                change.what_de or change.message_de, change.what_en or change.message_en
            )
            kinds.setdefault(change.rule, {})[what] = None
        parts = [_rule_part(name, counts[name], list(kinds[name])) for name in sorted(counts)]
        return Bilingual(
            "normalisiert: " + ", ".join(part.de for part in parts),
            "normalised: " + ", ".join(part.en for part in parts),
        )


def _rule_part(name: str, count: int, kinds: list[Bilingual]) -> Bilingual:
    rule = rule_named(name)
    return Bilingual(
        f"{rule.label_de} ({name}) ×{count}: {'; '.join(kind.de for kind in kinds)}",
        f"{rule.label_en} ({name}) ×{count}: {'; '.join(kind.en for kind in kinds)}",
    )


@dataclass(frozen=True)
class Delivery:
    """A harvested graph's canonical hash, and that hash combined with the pipeline's."""

    graph_hash: str
    source_hash: str


class RecordPreparer:
    """Holds what preparing needs once per process: the shapes and the catalog's defaults."""

    def __init__(
        self,
        settings: Settings,
        validator: Validator | None = None,
        context: NormalisationContext | None = None,
        v3_judge: V3Judge | None = None,
    ) -> None:
        self.settings = settings
        self.validator = validator or shapes_validator(settings)
        self.context = context or normalisation_context(settings)
        self.pipeline = pipeline_fingerprint(settings, self.context)
        # Every save stores the 3.0 rendering and verdict too (catalog.profile_store).
        self.v3_judge = v3_judge or shared_v3_judge()

    def for_source(self, source: HarvestSource) -> RecordPreparer:
        """A preparer for one source's records: its defaults, mappings and city switch.

        Shares the validator (the shapes are loaded once per process).
        """
        context = dataclasses.replace(
            self.context,
            city_defaults=bool(source.city_defaults),
            source=source_rules(source.defaults or {}, source.mappings or {}),
        )
        return RecordPreparer(self.settings, self.validator, context, self.v3_judge)

    def delivery(self, graph: Graph, origin: CatalogOrigin | None = None) -> Delivery:
        """What the source delivered, named for comparison with the stored record.

        The source hash is equal for a record that arrives unchanged and meets the same rules,
        shapes, catalog defaults and Stadtkatalog version, so a re-harvest may skip normalising
        and validating it; an upgrade or a config change makes every record be prepared again.
        """
        graph_hash = content_hash(graph)
        listed_by = origin.fingerprint() if origin is not None else ""
        source = hashlib.sha256(f"{self.pipeline} {graph_hash} {listed_by}".encode()).hexdigest()
        return Delivery(graph_hash=graph_hash, source_hash=source)

    def prepare(
        self, graph: Graph, dataset: URIRef, *, delivery: Delivery | None = None
    ) -> PreparedRecord:
        """Normalise the dataset's graph (a copy), validate it and derive its columns.

        `delivery` is kept with the record when the graph came from a harvest.
        """
        result = self.normalise(graph)
        report = self.validator.validate(result.graph)
        return self.complete(result, report, dataset, delivery=delivery)

    def normalise(self, graph: Graph, origin: CatalogOrigin | None = None) -> NormalisationResult:
        """The first step of `prepare`, for callers that validate many graphs together.

        `origin` is the catalog that listed the record in its source, if any.
        """
        context = self.context
        if origin is not None:
            context = dataclasses.replace(context, origin=origin)
        return normalise(graph, context)

    def complete(
        self,
        result: NormalisationResult,
        report: ValidationReport,
        dataset: URIRef,
        *,
        delivery: Delivery | None = None,
        origin: CatalogOrigin | None = None,
        v3: V3Judgement | None = None,
    ) -> PreparedRecord:
        """The last step of `prepare`: the record's content from its graph and report.

        `v3` is the graph's 3.0 verdict where the caller judged a batch together
        (V3Judge.judge_many); otherwise it is judged here."""
        graph = result.graph
        view = dataset_view(graph, dataset, lang=self.settings.catalog.language)
        v3 = v3 or self.v3_judge.judge(graph)
        content = RecordContent(
            uri=str(dataset),
            graph=serialise(graph, "nt").decode("utf-8"),
            # Unchanged by normalisation: the delivered graph's hash is this graph's hash.
            content_hash=delivery.graph_hash
            if delivery is not None and not result.changes
            else content_hash(graph),
            source_hash=delivery.source_hash if delivery is not None else None,
            title=view.title or "",
            issued=as_utc_datetime(view.issued),
            modified=as_utc_datetime(view.modified),
            validation_state=validation_state(report),
            violation_count=len(report.violations),
            warning_count=len(report.warnings),
            validation_report=report.to_json(),
            origin_catalog=origin.iri if origin is not None else None,
            origin_catalog_title=origin.title if origin is not None else None,
            distributions=view.distributions,
            quality_facts=quality_facts(graph, dataset),
            view=view,
            view_lang=self.settings.catalog.language,
            graph_v3=v3.text,
            violation_count_v3=len(v3.report.violations),
            validation_report_v3=v3.report.to_json(),
        )
        return PreparedRecord(content=content, view=view, report=report, changes=result.changes)


def pipeline_fingerprint(settings: Settings, context: NormalisationContext) -> str:
    """A hash of everything besides the record that decides what preparing makes of it."""
    digest = hashlib.sha256()
    digest.update(_version().encode())
    digest.update(repr(context).encode())
    digest.update(" ".join(rule.name for rule in RULES).encode())
    digest.update(settings.catalog.language.encode())
    for shapes in shapes_files(settings):
        digest.update(shapes.read_bytes() if shapes.is_file() else str(shapes).encode())
    vocabularies = resources.files("dcat") / "vocab"
    for vocabulary in sorted(vocabularies.iterdir(), key=lambda entry: entry.name):
        digest.update(vocabulary.read_bytes())
    return digest.hexdigest()


def shapes_validator(settings: Settings) -> Validator:
    """The validator of the catalog's settings: built-in shapes, GovData's warnings, extras."""
    return Validator(
        extra_shapes=settings.validation.shapes,
        govdata_warnings=settings.validation.govdata_warnings,
    )


def shapes_files(settings: Settings) -> list[Path]:
    """Every shapes file that judges records under these settings (the fingerprint reads them)."""
    builtin = [
        OWN_SHAPES,
        OWN_SHAPES_V3,
        *([GOVDATA_WARNINGS] if settings.validation.govdata_warnings else []),
    ]
    return [*builtin, *map(Path, settings.validation.shapes)]


def _version() -> str:
    try:
        return importlib.metadata.version("stadtkatalog")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def normalisation_context(settings: Settings) -> NormalisationContext:
    """The catalog's defaults that normalisation fills into records that lack them."""
    catalog = settings.catalog
    geocoding = catalog.political_geocoding
    return NormalisationContext(
        contributor_id=URIRef(catalog.contributor_id) if catalog.contributor_id else None,
        publisher_name=catalog.publisher.name,
        publisher_uri=URIRef(catalog.publisher.uri) if catalog.publisher.uri else None,
        political_geocoding_level_uri=URIRef(geocoding.level) if geocoding else None,
        political_geocoding_uri=URIRef(geocoding.uri) if geocoding else None,
        language=catalog.language,
        own_publishers=frozenset(
            value for org in settings.organizations for value in (org.title, org.homepage) if value
        ),
    )


def source_rules(defaults: Mapping[str, Any], mappings: Mapping[str, Any]) -> SourceRules:
    """A source's stored `defaults` and `mappings` (checked by catalog.settings) as rules read
    them: IRIs as IRIs, tables as sorted pairs."""
    publisher = defaults.get("publisher") or None
    contact = defaults.get("contact") or {}
    geocoding = defaults.get("political_geocoding") or {}

    def iri(value: Any) -> URIRef | None:
        return URIRef(str(value)) if value else None

    def pairs(table: Any) -> tuple[tuple[str, URIRef], ...]:
        return tuple(sorted((str(k), URIRef(str(v))) for k, v in (table or {}).items()))

    return SourceRules(
        publisher=AgentDescription(name=publisher["name"], uri=publisher.get("uri"))
        if publisher
        else None,
        contact_name=contact.get("name"),
        contact_email=iri(f"mailto:{contact['email']}" if contact.get("email") else None),
        contact_url=iri(contact.get("url")),
        license=iri(defaults.get("license")),
        contributor_id=iri(defaults.get("contributor_id")),
        political_geocoding_level_uri=iri(geocoding.get("level")),
        political_geocoding_uri=iri(geocoding.get("uri")),
        themes=tuple(URIRef(theme) for theme in defaults.get("themes") or ()),
        language=iri(defaults.get("language")),
        license_map=pairs(mappings.get("license")),
        theme_map=pairs(mappings.get("theme")),
        format_map=pairs(mappings.get("format")),
    )


def validation_state(report: ValidationReport) -> ValidationState:
    if report.violations:
        return ValidationState.INVALID
    if report.warnings:
        return ValidationState.WARNINGS
    return ValidationState.VALID


def as_utc_datetime(value: date | datetime | None) -> datetime | None:
    """Dates in a graph may be dates or datetimes, with or without zone; the store keeps UTC."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return datetime.combine(value, time.min, tzinfo=UTC)


def rename_node(graph: Graph, old: Node, new: URIRef) -> Graph:
    """The graph with every occurrence of `old` (a blank dataset node) replaced by `new`."""
    renamed = Graph(namespace_manager=graph.namespace_manager)
    for s, p, o in graph:
        renamed.add((new if s == old else s, p, new if o == old else o))
    return renamed
