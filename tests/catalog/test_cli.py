"""The `catalog` command: its contract with operators (DESIGN.md, "CLI contract")."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from catalog.accounts import password_matches, user_for_token
from catalog.migrate import current_revision, head_revision
from catalog.models import ApiToken, Organization, User
from catalog.store import open_store
from cli.commands import cli
from tests.conftest import minimal_config


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(minimal_config()), encoding="utf-8")
    return path


def run(config_file: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["--config", str(config_file), *args], input=input)


def test_init_creates_the_database_and_organisations_and_can_run_again(config_file: Path) -> None:
    first = run(config_file, "init")
    second = run(config_file, "init")
    assert first.exit_code == 0, first.output
    assert "2 Organisation(en) (2 neu)" in first.output
    assert second.exit_code == 0
    assert "(0 neu)" in second.output
    store = open_store(f"sqlite:///{config_file.parent / 'instance' / 'catalog.db'}")
    assert current_revision(store) == head_revision()
    with store.reading() as session:
        assert sorted(o.name for o in session.query(Organization)) == ["statistik", "umweltamt"]


@pytest.mark.parametrize(
    ("text", "replacement", "key"),
    [
        ("title:", "titel:", "catalog.titel"),
        ("base_url: http://catalog.test", "base_url: 5", "catalog.base_url"),
    ],
    ids=["misspelt-key", "wrong-type"],
)
def test_a_broken_config_prints_one_line_and_exits_2(
    config_file: Path, text, replacement, key
) -> None:
    config_file.write_text(config_file.read_text().replace(text, replacement, 1))
    result = subprocess.run(
        [sys.executable, "-m", "catalog", "--config", str(config_file), "init"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert key in lines[0]
    assert not (config_file.parent / "instance").exists()


def test_an_unknown_search_backend_stops_the_command_with_exit_2(config_file: Path) -> None:
    config_file.write_text(yaml.safe_dump(minimal_config(search={"backend": "solr"})))
    result = subprocess.run(
        [sys.executable, "-m", "catalog", "--config", str(config_file), "init"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"Error: {config_file}: search.backend: Input should be 'whoosh' or 'tantivy'"
    ]
    assert not (config_file.parent / "instance").exists()


@pytest.mark.parametrize("command", [["harvest", "--all"], ["validate"], ["export"], ["reindex"]])
def test_database_commands_refuse_an_uninitialised_database(config_file: Path, command) -> None:
    result = run(config_file, *command)
    assert result.exit_code == 2
    assert "zuerst 'catalog init' ausführen" in result.output


def test_harvest_names_an_unknown_source_and_exits_2(config_file: Path) -> None:
    assert run(config_file, "init").exit_code == 0
    result = run(config_file, "harvest", "no-such-source")
    assert result.exit_code == 2
    assert "no-such-source" in result.output


VALID_DATASET = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<http://data.test/dataset/baeume> a dcat:Dataset ;
    dct:title "Baumkataster"@de ;
    dct:description "Alle Straßenbäume der Stadt."@de ;
    dcat:distribution <http://data.test/dataset/baeume/csv> .
<http://data.test/dataset/baeume/csv> a dcat:Distribution ;
    dcat:accessURL <http://data.test/baeume.csv> ;
    dct:license <http://dcat-ap.de/def/licenses/cc-by/4.0> .
"""


def test_validate_reports_a_violation_in_a_file_with_exit_1(
    config_file: Path, tmp_path: Path
) -> None:
    valid = tmp_path / "valid.ttl"
    valid.write_text(VALID_DATASET, encoding="utf-8")
    untitled = tmp_path / "untitled.ttl"
    untitled.write_text(VALID_DATASET.replace('dct:title "Baumkataster"@de ;', ""), "utf-8")

    good = run(config_file, "validate", "--lang", "en", str(valid))
    bad = run(config_file, "validate", "--lang", "en", str(untitled))

    assert good.exit_code == 0, good.output
    assert bad.exit_code == 1, bad.output
    assert "title" in bad.output


def test_validate_exits_2_on_an_unreadable_file(config_file: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://a> <http://b> ", encoding="utf-8")
    result = run(config_file, "validate", str(broken))
    assert result.exit_code == 2
    assert "broken.ttl" in result.output


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["init"],
        ["harvest"],
        ["serve"],
        ["up"],
        ["validate"],
        ["export"],
        ["reindex"],
        ["user", "add"],
        ["token", "create"],
    ],
)
def test_every_command_has_real_help(command) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output
    first_line_of_doc = result.output.split("\n\n")[1].strip()
    assert len(first_line_of_doc) > 20


def test_serve_refuses_an_uninitialised_database(config_file: Path) -> None:
    result = run(config_file, "serve")
    assert result.exit_code == 2
    assert "zuerst 'catalog init' ausführen" in result.output


def test_user_add_stores_an_argon2_hash_and_roles(config_file: Path) -> None:
    assert run(config_file, "init").exit_code == 0
    result = run(
        config_file,
        "user",
        "add",
        "anna",
        "--email",
        "anna@teststadt.example",
        "--role",
        "umweltamt:editor",
        input="geheim-und-lang\ngeheim-und-lang\n",
    )
    assert result.exit_code == 0, result.output
    store = open_store(f"sqlite:///{config_file.parent / 'instance' / 'catalog.db'}")
    with store.reading() as session:
        user = session.query(User).one()
        assert user.password_hash.startswith("$argon2")
        assert password_matches(user.password_hash, "geheim-und-lang")
        assert [(m.organization.name, m.role.value) for m in user.memberships] == [
            ("umweltamt", "editor")
        ]


def test_user_add_with_an_unknown_organisation_creates_nobody(config_file: Path) -> None:
    assert run(config_file, "init").exit_code == 0
    result = run(
        config_file,
        "user",
        "add",
        "bob",
        "--email",
        "bob@teststadt.example",
        "--role",
        "bauamt:admin",
        "--password",
        "geheim-und-lang",
    )
    assert result.exit_code == 2
    assert "unbekannte Organisation 'bauamt'" in result.output
    store = open_store(f"sqlite:///{config_file.parent / 'instance' / 'catalog.db'}")
    with store.reading() as session:
        assert session.query(User).count() == 0


def test_token_create_prints_the_token_once_and_stores_only_its_hash(config_file: Path) -> None:
    assert run(config_file, "init").exit_code == 0
    run(
        config_file,
        "user",
        "add",
        "anna",
        "--email",
        "a@teststadt.example",
        "--password",
        "geheim-und-lang",
    )
    result = CliRunner().invoke(cli, ["--config", str(config_file), "token", "create", "anna"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    store = open_store(f"sqlite:///{config_file.parent / 'instance' / 'catalog.db'}")
    with store.reading() as session:
        stored = session.query(ApiToken).one()
        assert secret not in (stored.token_hash, stored.prefix)
    assert user_for_token(store, secret).username == "anna"
    assert user_for_token(store, secret + "x") is None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_up_initialises_and_serves_healthz(tmp_path: Path, config_file: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "catalog", "--config", str(config_file), "up", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        body = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/healthz", timeout=2
                ) as response:
                    body = response.read().decode()
            except OSError:
                time.sleep(0.2)
        assert body is not None, "catalog up did not answer on /healthz within 30 s"
        assert '"status":"ok"' in body.replace(" ", "")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
            assert "Offene Daten Teststadt" in response.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=10)
