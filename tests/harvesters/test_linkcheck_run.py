"""`catalog linkcheck` and the run behind it: public records' links checked against a real
server on 127.0.0.1, kept with their history, never twice within the interval."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from catalog.link_checks import link_states
from catalog.models import RecordStatus
from catalog.organizations import get_organization_by_name
from catalog.records import get_record_by_name
from catalog.settings import Settings, load_settings
from catalog.setup import open_current_store
from catalog.store import Store
from cli.commands import cli
from harvesters.link_service import LinkSelection, run_link_check
from tests.catalog.test_link_checks import _distribution, _record
from tests.conftest import minimal_config
from tests.harvesters.linkcheck_server import LinkServer, link_server


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    config = minimal_config(
        storage={"data_dir": str(tmp_path / "instance")},
        harvest={"allow_private_networks": True},  # the test server is on 127.0.0.1
        linkcheck={"interval": 24, "delay": 0, "timeout": 0.3, "deadline": 0.5},
    )
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {"CATALOG_CONFIG": str(path)}
    assert CliRunner().invoke(cli, ["init"], env=env).exit_code == 0
    return env


def _catalog(env: dict[str, str], server: LinkServer) -> tuple[Settings, Store]:
    settings = load_settings(None, env=env)
    store = open_current_store(settings)
    umwelt = get_organization_by_name(store, "umweltamt")
    statistik = get_organization_by_name(store, "statistik")
    assert umwelt is not None and statistik is not None
    uri = "http://catalog.test/dataset/"
    base = server.base
    _record(
        store,
        "baeume",
        umwelt.id,
        _distribution(uri + "baeume", "a", download=f"{base}/ok.csv", fmt="CSV")
        + _distribution(uri + "baeume", "b", download=f"{base}/missing", fmt="CSV"),
    )
    _record(
        store,
        "laerm",
        umwelt.id,
        _distribution(uri + "laerm", "a", download=f"{base}/page.html", fmt="CSV")
        + _distribution(uri + "laerm", "b", access=f"{base}/ok.csv"),
    )
    _record(
        store,
        "bevoelkerung",
        statistik.id,
        _distribution(uri + "bevoelkerung", "a", download=f"{base}/moved-1", fmt="CSV"),
    )
    return settings, store


def test_linkcheck_lists_broken_links_and_exits_0(env: dict[str, str], server: LinkServer) -> None:
    _catalog(env, server)
    result = CliRunner().invoke(cli, ["linkcheck"], env=env)
    assert result.exit_code == 0, result.output
    assert "3 Datensätze, 4 Adressen, 4 geprüft" in result.output
    assert f"HTTP 404  {server.base}/missing" in result.output
    assert f"HTML statt CSV  {server.base}/page.html" in result.output


def test_a_url_named_by_two_records_is_checked_once_and_not_again_within_the_interval(
    env: dict[str, str], server: LinkServer
) -> None:
    settings, store = _catalog(env, server)
    first = run_link_check(store, settings)
    assert first.checked == 4 and first.complete
    asked = [path for _, path in server.state.requests if path == "/ok.csv"]
    assert len(asked) == 2  # once itself, once at the end of /moved-1's redirects

    again = CliRunner().invoke(cli, ["linkcheck", "--due"], env=env)
    assert again.exit_code == 0
    assert "0 geprüft, 4 nicht fällig" in again.output
    assert [path for _, path in server.state.requests if path == "/ok.csv"] == asked


def test_one_dataset_or_one_organisation_can_be_checked_alone(
    env: dict[str, str], server: LinkServer
) -> None:
    settings, store = _catalog(env, server)
    statistik = get_organization_by_name(store, "statistik")
    assert statistik is not None
    by_org = run_link_check(store, settings, LinkSelection(organization_id=statistik.id))
    assert [r.url for r in by_org.results] == [f"{server.base}/moved-1"]
    assert by_org.results[0].final_url == f"{server.base}/ok.csv"
    by_name = run_link_check(store, settings, LinkSelection(record_names=("laerm",)))
    assert sorted(r.url for r in by_name.results) == [
        f"{server.base}/ok.csv",
        f"{server.base}/page.html",
    ]
    states = link_states(store, [f"{server.base}/page.html"])
    assert states[f"{server.base}/page.html"].problem == "html_instead_of_format"


def test_withdrawn_and_draft_records_are_not_checked(
    env: dict[str, str], server: LinkServer
) -> None:
    settings, store = _catalog(env, server)
    from catalog.records import Actor, set_record_status

    record = get_record_by_name(store, "baeume")
    assert record is not None
    set_record_status(store, record.id, RecordStatus.DRAFT, actor=Actor(label="test"))
    summary = run_link_check(store, settings)
    assert summary.records == 2
    assert f"{server.base}/missing" not in {r.url for r in summary.results}


def test_unknown_dataset_or_organisation_is_a_usage_error(env: dict[str, str]) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["linkcheck", "--dataset", "gibt-es-nicht"], env=env).exit_code == 2
    assert runner.invoke(cli, ["linkcheck", "--organization", "nein"], env=env).exit_code == 2
    assert runner.invoke(cli, ["linkcheck", "--due", "--organization", "x"], env=env).exit_code == 2


def test_a_wrong_linkcheck_setting_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(minimal_config(linkcheck={"per_hots": 2})), encoding="utf-8")
    result = CliRunner().invoke(cli, ["linkcheck"], env={"CATALOG_CONFIG": str(path)})
    assert result.exit_code == 2
    assert "linkcheck.per_hots: unknown key, did you mean 'per_host'?" in result.output


def test_a_record_whose_graph_cannot_be_read_makes_the_run_incomplete_exit_1(
    env: dict[str, str], server: LinkServer
) -> None:
    _settings, store = _catalog(env, server)
    umwelt = get_organization_by_name(store, "umweltamt")
    assert umwelt is not None
    _record(store, "kaputt", umwelt.id, "<nicht lesbar\n")
    result = CliRunner().invoke(cli, ["linkcheck"], env=env)
    assert result.exit_code == 1, result.output
    assert "Datensatz kaputt: Graph nicht lesbar" in result.output
    assert "4 geprüft," in result.output  # the other records' links were checked
