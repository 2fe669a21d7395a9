"""`catalog validate`'s output: each dataset's verdict and findings as text or JSON, the totals
and the exit code."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import click

from catalog.settings import Settings
from catalog.setup import open_current_store
from catalog.validate import DatasetCheck, DatasetChecker, UnreadableFile, datasets_in_file
from cli.texts import Texts
from dcat.bilingual import Bilingual
from dcat.profiles import Profile

EXIT_OK, EXIT_VIOLATIONS, EXIT_UNREADABLE = 0, 1, 2


def validate_files(
    settings: Settings,
    files: Sequence[str],
    *,
    normalised: bool,
    as_json: bool,
    lang: str,
    profile: Profile = Profile.DCATAPDE_2,
) -> int:
    """Validate every dataset of every file (in the profile: 3.0 judges each dataset's 3.0
    rendering, which leaves a 3.0 document as it is); returns the exit code."""
    checker = DatasetChecker(settings, normalised=normalised, profile=profile)
    worst = EXIT_OK
    totals = {"datasets": 0, "violations": 0, "warnings": 0}
    for name in files:
        try:
            datasets = datasets_in_file(name)
        except UnreadableFile as exc:
            click.echo(str(exc), err=True)
            worst = EXIT_UNREADABLE
            continue
        if not datasets:
            click.echo(f"{name}: {Texts(lang)('no_dataset_found')}")
        for dataset in datasets:
            check = checker.check(f"{name}: {dataset.identity}", dataset.graph)
            _count(totals, check)
            _print(check, as_json=as_json, lang=lang)
            if check.report.violations and worst == EXIT_OK:
                worst = EXIT_VIOLATIONS
    if not as_json:
        click.echo(_totals(totals, lang))
    return worst


def validate_catalog(
    settings: Settings, *, as_json: bool, lang: str, profile: Profile = Profile.DCATAPDE_2
) -> int:
    """Re-validate every stored, not withdrawn record with the current shapes of the profile
    (read only)."""
    checker = DatasetChecker(settings, profile=profile)
    store = open_current_store(settings)
    return _report_stored(checker.check_stored_records(store), as_json=as_json, lang=lang)


def store_v3_catalog(settings: Settings, *, lang: str) -> int:
    """Judge every record in 3.0, store its rendering and verdict, print the totals; exit 1
    when records are held back in 3.0 (valid or not in 2.0)."""
    from catalog.profile_store import store_v3_verdicts

    store = open_current_store(settings)
    try:
        outcome = store_v3_verdicts(store)
    finally:
        store.close()
    click.echo(
        Texts(lang)(
            "v3_stored",
            judged=outcome.judged,
            changed=outcome.changed,
            withheld=outcome.withheld,
        )
    )
    return EXIT_VIOLATIONS if outcome.withheld else EXIT_OK


def _report_stored(checks: Iterable[DatasetCheck], *, as_json: bool, lang: str) -> int:
    totals = {"datasets": 0, "violations": 0, "warnings": 0}
    worst = EXIT_OK
    for check in checks:
        _count(totals, check)
        if check.report.results:
            _print(check, as_json=as_json, lang=lang)
        if check.report.violations:
            worst = EXIT_VIOLATIONS
    if not as_json:
        click.echo(_totals(totals, lang))
    return worst


def _count(totals: dict[str, int], check: DatasetCheck) -> None:
    totals["datasets"] += 1
    totals["violations"] += len(check.report.violations)
    totals["warnings"] += len(check.report.warnings)


def _print(check: DatasetCheck, *, as_json: bool, lang: str) -> None:
    report = check.report
    if as_json:
        document: dict[str, object] = {"dataset": check.title, "report": report.to_json()}
        if check.changes:
            document["changes"] = [vars(change) for change in check.changes]
        click.echo(json.dumps(document, ensure_ascii=False))
        return
    say = Texts(lang)
    click.echo(f"{check.title}: {say('invalid' if report.violations else 'valid')}")
    for change in check.changes:
        message = say.pick(Bilingual(change.message_de, change.message_en))
        click.echo(f"  ~ {change.rule}: {message}")
    for result in report.results:
        message = say.pick(Bilingual(result.message_de, result.message_en))
        where = f" [{result.path}]" if result.path else ""
        value = f" = {result.value}" if result.value else ""
        severity = say(f"severity_{result.severity.value}")
        click.echo(f"  {severity}{where}{value}: {message}")


def _totals(totals: dict[str, int], lang: str) -> str:
    return Texts(lang)("validate_totals", **totals)
