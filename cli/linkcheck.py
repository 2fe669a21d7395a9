"""`catalog linkcheck`: which records, the run, a summary on the terminal, the exit code.

Broken links are what a link check is for: they are findings about other servers, listed in
the summary and in the steward area, and the command still exits 0. Exit code 1 means the
check itself was incomplete (a record's graph could not be read, or checking a URL failed in
our code), so a cron mail tells the operator only when the catalog needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cli.exit_codes import EXIT_OK, EXIT_RECORD_ERRORS
from cli.texts import TEXTS, Texts

if TYPE_CHECKING:
    from catalog.link_checks import LinkResult
    from catalog.settings import Settings
    from catalog.store import Store
    from harvesters.link_service import LinkRunSummary, LinkSelection


def run_linkcheck(store: Store, settings: Settings, selection: LinkSelection) -> int:
    """Check the due links of the selection, print the summary, return the exit code."""
    from harvesters.link_service import run_link_check

    summary = run_link_check(store, settings, selection)
    print_summary(summary, settings)
    return EXIT_OK if summary.complete else EXIT_RECORD_ERRORS


def print_summary(summary: LinkRunSummary, settings: Settings) -> None:
    """The run's figures, each broken link with its reason, and what could not be checked, in
    the catalog's language."""
    say = Texts(settings.catalog.language)
    click.echo(
        say(
            "linkcheck_summary",
            records=summary.records,
            urls=summary.urls,
            checked=summary.checked,
            not_due=summary.not_due,
            hours=f"{settings.linkcheck.interval:g}",
        )
    )
    broken, problems = summary.broken, summary.problems
    click.echo("  " + say("linkcheck_findings", broken=len(broken), problems=len(problems)))
    for result in sorted(broken + problems, key=lambda r: r.url):
        click.echo(f"  {_reason(result, say)}  {result.url}")
    for name in summary.unreadable:
        click.echo("  " + say("graph_not_readable", name=name))
    for url, message in summary.errors:
        click.echo("  " + say("url_error", url=url, message=message))


def _reason(result: LinkResult, say: Texts) -> str:
    if result.problem == "http_status" and result.status is not None:
        return f"HTTP {result.status}"
    if result.problem == "html_instead_of_format":
        return say("html_instead_of", formats=", ".join(result.announced))
    key = f"problem_{result.problem}"
    return say(key) if key in TEXTS else result.problem or "?"
