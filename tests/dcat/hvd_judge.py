"""SEMIC's DCAT-AP 3.0.0-hvd shapes as an independent judge, on pyshacl as released.

Like tests/dcat/official_judge.py it runs in a fresh interpreter that never imports
dcat.validation: `python -m tests.dcat.hvd_judge FILE.nt ...` prints the violations as JSON.
The shapes come from ../shared (not from our copy in dcat/shapes). Merged into the data, as an
RDFS-aware validator with the ontologies loaded would infer them: every IRI value is an
rdfs:Resource (rdfs4b), the ranges DCMI Terms and FOAF declare for dct:license, dct:rights,
dct:conformsTo and foaf:page, the categories of the EU HVD vocabulary are skos:Concepts, and
the regulation's ELI IRI is an eli:LegalResource; and the vcard ontology's subclasses.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph

REPO = Path(__file__).resolve().parents[2]
HVD_SHAPES = REPO.parent / "shared" / "dcat-ap-de" / "shapes" / "dcat-ap-hvd-3.0.0-semic"
HVD_SHAPES_FILE = HVD_SHAPES / "hvd-SHACL.ttl"
# The vcard ontology's class tree (a vcard:Organization is a vcard:Kind), as the official recipe
# merges it (tests/dcat/official_shapes.py).
VCARD_ONTOLOGY = REPO.parent / "shared" / "dcat-ap-de" / "vocab" / "ontologies" / "vcard.ttl"
CATEGORIES_FILE = REPO / "dcat" / "vocab" / "hvd_categories.json"
ELI_REGULATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"


def judge_hvd(graphs: Sequence[Graph]) -> list[str]:
    """Violations the SEMIC HVD shapes find, each graph judged on its own."""
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for number, graph in enumerate(graphs):
            path = Path(folder) / f"record-{number}.nt"
            graph.serialize(path, format="nt", encoding="utf-8")
            files.append(str(path))
        done = subprocess.run(
            [sys.executable, "-m", "tests.dcat.hvd_judge", *files],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the HVD judge failed: {done.stderr[-2000:]}")
    return list(json.loads(done.stdout))


def _with_facts(graph: Graph) -> Graph:
    from rdflib import RDF, RDFS, Literal, URIRef
    from rdflib.namespace import DCTERMS, FOAF, SKOS

    categories = {c["iri"] for c in json.loads(CATEGORIES_FILE.read_text("utf-8"))["concepts"]}
    ranges = {
        DCTERMS.license: DCTERMS.LicenseDocument,
        DCTERMS.rights: DCTERMS.RightsStatement,
        DCTERMS.conformsTo: DCTERMS.Standard,
        FOAF.page: FOAF.Document,
    }
    merged = Graph()
    merged += graph
    for sub, sup in Graph().parse(VCARD_ONTOLOGY).subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            merged.add((sub, RDFS.subClassOf, sup))
    for _, predicate, value in graph:
        if isinstance(value, Literal):
            continue
        if isinstance(value, URIRef):
            merged.add((value, RDF.type, RDFS.Resource))
            if str(value) in categories:
                merged.add((value, RDF.type, SKOS.Concept))
            if str(value) == ELI_REGULATION:
                merged.add(
                    (value, RDF.type, URIRef("http://data.europa.eu/eli/ontology#LegalResource"))
                )
        if predicate in ranges:
            merged.add((value, RDF.type, ranges[predicate]))
    return merged


def main(paths: Sequence[str]) -> int:
    from pyshacl import validate
    from rdflib.namespace import SH

    if "dcat.validation" in sys.modules:
        print("dcat.validation was imported: the judge would run on a tuned pyshacl")
        return 2
    shapes = Graph().parse(HVD_SHAPES_FILE, format="turtle")
    violations: list[str] = []
    for path in paths:
        data = _with_facts(Graph().parse(path, format="nt"))
        _, results, _ = validate(
            data, shacl_graph=shapes, inference="none", advanced=True, do_owl_imports=False
        )
        assert isinstance(results, Graph)
        for result in results.subjects(SH.resultSeverity, SH.Violation):
            focus = results.value(result, SH.focusNode)
            path_ = results.value(result, SH.resultPath)
            component = results.value(result, SH.sourceConstraintComponent)
            violations.append(f"{focus} {path_}: {component}")
    print(json.dumps(sorted(violations)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
