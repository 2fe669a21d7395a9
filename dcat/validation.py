"""SHACL validation of DCAT-AP.de graphs: our own shapes plus optional extra shapes files.

A report is data (severity, focus node, path, value, German and English message), so forms and
harvest reports can show it. The shapes are parsed once per process; the controlled vocabularies
reach the shapes as skos:inScheme facts merged into a copy of the data, like the official validator
merges its vocabulary models.

The shapes graph is compiled once and reused for every dataset through pyshacl's ShapesGraph and
DataGraph classes, which are not its documented API: pyproject.toml pins pyshacl to 0.40.x, and
tests/dcat/test_validation.py fails loudly when a release changes them. Our tuned constraint
parameters (a first-match sh:or) reach pyshacl only during our own runs and only in the thread
that runs them (our_constraint_params): anything else in the process gets pyshacl as released.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pyshacl.shape as _pyshacl_shape
from pyshacl import Validator as ShaclValidator
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.constraints.core.logical_constraints import OrConstraintComponent
from pyshacl.graph_abstraction import DataGraph
from pyshacl.shapes_graph import ShapesGraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from dcat.hvd import (
    APPLICABLE_LEGISLATION,
    ELI_LEGAL_RESOURCE,
    HVD_CATEGORIES,
    HVD_LEGISLATION,
    hvd_dataset_nodes,
    regulation_gaps,
)
from dcat.namespaces import DCT, FOAF, RDF, RDFS, SKOS, VCARD, new_graph
from dcat.parsing import parse_rdf_file
from dcat.vocabularies import vocabulary_of

OWN_SHAPES = Path(__file__).resolve().parent / "shapes" / "dcat-ap-de.ttl"
# DCAT-AP.de 3.0, for the 3.0 rendering of a record (dcat/profile_v3.py).
OWN_SHAPES_V3 = OWN_SHAPES.with_name("dcat-ap-de-3.ttl")
# Warnings beyond the profile (no distribution, no licence), as GovData's validator gives them.
GOVDATA_WARNINGS = OWN_SHAPES.with_name("govdata-warnings.ttl")

# SEMIC's DCAT-AP 3.0.0-hvd shapes, run on HVD datasets only (they target every dataset).
HVD_SHAPES = OWN_SHAPES.with_name("hvd-3.0.0-semic.ttl")

ORG = "http://www.w3.org/ns/org#"

# The rdfs:subClassOf facts of the vcard, foaf and org ontologies that sh:class checks need
# (the official validator loads these ontologies; a vcard:Organization is a vcard:Kind).
CLASS_HIERARCHY: tuple[tuple[URIRef, URIRef], ...] = (
    (VCARD.Individual, VCARD.Kind),
    (VCARD.Organization, VCARD.Kind),
    (VCARD.Group, VCARD.Kind),
    (VCARD.Location, VCARD.Kind),
    (FOAF.Person, FOAF.Agent),
    (FOAF.Organization, FOAF.Agent),
    (FOAF.Group, FOAF.Agent),
    (URIRef(ORG + "Organization"), FOAF.Agent),
    (URIRef(ORG + "FormalOrganization"), URIRef(ORG + "Organization")),
    (URIRef(ORG + "FormalOrganization"), FOAF.Organization),
    (URIRef(ORG + "OrganizationalUnit"), URIRef(ORG + "Organization")),
    (URIRef(ORG + "OrganizationalCollaboration"), URIRef(ORG + "Organization")),
)


class Severity(StrEnum):
    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"


SEVERITIES = {
    SH.Violation: Severity.VIOLATION,
    SH.Warning: Severity.WARNING,
    SH.Info: Severity.INFO,
}


@dataclass(frozen=True)
class ValidationResult:
    """One finding: which node, which property, which value, and what to do about it."""

    severity: Severity
    focus_node: str
    path: str | None
    value: str | None
    message_de: str
    message_en: str
    source_shape: str | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"severity": self.severity.value}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ValidationResult:
        return cls(**(data | {"severity": Severity(data["severity"])}))


@dataclass
class ValidationReport:
    """All findings for one dataset graph; it conforms when there is no violation."""

    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity is Severity.VIOLATION]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity is Severity.WARNING]

    @property
    def infos(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity is Severity.INFO]

    def to_json(self) -> dict[str, Any]:
        return {"conforms": self.conforms, "results": [r.to_json() for r in self.results]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ValidationReport:
        results = [ValidationResult.from_json(r) for r in data.get("results", [])]
        return cls(conforms=bool(data["conforms"]), results=results)


class Validator:
    """Validates dataset graphs against our DCAT-AP.de shapes and any extra shapes files."""

    def __init__(
        self,
        extra_shapes: Sequence[str] = (),
        *,
        govdata_warnings: bool = False,
        shapes: Path = OWN_SHAPES,
    ) -> None:
        """`govdata_warnings` adds GOVDATA_WARNINGS; without it the shapes judge exactly as the
        DCAT-AP.de 2.0 "Spezifikation" profile does. `shapes` is the profile's own file
        (OWN_SHAPES_V3 judges a 3.0 rendering)."""
        builtin = (str(GOVDATA_WARNINGS),) if govdata_warnings else ()
        self._shapes = _compiled_shapes(builtin + tuple(str(s) for s in extra_shapes), shapes)

    def validate(self, graph: Graph) -> ValidationReport:
        """Validate one dataset graph (with its distributions, contacts, agents)."""
        merged = _with_vocabulary_facts([graph])
        results = _dedupe(self._shapes.run(merged))
        return _with_hvd_findings(graph, _report(results))

    def validate_many(
        self, graphs: Iterable[Graph], batch_size: int = 50
    ) -> Iterator[ValidationReport]:
        """Reports in input order; graphs are validated together in batches, which is faster.

        A batch only takes graphs whose shared nodes are described identically, so every
        report equals the one validate() gives for that graph alone.
        """
        batch = _Batch()
        for graph in graphs:
            described = _descriptions(graph)
            if len(batch) >= max(1, batch_size) or not batch.accepts(described):
                yield from self._run_batch(batch)
                batch = _Batch()
            batch.add(graph, described)
        yield from self._run_batch(batch)

    def _run_batch(self, batch: _Batch) -> Iterator[ValidationReport]:
        if not batch.graphs:
            return
        if len(batch.graphs) == 1:
            yield self.validate(batch.graphs[0])
            return
        results = self._shapes.run(_with_vocabulary_facts(batch.graphs))
        for graph, owned in zip(batch.graphs, batch.split(results), strict=True):
            yield _with_hvd_findings(graph, _report(_dedupe(owned)))


def _with_hvd_findings(graph: Graph, report: ValidationReport) -> ValidationReport:
    """The report plus the HVD findings, when the graph holds an HVD dataset.

    The HVD shapes' findings are violations: metadata that claims HVD must be valid DCAT-AP
    HVD, and the steward can always fix it (the marking on each distribution and service).
    The regulation's own checks (API or bulk download, licence, contact) are warnings: they
    concern how the data is published, and holding the dataset back would hide it without
    making it any more open.
    """
    nodes = hvd_dataset_nodes(graph)
    if not nodes:
        return report
    found = [result for _, result in _dedupe(_hvd_shapes().run(with_hvd_facts(graph)))]
    found = [
        replace(r, message_de=f"HVD: {r.message_de}", message_en=f"HVD: {r.message_en}")
        for r in found
    ]
    for node in nodes:
        found += [
            ValidationResult(
                severity=Severity.WARNING,
                focus_node=_term_text(gap.focus),
                path=str(gap.path),
                value=gap.value,
                message_de=gap.message_de,
                message_en=gap.message_en,
                source_shape=HVD_REGULATION_CHECK,
            )
            for gap in regulation_gaps(graph, node)
        ]
    results = report.results + found
    return ValidationReport(
        conforms=not any(r.severity is Severity.VIOLATION for r in results), results=results
    )


# What the source_shape IRI of every SEMIC HVD shape contains.
HVD_SHAPES_NAME = "DCAT-AP/releases/3.0.0-hvd#"
# The source_shape of the regulation's checks (no SHACL shape: dcat.hvd.regulation_gaps).
HVD_REGULATION_CHECK = "urn:stadtkatalog:hvd-regulation-2023-138"

# Ranges that the ontologies of the HVD shapes' sh:class checks declare (DCMI Terms, FOAF,
# DCAT-AP 3 for dcatap:applicableLegislation): an RDFS-aware validator infers these classes;
# pyshacl without inference needs them written. So any ELI a record names (not only the HVD
# regulation) counts as the eli:LegalResource DCAT-AP declares it to be.
HVD_RANGES = (
    (APPLICABLE_LEGISLATION, ELI_LEGAL_RESOURCE),
    (DCT.license, DCT.LicenseDocument),
    (DCT.rights, DCT.RightsStatement),
    (DCT.conformsTo, DCT.Standard),
    (FOAF.page, FOAF.Document),
)


def with_hvd_facts(graph: Graph) -> Graph:
    """A copy of graph with what the HVD shapes' class checks look up: every IRI value is an
    rdfs:Resource (RDFS rule rdfs4b), the ranges above, HVD categories are skos:Concepts of
    their vocabulary, and the regulation's ELI IRI is an eli:LegalResource."""
    merged = Graph()
    merged += graph
    for sub, sup in CLASS_HIERARCHY:
        merged.add((sub, RDFS.subClassOf, sup))
    for _, predicate, value in graph:
        if isinstance(value, Literal):
            continue
        if isinstance(value, URIRef):
            merged.add((value, RDF.type, RDFS.Resource))
            if str(value) in HVD_CATEGORIES:
                merged.add((value, RDF.type, SKOS.Concept))
            if str(value) == HVD_LEGISLATION:
                merged.add((value, RDF.type, ELI_LEGAL_RESOURCE))
        for prop, cls in HVD_RANGES:
            if predicate == prop:
                merged.add((value, RDF.type, cls))
    return merged


