"""Run the official DCAT-AP.de SHACL shapes offline (2.0, and 3.0 through official_shapes_v3),
the judge our own output is tested against.

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

SHAPES_ROOT = SHARED / "dcat-ap-de" / "shapes"
SHAPES_DIR = SHAPES_ROOT / "v2.0"
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
# The files of the validator's v30_de_spec profile: SEMIC's DCAT-AP 3.0.0 shapes plus the
# German ones, relative to SHAPES_ROOT.
V30_DE_SPEC_FILES = (
    "dcat-ap-3.0.0-semic/dcat-ap-SHACL.ttl",
    "v3.0/dcat-ap-de-imports.ttl",
    "v3.0/dcat-ap-SHACL-DE.ttl",
    "v3.0/dcat-ap-de-deprecated.ttl",
    "v3.0/dcat-ap-spec-german-additions.ttl",
    "v3.0/dcat-ap-de-controlledvocabularies.ttl",
)


@dataclass(frozen=True)
class ShapesVersion:
    """One DCAT-AP.de version's official shapes: its profiles' files, and whether a report
    message names the offending value (the 3.0 reports do; the 2.0 ones keep their old form,
    which the offline-gap checks of the 2.0 tests read)."""

    profiles: dict[str, tuple[Path, ...]]
    default_profile: str
    messages_name_value: bool


VERSIONS: dict[str, ShapesVersion] = {
    "2.0": ShapesVersion(
        {name: tuple(SHAPES_DIR / f for f in files) for name, files in PROFILES.items()},
        "spezifikation",
        messages_name_value=False,
    ),
    "3.0": ShapesVersion(
        {"v30_de_spec": tuple(SHAPES_ROOT / f for f in V30_DE_SPEC_FILES)},
        "v30_de_spec",
        messages_name_value=True,
    ),
}


def shapes_available(version: str) -> bool:
    """Whether ../shared holds every shapes file of every profile of the version."""
    return all(path.is_file() for files in VERSIONS[version].profiles.values() for path in files)


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

SHARED_AVAILABLE = shapes_available("2.0") and all(
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


def official_shapes_graph(profile: str | None = None, version: str = "2.0") -> Graph:
    """All files of one profile of one version in one graph, parsed once per test session."""
    shapes_version = VERSIONS[version]
    profile = profile or shapes_version.default_profile
    if profile not in shapes_version.profiles:
        raise ValueError(
            f"unknown profile {profile!r} of DCAT-AP.de {version}, "
            f"expected one of {sorted(shapes_version.profiles)}"
        )
    return _parsed_shapes(version, profile)


@functools.cache
def _parsed_shapes(version: str, profile: str) -> Graph:
    shapes = Graph()
    for path in VERSIONS[version].profiles[profile]:
        shapes.parse(path, format="turtle")
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


def official_report(
    graph: Graph,
    profile: str | None = None,
    *,
    version: str = "2.0",
    add_vocabulary_facts: bool = True,
) -> OfficialReport:
    """Validate graph with an official profile (2.0: "spezifikation", the default, or
    "konventionen"; 3.0: "v30_de_spec"). Without `add_vocabulary_facts` the graph must already
    carry them (official_shapes_v3.with_v3_vocabularies adds them with the 3.0 lists)."""
    data = data_with_vocabulary_facts(graph) if add_vocabulary_facts else graph
    conforms, results, _ = validate(
        data,
        shacl_graph=official_shapes_graph(profile, version),
        inference="none",
        advanced=True,
        allow_warnings=True,
        do_owl_imports=False,
    )
    assert isinstance(results, Graph)
    return _report(bool(conforms), results, VERSIONS[version].messages_name_value)


def _report(conforms: bool, results: Graph, name_value: bool) -> OfficialReport:
    counts = {SH.Violation: 0, SH.Warning: 0, SH.Info: 0}
    messages: list[str] = []
    # Only the report's own results: those of sh:node checks also appear nested as sh:detail.
    report = results.value(predicate=RDF.type, object=SH.ValidationReport)
    for result in results.objects(report, SH.result):
        severity = results.value(result, SH.resultSeverity)
        if isinstance(severity, URIRef) and severity in counts:
            counts[severity] += 1
        texts = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        where = f"{results.value(result, SH.focusNode)} {results.value(result, SH.resultPath)}"
        if name_value:
            where += f" {results.value(result, SH.value)}"
        label = str(severity).rsplit("#", 1)[-1]
        component = results.value(result, SH.sourceConstraintComponent)
        messages.append(f"{label}: {where}: {' | '.join(texts) or component}")
    return OfficialReport(
        conforms=conforms,
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
