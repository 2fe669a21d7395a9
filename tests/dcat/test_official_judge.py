"""The official judge runs on pyshacl as released, not on the engine our validator tunes."""

from __future__ import annotations

import subprocess
import sys

from rdflib import Graph

import dcat.validation  # noqa: F401  (this process has our validator, as every test has)
from tests.dcat.official_judge import REPO, judge
from tests.dcat.official_shapes import requires_shared

pytestmark = requires_shared

NO_TITLE = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<http://x.example/ds> a dcat:Dataset ; dct:description "d" .
"""


def test_the_judge_process_never_imports_our_validator() -> None:
    probe = (
        "import sys, runpy; sys.argv = ['judge']; "
        "from tests.dcat import official_judge; "
        "code = official_judge.main([]); "
        "print('dcat.validation' in sys.modules, code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.split()[-2:] == ["False", "0"]


def test_the_judge_finds_what_the_official_shapes_say() -> None:
    graph = Graph().parse(data=NO_TITLE, format="turtle")
    (violation,) = judge([graph])
    assert "http://x.example/ds" in violation and "dct:title" in violation