@functools.lru_cache(maxsize=1)
def _hvd_shapes() -> _CompiledShapes:
    graph = Graph()
    graph.parse(HVD_SHAPES, format="turtle")
    return _CompiledShapes(graph)


def _report(results: list[tuple[Node, ValidationResult]]) -> ValidationReport:
    found = [result for _, result in results]
    return ValidationReport(
        conforms=not any(r.severity is Severity.VIOLATION for r in found), results=found
    )


def _dedupe(results: list[tuple[Node, ValidationResult]]) -> list[tuple[Node, ValidationResult]]:
    """Drop repeated identical findings (a shared value reached from two places)."""
    seen: set[ValidationResult] = set()
    unique = []
    for focus, result in results:
        if result not in seen:
            seen.add(result)
            unique.append((focus, result))
    return unique


class _Batch:
    """Graphs validated together; a node shared by two graphs must be described identically."""

    def __init__(self) -> None:
        self.graphs: list[Graph] = []
        self.nodes: list[set[Node]] = []
        self.descriptions: dict[Node, frozenset[tuple[Node, Node]]] = {}

    def __len__(self) -> int:
        return len(self.graphs)

    def accepts(self, described: dict[Node, frozenset[tuple[Node, Node]]]) -> bool:
        return all(
            self.descriptions.get(node, description) == description
            for node, description in described.items()
        )

    def add(self, graph: Graph, described: dict[Node, frozenset[tuple[Node, Node]]]) -> None:
        self.graphs.append(graph)
        self.nodes.append(set(described) | {o for o in graph.objects() if isinstance(o, Literal)})
        self.descriptions.update(described)

    def split(
        self, results: list[tuple[Node, ValidationResult]]
    ) -> list[list[tuple[Node, ValidationResult]]]:
        """Each result goes to the graphs that contain its focus node (all, if none does)."""
        owned: list[list[tuple[Node, ValidationResult]]] = [[] for _ in self.graphs]
        for focus, result in results:
            owners = [i for i, nodes in enumerate(self.nodes) if focus in nodes]
            for i in owners or range(len(self.graphs)):
                owned[i].append((focus, result))
        return owned


