"""Run the official DCAT-AP.de 2.0 SHACL shapes offline, the judge our own output is tested against.

Follows the working recipe of ../shared/dcat-ap-de/VALIDATION.md: every profile file parsed into one
shapes graph (owl:imports are not followed), and only the vocabulary facts the shapes need merged
into a copy of the data graph (rdfs:subClassOf of the ontologies, rdf:type and skos:inScheme of the
IRIs the data uses). Passing the vocabularies as ont_graph neither works nor finishes in time.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH, SKOS

# ../shared beside the repository (as tests.conftest says too; not imported from there, so
# that tests.dcat.official_judge can run this recipe without our packages).
SHARED = Path(__file__).resolve().parents[2].parent / "shared"

SHAPES_DIR = SHARED / "dcat-ap-de" / "shapes" / "v2.0"
VOCAB_DIR = SHARED / "dcat-ap-de" / "vocab"

SPEZIFIKATION_FILES = (
    "dcat-ap-de-imports.ttl",
    "dcat-ap-spec-german-messages.ttl",
    "dcat-ap-spec-german-additions.ttl",
    "dcat-ap-de-deprecated.ttl",
    "dcat-ap_2.1.1_shacl_shapes.ttl",
)
PROFILES: dict[str, tuple[str, ...]] = {
    "spezifikation": SPEZIFIKATION_FILES,
    "konventionen": (*SPEZIFIKATION_FILES, "dcat-ap-konventionen.ttl"),
}

# Offline stand-ins for the owl:imports of dcat-ap-de-imports.ttl (see dcat-ap-de/SOURCES.md).
# dcat-ap-de-1.0.2 (plain rdf:Lists, no SKOS) and the berlinonline licence copy are reference only.
VOCAB_FILES = (
    "ontologies/foaf_0_1.rdf",
    "ontologies/org.ttl",
    "ontologies/vcard.ttl",
    "dcat-ap-de/contributors.rdf",
    "dcat-ap-de/licenses-open.rdf",
    "eu-mdr-2016-semic/ADMS_SKOS_v1.00.rdf",
    "eu-mdr-2016-semic/data-theme-skos-ap-act.rdf",
    "eu-mdr-2016-semic/filetypes-skos-ap-act.rdf",
    "eu-mdr-2016-semic/frequencies-skos-ap-act.rdf",
)

SHARED_AVAILABLE = all((SHAPES_DIR / name).is_file() for name in PROFILES["konventionen"]) and all(
    (VOCAB_DIR / name).is_file() for name in VOCAB_FILES
)

requires_shared = pytest.mark.skipif(
    not SHARED_AVAILABLE,
    reason=f"official DCAT-AP.de 2.0 shapes and vocabularies not found in {SHARED / 'dcat-ap-de'}",
)

Triple = tuple[URIRef, URIRef, URIRef]


@dataclass(frozen=True)
class OfficialReport:
    """What the official shapes say about one data graph."""

    conforms: bool
    violations: int
    warnings: int
    infos: int
    messages: list[str] = field(default_factory=list)


@functools.cache
def official_shapes_graph(profile: str = "spezifikation") -> Graph:
    """All files of one profile in one graph, parsed once per test session."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}, expected one of {sorted(PROFILES)}")
    shapes = Graph()
    for name in PROFILES[profile]:
        shapes.parse(SHAPES_DIR / name, format="turtle")
    return shapes


@functools.cache
def _vocabulary_facts() -> tuple[tuple[Triple, ...], dict[URIRef, tuple[Triple, ...]]]:
    """All subClassOf triples, and the rdf:type/skos:inScheme triples of every vocabulary IRI."""
    subclass: list[Triple] = []
    by_subject: defaultdict[URIRef, list[Triple]] = defaultdict(list)
    for name in VOCAB_FILES:
        vocab = Graph()
        vocab.parse(VOCAB_DIR / name)
        for s, o in vocab.subject_objects(RDFS.subClassOf):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                subclass.append((s, RDFS.subClassOf, o))
        for predicate in (RDF.type, SKOS.inScheme):
            for s, o in vocab.subject_objects(predicate):
                if isinstance(s, URIRef) and isinstance(o, URIRef):
                    by_subject[s].append((s, predicate, o))
    return tuple(subclass), {s: tuple(triples) for s, triples in by_subject.items()}


