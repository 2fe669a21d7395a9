"""`catalog user …`: stewards' accounts from the command line, with or without a terminal.

A password comes from a prompt on a terminal, from one line on stdin (--password-stdin), or
not at all: then the command prints a one-time link where the steward sets it themselves,
which suits scripts and a city's operators, who should not learn colleagues' passwords.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

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
from cli.texts import Texts, fail
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
    say = state.say()
    role_map = dict(_parse_role(entry) for entry in roles)
    chosen = password if password is not None else _read_password(say, password_stdin, ask=True)
    store = open_current_store(state.settings())
    _carry_out(
        say,
        lambda: add_user(
            store,
            username=username,
            email=email,
            password=chosen,
            full_name=full_name,
            site_admin=site_admin,
            roles=role_map,
        ),
    )
    click.echo(say("user_created", username=username))
    if chosen is None:
        _print_link(state, store, username, "link_sets_password")


@user.command("list")
@click.pass_obj
def user_list(state: CliState) -> None:
    """List every account: roles, whether it is active, and its last login."""
    say = state.say()
    accounts = list_accounts(open_current_store(state.settings()))
    if not accounts:
        click.echo(say("no_accounts"))
    for account in accounts:
        # Roles as the --role option spells them, so a line can be pasted into a command.
        roles = [f"{org}:{role.value}" for org, role in account.roles]
        if account.site_admin:
            roles.insert(0, "site-admin")
        status = say("account_active" if account.active else "account_disabled")
        last = (
            account.last_login_at.strftime("%Y-%m-%d %H:%M")
            if account.last_login_at
            else say("never")
        )
        click.echo(
            f"{account.username}\t{account.email}\t{status}\t"
            f"{', '.join(roles) or '-'}\t{say('last_login', when=last)}"
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
    say = state.say()
    role_map = dict(_parse_role(entry) for entry in roles)
    store = open_current_store(state.settings())
    _carry_out(say, lambda: change_roles(store, username, role_map, remove))
    click.echo(say("roles_changed", username=username))


@user.command("disable")
@click.argument("username")
@click.pass_obj
def user_disable(state: CliState, username: str) -> None:
    """Disable an account: no login, no API token, and its sessions end at once."""
    say = state.say()
    store = open_current_store(state.settings())
    _carry_out(say, lambda: set_active(store, username, False))
    click.echo(say("user_disabled", username=username))


@user.command("enable")
@click.argument("username")
@click.pass_obj
def user_enable(state: CliState, username: str) -> None:
    """Enable a disabled account again (with its old password and tokens)."""
    say = state.say()
    store = open_current_store(state.settings())
    _carry_out(say, lambda: set_active(store, username, True))
    click.echo(say("user_enabled", username=username))


@user.command("reset-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help=PASSWORD_STDIN_HELP)
@click.pass_obj
def user_reset_password(state: CliState, username: str, password_stdin: bool) -> None:
    """Print a one-time link (valid 3 days) where the steward sets a new password.

    With --password-stdin, set the password read from stdin instead. Either way the old
    password stays valid until the new one is set; setting it ends every session.
    """
    say = state.say()
    store = open_current_store(state.settings())
    if password_stdin:
        password = _read_password(say, True, ask=False)
        assert password is not None
        _carry_out(say, lambda: set_password(store, username, password))
        click.echo(say("password_set", username=username))
        return
    _print_link(state, store, username, "link_sets_new_password")


@user.command("sign-out")
@click.argument("username")
@click.pass_obj
def user_sign_out(state: CliState, username: str) -> None:
    """End every login session of a steward, in every browser (e.g. a lost laptop)."""
    say = state.say()
    store = open_current_store(state.settings())
    _carry_out(say, lambda: sign_out_everywhere(store, username))
    click.echo(say("user_signed_out", username=username))


def _parse_role(entry: str) -> tuple[str, Role]:
    org, _, role = entry.partition(":")
    if not org or role not in {member.value for member in Role}:
        raise click.BadParameter(
            f"{entry!r}: expected ORG:admin or ORG:editor", param_hint="--role"
        )
    return org, Role(role)


def _read_password(say: Texts, from_stdin: bool, *, ask: bool) -> str | None:
    """The password from a prompt or stdin; None when nothing was given and none is needed."""
    stdin = sys.stdin
    if ask and not from_stdin and stdin.isatty():
        return _prompt_password_twice(say)
    first = stdin.readline()
    if not first:
        if from_stdin:
            fail(say, say("stdin_empty"))
        return None
    password = first.rstrip("\r\n")
    if not from_stdin:
        repeated = stdin.readline()
        if repeated and repeated.rstrip("\r\n") != password:
            fail(say, say("stdin_passwords_differ"))
    return password


def _prompt_password_twice(say: Texts) -> str:
    """Asks until both entries match; our own loop, since click's confirmation says its
    mismatch in English whatever the catalog's language."""
    while True:
        password: str = click.prompt(
            say("password_prompt", length=MIN_PASSWORD_LENGTH), hide_input=True
        )
        repeated: str = click.prompt(say("password_repeat"), hide_input=True)
        if password == repeated:
            return password
        click.echo(say("passwords_differ"), err=True)


def _print_link(state: CliState, store: Store, username: str, what: str) -> None:
    """Print a one-time link to set a password; `what` is the key of the sentence under it."""
    say = state.say()
    secret = _carry_out(say, lambda: issue_reset(store, username, HANDED_LINK_LIFETIME))
    click.echo(reset_link(state.settings().catalog.base_url, secret))
    click.echo(say(what, username=username, days=HANDED_LINK_LIFETIME.days), err=True)


def _carry_out(say: Texts, action: Callable[[], T]) -> T:
    """The action's result; an AccountError ends the command with its message and exit 2."""
    try:
        return action()
    except AccountError as exc:
        fail(say, say.pick(exc.text))