def _descriptions(graph: Graph) -> dict[Node, frozenset[tuple[Node, Node]]]:
    """Outgoing (predicate, object) pairs of every resource node the graph mentions."""
    outgoing: dict[Node, set[tuple[Node, Node]]] = {}
    for s, p, o in graph:
        outgoing.setdefault(s, set()).add((p, o))
        if not isinstance(o, Literal):
            outgoing.setdefault(o, set())
    return {node: frozenset(pairs) for node, pairs in outgoing.items()}


def _with_vocabulary_facts(graphs: Sequence[Graph]) -> Graph:
    """A new graph with the data, the class hierarchy and skos:inScheme of every concept used."""
    merged = Graph()
    for graph in graphs:
        merged += graph
    for sub, sup in CLASS_HIERARCHY:
        merged.add((sub, RDFS.subClassOf, sup))
    for iri in {o for o in merged.objects() if isinstance(o, URIRef)}:
        scheme = _scheme_of(str(iri))
        if scheme is not None:
            merged.add((iri, SKOS.inScheme, URIRef(scheme)))
    return merged


@functools.lru_cache(maxsize=4096)
def _scheme_of(iri: str) -> str | None:
    vocabulary = vocabulary_of(iri)
    if vocabulary is None:
        return None
    # Only exact concept IRIs: a variant (trailing slash, https) fails, as in the official shapes.
    concept = vocabulary.get(iri)
    return concept.scheme if concept is not None else None


