"""Two web nodes (separate `catalog serve` processes and data_dirs, one PostgreSQL): a save
through node A is found through node B's search, and node B's index, deleted while B is down,
comes back whole from the database when B starts again."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from catalog.search.service import SEARCH_DIRECTORY
from tests.conftest import _postgres_url_or_skip
from tests.nodes import (
    WebNode,
    catalog_command,
    node_environment,
    postgres_schema,
    steward_token,
    valid_package,
)

pytestmark = pytest.mark.postgres
EVENTUALLY = 30.0


def _eventually(condition: Callable[[], bool]) -> bool:
    """Poll until the condition holds, for at most EVENTUALLY seconds (not a timing claim:
    benchmarks/follow.py measures how soon)."""
    deadline = time.monotonic() + EVENTUALLY
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def shared_database() -> Iterator[str]:
    with postgres_schema(_postgres_url_or_skip()) as url:
        yield url


@pytest.fixture
def nodes(tmp_path: Path, shared_database: str) -> Iterator[tuple[WebNode, WebNode]]:
    env = node_environment(tmp_path / "node-a", shared_database)
    catalog_command(["init"], env)
    node_a = WebNode("node-a", tmp_path / "node-a", shared_database)
    node_b = WebNode("node-b", tmp_path / "node-b", shared_database)
    try:
        node_a.start()
        node_b.start()
        yield node_a, node_b
    finally:
        node_a.stop()
        node_b.stop()


def _titles(node: WebNode, q: str) -> list[str]:
    return sorted(package["title"] for package in node.search(q)["results"])


def test_a_save_on_node_a_is_found_on_node_b_and_a_deleted_index_comes_back(
    nodes: tuple[WebNode, WebNode],
) -> None:
    node_a, node_b = nodes
    token = steward_token(node_a.env)

    created = node_a.action("package_create", token, valid_package("pegel", "Pegelstände"))
    assert created["state"] == "active" and not created["private"]
    assert _eventually(lambda: _titles(node_b, "Pegelstände") == ["Pegelstände"])

    node_a.action("package_patch", token, {"id": "pegel", "title": "Pegelstände der Flüsse"})
    assert _eventually(lambda: _titles(node_b, "Flüsse") == ["Pegelstände der Flüsse"])

    node_a.action("package_create", token, valid_package("luft", "Luftmessungen"))
    assert _eventually(lambda: node_b.search()["count"] == 2)

    node_b.stop()
    shutil.rmtree(node_b.data_dir / SEARCH_DIRECTORY)
    # Saved while B is down and without an index: B must still find it afterwards.
    node_a.action("package_create", token, valid_package("laerm", "Lärmkarte"))
    node_b.start()
    assert _eventually(
        lambda: (
            _titles(node_b, "") == sorted(["Pegelstände der Flüsse", "Luftmessungen", "Lärmkarte"])
        )
    )
    assert _titles(node_b, "Flüsse") == ["Pegelstände der Flüsse"]
    assert (node_b.data_dir / SEARCH_DIRECTORY).is_dir()
