"""The harvest summary names a job's first errors and where the rest are, and fits the width:
100 columns at most, and narrower terminals without a word cut in two."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from catalog.job_findings import error_digest, rule_groups
from catalog.settings import Settings, settings_from_mapping
from catalog.setup import initialise, open_current_store
from catalog.store import Store
from cli.display import HarvestDisplay
from cli.harvest import run_harvests
from harvesters.runner import JobOutcome
from harvesters.service import SourceChoice
from tests.conftest import REPO, minimal_config

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PUBLISHED = {"de": "veröffentlicht", "en": "published"}
# Words of labels and of a message the summary shows whole, in each language.
WHOLE_WORDS = {
    "de": {"zurückgehalten", "gespeichert,", "öffentlich", "Titel", "fehlt;"},
    "en": {"held", "stored,", "public", "title", "missing;"},
}


def screen_lines(output: str) -> list[str]:
    """What a terminal shows line by line: escape sequences out, each line as last drawn."""
    text = ANSI.sub("", output).replace("\r\n", "\n")
    return [line.split("\r")[-1] for line in text.split("\n")]


def after_summary_title(output: str, title: str = "Ernte") -> str:
    """The summary: from its title line (the progress lines before it name the harvest too)."""
    return output[output.index(f"\n{title}\n") :]


@pytest.fixture
def spreadsheet_catalog(tmp_path: Path) -> tuple[Settings, Store]:
    """The demo's spreadsheet (20 rows: two refused, one held back) as the only source."""
    config = minimal_config(
        storage={"data_dir": str(tmp_path / "instance")},
        sources=[
            {
                "name": "statistik-liste",
                "type": "spreadsheet",
                "path": str(REPO / "catalog/demo/statistikstelle.csv"),
                "organization": "statistik",
                "options": {"separator": "|"},
            }
        ],
    )
    settings = settings_from_mapping(config, base_dir=tmp_path, env={})
    initialise(settings)
    return settings, open_current_store(settings)


def harvest_on(
    settings: Settings, store: Store, display: HarvestDisplay
) -> tuple[int, list[JobOutcome]]:
    sources = SourceChoice.resolve(store, (), all_sources=True).sources
    outcomes: list[JobOutcome] = []
    original = display.summary

    def keep_outcomes(found, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        outcomes.extend(found)
        original(found, *args, **kwargs)

    display.summary = keep_outcomes  # type: ignore[method-assign]
    code = run_harvests(store, settings, sources, force=False, display=display)
    return code, outcomes


def test_the_summary_lists_the_first_errors_with_their_reason_and_the_reports_address(
    spreadsheet_catalog: tuple[Settings, Store],
) -> None:
    settings, store = spreadsheet_catalog
    stream = io.StringIO()
    code, outcomes = harvest_on(settings, store, HarvestDisplay(stream, live=False))

    (outcome,) = outcomes
    summary = " ".join(after_summary_title(stream.getvalue()).split())
    assert code == 1
    assert "Fehler im Bericht: 3" in summary
    assert "Zeile 19, Spalte 'Titel': Titel fehlt" in summary
    assert "Zeile 20, Spalte 'URL'" in summary
    assert "keine vollständige Adresse" in summary
    assert "statistikstelle.csv:21" in summary and "dct:license" in summary
    assert "row 19" not in summary  # the messages in the catalog's language (German) alone
    assert f"http://catalog.test/verwaltung/jobs/{outcome.job_id}" in summary
    assert all(len(line) <= 100 for line in stream.getvalue().splitlines())


@pytest.mark.parametrize("language", ["de", "en"])
def test_on_a_wide_terminal_neither_progress_nor_summary_is_wider_than_100_columns(
    spreadsheet_catalog: tuple[Settings, Store], language: str
) -> None:
    settings, store = spreadsheet_catalog
    stream = io.StringIO()
    harvest_on(settings, store, HarvestDisplay(stream, live=True, width=200, language=language))

    lines = screen_lines(stream.getvalue())
    published = PUBLISHED[language]
    assert any("statistik-liste" in line and published in line for line in lines)
    assert max(len(line) for line in lines) <= 100, max(lines, key=len)


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("width", [100, 60])
def test_the_summary_fits_the_terminal_and_keeps_every_word_whole(
    spreadsheet_catalog: tuple[Settings, Store], width: int, language: str
) -> None:
    settings, store = spreadsheet_catalog
    stream = io.StringIO()
    display = HarvestDisplay(stream, live=True, width=width, language=language)
    _, outcomes = harvest_on(settings, store, display)
    lines = screen_lines(stream.getvalue())
    assert max(len(line) for line in lines) <= width, max(lines, key=len)
    # The progress rows too keep their words whole.
    assert any(f"{PUBLISHED[language]}," in line.split() for line in lines)

    # The same summary as cron mails it, at 100 columns: the narrow one has no word of its
    # own, as a word cut in two would be (long messages are shortened sooner, so it may have
    # fewer).
    plain = io.StringIO()
    rules = {o.job_id: rule_groups(store, o.job_id) for o in outcomes}
    digests = {o.job_id: error_digest(store, o.job_id) for o in outcomes}
    HarvestDisplay(plain, live=False, language=language).summary(
        outcomes, rules, digests, report_url=lambda job_id: f"http://catalog.test/j/{job_id}"
    )
    narrow = io.StringIO()
    HarvestDisplay(narrow, live=True, width=width, language=language).summary(
        outcomes, rules, digests, report_url=lambda job_id: f"http://catalog.test/j/{job_id}"
    )
    narrow_lines = screen_lines(narrow.getvalue())
    assert max(len(line) for line in narrow_lines) <= width, max(narrow_lines, key=len)
    narrow_words = set(ANSI.sub("", narrow.getvalue()).split())
    plain_words = set(plain.getvalue().split())
    # Besides the "…" of a shortened message, only the word the "…" follows may be cut, where
    # it alone is longer than the line has room for beside the "…" (an address in quotes).
    shortened = ANSI.sub("", narrow.getvalue())
    cut = narrow_words - plain_words - {"…"}
    for part in cut:
        assert f"{part} …" in shortened and any(w.startswith(part) for w in plain_words), part
    assert WHOLE_WORDS[language] <= narrow_words