class _ParameterList(list[URIRef]):
    """pyshacl's list of constraint parameters, with hashed membership.

    pyshacl tests `p in CONSTRAINT_PARAMETERS` for every predicate of every shape on every focus
    node, which on a plain list is a linear scan of URIRef comparisons (a quarter of validation
    time). Order and contents are unchanged; `.copy()` still gives a plain list.
    """

    def __init__(self, items: Iterable[URIRef]) -> None:
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members


class _FirstMatchOr(OrConstraintComponent):
    """sh:or that stops at the first member (in list order) the value conforms to.

    The verdict is the same: pyshacl checks every member and keeps their results only for
    debug logging. Checking fewer members matters for the date shape, whose alternatives
    (xsd:date, xsd:dateTime, ...) were a third of validation time.
    """

    def _evaluate_or_constraint(
        self,
        executor: Any,
        or_c: Node,
        target_graph: Any,
        focus_value_nodes: dict[Any, Any],
        _evaluation_path: list[Any],
    ) -> tuple[bool, list[Any]]:
        members = []
        for node in self.shape.sg.graph.items(or_c):
            if self.shape.sg.is_filtered_out_shape(node):
                continue
            member = self.shape.get_other_shape(node)
            if not member:
                return super()._evaluate_or_constraint(
                    executor, or_c, target_graph, focus_value_nodes, _evaluation_path
                )  # pyshacl reports the malformed shape
            members.append(member)
        if not members:
            return False, []
        reports = []
        non_conformant = False
        for focus, value_nodes in focus_value_nodes.items():
            for value in value_nodes:
                if not any(
                    member.validate(
                        executor, target_graph, focus=value, _evaluation_path=_evaluation_path[:]
                    )[0]
                    for member in members
                ):
                    non_conformant = True
                    reports.append(self.make_v_result(target_graph, focus, value_node=value))
        return non_conformant, reports


# Our runs' constraint parameters: pyshacl's own, with hashed membership and our sh:or.
OUR_CONSTRAINT_PARAMS = (
    _ParameterList(ALL_CONSTRAINT_PARAMETERS),
    {**CONSTRAINT_PARAMETERS_MAP, SH["or"]: _FirstMatchOr},
)
# pyshacl's Shape.validate reads them from this module attribute on every call (and fills in
# its own defaults when it is missing); pyshacl has no other way to hand a run its map.
PARAMS_ATTRIBUTE = "CONSTRAINT_PARAMS"
_NOTHING = object()
_params_lock = threading.Lock()


class _ParamsOfOneThread:
    """What pyshacl.shape.CONSTRAINT_PARAMS holds while our validator runs: our parameters in
    the thread that runs it, and what was there before (pyshacl's own) in any other thread."""

    def __init__(self, owner: int, others: Any) -> None:
        self.owner = owner
        self.others = others

    def __iter__(self) -> Iterator[Any]:
        ours = threading.get_ident() == self.owner
        return iter(OUR_CONSTRAINT_PARAMS if ours else self.others)


