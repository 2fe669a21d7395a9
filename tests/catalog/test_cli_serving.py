"""`catalog serve` and `catalog up` build links and IRIs from the address they really serve."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, RDF

from cli.commands import cli
from cli.served_address import served_base_url
from tests.conftest import REPO, minimal_config

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")


@pytest.mark.parametrize(
    ("base_url", "host", "port", "expected"),
    [
        ("http://localhost:5000", "127.0.0.1", 5301, "http://localhost:5301"),
        ("http://127.0.0.1:5000", "127.0.0.1", 5301, "http://127.0.0.1:5301"),
        ("http://localhost:5000", "0.0.0.0", 8080, "http://localhost:8080"),
        ("http://localhost:5000", "192.168.1.20", 5000, "http://192.168.1.20:5000"),
        ("http://[::1]:5000", "::1", 5001, "http://[::1]:5001"),
    ],
)
def test_a_local_base_url_follows_the_address_served(base_url, host, port, expected) -> None:
    address = served_base_url(base_url, host, port)
    assert address.base_url == expected
    assert address.warning is None


def test_a_public_base_url_is_kept_with_a_warning_naming_both_addresses() -> None:
    address = served_base_url("https://daten.musterstadt.example", "127.0.0.1", 5301)
    assert address.base_url == "https://daten.musterstadt.example"
    assert address.warning is not None
    for warning in (address.warning.de, address.warning.en):
        assert "https://daten.musterstadt.example" in warning
        assert "http://127.0.0.1:5301" in warning
        assert "\n" not in warning
    assert address.warning.de.startswith("Achtung:") and "served at" in address.warning.en


def test_a_public_base_url_served_at_its_own_host_and_port_gives_no_warning() -> None:
    address = served_base_url("http://katalog.lan:8080", "0.0.0.0", 8080)
    assert address == served_base_url("http://katalog.lan:8080", "katalog.lan", 8080)
    assert address.base_url == "http://katalog.lan:8080"
    assert address.warning is None


def test_make_run_passes_host_and_port_to_catalog_up() -> None:
    result = subprocess.run(
        ["make", "-n", "run", "PORT=5301", "HOST=0.0.0.0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "catalog --config config.yaml up --host 0.0.0.0 --port 5301" in result.stdout


@dataclass
class Served:
    address: str
    stderr: str = ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def catalog_command(args: list[str], env: dict[str, str], port: int) -> Iterator[Served]:
    """The `catalog` command running in its own process until it answers /healthz; its stderr
    is read after it ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "catalog", *args, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
    )
    served = Served(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{served.address}/healthz", timeout=2):
                    break
            except OSError:
                assert process.poll() is None, "the command ended before it served"
                assert time.monotonic() < deadline, "no answer on /healthz within 120 s"
                time.sleep(0.2)
        yield served
    finally:
        process.terminate()
        _, served.stderr = process.communicate(timeout=30)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_up_on_another_port_builds_hydra_links_dataset_iris_and_api_examples_with_it(
    tmp_path: Path,
) -> None:
    """The demo config's base_url is http://localhost:5000; served on another port, nothing
    points at 5000."""
    port = _free_port()
    env = {"CATALOG_DATA_DIR": str(tmp_path / "instance")}
    with catalog_command(["--config", str(REPO / "config.yaml"), "up"], env, port) as served:
        turtle = _get(f"{served.address}/catalog.ttl?page_size=5")
        api_page = _get(f"{served.address}/api")
    graph = Graph().parse(data=turtle, format="turtle")
    ours = f"http://localhost:{port}"
    next_pages = [str(page) for page in graph.objects(None, HYDRA.next)]
    assert next_pages and all(page.startswith(f"{ours}/catalog.ttl?") for page in next_pages)
    datasets = [str(node) for node in graph.subjects(RDF.type, DCAT.Dataset)]
    minted = [iri for iri in datasets if iri.startswith(f"{ours}/dataset/")]
    assert minted, datasets
    assert "localhost:5000" not in turtle
    assert f"-r {ours}" in api_page
    assert "localhost:5000" not in api_page
    assert "base_url" not in served.stderr  # a local base_url needs no warning


def test_serve_with_a_public_base_url_keeps_it_and_warns_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(minimal_config()), encoding="utf-8")
    assert CliRunner().invoke(cli, ["--config", str(config), "init"]).exit_code == 0
    port = _free_port()
    with catalog_command(["--config", str(config), "serve"], {}, port) as served:
        api_page = _get(f"{served.address}/api")
    assert "-r http://catalog.test" in api_page
    warnings = [line for line in served.stderr.splitlines() if "catalog.base_url" in line]
    assert len(warnings) == 1, served.stderr
    assert "http://catalog.test" in warnings[0]
    assert f"http://127.0.0.1:{port}" in warnings[0]
    assert warnings[0].startswith("Achtung:") and "served" not in warnings[0]  # German alone
