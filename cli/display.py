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
from cli.texts import DEFAULT_LANGUAGE, Texts
from dcat.bilingual import Bilingual
from harvesters.runner import JobOutcome, ProgressCallback

PLAIN_INTERVAL_SECONDS = 10.0
WIDTH = 100
RULES_SHOWN = 3
ERROR_LINES = 3  # lines of one listed error's message, at most
# Below this width the progress rows leave out the bar, so names and figures keep the room.
BAR_MIN_WIDTH = 80

# The label of each job status in cli/texts.py.
STATUS_TEXT = {
    JobStatus.RUNNING: "status_running",
    JobStatus.DONE: "status_done",
    JobStatus.DONE_WITH_ERRORS: "status_done_with_errors",
    JobStatus.FAILED: "status_failed",
}
# Each figure of a job: its label and the note beside its number, both keys in cli/texts.py.
FIGURES = (
    ("figure_published", "note_published"),
    ("figure_held_back", "note_held_back"),
    ("figure_refused", "note_refused"),
    ("figure_unchanged", ""),
    ("figure_withdrawn", ""),
    ("figure_warnings", "note_warnings"),
)


def published(counts: JobCounts) -> int:
    return counts.new + counts.updated


def counts_text(counts: JobCounts, language: str = DEFAULT_LANGUAGE) -> str:
    """The figures of a running job in one line."""
    return Texts(language)(
        "counts",
        published=published(counts),
        held_back=counts.held_back,
        refused=counts.refused,
        unchanged=counts.unchanged,
    )


def figure_lines(
    counts: JobCounts, width: int = WIDTH, language: str = DEFAULT_LANGUAGE
) -> list[str]:
    """Each figure on a line of its own, the numbers aligned after the longest label of the
    language; where the line would not fit the width, its note goes below it."""
    say = Texts(language)
    numbers = (
        published(counts),
        counts.held_back,
        counts.refused,
        counts.unchanged,
        counts.withdrawn,
        counts.warnings,
    )
    labels = [say(label) for label, _ in FIGURES]
    notes = [
        say(note, new=counts.new, updated=counts.updated) if note else "" for _, note in FIGURES
    ]
    column = max(len(label) for label in labels) + 4
    lines = []
    for label, number, note in zip(labels, numbers, notes, strict=True):
        figure = f"  {label:<{column}}{number:>8}"
        if len(f"{figure}   {note}") <= width:
            lines.append(f"{figure}   {note}".rstrip())
        else:
            lines += [figure, *_wrapped(note, 6, 6, width)]
    return lines


def rule_lines(
    groups: Sequence[RuleGroup],
    shown: int = RULES_SHOWN,
    width: int = WIDTH,
    language: str = DEFAULT_LANGUAGE,
) -> list[str]:
    """The most frequent violations: records, property, message, and the setting that would
    repair them."""
    if not groups:
        return []
    say = Texts(language)
    lines = [f"  {say('frequent_violations')}"]
    for group in groups[:shown]:
        records = say("one_record" if group.records == 1 else "records", count=group.records)
        message = say.pick(Bilingual(group.message_de, group.message_en))
        lines += _wrapped(f"{records}: {group.path}: {message}", 4, 8, width)
        if group.hint is not None:
            text = say("source_setting", setting=group.hint.setting)
            if group.hint.maps_values and group.values:
                values = ", ".join(f'"{value}"' for value in group.values)
                text += say("for_values", values=values)
            lines += _wrapped(text, 8, 10, width)
    if len(groups) > shown:
        lines += _wrapped(say("more_rules", more=len(groups) - shown), 4, 6, width)
    return lines


def error_lines(
    digest: ErrorDigest, report_url: str, width: int = WIDTH, language: str = DEFAULT_LANGUAGE
) -> list[str]:
    """The job's first errors, each with its record and its reason in the CLI's language (the
    catalog's), and where to read them all."""
    if not digest.total:
        return []
    say = Texts(language)
    lines = _wrapped(say("errors_in_report", total=digest.total), 2, 4, width)
    for error in digest.first:
        message = error.message_in(language)
        lines += _at_most(_error_text(error.record_key, message), ERROR_LINES, width)
    rest = digest.total - len(digest.first)
    where = (
        say("more_errors", rest=rest, url=report_url)
        if rest
        else say("all_findings", url=report_url)
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
        self,
        stream: TextIO,
        *,
        live: bool,
        width: int | None = None,
        language: str = DEFAULT_LANGUAGE,
    ) -> None:
        """`width` is the terminal's (None: ask it); nothing printed is wider than 100.
        `language` is the one every label and message is shown in (the catalog's)."""
        self.stream = stream
        self.say = Texts(language)
        self.language = self.say.language
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
    def for_terminal(
        cls, stream: TextIO | None = None, language: str = DEFAULT_LANGUAGE
    ) -> HarvestDisplay:
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
                progress.update(task, completed=seen, counts=counts_text(counts, self.language))

            return update_bar
        self.stream.write(self.say("harvest_starts", source=source.name) + "\n")
        last = time.monotonic()

        def write_line(seen: int, counts: JobCounts) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PLAIN_INTERVAL_SECONDS:
                last = now
                self.stream.write(self.say("records_seen", source=source.name, seen=seen) + "\n")
                for line in _wrapped(counts_text(counts, self.language), 2, 4, self.width):
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
        width, say = self.width, self.say
        lines = [say("harvest_title")]
        for outcome in outcomes:
            lines.append("")
            if outcome.refused:
                lines += _wrapped(f"{outcome.source} · {say('not_started')}", 0, 2, width)
                lines += _wrapped(say.pick(outcome.message), 2, 4, width)
                continue
            status = say(STATUS_TEXT[outcome.status])
            lines += _wrapped(
                f"{outcome.source} · Job {outcome.job_id} · {status} · {outcome.seconds:.1f} s",
                0,
                2,
                width,
            )
            lines += figure_lines(outcome.counts, width, self.language)
            job_rules = (rules or {}).get(outcome.job_id, ())
            lines += rule_lines(job_rules, width=width, language=self.language)
            if message := say.pick(outcome.message):
                lines += _wrapped(message, 2, 4, width)
            digest = (errors or {}).get(outcome.job_id)
            if digest is not None:
                url = report_url(outcome.job_id) if report_url else f"Job {outcome.job_id}"
                lines += error_lines(digest, url, width, self.language)
            elif outcome.errors:
                text = say(
                    "report_records_with_errors", job_id=outcome.job_id, errors=outcome.errors
                )
                lines += _wrapped(text, 2, 4, width)
        for line in lines:
            if self.live:
                self.console.print(escape(line), overflow="fold", crop=False)
            else:
                self.stream.write(line + "\n")
        self.stream.flush()