@contextmanager
def our_constraint_params() -> Iterator[None]:
    """Our parameters for pyshacl during the block, in this thread only; afterwards the
    module attribute is as it was, so other users of pyshacl see it as released."""
    with _params_lock:
        before = getattr(_pyshacl_shape, PARAMS_ATTRIBUTE, _NOTHING)
        others: Any = before
        if before is _NOTHING:
            others = (ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP)
        setattr(_pyshacl_shape, PARAMS_ATTRIBUTE, _ParamsOfOneThread(threading.get_ident(), others))
        try:
            yield
        finally:
            if before is _NOTHING:
                delattr(_pyshacl_shape, PARAMS_ATTRIBUTE)
            else:
                setattr(_pyshacl_shape, PARAMS_ATTRIBUTE, before)


class _TargetedShapesGraph(ShapesGraph):
    """pyshacl's shapes graph, iterating only shapes with targets on each run.

    Shapes without a target (the property shapes reached through sh:property or sh:node) can
    have no focus node of their own, yet pyshacl would compute their targets again on every run.
    """

    _targeted: list[Any] | None = None
    _memo: dict[Any, tuple[Any, ...]] | None = None

    @property
    def shapes(self) -> list[Any]:
        if self._targeted is None:
            self._targeted = [s for s in super().shapes if _has_target(s, self.graph)]
        return self._targeted

    # pyshacl asks the shapes graph the same questions for every focus node (which constraint
    # parameters a shape has: about a third of validation time). The shapes graph does not change
    # once compiled, so each answer is kept.
    def predicate_objects(self, s: Any) -> Iterator[Any]:
        return iter(
            self._remember(
                ("po", s), lambda: super(_TargetedShapesGraph, self).predicate_objects(s)
            )
        )

    def objects(self, s: Any, p: Any) -> Iterator[Any]:
        return iter(
            self._remember(("o", s, p), lambda: super(_TargetedShapesGraph, self).objects(s, p))
        )

    def _remember(self, key: Any, ask: Any) -> tuple[Any, ...]:
        if self._memo is None:
            self._memo = {}
        answer = self._memo.get(key)
        if answer is None:
            answer = self._memo[key] = tuple(ask())
        return answer


def _has_target(shape: Any, graph: Graph) -> bool:
    return any(any(True for _ in found) for found in shape.target()) or (
        graph.value(shape.node, SH.target) is not None
    )


