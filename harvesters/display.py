"""What a person running `catalog harvest` sees: a progress bar on a terminal, plain lines
in logs and cron mails, and a summary table at the end."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from catalog.jobs import JobCounts
from catalog.models import HarvestSource, JobStatus
from harvesters.runner import JobOutcome, ProgressCallback

PLAIN_INTERVAL_SECONDS = 10.0

STATUS_TEXT = {
    JobStatus.RUNNING: "läuft / running",
    JobStatus.DONE: "fertig / done",
    JobStatus.DONE_WITH_ERRORS: "fertig mit Fehlern / done with errors",
    JobStatus.FAILED: "fehlgeschlagen / failed",
}


def counts_text(counts: JobCounts) -> str:
    return (
        f"{counts.new} neu/new, {counts.updated} geändert/updated, "
        f"{counts.unchanged} unverändert/unchanged, {counts.failed} Fehler/failed"
    )


class HarvestDisplay:
    """A live progress bar when stderr is a terminal, a line every few seconds otherwise."""

    def __init__(self, stream: TextIO, *, live: bool) -> None:
        self.stream = stream
        self.live = live
        # Off a terminal (cron mail, CI logs) rich would assume 80 columns and fold the table.
        width = None if live else 200
        self.console = Console(file=stream, highlight=False, soft_wrap=True, width=width)
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
                self.stream.write(f"{source.name}: {seen} Datensätze / records; ")
                self.stream.write(counts_text(counts) + "\n")
                self.stream.flush()

        return write_line

    def summary(self, outcomes: list[JobOutcome]) -> None:
        table = Table(title="Ernte / Harvest", show_lines=False)
        for column in (
            "Quelle / source",
            "Job",
            "Status",
            "neu / new",
            "geändert / updated",
            "unverändert / unchanged",
            "zurückgezogen / withdrawn",
            "Fehler / failed",
            "Sekunden / seconds",
        ):
            table.add_column(column)
        for outcome in outcomes:
            counts = outcome.counts
            table.add_row(
                outcome.source,
                str(outcome.job_id),
                STATUS_TEXT[outcome.status],
                str(counts.new),
                str(counts.updated),
                str(counts.unchanged),
                str(counts.withdrawn),
                str(counts.failed),
                f"{outcome.seconds:.1f}",
            )
        self.console.print(table)
        for outcome in outcomes:
            if outcome.message:
                self.console.print(f"{outcome.source}: {outcome.message}")
            if outcome.errors:
                self.console.print(
                    f"{outcome.source}: {outcome.errors} Fehler im Bericht von Job "
                    f"{outcome.job_id} / {outcome.errors} errors in the report of job "
                    f"{outcome.job_id}"
                )
