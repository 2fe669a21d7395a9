"""Our validator tunes pyshacl for its own runs only: the rest of the process, other threads
included, gets pyshacl as released (the same verdicts as a process that never imported dcat)."""

from __future__ import annotations

import subprocess
import sys
import threading

import pyshacl.shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from rdflib import Graph

from dcat.validation import Validator, our_constraint_params
from tests.dcat import pyshacl_sample
from tests.dcat.official_judge import REPO
from tests.dcat.test_validation import PREFIXES, TYPICAL


def released_verdict() -> str:
    """The sample's verdict in a fresh interpreter that never imports dcat."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.dcat.pyshacl_sample"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    found, imported = done.stdout.strip().splitlines()
    assert imported == "dcat imported: False"
    return found


def test_after_our_validator_ran_pyshacl_is_as_released() -> None:
    report = Validator().validate(Graph().parse(data=PREFIXES + TYPICAL, format="turtle"))
    assert report.conforms

    params = getattr(pyshacl.shape, "CONSTRAINT_PARAMS", None)
    # Absent, or what pyshacl fills in itself: its own list and map.
    assert params is None or (
        params[0] is ALL_CONSTRAINT_PARAMETERS and params[1] is CONSTRAINT_PARAMETERS_MAP
    )
    released = released_verdict()
    assert released.startswith("error: ")  # re.error: every member of sh:or was checked
    assert pyshacl_sample.verdict() == released


def test_inside_our_run_sh_or_stops_at_the_first_member_that_fits() -> None:
    """The sample tells the two apart: with our parameters it conforms."""
    with our_constraint_params():
        assert pyshacl_sample.verdict() == "conforms=True"
    assert pyshacl_sample.verdict() == released_verdict()


def test_another_thread_gets_pyshacl_as_released_while_our_validator_runs() -> None:
    inside, done = threading.Event(), threading.Event()

    def our_run() -> None:
        with our_constraint_params():
            inside.set()
            done.wait(30)

    runner = threading.Thread(target=our_run)
    runner.start()
    try:
        assert inside.wait(30)
        assert pyshacl_sample.verdict() == released_verdict()
    finally:
        done.set()
        runner.join(30)
