"""The official DCAT-AP.de 3.0 shapes offline (profile v30_de_spec), the judge of our 3.0 output.

The shapes are loaded and run by tests/dcat/official_shapes.py, as 2.0's are (version "3.0");
this module adds what only 3.0 needs: the facts of the EU lists its imports name and of the
SPDX checksum algorithms, none of them available offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SKOS

from tests.dcat.official_shapes import (
    OfficialReport,
    data_with_vocabulary_facts,
    official_report,
    official_shapes_graph,
    shapes_available,
)

SHARED_V3_AVAILABLE = shapes_available("3.0")

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


def official_shapes_graph_v3() -> Graph:
    return official_shapes_graph("v30_de_spec", "3.0")


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
    return official_report(data, version="3.0", add_vocabulary_facts=False)
