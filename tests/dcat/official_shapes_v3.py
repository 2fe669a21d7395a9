"""The official DCAT-AP.de 3.0 shapes offline (profile v30_de_spec), the judge of our 3.0 output.

As the 2.0 recipe (tests/dcat/official_shapes.py, ../shared/dcat-ap-de/VALIDATION.md): the
files of the validator's v30_de_spec profile (SEMIC's DCAT-AP 3.0.0 shapes plus the German
files) in one shapes graph without following owl:imports, and only the vocabulary facts the
shapes look up merged into a copy of the data.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from pyshacl import validate
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH, SKOS

from tests.dcat.official_shapes import SHARED, OfficialReport, data_with_vocabulary_facts

SHAPES_V3 = SHARED / "dcat-ap-de" / "shapes"
V30_DE_SPEC_FILES = (
    "dcat-ap-3.0.0-semic/dcat-ap-SHACL.ttl",
    "v3.0/dcat-ap-de-imports.ttl",
    "v3.0/dcat-ap-SHACL-DE.ttl",
    "v3.0/dcat-ap-de-deprecated.ttl",
    "v3.0/dcat-ap-spec-german-additions.ttl",
    "v3.0/dcat-ap-de-controlledvocabularies.ttl",
)
SHARED_V3_AVAILABLE = all((SHAPES_V3 / name).is_file() for name in V30_DE_SPEC_FILES)

SPDX = "http://spdx.org/rdf/terms#"
# The individuals the SPDX ontology (imported by the 3.0 shapes, not available offline)
# declares as spdx:ChecksumAlgorithm.
SPDX_CHECKSUM_ALGORITHMS = frozenset(
    URIRef(SPDX + "checksumAlgorithm_" + name)
    for name in (
        *("adler32", "blake2b256", "blake2b384", "blake2b512", "blake3"),
        *("md2", "md4", "md5", "md6", "sha1", "sha224", "sha256", "sha384", "sha512"),
        *("sha3_256", "sha3_384", "sha3_512"),
    )
)


@functools.cache
def official_shapes_graph_v3() -> Graph:
    shapes = Graph()
    for name in V30_DE_SPEC_FILES:
        shapes.parse(SHAPES_V3 / name, format="turtle")
    return shapes


def with_v3_vocabularies(graph: Graph, vocabularies: Sequence[Any]) -> Graph:
    """The graph plus the scheme membership of the EU list values it uses (the 3.0 imports
    name eight EU lists; ../shared has none of them current) and the SPDX algorithms' class."""
    supplemented = data_with_vocabulary_facts(graph)
    for obj in set(graph.objects()):
        if not isinstance(obj, URIRef):
            continue
        for vocabulary in vocabularies:
            if str(obj) in vocabulary:
                supplemented.add((obj, RDF.type, SKOS.Concept))
                supplemented.add((obj, SKOS.inScheme, URIRef(vocabulary.scheme)))
        if obj in SPDX_CHECKSUM_ALGORITHMS:
            supplemented.add((obj, RDF.type, URIRef(SPDX + "ChecksumAlgorithm")))
    return supplemented


def official_report_v3(data: Graph) -> OfficialReport:
    """Validate a graph that already carries its vocabulary facts (with_v3_vocabularies)."""
    conforms, results, _ = validate(
        data,
        shacl_graph=official_shapes_graph_v3(),
        inference="none",
        advanced=True,
        allow_warnings=True,
        do_owl_imports=False,
    )
    assert isinstance(results, Graph)
    counts = {SH.Violation: 0, SH.Warning: 0, SH.Info: 0}
    messages: list[str] = []
    report = results.value(predicate=RDF.type, object=SH.ValidationReport)
    for result in results.objects(report, SH.result):
        severity = results.value(result, SH.resultSeverity)
        if isinstance(severity, URIRef) and severity in counts:
            counts[severity] += 1
        texts = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        label = str(severity).rsplit("#", 1)[-1]
        component = results.value(result, SH.sourceConstraintComponent)
        messages.append(f"{label}: {focus} {path} {value}: {' | '.join(texts) or component}")
    return OfficialReport(
        conforms=bool(conforms),
        violations=counts[SH.Violation],
        warnings=counts[SH.Warning],
        infos=counts[SH.Info],
        messages=sorted(messages),
    )
