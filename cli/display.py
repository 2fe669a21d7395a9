"""What a person running `catalog harvest` sees: a progress bar on a terminal, plain lines
in logs and cron mails, and a summary at the end that fits 100 columns, or a narrower terminal
(then each figure's note goes below its number).

The summary counts apart what was published (new or updated), held back (stored with
DCAT-AP.de violations, not public), refused (not stored at all), unchanged and withdrawn,
names the most frequent violations with the per-source setting that would repair them
(catalog.report_hints), and the first errors of each job with the address of its full report.
"""

from __future__ import annotations

import sys
import textwrap
import time
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Column

from catalog.job_findings import ErrorDigest, RuleGroup
from catalog.jobs import JobCounts
from catalog.models import HarvestSource, JobStatus
from harvesters.runner import JobOutcome, ProgressCallback

PLAIN_INTERVAL_SECONDS = 10.0
WIDTH = 100
RULES_SHOWN = 3
ERROR_LINES = 3  # lines of one listed error's message, at most
# Below this width the progress rows leave out the bar, so names and figures keep the room.
BAR_MIN_WIDTH = 80

STATUS_TEXT = {
    JobStatus.RUNNING: "läuft / running",
    JobStatus.DONE: "fertig / done",
    JobStatus.DONE_WITH_ERRORS: "fertig mit Fehlern / done with errors",
    JobStatus.FAILED: "fehlgeschlagen / failed",
}


def published(counts: JobCounts) -> int:
    return counts.new + counts.updated


def counts_text(counts: JobCounts) -> str:
    """The figures of a running job in one line."""
    return (
        f"{published(counts)} veröffentlicht/published, "
        f"{counts.held_back} zurückgehalten/held back, {counts.refused} abgewiesen/refused, "
        f"{counts.unchanged} unverändert/unchanged"
    )


def figure_lines(counts: JobCounts, width: int = WIDTH) -> list[str]:
    """Each figure on a line of its own, German / English, the numbers aligned; where the
    line would not fit the width, its note goes below it."""
    rows = [
        (
            "veröffentlicht / published",
            published(counts),
            f"neu / new {counts.new}, geändert / updated {counts.updated}",
        ),
        (
            "zurückgehalten / held back",
            counts.held_back,
            "gespeichert, nicht öffentlich / stored, not public",
        ),
        ("abgewiesen / refused", counts.refused, "nicht gespeichert / not stored"),
        ("unverändert / unchanged", counts.unchanged, ""),
        ("zurückgezogen / withdrawn", counts.withdrawn, ""),
        (
            "Hinweise / warnings",
            counts.warnings,
            "zu gelieferten Datensätzen / on delivered records",
        ),
    ]
    lines = []
    for label, number, note in rows:
        figure = f"  {label:<28}{number:>8}"
        if len(f"{figure}   {note}") <= width:
            lines.append(f"{figure}   {note}".rstrip())
        else:
            lines += [figure, *_wrapped(note, 6, 6, width)]
    return lines


def rule_lines(
    groups: Sequence[RuleGroup], shown: int = RULES_SHOWN, width: int = WIDTH
) -> list[str]:
    """The most frequent violations: records, property, message (German, then English), and
    the setting that would repair them."""
    if not groups:
        return []
    lines = ["  Häufigste Verstöße / most frequent violations:"]
    for group in groups[:shown]:
        noun = "Datensatz / record" if group.records == 1 else "Datensätze / records"
        lines += _wrapped(f"{group.records} {noun}: {group.path}: {group.message_de}", 4, 8, width)
        if group.message_en and group.message_en != group.message_de:
            lines += _wrapped(group.message_en, 8, 8, width)
        if group.hint is not None:
            text = f"Einstellung der Quelle / source setting: {group.hint.setting}"
            if group.hint.maps_values and group.values:
                text += " für / for " + ", ".join(f'"{value}"' for value in group.values)
            lines += _wrapped(text, 8, 10, width)
    if len(groups) > shown:
        more = len(groups) - shown
        lines += _wrapped(
            f"und {more} weitere Regeln im Bericht / and {more} more rules in the report",
            4,
            6,
            width,
        )
    return lines


def error_lines(
    digest: ErrorDigest, report_url: str, width: int = WIDTH, language: str = "de"
) -> list[str]:
    """The job's first errors, each with its record and its reason in the CLI's language (the
    catalog's), and where to read them all."""
    if not digest.total:
        return []
    lines = _wrapped(f"Fehler im Bericht / errors in the report: {digest.total}", 2, 4, width)
    for error in digest.first:
        message = error.message_in(language)
        lines += _at_most(_error_text(error.record_key, message), ERROR_LINES, width)
    rest = digest.total - len(digest.first)
    where = (
        f"und {rest} weitere / and {rest} more: {report_url}"
        if rest
        else f"alle mit Befunden / all with findings: {report_url}"
    )
    return lines + _wrapped(where, 4, 6, width)


def _error_text(record_key: str, message: str) -> str:
    # A spreadsheet's messages begin with the row they are about, as its record key does.
    where = record_key.split(" (")[0]
    return message if where and message.startswith(where) else f"{record_key}: {message}"


