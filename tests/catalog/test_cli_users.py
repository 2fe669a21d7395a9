"""`catalog user …` without a terminal (CliRunner's stdin is no tty, as in cron or a script):
adding with a password on stdin or a printed one-time link, listing, roles, disabling,
enabling, resetting passwords and signing out everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from catalog.accounts import check_login, password_matches, session_user
from catalog.models import User
from catalog.password_resets import reset_username, use_reset
from catalog.store import Store, open_store
from cli.commands import cli
from tests.conftest import minimal_config

BASE_URL = "http://catalog.test"
RESET_PREFIX = f"{BASE_URL}/verwaltung/passwort/"


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(minimal_config()), encoding="utf-8")
    assert CliRunner().invoke(cli, ["--config", str(path), "init"]).exit_code == 0
    return path


@pytest.fixture
def store(config_file: Path) -> Store:
    return open_store(f"sqlite:///{config_file.parent / 'instance' / 'catalog.db'}")


def run(config_file: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config_file), *args], input=input)


def add_anna(config_file: Path, *extra: str) -> Result:
    return run(
        config_file,
        "user",
        "add",
        "anna",
        "--email",
        "anna@teststadt.example",
        "--role",
        "umweltamt:admin",
        "--password-stdin",
        *extra,
        input="geheim-und-lang\n",
    )


def _user(store: Store, username: str) -> User:
    with store.reading() as session:
        user = session.query(User).filter_by(username=username).one()
    return user


def _link_secret(result: Result) -> str:
    (line,) = [line for line in result.stdout.splitlines() if line.startswith(RESET_PREFIX)]
    return line.removeprefix(RESET_PREFIX)


def test_user_add_reads_one_line_from_stdin_with_password_stdin(
    config_file: Path, store: Store
) -> None:
    result = add_anna(config_file)

    assert result.exit_code == 0, result.output
    assert password_matches(_user(store, "anna").password_hash, "geheim-und-lang")


def test_user_add_as_the_readme_prints_it_prints_a_one_time_link_without_a_terminal(
    config_file: Path, store: Store
) -> None:
    result = run(
        config_file,
        "user",
        "add",
        "anna",
        "--email",
        "anna@teststadt.example",
        "--role",
        "umweltamt:admin",
        input="",
    )

    assert result.exit_code == 0, result.output
    assert "Aborted" not in result.output
    secret = _link_secret(result)
    assert check_login(store, "anna", "") is None
    assert reset_username(store, secret) == "anna"
    assert use_reset(store, secret, "selbst-gewaehlt") == "anna"
    assert check_login(store, "anna", "selbst-gewaehlt") is not None
    assert use_reset(store, secret, "noch-einmal-neu") is None  # once only


def test_user_add_refuses_a_short_password_and_names_the_minimum(
    config_file: Path, store: Store
) -> None:
    result = run(
        config_file,
        "user",
        "add",
        "anna",
        "--email",
        "anna@teststadt.example",
        "--password-stdin",
        input="kurz\n",
    )

    assert result.exit_code == 2
    assert "mindestens 10 Zeichen" in result.output
    with store.reading() as session:
        assert session.query(User).count() == 0


def test_password_stdin_with_empty_stdin_is_an_error_not_a_link(config_file: Path) -> None:
    result = run(
        config_file, "user", "add", "anna", "--email", "a@teststadt.example", "--password-stdin"
    )

    assert result.exit_code == 2
    assert "die Standardeingabe ist leer" in result.output
    assert RESET_PREFIX not in result.output


def test_user_list_shows_roles_status_and_last_login(config_file: Path, store: Store) -> None:
    add_anna(config_file)
    run(config_file, "user", "disable", "anna")

    result = run(config_file, "user", "list")

    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert line.split("\t")[:4] == [
        "anna",
        "anna@teststadt.example",
        "GESPERRT",
        "umweltamt:admin",
    ]
    assert line.endswith("letzte Anmeldung: nie")


def test_user_role_gives_changes_and_removes_roles(config_file: Path, store: Store) -> None:
    add_anna(config_file)

    given = run(config_file, "user", "role", "anna", "--role", "statistik:editor")
    removed = run(config_file, "user", "role", "anna", "--remove", "umweltamt")
    again = run(config_file, "user", "role", "anna", "--remove", "umweltamt")

    assert given.exit_code == 0 and removed.exit_code == 0, given.output + removed.output
    assert again.exit_code == 2 and "keine Rolle in 'umweltamt'" in again.output
    listed = run(config_file, "user", "list").stdout
    assert "\tstatistik:editor\t" in listed
    assert "umweltamt" not in listed


def test_disable_ends_sessions_and_login_and_enable_restores_login(
    config_file: Path, store: Store
) -> None:
    add_anna(config_file)
    before = _user(store, "anna")

    disabled = run(config_file, "user", "disable", "anna")

    assert disabled.exit_code == 0, disabled.output
    assert session_user(store, before.id, before.session_generation) is None
    assert check_login(store, "anna", "geheim-und-lang") is None
    assert run(config_file, "user", "enable", "anna").exit_code == 0
    assert check_login(store, "anna", "geheim-und-lang") is not None


def test_sign_out_ends_every_session_but_keeps_the_password(
    config_file: Path, store: Store
) -> None:
    add_anna(config_file)
    before = _user(store, "anna")

    result = run(config_file, "user", "sign-out", "anna")

    assert result.exit_code == 0, result.output
    assert session_user(store, before.id, before.session_generation) is None
    after = _user(store, "anna")
    assert session_user(store, after.id, after.session_generation) is not None
    assert check_login(store, "anna", "geheim-und-lang") is not None


def test_reset_password_prints_a_link_and_stores_only_its_hash(
    config_file: Path, store: Store
) -> None:
    add_anna(config_file)

    result = run(config_file, "user", "reset-password", "anna")

    assert result.exit_code == 0, result.output
    secret = _link_secret(result)
    db_bytes = (config_file.parent / "instance" / "catalog.db").read_bytes()
    assert secret.encode() not in db_bytes
    assert check_login(store, "anna", "geheim-und-lang") is not None  # until the link is used
    assert use_reset(store, secret, "ein-neues-passwort") == "anna"
    assert check_login(store, "anna", "geheim-und-lang") is None


def test_reset_password_with_password_stdin_sets_it_and_ends_sessions(
    config_file: Path, store: Store
) -> None:
    add_anna(config_file)
    before = _user(store, "anna")

    result = run(
        config_file, "user", "reset-password", "anna", "--password-stdin", input="anders-lang-1\n"
    )

    assert result.exit_code == 0, result.output
    assert check_login(store, "anna", "anders-lang-1") is not None
    assert session_user(store, before.id, before.session_generation) is None


@pytest.mark.parametrize("command", ["disable", "enable", "sign-out", "reset-password"])
def test_an_unknown_user_name_is_an_error(config_file: Path, command: str) -> None:
    result = run(config_file, "user", command, "niemand")

    assert result.exit_code == 2
    assert "kein Benutzer 'niemand'" in result.output


@pytest.mark.parametrize(
    "command", ["list", "role", "disable", "enable", "reset-password", "sign-out"]
)
def test_every_user_command_has_real_help(command: str) -> None:
    result = CliRunner().invoke(cli, ["user", command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.split("\n\n")[1].strip()) > 20
