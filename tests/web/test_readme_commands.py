"""The README's client commands, run through a shell exactly as printed, against the demo
catalog on a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import ckanapi
import pytest

from catalog.settings import Settings
from catalog.store import Store
from tests.conftest import REPO
from tests.servers import served_catalog

README_ADDRESS = "http://127.0.0.1:5000"


@pytest.fixture(scope="module")
def portal(demo: tuple[Settings, Store]) -> Iterator[str]:
    settings, store = demo
    with served_catalog(settings, store) as address:
        yield address


def shell_lines(markdown: str) -> list[str]:
    """Every line of the README's ```sh blocks."""
    blocks = re.findall(r"^```sh\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)
    return [line for block in blocks for line in block.splitlines()]


def path_without_ckanapi() -> str:
    """PATH as a fresh shell has it: no directory that already holds a `ckanapi`."""
    entries = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(entry for entry in entries if not (Path(entry) / "ckanapi").exists())


def test_the_readmes_ckanapi_dump_runs_as_printed_from_a_checkout(
    portal: str, tmp_path: Path
) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = [line for line in shell_lines(readme) if "ckanapi dump datasets" in line]
    assert len(commands) == 1, "the README shows one ckanapi dump command in a sh block"
    command = commands[0]
    assert README_ADDRESS in command
    # A checkout of our own, with the .venv that `make run` creates, so the output file the
    # command writes lands here and not in the repository.
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / ".venv").symlink_to((REPO / ".venv").resolve(), target_is_directory=True)
    env = {**os.environ, "PATH": path_without_ckanapi()}
    assert shutil.which("ckanapi", path=env["PATH"]) is None
    result = subprocess.run(
        ["sh", "-c", command.replace(README_ADDRESS, portal)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    output = re.search(r">\s*(\S+)\s*$", command)
    dumped_text = (checkout / output.group(1)).read_text() if output else result.stdout
    dumped = [json.loads(line) for line in dumped_text.splitlines()]
    public = ckanapi.RemoteCKAN(portal).action.package_list()
    assert public
    assert sorted(package["name"] for package in dumped) == sorted(public)
