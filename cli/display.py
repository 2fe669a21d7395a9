"""What a person running `catalog harvest` sees: a progress bar on a terminal, plain lines
in logs and cron mails, and a summary at the end that fits 100 columns.

The summary counts apart what was published (new or updated), held back (stored with
DCAT-AP.de violations, not public), refused (not stored at all), unchanged and withdrawn,
and names the most frequent violations with the per-source setting that would repair them
(catalog.report_hints).
"""

from __future__ import annotations

import sys
import textwrap
import time
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from catalog.job_findings import RuleGroup
from catalog.jobs import JobCounts
from catalog.models import HarvestSource, JobStatus
from harvesters.runner import JobOutcome, ProgressCallback

PLAIN_INTERVAL_SECONDS = 10.0
WIDTH = 100
RULES_SHOWN = 3

STATUS_TEXT = {
    JobStatus.RUNNING: "läuft / running",
    JobStatus.DONE: "fertig / done",
    JobStatus.DONE_WITH_ERRORS: "fertig mit Fehlern / done with errors",
    JobStatus.FAILED: "fehlgeschlagen / failed",
}


def published(counts: JobCounts) -> int:
    return counts.new + counts.updated


def counts_text(counts: JobCounts) -> str:
    """The figures of a running job in one line of under 100 columns."""
    return (
        f"{published(counts)} veröffentlicht/published, "
        f"{counts.held_back} zurückgehalten/held back, {counts.refused} abgewiesen/refused, "
        f"{counts.unchanged} unverändert/unchanged"
    )


def figure_lines(counts: JobCounts) -> list[str]:
    """Each figure on a line of its own, German / English, the numbers aligned."""
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
    return [f"  {label:<28}{number:>8}   {note}".rstrip() for label, number, note in rows]


def rule_lines(groups: Sequence[RuleGroup], shown: int = RULES_SHOWN) -> list[str]:
    """The most frequent violations: records, property, message (German, then English), and
    the setting that would repair them."""
    if not groups:
        return []
    lines = ["  Häufigste Verstöße / most frequent violations:"]
    for group in groups[:shown]:
        noun = "Datensatz / record" if group.records == 1 else "Datensätze / records"
        lines += _wrapped(f"{group.records} {noun}: {group.path}: {group.message_de}", 4, 8)
        if group.message_en and group.message_en != group.message_de:
            lines += _wrapped(group.message_en, 8, 8)
        if group.hint is not None:
            text = f"Einstellung der Quelle / source setting: {group.hint.setting}"
            if group.hint.maps_values and group.values:
                text += " für / for " + ", ".join(f'"{value}"' for value in group.values)
            lines += _wrapped(text, 8, 10)
    if len(groups) > shown:
        more = len(groups) - shown
        lines.append(
            f"    und {more} weitere Regeln im Bericht / and {more} more rules in the report"
        )
    return lines


def _wrapped(text: str, indent: int, later: int) -> list[str]:
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=" " * indent,
        subsequent_indent=" " * later,
        break_on_hyphens=False,
        break_long_words=True,
    )


class HarvestDisplay:
    """A live progress bar when stderr is a terminal, a line every few seconds otherwise."""

    def __init__(self, stream: TextIO, *, live: bool) -> None:
        self.stream = stream
        self.live = live
        self.console = Console(
            file=stream, highlight=False, soft_wrap=True, width=None if live else WIDTH
        )
        self._progress: Progress | None = None

    @classmethod
    def for_terminal(cls, stream: TextIO | None = None) -> HarvestDisplay:
        stream = stream or sys.stderr
        return cls(stream, live=stream.isatty())

    def __enter__(self) -> HarvestDisplay:
        if self.live:
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed} Datensätze / records"),
                TextColumn("{task.fields[counts]}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=False,
            )
            self._progress.start()
        return self

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
                self.stream.write(f"  {counts_text(counts)}\n")
                self.stream.flush()

        return write_line

    def summary(
        self,
        outcomes: Sequence[JobOutcome],
        rules: Mapping[int, Sequence[RuleGroup]] | None = None,
    ) -> None:
        """Per job: its status, its figures apart, its most frequent violations."""
        lines = ["Ernte / Harvest"]
        for outcome in outcomes:
            lines.append("")
            if outcome.refused:
                lines += _wrapped(f"{outcome.source} · nicht gestartet / not started", 0, 2)
                lines += _wrapped(outcome.message, 2, 4)
                continue
            lines += _wrapped(
                f"{outcome.source} · Job {outcome.job_id} · {STATUS_TEXT[outcome.status]} · "
                f"{outcome.seconds:.1f} s",
                0,
                2,
            )
            lines += figure_lines(outcome.counts)
            lines += rule_lines((rules or {}).get(outcome.job_id, ()))
            if outcome.message:
                lines += _wrapped(outcome.message, 2, 4)
            if outcome.errors:
                lines.append(
                    f"  Bericht / report: Job {outcome.job_id}, {outcome.errors} "
                    "Datensätze mit Fehlern / records with errors"
                )
        for line in lines:
            if self.live:
                self.console.print(escape(line), overflow="fold", crop=False)
            else:
                self.stream.write(line + "\n")
        self.stream.flush()
