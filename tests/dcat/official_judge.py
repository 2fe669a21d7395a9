"""The official DCAT-AP.de 2.0 shapes as an independent judge: pyshacl as released.

dcat.validation tunes pyshacl for its own runs (a first-match sh:or) and leaves it as released
for everything else in the process (tests/dcat/test_pyshacl_independence.py). The judge still
runs apart, so that nothing of ours can reach it: in a fresh interpreter that imports pyshacl,
rdflib, the recipe of tests/dcat/official_shapes.py and the vocabulary tables, and never
dcat.validation (checked before every run): `python -m tests.dcat.official_judge FILE.nt ...`
prints the violation messages as JSON. `judge(graphs)` runs it from a test.
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
JUDGED_LISTS = ("LANGUAGES", "AVAILABILITY", "FILE_TYPES", "FREQUENCIES")


def judge(graphs: Sequence[Graph], batch: int = 200) -> list[str]:
    """Violations the official shapes find in the graphs, judged in batches in one process."""
    if not graphs:
        return []
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for start in range(0, len(graphs), batch):
            merged = Graph()
            for graph in graphs[start : start + batch]:
                merged += graph
            path = Path(folder) / f"batch-{start}.nt"
            merged.serialize(path, format="nt", encoding="utf-8")
            files.append(str(path))
        done = subprocess.run(
            [sys.executable, "-m", "tests.dcat.official_judge", *files],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the official judge failed: {done.stderr[-2000:]}")
    return list(json.loads(done.stdout))


def main(paths: Sequence[str]) -> int:
    from dcat import vocabularies
    from tests.dcat.official_shapes import (
        official_report,
        with_hash_algorithms,
        with_imported_vocabularies,
    )

    if "dcat.validation" in sys.modules:  # the independence this module exists for
        print("dcat.validation was imported: the judge would run on a tuned pyshacl")
        return 2
    lists = [getattr(vocabularies, name) for name in JUDGED_LISTS]
    violations: list[str] = []
    for path in paths:
        graph = Graph().parse(path, format="nt")
        report = official_report(with_hash_algorithms(with_imported_vocabularies(graph, lists)))
        violations += [m for m in report.messages if m.startswith("Violation")]
    print(json.dumps(violations))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