class _CompiledShapes:
    """A shapes graph parsed and harvested once; pyshacl reuses its shape objects on every run."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._shapes_graph = _TargetedShapesGraph(graph)
        self._lock = threading.Lock()
        self._labels = new_graph().namespace_manager

    def run(self, data: Graph) -> list[tuple[Node, ValidationResult]]:
        # inplace: data is already a private copy; warnings and infos never fail a report.
        options = {
            "inference": "none",
            "inplace": True,
            "allow_warnings": True,
            "allow_infos": True,
        }
        with self._lock, our_constraint_params():
            validator = ShaclValidator(
                DataGraph.from_rdflib(data), shacl_graph=self.graph, options=options
            )
            validator.shacl_graph = self._shapes_graph
            _, report, _ = validator.run()
        # Only the report's own results: those of sh:node checks also appear nested as sh:detail.
        top = report.value(predicate=RDF.type, object=SH.ValidationReport)
        return [self._result(report, node, data) for node in report.objects(top, SH.result)]

    def _result(self, report: Graph, node: Node, data: Graph) -> tuple[Node, ValidationResult]:
        focus = report.value(node, SH.focusNode)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        value_text = (
            _term_text(value) if value is not None else _delivered_values(data, focus, path)
        )
        severity = report.value(node, SH.resultSeverity)
        shape = report.value(node, SH.sourceShape)
        messages = {
            m.language: str(m)
            for m in report.objects(node, SH.resultMessage)
            if isinstance(m, Literal)
        }
        fallback_de, fallback_en = None, None
        if "de" not in messages or "en" not in messages:
            fallback_de, fallback_en = self._generic_message(report, node, path)
        result = ValidationResult(
            severity=SEVERITIES.get(severity, Severity.VIOLATION)
            if isinstance(severity, URIRef)
            else Severity.VIOLATION,
            focus_node=_term_text(focus),
            path=_path_text(report, path) if path is not None else None,
            value=value_text,
            message_de=messages.get("de") or fallback_de or "",
            message_en=messages.get("en") or fallback_en or "",
            source_shape=str(shape) if isinstance(shape, URIRef) else None,
        )
        return focus, result  # type: ignore[return-value]

    def _generic_message(self, report: Graph, node: Node, path: Node | None) -> tuple[str, str]:
        component = report.value(node, SH.sourceConstraintComponent)
        name = str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
        where = _path_text(report, path, self._labels) if path is not None else None
        de, en = GENERIC_MESSAGES.get(name, GENERIC_MESSAGES["_"])
        if where is None:
            de, en = NODE_MESSAGES.get(name, NODE_MESSAGES["_"])
        return de.format(path=where, rule=name), en.format(path=where, rule=name)


# Fallbacks for results without a message in a language (extra shapes are often German only).
GENERIC_MESSAGES = {
    "MinCount": ("Pflichtangabe fehlt: {path}.", "Required property missing: {path}."),
    "MaxCount": ("Zu viele Werte für {path}.", "Too many values for {path}."),
    "Class": (
        "Der Wert von {path} hat nicht die verlangte Klasse.",
        "The value of {path} does not have the required class.",
    ),
    "Datatype": (
        "Der Wert von {path} hat nicht den verlangten Datentyp.",
        "The value of {path} does not have the required datatype.",
    ),
    "NodeKind": (
        "Der Wert von {path} hat die falsche Art (Link, Text oder leerer Knoten).",
        "The value of {path} is of the wrong kind (link, text or blank node).",
    ),
    "HasValue": (
        "{path} hat nicht den verlangten Wert (oft: der Wert stammt nicht aus der Werteliste).",
        "{path} does not have the required value (often: the value is not from the code list).",
    ),
    "In": ("Der Wert von {path} ist nicht erlaubt.", "The value of {path} is not allowed."),
    "Pattern": (
        "Der Wert von {path} hat nicht die verlangte Form.",
        "The value of {path} does not have the required form.",
    ),
    "_": (
        "Der Wert von {path} verletzt die Regel {rule}.",
        "The value of {path} violates the rule {rule}.",
    ),
}
NODE_MESSAGES = {
    "Class": (
        "Der Knoten hat nicht die verlangte Klasse.",
        "The node does not have the required class.",
    ),
    "_": ("Der Knoten verletzt die Regel {rule}.", "The node violates the rule {rule}."),
}


def _delivered_values(data: Graph, focus: Node | None, path: Node | None) -> str | None:
    """The focus node's values of a plain path, for results that carry no sh:value.

    SHACL gives no sh:value for count constraints (sh:maxCount: "two licences" or "a
    deprecated property"), yet the steward needs to see which values the source delivered.
    """
    if focus is None or not isinstance(path, URIRef):
        return None
    values = sorted(
        _term_text(value) for value in data.objects(focus, path) if not isinstance(value, BNode)
    )
    return ", ".join(values) if values else None


def _term_text(term: Node | None) -> str:
    if isinstance(term, BNode):
        return f"_:{term}"
    return "" if term is None else str(term)


def _path_text(graph: Graph, path: Node, labels: Any = None) -> str:
    """A SHACL path as text: an IRI (or prefixed name), or a SPARQL-like property path."""
    if isinstance(path, URIRef):
        return path.n3(labels) if labels is not None else str(path)
    if not isinstance(path, BNode):
        return str(path)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path_text(graph, p, labels) for p in Collection(graph, alternatives))
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return template.format(_path_text(graph, inner, labels))
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path_text(graph, p, labels) for p in Collection(graph, path))
    return _term_text(path)


@functools.lru_cache(maxsize=8)
def _compiled_shapes(extra_shapes: tuple[str, ...], own: Path = OWN_SHAPES) -> _CompiledShapes:
    graph = Graph()
    graph.parse(own, format="turtle")
    for location in extra_shapes:
        graph += parse_rdf_file(_local_path(location))
    return _CompiledShapes(graph)


def _local_path(location: str) -> Path:
    """A file path or file: IRI; shapes from the web must be downloaded first (no fetching here)."""
    if location.startswith("file:"):
        return Path(unquote(urlparse(location).path))
    if "://" in location:
        raise ValueError(
            f"Zusätzliche Shapes müssen als Datei vorliegen, nicht als URL: {location} / "
            f"Extra shapes must be a local file, not a URL: {location}"
        )
    return Path(location)
