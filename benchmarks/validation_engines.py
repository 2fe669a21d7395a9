"""pyshacl (our tuned validator) against pyrudof on our DCAT-AP.de shapes: verdicts and ms/dataset.

Usage:
    python benchmarks/validation_engines.py      # needs `pip install pyrudof==0.3.35`

The differential set is every dataset of the real corpus (tests/data/real), the demo's DCAT
catalog and the official v2.0 examples, as delivered (not normalised, so most findings
appear). Each finding is compared as (severity, focus node, path, source shape, German and
English message, value); pyrudof's path text, messages and literal values are rebuilt the way
dcat.validation shows them (messages from the shape's sh:message), so only real differences
count. Prints JSON lines: timings per engine and batch size, and the differences by shape.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyrudof  # noqa: E402
from rdflib import BNode, Graph, URIRef  # noqa: E402
from rdflib.namespace import SH  # noqa: E402

from dcat.parsing import parse_rdf_file  # noqa: E402
from dcat.split import split_catalog_into_datasets  # noqa: E402
from dcat.validation import (  # noqa: E402
    GOVDATA_WARNINGS,
    OWN_SHAPES,
    Validator,
    _Batch,
    _descriptions,
    _path_text,
    _with_vocabulary_facts,
)

SHARED = ROOT.parent / "shared"
FILES = [
    *ROOT.glob("tests/data/real/*/*.ttl"),
    *ROOT.glob("tests/data/real/*/*.rdf"),
    *ROOT.glob("tests/data/real/*-dcat/*.xml"),
    *ROOT.glob("catalog/demo/tiefbauamt/*.ttl"),
    *(SHARED / "dcat-ap-de" / "examples").glob("v2.0*/*.ttl"),
]
SEVERITY = {"Violation": "violation", "Warning": "warning", "Info": "info"}


def differential_set() -> list[Graph]:
    graphs = []
    for path in sorted(FILES):
        try:
            graph = parse_rdf_file(path)
        except Exception:  # a file our parser refuses is refused before validation too
            continue
        graphs.extend(d.graph for d in split_catalog_into_datasets(graph))
    return graphs


class Rudof:
    """pyrudof with our shapes loaded once; data reset before every load."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.engine = pyrudof.Rudof(pyrudof.RudofConfig())
        with tempfile.NamedTemporaryFile("w", suffix=".ttl", delete=False) as file:
            file.write(shapes.serialize(format="turtle"))
        self.engine.read_shacl(file.name, pyrudof.ShaclFormat.Turtle)

    def run(self, graphs: list[Graph]) -> list[list[tuple[Any, ...]] | None]:
        """Findings per graph; None for every graph of a batch pyrudof cannot read."""
        self.engine.reset_data()
        try:
            data = _with_vocabulary_facts(graphs).serialize(format="nt")
            self.engine.read_data(data, pyrudof.RDFFormat.NTriples)
        except Exception:
            return [None] * len(graphs)
        found = list(self.engine.validate_shacl().violations)
        batch = _Batch()
        for graph in graphs:
            batch.add(graph, _descriptions(graph))
        keyed = [(_node(entry.focus_node), self.finding(entry)) for entry in found]
        return [[finding for _, finding in owned] for owned in batch.split(keyed)]

    def finding(self, entry: Any) -> tuple[Any, ...]:
        shape = URIRef(entry.source_shape)
        path = self.shapes.value(shape, SH.path)
        messages = {m.language: str(m) for m in self.shapes.objects(shape, SH.message)}
        value = entry.value
        if value and value.startswith('"'):
            value = value[1 : value.rindex('"')]
        return (
            SEVERITY.get(entry.severity, entry.severity),
            entry.focus_node,
            _path_text(self.shapes, path) if path is not None else None,
            entry.source_shape,
            messages.get("de"),
            messages.get("en"),
            value,
        )


def _node(text: str) -> Any:
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text)


def main() -> None:
    graphs = differential_set()
    validator = Validator(govdata_warnings=True)
    shapes = Graph().parse(OWN_SHAPES).parse(GOVDATA_WARNINGS)
    rudof = Rudof(shapes)
    timings: dict[str, float] = {}
    started = time.process_time()
    reports = [validator.validate(graph) for graph in graphs]
    timings["pyshacl_single"] = time.process_time() - started
    started = time.process_time()
    list(validator.validate_many(graphs, batch_size=50))
    timings["pyshacl_batch50"] = time.process_time() - started
    results: dict[int, list[list[tuple[Any, ...]] | None]] = {}
    for size in (1, 50):
        started = time.process_time()
        results[size] = [
            found
            for start in range(0, len(graphs), size)
            for found in rudof.run(graphs[start : start + size])
        ]
        timings[f"pyrudof_batch{size}"] = time.process_time() - started
    for name, seconds in timings.items():
        print(
            json.dumps({"engine": name, "ms_per_dataset": round(seconds / len(graphs) * 1000, 2)})
        )
    for size, found in results.items():
        same, differ, unreadable, by_shape = 0, 0, 0, Counter()
        for report, theirs in zip(reports, found, strict=True):
            if theirs is None:
                unreadable += 1
                continue
            ours = Counter(
                (
                    r.severity.value,
                    r.focus_node,
                    r.path,
                    r.source_shape,
                    r.message_de,
                    r.message_en,
                    r.value,
                )
                for r in report.results
            )
            other = Counter(theirs)
            if ours == other:
                same += 1
                continue
            differ += 1
            by_shape.update(f"only pyshacl {k[3].rsplit('#')[-1]}" for k in ours - other)
            by_shape.update(f"only pyrudof {k[3].rsplit('#')[-1]}" for k in other - ours)
        verdicts = sum(
            1
            for report, theirs in zip(reports, found, strict=True)
            if theirs is not None
            and report.conforms != (not any(f[0] == "violation" for f in theirs))
        )
        print(
            json.dumps(
                {
                    "pyrudof_batch": size,
                    "datasets": len(graphs),
                    "identical": same,
                    "different": differ,
                    "unreadable": unreadable,
                    "different_verdict": verdicts,
                    "differences": dict(by_shape.most_common(12)),
                },
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