def _at_most(text: str, count: int, width: int) -> list[str]:
    """The text wrapped as an item of a list, cut short with … after `count` lines."""
    lines = _wrapped(text, 4, 8, width)
    if len(lines) <= count:
        return lines
    last = lines[count - 1]
    if len(last) + 2 > width:
        cut = last.rfind(" ", 8, width - 1)
        last = last[:cut] if cut > 8 else last[: width - 2]
    return [*lines[: count - 1], last + " …"]


def _wrapped(text: str, indent: int, later: int, width: int = WIDTH) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=" " * indent,
        subsequent_indent=" " * later,
        break_on_hyphens=False,
        break_long_words=True,
    )


class HarvestDisplay:
    """A live progress bar when stderr is a terminal, a line every few seconds otherwise."""

    def __init__(
        self, stream: TextIO, *, live: bool, width: int | None = None, language: str = "de"
    ) -> None:
        """`width` is the terminal's (None: ask it); nothing printed is wider than 100.
        `language` is the one job and error messages are shown in (the catalog's)."""
        self.stream = stream
        self.language = language
        self.live = live
        measured = Console(file=stream, width=width).width if live else WIDTH
        self.width = min(WIDTH, measured)
        self.console = Console(
            file=stream,
            highlight=False,
            soft_wrap=True,
            width=self.width,
            force_terminal=True if live else None,
        )
        self._progress: Progress | None = None

    @classmethod
    def for_terminal(cls, stream: TextIO | None = None, language: str = "de") -> HarvestDisplay:
        stream = stream or sys.stderr
        return cls(stream, live=stream.isatty(), language=language)

    def __enter__(self) -> HarvestDisplay:
        if self.live:
            self._progress = Progress(*self._progress_columns(), console=self.console)
            self._progress.start()
        return self

    def _progress_columns(self) -> list[ProgressColumn]:
        """One row per source within the width: the figures wrap in a column of their own,
        or, on a narrow terminal, stand below the source's name."""
        if self.width < BAR_MIN_WIDTH:
            stacked = "{task.description} · {task.completed}\n{task.fields[counts]}"
            return [
                SpinnerColumn(),
                TextColumn(stacked, table_column=Column(ratio=1)),
                TimeElapsedColumn(),
            ]
        return [
            SpinnerColumn(),
            TextColumn("{task.description}", table_column=Column(max_width=24)),
            BarColumn(bar_width=10),
            TextColumn("{task.completed}", justify="right"),
            TextColumn("{task.fields[counts]}", table_column=Column(ratio=1)),
            TimeElapsedColumn(),
        ]

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def progress_for(self, source: HarvestSource) -> ProgressCallback:
        """A callback the runner calls after every record of this source."""
        if self._progress is not None:
            progress = self._progress
            task = progress.add_task(source.name, total=None, counts="")

            def update_bar(seen: int, counts: JobCounts) -> None:
                progress.update(task, completed=seen, counts=counts_text(counts))

            return update_bar
        self.stream.write(f"{source.name}: Ernte beginnt / harvest starts\n")
        last = time.monotonic()

        def write_line(seen: int, counts: JobCounts) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PLAIN_INTERVAL_SECONDS:
                last = now
                self.stream.write(f"{source.name}: {seen} Datensätze / records\n")
                for line in _wrapped(counts_text(counts), 2, 4, self.width):
                    self.stream.write(line + "\n")
                self.stream.flush()

        return write_line

    def summary(
        self,
        outcomes: Sequence[JobOutcome],
        rules: Mapping[int, Sequence[RuleGroup]] | None = None,
        errors: Mapping[int, ErrorDigest] | None = None,
        report_url: Callable[[int], str] | None = None,
    ) -> None:
        """Per job: its status, its figures apart, its most frequent violations, its first
        errors and the address of its report."""
        width = self.width
        lines = ["Ernte / Harvest"]
        for outcome in outcomes:
            lines.append("")
            if outcome.refused:
                lines += _wrapped(f"{outcome.source} · nicht gestartet / not started", 0, 2, width)
                lines += _wrapped(outcome.message.in_language(self.language), 2, 4, width)
                continue
            lines += _wrapped(
                f"{outcome.source} · Job {outcome.job_id} · {STATUS_TEXT[outcome.status]} · "
                f"{outcome.seconds:.1f} s",
                0,
                2,
                width,
            )
            lines += figure_lines(outcome.counts, width)
            lines += rule_lines((rules or {}).get(outcome.job_id, ()), width=width)
            if message := outcome.message.in_language(self.language):
                lines += _wrapped(message, 2, 4, width)
            digest = (errors or {}).get(outcome.job_id)
            if digest is not None:
                url = report_url(outcome.job_id) if report_url else f"Job {outcome.job_id}"
                lines += error_lines(digest, url, width, self.language)
            elif outcome.errors:
                lines += _wrapped(
                    f"Bericht / report: Job {outcome.job_id}, {outcome.errors} "
                    "Datensätze mit Fehlern / records with errors",
                    2,
                    4,
                    width,
                )
        for line in lines:
            if self.live:
                self.console.print(escape(line), overflow="fold", crop=False)
            else:
                self.stream.write(line + "\n")
        self.stream.flush()
