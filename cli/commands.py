"""The `catalog` command: the composition root that wires store, harvesters and web together.

It lives above every package it wires (DESIGN.md: "the CLI wires them"); no package imports it.
Exit codes (DESIGN.md): 0 success, 1 work done with record-level errors (or a source not
harvested because a job of it was running already), 2 usage or config error.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from typing import Any

import click

from catalog.logs import configure_logging
from catalog.settings import ConfigError, Settings, load_settings
from catalog.setup import DatabaseNotCurrent, InitSummary
from cli.exit_codes import EXIT_USAGE
from cli.harvest import run_due_harvests, run_harvests
from cli.served_address import settings_for_serving
from cli.texts import Texts, fail
from cli.users import user
from dcat.bilingual import Bilingual
from dcat.profiles import PROFILES
from harvesters.registry import declare_source_types

# `--profile` of export and validate: the token or the version of each profile.
PROFILE_CHOICES = [
    name for info in PROFILES.values() for name in (info.profile.value, info.version)
]


class CatalogGroup(click.Group):
    """Turns what the services raise for an unready catalog into a message and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DatabaseNotCurrent as exc:
            say = ctx.obj.say() if isinstance(ctx.obj, CliState) else Texts()
            fail(say, say.pick(exc.text))


@dataclass
class CliState:
    config_path: str | None
    _settings: Settings | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        """The checked settings; a broken config ends the command with exit code 2 (its one
        line in English: no language is known before the config is read)."""
        if self._settings is None:
            declare_source_types()  # so that each source's options are checked as it loads
            try:
                self._settings = load_settings(self.config_path)
            except ConfigError as exc:
                click.echo(f"Error: {exc}", err=True)
                sys.exit(EXIT_USAGE)
        return self._settings

    def say(self, language: str | None = None) -> Texts:
        """The command's texts in `language`, else in the config's catalog.language."""
        return Texts(language or self.settings().catalog.language)


@click.group(cls=CatalogGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Config file (default: $CATALOG_CONFIG, else ./config.yaml).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages too.")
@click.version_option(package_name="stadtkatalog")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: bool) -> None:
    """Stadtkatalog: an open-data catalog for German cities, speaking DCAT-AP.de."""
    configure_logging(logging.DEBUG if verbose else logging.INFO)
    ctx.obj = CliState(config_path)


@cli.command()
@click.pass_obj
def init(state: CliState) -> None:
    """Create or migrate the database and load organisations and sources from the config.

    Safe to run again: it upgrades the schema and brings organisations and harvest sources
    in line with config.yaml, keeping everything else.
    """
    from catalog.setup import initialise

    summary = initialise(state.settings())
    click.echo(init_summary_text(state.say(), summary))


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_sources", is_flag=True, help="Harvest every enabled source.")
@click.option(
    "--force", is_flag=True, help="Withdraw vanished records even beyond the safety threshold."
)
@click.option(
    "--due",
    is_flag=True,
    help="Harvest the enabled sources whose schedule (daily, weekly) is due: for cron.",
)
@click.option(
    "--wait",
    is_flag=True,
    help="With a task queue: wait for the queued jobs and print their summary.",
)
@click.pass_obj
def harvest(
    state: CliState,
    names: tuple[str, ...],
    all_sources: bool,
    force: bool,
    due: bool,
    wait: bool,
) -> None:
    """Run harvest jobs for the named sources (or --all), with progress and a summary.

    Without names or --all, every enabled source runs. With --due, only the enabled sources
    whose schedule is due: daily ones without a job in the last 24 hours, weekly ones without
    one in 7 days, manual ones never. Exit code 1 means the jobs ran but some records (or a
    whole source) failed, or that a source was not harvested because a job of it was running
    already (one job per source at a time); the job reports and the summary say which.

    With a task queue (tasks.broker_url), each job is sent to the queue and run by
    `catalog worker` processes; the command prints where each report will be, or with --wait
    waits for the jobs and prints the summary.
    """
    from catalog.setup import open_current_store
    from harvesters.service import SourceChoice, UnknownSource

    say = state.say()
    if due and (names or all_sources):
        fail(say, say("harvest_due_with_names"))
    settings = state.settings()
    store = open_current_store(settings)
    if due:
        sys.exit(run_due_harvests(store, settings, force=force, wait=wait))
    try:
        choice = SourceChoice.resolve(store, names, all_sources=all_sources)
    except UnknownSource as exc:
        fail(say, say.pick(exc.text))
    sys.exit(run_harvests(store, settings, choice.sources, force=force, wait=wait))


