"""The official DCAT-AP.de 2.0 shapes as an independent judge: pyshacl as released.

dcat.validation tunes pyshacl for its own runs (a first-match sh:or) and leaves it as released
for everything else in the process (tests/dcat/test_pyshacl_independence.py). The judge still
runs apart, so that nothing of ours can reach it: in a fresh interpreter that imports pyshacl,
rdflib, the recipe of tests/dcat/official_shapes.py and the vocabulary tables, and never
dcat.validation (checked before every run):
`python -m tests.dcat.official_judge [--profile 3.0] FILE.nt ...`
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
# The 3.0 imports name eight EU lists (../shared/dcat-ap-de/shapes/v3.0/dcat-ap-de-imports.ttl).
JUDGED_LISTS_V3 = (
    *JUDGED_LISTS,
    "THEMES",
    "ACCESS_RIGHTS",
    "DISTRIBUTION_STATUS",
    "DATASET_TYPES",
)


def judge(graphs: Sequence[Graph], batch: int = 200, *, profile: str = "2.0") -> list[str]:
    """Violations the official shapes of `profile` ("2.0" or "3.0") find in the graphs, judged
    in batches in one process."""
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
            [sys.executable, "-m", "tests.dcat.official_judge", "--profile", profile, *files],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the official judge failed: {done.stderr[-2000:]}")
    return list(json.loads(done.stdout))


def main(arguments: Sequence[str]) -> int:
    from dcat import vocabularies
    from tests.dcat.official_shapes import (
        official_report,
        with_hash_algorithms,
        with_imported_vocabularies,
    )
    from tests.dcat.official_shapes_v3 import official_report_v3, with_v3_vocabularies

    profile, paths = "2.0", list(arguments)
    if paths[:1] == ["--profile"]:
        profile, paths = paths[1], paths[2:]
    if "dcat.validation" in sys.modules:  # the independence this module exists for
        print("dcat.validation was imported: the judge would run on a tuned pyshacl")
        return 2
    violations: list[str] = []
    for path in paths:
        graph = Graph().parse(path, format="nt")
        if profile == "3.0":
            lists = [getattr(vocabularies, name) for name in JUDGED_LISTS_V3]
            report = official_report_v3(with_v3_vocabularies(graph, lists))
        else:
            lists = [getattr(vocabularies, name) for name in JUDGED_LISTS]
            report = official_report(with_hash_algorithms(with_imported_vocabularies(graph, lists)))
        violations += [m for m in report.messages if m.startswith("Violation")]
    print(json.dumps(violations))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
