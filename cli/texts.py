"""Every fixed text the `catalog` command prints for a person, in German and in English apart,
and the one language a command prints in (issue 17: one language per page, the terminal too).

The language is `catalog.language` from the config, or a command's `--lang`. Two kinds of
text stay English whatever the config says, because they are printed before a config is read
or inside click's own English frame ("Usage: …", "Try … for help", "Error: …"): the --help
texts, click's usage errors (and ours that it frames: click.UsageError, click.BadParameter),
and the one-line message of a config that cannot be read.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from cli.exit_codes import EXIT_USAGE
from dcat.bilingual import Bilingual

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"

# One table: key -> German and English with the same {placeholders}. Keys group by command.
TEXTS: dict[str, Bilingual] = {
    # Any command
    "error": Bilingual("Fehler: {message}", "Error: {message}"),
    # init, up
    "init_summary": Bilingual(
        "Datenbank bereit: {database} (Schema {schema}); {organizations} Organisation(en) "
        "({new_organizations} neu), {sources} Quelle(n) ({new_sources} neu); "
        "Suchindex: {indexed} Dokument(e) geschrieben; DCAT-AP.de 3.0: {judged_v3} "
        "Datensätze beurteilt.",
        "Database ready: {database} (schema {schema}); {organizations} organisation(s) "
        "({new_organizations} new), {sources} source(s) ({new_sources} new); "
        "search index: {indexed} document(s) written; DCAT-AP.de 3.0: {judged_v3} "
        "record(s) judged.",
    ),
    # serve, up
    "serving": Bilingual(
        "{title} läuft auf {address} (Strg+C beendet)",
        "Serving {title} on {address} (Ctrl+C to stop)",
    ),
    "base_url_differs": Bilingual(
        "Achtung: Links und Datensatz-IRIs nennen catalog.base_url {base_url}, der Katalog "
        "läuft auf {served} (richtig hinter einem Proxy; sonst base_url ändern)",
        "Warning: links and dataset IRIs name catalog.base_url {base_url}, the catalog is "
        "served at {served} (right behind a proxy; otherwise change base_url)",
    ),
    # harvest
    "harvest_due_with_names": Bilingual(
        "--due nimmt keine Quellennamen und kein --all",
        "--due takes no source names and no --all",
    ),
    "no_source_due": Bilingual("Keine Quelle ist fällig.", "No source is due."),
    "harvest_title": Bilingual("Ernte", "Harvest"),
    "harvest_starts": Bilingual("{source}: Ernte beginnt", "{source}: harvest starts"),
    "records_seen": Bilingual("{source}: {seen} Datensätze", "{source}: {seen} records"),
    "status_running": Bilingual("läuft", "running"),
    "status_done": Bilingual("fertig", "done"),
    "status_done_with_errors": Bilingual("fertig mit Fehlern", "done with errors"),
    "status_failed": Bilingual("fehlgeschlagen", "failed"),
    "not_started": Bilingual("nicht gestartet", "not started"),
    "counts": Bilingual(
        "{published} veröffentlicht, {held_back} zurückgehalten, {refused} abgewiesen, "
        "{unchanged} unverändert",
        "{published} published, {held_back} held back, {refused} refused, {unchanged} unchanged",
    ),
    "figure_published": Bilingual("veröffentlicht", "published"),
    "figure_held_back": Bilingual("zurückgehalten", "held back"),
    "figure_refused": Bilingual("abgewiesen", "refused"),
    "figure_unchanged": Bilingual("unverändert", "unchanged"),
    "figure_withdrawn": Bilingual("zurückgezogen", "withdrawn"),
    "figure_warnings": Bilingual("Hinweise", "warnings"),
    "note_published": Bilingual("neu {new}, geändert {updated}", "new {new}, updated {updated}"),
    "note_held_back": Bilingual("gespeichert, nicht öffentlich", "stored, not public"),
    "note_refused": Bilingual("nicht gespeichert", "not stored"),
    "note_warnings": Bilingual("zu gelieferten Datensätzen", "on delivered records"),
    "frequent_violations": Bilingual("Häufigste Verstöße:", "Most frequent violations:"),
    "one_record": Bilingual("{count} Datensatz", "{count} record"),
    "records": Bilingual("{count} Datensätze", "{count} records"),
    "source_setting": Bilingual("Einstellung der Quelle: {setting}", "Source setting: {setting}"),
    "for_values": Bilingual(" für {values}", " for {values}"),
    "more_rules": Bilingual(
        "und {more} weitere Regeln im Bericht", "and {more} more rules in the report"
    ),
    "errors_in_report": Bilingual("Fehler im Bericht: {total}", "Errors in the report: {total}"),
    "more_errors": Bilingual("und {rest} weitere: {url}", "and {rest} more: {url}"),
    "all_findings": Bilingual("alle mit Befunden: {url}", "all with findings: {url}"),
    "report_records_with_errors": Bilingual(
        "Bericht: Job {job_id}, {errors} Datensätze mit Fehlern",
        "Report: job {job_id}, {errors} records with errors",
    ),
    # harvest and worker with a task queue (cli/queue.py)
    "job_queued": Bilingual(
        "{source}: Job {job_id} in der Warteschlange: {report}",
        "{source}: job {job_id} queued: {report}",
    ),
    "queue_refused": Bilingual("{source}: {message}", "{source}: {message}"),
    "waiting_for_jobs": Bilingual(
        "Warte auf {count} Jobs in der Warteschlange …", "Waiting for {count} queued jobs …"
    ),
    "no_queue": Bilingual(
        "tasks.broker_url ist nicht gesetzt (Config oder CATALOG_BROKER_URL): es gibt keine "
        "Warteschlange, deren Aufgaben ein Worker erledigen könnte",
        "tasks.broker_url is not set (config or CATALOG_BROKER_URL): there is no queue to work for",
    ),
    # linkcheck
    "linkcheck_due_with_selection": Bilingual(
        "--due nimmt kein --dataset und kein --organization",
        "--due takes no --dataset and no --organization",
    ),
    "unknown_organization": Bilingual(
        "unbekannte Organisation {name!r}", "unknown organisation {name!r}"
    ),
    "unknown_dataset": Bilingual("unbekannter Datensatz {name!r}", "unknown dataset {name!r}"),
    "linkcheck_summary": Bilingual(
        "Linkprüfung: {records} Datensätze, {urls} Adressen, {checked} geprüft, "
        "{not_due} nicht fällig (in den letzten {hours} h geprüft)",
        "Link check: {records} datasets, {urls} URLs, {checked} checked, "
        "{not_due} not due (checked in the last {hours} h)",
    ),
    "linkcheck_findings": Bilingual(
        "{broken} nicht erreichbar, {problems} mit Problem (z. B. HTML statt CSV)",
        "{broken} unreachable, {problems} with a problem (e.g. HTML instead of CSV)",
    ),
    "graph_not_readable": Bilingual(
        "Fehler: Datensatz {name}: Graph nicht lesbar",
        "Error: dataset {name}: graph not readable",
    ),
    "url_error": Bilingual("Fehler: {url}: {message}", "Error: {url}: {message}"),
    "html_instead_of": Bilingual("HTML statt {formats}", "HTML instead of {formats}"),
    # The link checker's problem codes (harvesters/linkcheck.py, PROBLEMS) as short reasons.
    "problem_timeout": Bilingual("Zeitüberschreitung", "timeout"),
    "problem_unreachable": Bilingual("nicht erreichbar", "unreachable"),
    "problem_forbidden": Bilingual("privates Netz", "private network"),
    "problem_redirect_loop": Bilingual("zu viele Weiterleitungen", "too many redirects"),
    # validate
    "no_dataset_found": Bilingual("kein dcat:Dataset gefunden", "no dcat:Dataset found"),
    "valid": Bilingual("gültig", "valid"),
    "invalid": Bilingual("ungültig", "invalid"),
    "severity_violation": Bilingual("Verstoß", "violation"),
    "severity_warning": Bilingual("Warnung", "warning"),
    "severity_info": Bilingual("Info", "info"),
    "validate_totals": Bilingual(
        "{datasets} Datensätze, {violations} Verstöße, {warnings} Warnungen",
        "{datasets} datasets, {violations} violations, {warnings} warnings",
    ),
    "v3_stored": Bilingual(
        "DCAT-AP.de 3.0: {judged} Datensätze geprüft und gespeichert, {changed} mit geändertem "
        "Urteil, {withheld} mit Verstößen (in 3.0 zurückgehalten)",
        "DCAT-AP.de 3.0: {judged} datasets judged and stored, {changed} with a changed "
        "verdict, {withheld} with violations (held back in 3.0)",
    ),
    # reindex
    "reindexed": Bilingual(
        "Suchindex neu aufgebaut: {count} Datensätze.", "Search index rebuilt: {count} records."
    ),
    # deliver
    "deliveries": Bilingual(
        "Zugestellt: {delivered}, fehlgeschlagen: {failed}, neu: {enqueued}, pausiert: {paused}",
        "Delivered: {delivered}, failed: {failed}, new: {enqueued}, paused: {paused}",
    ),
    # token
    "token_created": Bilingual(
        "Token {name!r} für {username!r} erstellt; es wird nur dieses eine Mal gezeigt.",
        "Token {name!r} for {username!r} created; it is shown only this once.",
    ),
    # user
    "user_created": Bilingual("Benutzer {username!r} angelegt.", "User {username!r} created."),
    "no_accounts": Bilingual(
        "Noch keine Konten; eines legt 'catalog user add' an.",
        "No accounts yet; create one with 'catalog user add'.",
    ),
    "account_active": Bilingual("aktiv", "active"),
    "account_disabled": Bilingual("GESPERRT", "DISABLED"),
    "never": Bilingual("nie", "never"),
    "last_login": Bilingual("letzte Anmeldung: {when}", "last login: {when}"),
    "roles_changed": Bilingual(
        "Rollen von {username!r} geändert.", "Roles of {username!r} changed."
    ),
    "user_disabled": Bilingual(
        "Benutzer {username!r} gesperrt und überall abgemeldet.",
        "User {username!r} disabled and signed out everywhere.",
    ),
    "user_enabled": Bilingual("Benutzer {username!r} entsperrt.", "User {username!r} enabled."),
    "password_set": Bilingual(
        "Passwort von {username!r} gesetzt; alle Sitzungen sind beendet.",
        "Password of {username!r} set; their sessions have ended.",
    ),
    "user_signed_out": Bilingual(
        "Benutzer {username!r} überall abgemeldet.", "User {username!r} signed out everywhere."
    ),
    "password_prompt": Bilingual(
        "Passwort (mindestens {length} Zeichen)", "Password (at least {length} characters)"
    ),
    "password_repeat": Bilingual("Passwort wiederholen", "Repeat the password"),
    "passwords_differ": Bilingual(
        "Die beiden Passwörter stimmen nicht überein.", "The two passwords differ."
    ),
    "stdin_empty": Bilingual(
        "--password-stdin: die Standardeingabe ist leer", "--password-stdin: stdin is empty"
    ),
    "stdin_passwords_differ": Bilingual(
        "die beiden Passwörter auf der Standardeingabe stimmen nicht überein",
        "the two passwords on stdin differ",
    ),
    "link_sets_password": Bilingual(
        "{username!r} setzt unter diesem Link ein Passwort; er gilt einmal und {days} Tage. "
        "Er wird nur jetzt gezeigt.",
        "{username!r} sets a password at this link; it works once and for {days} days. "
        "It is shown only now.",
    ),
    "link_sets_new_password": Bilingual(
        "{username!r} setzt unter diesem Link ein neues Passwort; er gilt einmal und "
        "{days} Tage. Er wird nur jetzt gezeigt.",
        "{username!r} sets a new password at this link; it works once and for {days} days. "
        "It is shown only now.",
    ),
}


def text(language: str, key: str, /, **values: object) -> str:
    """The text under `key` in `language` (de or en), its {placeholders} filled in."""
    return TEXTS[key].in_language(language).format(**values)


class Texts:
    """The texts of one command run, bound to its language: `say("counts", published=3, …)`."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE

    def __call__(self, key: str, /, **values: object) -> str:
        return text(self.language, key, **values)

    def pick(self, message: Bilingual) -> str:
        """A message that came with both languages (a job's, a service's), in this one."""
        return message.in_language(self.language)


def fail(say: Texts, message: str) -> NoReturn:
    """End the command with `message` as an error in the command's language, exit code 2."""
    click.echo(say("error", message=message), err=True)
    sys.exit(EXIT_USAGE)