@cli.command()
@click.option(
    "--concurrency",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (one per core is a good start).",
)
@click.option("--loglevel", default="INFO", show_default=True, help="Celery's log level.")
@click.pass_obj
def worker(state: CliState, concurrency: int, loglevel: str) -> None:
    """Run harvest jobs from the task queue (tasks.broker_url) until stopped.

    Start it on as many machines as you like, each with the same config and database URL; a
    job's batches are shared among all of them, and a task of a worker that dies is taken by
    another. Stop it with SIGTERM: running tasks end first.
    """
    from catalog.setup import ensure_schema_current
    from cli.queue import run_worker

    settings = state.settings()
    if not settings.tasks.queued:
        say = state.say()
        fail(say, say("no_queue"))
    ensure_schema_current(settings)
    run_worker(settings, concurrency=concurrency, loglevel=loglevel)


@cli.command()
@click.option(
    "--due", is_flag=True, help="Check every public record's links that are due: for cron."
)
@click.option("--dataset", "datasets", multiple=True, help="Check this dataset (name); repeatable.")
@click.option("--organization", default=None, help="Check this organisation's datasets (name).")
@click.pass_obj
def linkcheck(
    state: CliState, due: bool, datasets: tuple[str, ...], organization: str | None
) -> None:
    """Check the accessURL and downloadURL of public datasets' distributions.

    A URL checked within linkcheck.interval is not checked again, by any run; without
    options (or with --due, the spelling for cron) every public dataset's due links are
    checked. Exit code 0: the check ran (broken links are listed, they are findings);
    1: some records or URLs could not be checked; 2: usage or config error.
    """
    from catalog.organizations import get_organization_by_name
    from catalog.records import get_record_by_name
    from catalog.setup import open_current_store
    from cli.linkcheck import run_linkcheck
    from harvesters.link_service import LinkSelection

    say = state.say()
    if due and (datasets or organization):
        fail(say, say("linkcheck_due_with_selection"))
    settings = state.settings()
    store = open_current_store(settings)
    organization_id = None
    if organization is not None:
        found = get_organization_by_name(store, organization)
        if found is None:
            fail(say, say("unknown_organization", name=organization))
        organization_id = found.id
    for name in datasets:
        if get_record_by_name(store, name) is None:
            fail(say, say("unknown_dataset", name=name))
    selection = LinkSelection(record_names=datasets, organization_id=organization_id)
    sys.exit(run_linkcheck(store, settings, selection))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.pass_obj
def serve(state: CliState, host: str, port: int) -> None:
    """Serve the web app with the built-in server.

    A local base_url (localhost, 127.0.0.1) follows --host and --port; another one is kept,
    with a warning when it differs from the address served.

    For production run gunicorn instead: gunicorn 'web:create_app()' (see README.md).
    """
    from catalog.setup import ensure_schema_current

    settings, warning = settings_for_serving(state.settings(), host, port)
    ensure_schema_current(settings)
    _serve(settings, host, port, warning)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.pass_obj
def up(state: CliState, host: str, port: int) -> None:
    """Initialise, harvest every configured source, then serve: one command to a running catalog.

    A local base_url (localhost, 127.0.0.1) follows --host and --port, from the harvest on:
    the dataset IRIs it mints name the address served.
    """
    from catalog.setup import initialise

    settings, warning = settings_for_serving(state.settings(), host, port)
    click.echo(init_summary_text(state.say(), initialise(settings)))
    from catalog.setup import open_current_store
    from harvesters.service import SourceChoice

    store = open_current_store(settings)
    sources = SourceChoice.resolve(store, (), all_sources=True).sources
    if sources:
        # Errors in single records or sources are reported, but the catalog is served anyway.
        run_harvests(store, settings, sources, force=False)
    _serve(settings, host, port, warning)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--normalise/--as-is",
    default=False,
    show_default=True,
    help="Apply the normalisation rules first and list what they changed.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the reports as JSON (one object per dataset)."
)
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default=None,
    help="Language of the messages (default: catalog.language).",
)
@click.option(
    "--profile",
    "profile_name",
    type=click.Choice(PROFILE_CHOICES),
    default="2.0",
    show_default=True,
    help="DCAT-AP.de profile to judge by (3.0: the 3.0 rendering of each dataset).",
)
@click.option(
    "--store",
    "store_verdicts",
    is_flag=True,
    help="With --profile 3.0 and no files: store each record's 3.0 rendering and verdict "
    "(what 3.0 outputs serve and filter by).",
)
@click.pass_obj
def validate(
    state: CliState,
    files: tuple[str, ...],
    normalise: bool,
    as_json: bool,
    lang: str | None,
    profile_name: str,
    store_verdicts: bool,
) -> None:
    """Validate RDF files (or, without files, the whole catalog) against DCAT-AP.de.

    Each dataset is checked with the built-in DCAT-AP.de 2.0 shapes and any extra shapes in
    validation.shapes, or with `--profile 3.0` its DCAT-AP.de 3.0 rendering with the built-in
    3.0 shapes. `--profile 3.0 --store` also stores each record's 3.0 rendering and verdict
    (every save does that; this re-judges all records, e.g. after an upgrade).
    Exit code 0: no violations; 1: violations found; 2: a file could not be read.
    """
    from cli.validate import store_v3_catalog, validate_catalog, validate_files
    from dcat.profiles import Profile, profile_by_token

    settings = state.settings()
    language = lang or settings.catalog.language
    profile = profile_by_token(profile_name) or Profile.DCATAPDE_2
    if store_verdicts:
        if files or profile is not Profile.DCATAPDE_3:
            raise click.UsageError(
                "--store stores the catalog's 3.0 verdicts: use it with --profile 3.0 and no files."
            )
        sys.exit(store_v3_catalog(settings, lang=language))
    if files:
        code = validate_files(
            settings,
            files,
            normalised=normalise,
            as_json=as_json,
            lang=language,
            profile=profile,
        )
    else:
        code = validate_catalog(settings, as_json=as_json, lang=language, profile=profile)
    sys.exit(code)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "rdf", "jsonld", "nt"]),
    default="ttl",
    show_default=True,
    help="RDF serialisation.",
)
@click.option(
    "--profile",
    "profile_name",
    type=click.Choice(PROFILE_CHOICES),
    default=None,
    help="DCAT-AP.de profile (default: dcat.default_profile of the config).",
)
@click.pass_obj
def export(state: CliState, fmt: str, profile_name: str | None) -> None:
    """Write the whole published catalog as DCAT-AP.de to stdout.

    The catalog record from the config and every published record without violations (all
    published records if validation.publish_invalid), streamed record by record, in
    DCAT-AP.de 2.0 as stored or rendered as 3.0.
    """
    from catalog.export import export_chunks
    from catalog.setup import open_current_store
    from dcat.profiles import profile_by_token

    settings = state.settings()
    profile = profile_by_token(profile_name) if profile_name else None
    store = open_current_store(settings)
    out = sys.stdout.buffer
    for chunk in export_chunks(store, settings, fmt, profile or settings.dcat.default_profile):
        out.write(chunk)
    out.flush()