def data_with_vocabulary_facts(graph: Graph) -> Graph:
    """A copy of graph plus the vocabulary facts the official shapes look up."""
    subclass, by_subject = _vocabulary_facts()
    merged = Graph()
    for triple in graph:
        merged.add(triple)
    for triple in subclass:
        merged.add(triple)
    for obj in set(graph.objects()):
        if isinstance(obj, URIRef):
            for triple in by_subject.get(obj, ()):
                merged.add(triple)
    return merged


def official_report(graph: Graph, profile: str = "spezifikation") -> OfficialReport:
    """Validate graph with the official profile ("spezifikation" or "konventionen")."""
    conforms, results, _ = validate(
        data_with_vocabulary_facts(graph),
        shacl_graph=official_shapes_graph(profile),
        inference="none",
        advanced=True,
        allow_warnings=True,
        do_owl_imports=False,
    )
    assert isinstance(results, Graph)
    counts = {SH.Violation: 0, SH.Warning: 0, SH.Info: 0}
    messages: list[str] = []
    # Only the report's own results: those of sh:node checks also appear nested as sh:detail.
    report = results.value(predicate=RDF.type, object=SH.ValidationReport)
    for result in results.objects(report, SH.result):
        severity = results.value(result, SH.resultSeverity)
        if isinstance(severity, URIRef) and severity in counts:
            counts[severity] += 1
        texts = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        label = str(severity).rsplit("#", 1)[-1]
        component = results.value(result, SH.sourceConstraintComponent)
        messages.append(f"{label}: {focus} {path}: {' | '.join(texts) or component}")
    return OfficialReport(
        conforms=bool(conforms),
        violations=counts[SH.Violation],
        warnings=counts[SH.Warning],
        infos=counts[SH.Info],
        messages=sorted(messages),
    )


def with_imported_vocabularies(graph: Graph, vocabularies: Sequence[Any] | None = None) -> Graph:
    """The graph plus the scheme membership of its EU language, planned-availability and file
    type IRIs (or of the given vocabularies), as the official validator's imports of the current
    EU lists give them.

    ../shared has no copy of the first two, and only the 2016 snapshot of the file types (no
    GEOJSON, no WMS_SRVC), so the offline judge would flag correct values. The facts come from
    dcat.vocabularies, compiled from the current public lists.
    """
    from dcat.vocabularies import AVAILABILITY, FILE_TYPES, LANGUAGES

    chosen = vocabularies if vocabularies is not None else (LANGUAGES, AVAILABILITY, FILE_TYPES)
    supplemented = Graph()
    for triple in graph:
        supplemented.add(triple)
    for obj in set(graph.objects()):
        for vocabulary in chosen:
            if isinstance(obj, URIRef) and str(obj) in vocabulary:
                supplemented.add((obj, RDF.type, SKOS.Concept))
                supplemented.add((obj, SKOS.inScheme, URIRef(vocabulary.scheme)))
    return supplemented


@functools.cache
def _hash_algorithms() -> frozenset[URIRef]:
    """The dcat-ap.de hash algorithm IRIs, from the 1.0.2 lists in ../shared (plain rdf:Lists).

    The official 2.0 shapes import hashAlgorithms/20200729.rdf, which is not available offline
    (../shared/dcat-ap-de/SOURCES.md); the 1.0.2 lists name the same concepts.
    """
    lists = Graph().parse(VOCAB_DIR / "dcat-ap-de-1.0.2" / "dcat-ap-de-lists.ttl")
    prefix = "http://dcat-ap.de/def/hashAlgorithms/"
    return frozenset(
        node
        for node in lists.all_nodes()
        if isinstance(node, URIRef) and str(node).startswith(prefix)
    )


def with_hash_algorithms(graph: Graph) -> Graph:
    """The graph plus the scheme membership of the dcat-ap.de hash algorithms it uses."""
    scheme = URIRef("http://dcat-ap.de/def/hashAlgorithms")
    supplemented = Graph()
    for triple in graph:
        supplemented.add(triple)
    for obj in set(graph.objects()) & _hash_algorithms():
        supplemented.add((obj, RDF.type, SKOS.Concept))
        supplemented.add((obj, SKOS.inScheme, scheme))
    return supplemented
