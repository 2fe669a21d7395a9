"""`catalog user …`: stewards' accounts from the command line, with or without a terminal.

A password comes from a prompt on a terminal, from one line on stdin (--password-stdin), or
not at all: then the command prints a one-time link where the steward sets it themselves,
which suits scripts and a city's operators, who should not learn colleagues' passwords.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

from catalog.accounts import (
    MIN_PASSWORD_LENGTH,
    AccountError,
    add_user,
    change_roles,
    list_accounts,
    set_active,
    set_password,
    sign_out_everywhere,
)
from catalog.models import Role
from catalog.password_resets import HANDED_LINK_LIFETIME, issue_reset
from catalog.setup import open_current_store
from catalog.store import Store
from cli.exit_codes import EXIT_USAGE
from web.steward.password_reset import reset_link

if TYPE_CHECKING:
    from cli.commands import CliState

T = TypeVar("T")
PASSWORD_STDIN_HELP = "Read the password from the first line of stdin (for scripts)."


@click.group()
def user() -> None:
    """Manage data stewards' accounts: add, list, roles, disable, passwords, sessions."""


@user.command("add")
@click.argument("username")
@click.option("--email", required=True, help="The steward's e-mail address.")
@click.option("--full-name", default="", help="Name shown in revisions.")
@click.option("--site-admin", is_flag=True, help="May administer every organisation.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="ORG:ROLE",
    help="Role in an organisation, e.g. umweltamt:editor or umweltamt:admin (repeatable).",
)
@click.option("--password-stdin", is_flag=True, help=PASSWORD_STDIN_HELP)
@click.option("--password", default=None, help="The password (lands in shell history).")
@click.pass_obj
def user_add(
    state: CliState,
    username: str,
    email: str,
    full_name: str,
    site_admin: bool,
    roles: tuple[str, ...],
    password_stdin: bool,
    password: str | None,
) -> None:
    """Create a steward account; the password is stored as an argon2 hash.

    On a terminal it asks for the password twice. Without one it reads the password from
    stdin (a second line, if given, must repeat it); with nothing on stdin the account is
    created without a password and a one-time link to set it is printed, valid for
    3 days. Passwords need at least 10 characters.
    """
    role_map = dict(_parse_role(entry) for entry in roles)
    chosen = password if password is not None else _read_password(password_stdin, ask=True)
    store = open_current_store(state.settings())
    _carry_out(
        lambda: add_user(
            store,
            username=username,
            email=email,
            password=chosen,
            full_name=full_name,
            site_admin=site_admin,
            roles=role_map,
        )
    )
    click.echo(f"User {username!r} created.")
    if chosen is None:
        _print_link(state, store, username, "sets a password")


@user.command("list")
@click.pass_obj
def user_list(state: CliState) -> None:
    """List every account: roles, whether it is active, and its last login."""
    accounts = list_accounts(open_current_store(state.settings()))
    if not accounts:
        click.echo("No accounts yet; create one with 'catalog user add'.")
    for account in accounts:
        roles = [f"{org}:{role.value}" for org, role in account.roles]
        if account.site_admin:
            roles.insert(0, "site-admin")
        status = "active" if account.active else "DISABLED"
        last = (
            account.last_login_at.strftime("%Y-%m-%d %H:%M") if account.last_login_at else "never"
        )
        click.echo(
            f"{account.username}\t{account.email}\t{status}\t"
            f"{', '.join(roles) or '-'}\tlast login: {last}"
        )


@user.command("role")
@click.argument("username")
@click.option("--role", "roles", multiple=True, metavar="ORG:ROLE", help="Give or change.")
@click.option("--remove", multiple=True, metavar="ORG", help="Take the role in ORG away.")
@click.pass_obj
def user_role(
    state: CliState, username: str, roles: tuple[str, ...], remove: tuple[str, ...]
) -> None:
    """Give a steward a role in an organisation (--role ORG:ROLE) or take it (--remove ORG)."""
    if not roles and not remove:
        raise click.UsageError("give --role ORG:ROLE or --remove ORG")
    role_map = dict(_parse_role(entry) for entry in roles)
    store = open_current_store(state.settings())
    _carry_out(lambda: change_roles(store, username, role_map, remove))
    click.echo(f"Roles of {username!r} changed.")


@user.command("disable")
@click.argument("username")
@click.pass_obj
def user_disable(state: CliState, username: str) -> None:
    """Disable an account: no login, no API token, and its sessions end at once."""
    store = open_current_store(state.settings())
    _carry_out(lambda: set_active(store, username, False))
    click.echo(f"User {username!r} disabled and signed out everywhere.")


@user.command("enable")
@click.argument("username")
@click.pass_obj
def user_enable(state: CliState, username: str) -> None:
    """Enable a disabled account again (with its old password and tokens)."""
    store = open_current_store(state.settings())
    _carry_out(lambda: set_active(store, username, True))
    click.echo(f"User {username!r} enabled.")


@user.command("reset-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help=PASSWORD_STDIN_HELP)
@click.pass_obj
def user_reset_password(state: CliState, username: str, password_stdin: bool) -> None:
    """Print a one-time link (valid 3 days) where the steward sets a new password.

    With --password-stdin, set the password read from stdin instead. Either way the old
    password stays valid until the new one is set; setting it ends every session.
    """
    store = open_current_store(state.settings())
    if password_stdin:
        password = _read_password(True, ask=False)
        assert password is not None
        _carry_out(lambda: set_password(store, username, password))
        click.echo(f"Password of {username!r} set; their sessions have ended.")
        return
    _print_link(state, store, username, "sets a new password")


@user.command("sign-out")
@click.argument("username")
@click.pass_obj
def user_sign_out(state: CliState, username: str) -> None:
    """End every login session of a steward, in every browser (e.g. a lost laptop)."""
    store = open_current_store(state.settings())
    _carry_out(lambda: sign_out_everywhere(store, username))
    click.echo(f"User {username!r} signed out everywhere.")


def _parse_role(entry: str) -> tuple[str, Role]:
    org, _, role = entry.partition(":")
    if not org or role not in {member.value for member in Role}:
        raise click.BadParameter(
            f"{entry!r}: expected ORG:admin or ORG:editor", param_hint="--role"
        )
    return org, Role(role)


def _read_password(from_stdin: bool, *, ask: bool) -> str | None:
    """The password from a prompt or stdin; None when nothing was given and none is needed."""
    stdin = sys.stdin
    if ask and not from_stdin and stdin.isatty():
        password: str = click.prompt(
            f"Password (at least {MIN_PASSWORD_LENGTH} characters)",
            hide_input=True,
            confirmation_prompt=True,
        )
        return password
    first = stdin.readline()
    if not first:
        if from_stdin:
            _fail("--password-stdin: stdin is empty")
        return None
    password = first.rstrip("\r\n")
    if not from_stdin:
        repeated = stdin.readline()
        if repeated and repeated.rstrip("\r\n") != password:
            _fail("the two passwords on stdin differ")
    return password


def _print_link(state: CliState, store: Store, username: str, what: str) -> None:
    secret = _carry_out(lambda: issue_reset(store, username, HANDED_LINK_LIFETIME))
    days = HANDED_LINK_LIFETIME.days
    click.echo(reset_link(state.settings().catalog.base_url, secret))
    click.echo(
        f"{username!r} {what} at this link; it works once and for {days} days. "
        "It is shown only now.",
        err=True,
    )


def _carry_out(action: Callable[[], T]) -> T:
    """The action's result; an AccountError ends the command with its message and exit 2."""
    try:
        return action()
    except AccountError as exc:
        _fail(str(exc))


def _fail(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(EXIT_USAGE)