@cli.command()
@click.pass_obj
def reindex(state: CliState) -> None:
    """Rebuild the search index from the database.

    The index is derived data: deleting data_dir/search loses nothing, this command (or
    `catalog init`) builds it again. Searches keep answering from the old index meanwhile.
    """
    from catalog.search.service import open_search_index
    from catalog.setup import open_current_store

    settings = state.settings()
    store = open_current_store(settings)
    index = open_search_index(store, settings)
    try:
        count = index.reindex()
    finally:
        index.close()
    click.echo(state.say()("reindexed", count=count))


@cli.command()
@click.option(
    "--due",
    is_flag=True,
    help="Only deliveries whose back-off is over (for cron); else waiting ones are tried now.",
)
@click.pass_obj
def deliver(state: CliState, due: bool) -> None:
    """Send webhook deliveries: each active endpoint's new events, in order, signed.

    Exit code 1 when some delivery failed (it is retried later with back-off; an endpoint
    failing for a day is paused, and its admins see why in the steward area).
    """
    from catalog.setup import open_current_store
    from harvesters.webhook_delivery import Deliverer

    settings = state.settings()
    store = open_current_store(settings)
    run = Deliverer(store, settings, wait_for_backoff=due).run_due()
    click.echo(
        state.say()(
            "deliveries",
            delivered=run.delivered,
            failed=run.failed,
            enqueued=run.enqueued,
            paused=len(run.paused),
        )
    )
    sys.exit(1 if run.failed else 0)


@cli.group()
def token() -> None:
    """Manage API tokens for the CKAN-compatible API."""


@token.command("create")
@click.argument("username")
@click.option("--name", default="cli", show_default=True, help="What the token is for.")
@click.pass_obj
def token_create(state: CliState, username: str, name: str) -> None:
    """Create an API token; it is printed once and only its hash is stored."""
    from catalog.accounts import AccountError, create_token
    from catalog.setup import open_current_store

    say = state.say()
    store = open_current_store(state.settings())
    try:
        issued = create_token(store, username, name)
    except AccountError as exc:
        fail(say, say.pick(exc.text))
    click.echo(issued.secret)
    click.echo(say("token_created", name=issued.name, username=username), err=True)


cli.add_command(user)


def init_summary_text(say: Texts, summary: InitSummary) -> str:
    """What `init` and `up` say about the database, organisations, sources and index."""
    return say(
        "init_summary",
        database=summary.database,
        schema=summary.schema,
        organizations=summary.organizations,
        new_organizations=summary.new_organizations,
        sources=summary.sources,
        new_sources=summary.new_sources,
        indexed=summary.indexed,
        judged_v3=summary.judged_v3,
    )


def _serve(settings: Settings, host: str, port: int, warning: Bilingual | None) -> None:
    from web import create_app

    say = Texts(settings.catalog.language)
    app = create_app(settings)
    if warning:
        click.echo(say.pick(warning), err=True)
    title = settings.catalog.in_language(say.language).title
    click.echo(say("serving", title=title, address=f"http://{host}:{port}/"), err=True)
    app.run(host=host, port=port, threaded=True, use_reloader=False)


def main() -> None:
    cli(prog_name="catalog")
