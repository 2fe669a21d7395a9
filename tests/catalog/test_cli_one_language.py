"""The command line prints in one language (issue 17): every label from one table in German and
English apart, shown in catalog.language; `catalog harvest` on the demo in German and in English
joins no German label with its English one, and keeps every figure and the 100 columns."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import select

from catalog.models import HarvestJob, HarvestSource
from catalog.settings import load_settings
from catalog.setup import open_current_store
from cli.commands import cli
from cli.texts import TEXTS
from tests.conftest import REPO

# A German or English word of a label, in either order, around a slash: "veröffentlicht /
# published", "veröffentlicht/published", "Fehler / error".
_SLASHED = re.compile(r"(\w+)\s*/\s*(\w+)")
WORD = re.compile(r"[^\W\d_]+")
FIGURES = {
    "de": (
        "veröffentlicht",
        "zurückgehalten",
        "abgewiesen",
        "unverändert",
        "zurückgezogen",
        "Hinweise",
    ),
    "en": ("published", "held back", "refused", "unchanged", "withdrawn", "warnings"),
}
STATUS = {"de": "fertig mit Fehlern", "en": "done with errors"}
HARVEST_STARTS = {"de": ": Ernte beginnt", "en": ": harvest starts"}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _label_words(language: str) -> set[str]:
    """The words of the label table that only this language uses (lower case)."""
    german = {w.lower() for t in TEXTS.values() for w in WORD.findall(_fixed(t.de))}
    english = {w.lower() for t in TEXTS.values() for w in WORD.findall(_fixed(t.en))}
    return german - english if language == "de" else english - german


def _fixed(template: str) -> str:
    """The template without its placeholders: only what the table itself says."""
    return re.sub(r"\{[^}]*\}", " ", template)


def test_every_label_has_german_and_english_apart_with_the_same_placeholders() -> None:
    for key, label in TEXTS.items():
        assert label.de and label.en, key
        assert _placeholders(label.de) == _placeholders(label.en), key
        for text in (label.de, label.en):
            assert not _SLASHED.search(_fixed(text)), (key, text)


@pytest.fixture(scope="module")
def demo_harvests(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, dict]]:
    """`catalog init` and `catalog harvest` on the bundled demo config as it is (German) and
    on a copy with catalog.language en: per language the output and each source's job."""
    runs = {}
    for language in ("de", "en"):
        folder = tmp_path_factory.mktemp(f"demo-{language}")
        config = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))
        assert config["catalog"]["language"] == "de"
        config["catalog"]["language"] = language
        for source in config["sources"]:  # the copy lives elsewhere: paths from the repo
            if "path" in source:
                source["path"] = str((REPO / source["path"]).resolve())
        config_file = folder / "config.yaml"
        config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        env = {"CATALOG_CONFIG": str(config_file), "CATALOG_DATA_DIR": str(folder / "instance")}
        runner = CliRunner()
        init = runner.invoke(cli, ["init"], env=env)
        assert init.exit_code == 0, init.output
        result = runner.invoke(cli, ["harvest", "--all"], env=env)
        assert result.exit_code == 1, result.output  # the demo's deliberate mistakes
        runs[language] = (init.output + result.output, _jobs(env))
    return runs


def _jobs(env: dict[str, str]) -> dict[str, HarvestJob]:
    store = open_current_store(load_settings(None, env=env))
    try:
        with store.reading() as session:
            rows = session.execute(select(HarvestSource.name, HarvestJob).join(HarvestSource))
            return {name: job for name, job in rows}
    finally:
        store.close()


def _figures_of(output: str, language: str, source: str) -> list[int]:
    """The six figures the summary prints for one source's job, in the order of the table."""
    block = output[output.index(f"\n{source} · Job ") + 1 :].split("\n\n")[0]
    numbers = []
    for label in FIGURES[language]:
        (number,) = re.findall(rf"^  {re.escape(label)} +(\d+)\b", block, re.MULTILINE)
        numbers.append(int(number))
    return numbers


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_demo_harvest_joins_no_german_label_with_its_english_one(
    demo_harvests: dict[str, tuple[str, dict]], language: str
) -> None:
    output, _ = demo_harvests[language]
    german, english = _label_words("de"), _label_words("en")
    for line in output.splitlines():
        for left, right in _SLASHED.findall(line):
            pair = {left.lower(), right.lower()}
            assert not (pair & german and pair & english), line
    other = "en" if language == "de" else "de"
    for label in FIGURES[other]:
        assert not re.search(rf"^  {re.escape(label)} +\d", output, re.MULTILINE), label
    assert STATUS[language] in output and STATUS[other] not in output
    harvest = output[output.index(HARVEST_STARTS[language]) :]  # after init's one line
    assert all(len(line) <= 100 for line in harvest.splitlines()), max(harvest.split("\n"), key=len)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_demo_harvest_keeps_every_figure_in_either_language(
    demo_harvests: dict[str, tuple[str, dict]], language: str
) -> None:
    output, jobs = demo_harvests[language]
    assert set(jobs) == {"umweltamt-ckan", "tiefbauamt-dcat", "statistikstelle-liste"}
    for source, job in jobs.items():
        stored = [
            job.new_count + job.updated_count,
            job.held_back_count,
            job.refused_count,
            job.unchanged_count,
            job.withdrawn_count,
            job.warning_count,
        ]
        assert _figures_of(output, language, source) == stored, source
        assert sum(stored[:4]) > 0, source
    # The same harvest in the other language counts the same.
    other = "en" if language == "de" else "de"
    other_output, _ = demo_harvests[other]
    for source in jobs:
        assert _figures_of(output, language, source) == _figures_of(other_output, other, source)


def test_the_demo_harvest_prints_its_own_texts_in_the_catalogs_language(
    demo_harvests: dict[str, tuple[str, dict]],
) -> None:
    german, _ = demo_harvests["de"]
    english, _ = demo_harvests["en"]
    assert "Datenbank bereit:" in german and "Database ready:" in english
    assert "\nErnte\n" in german and "\nHarvest\n" in english
    assert "umweltamt-ckan: Ernte beginnt" in german
    assert "umweltamt-ckan: harvest starts" in english
    assert "Fehler im Bericht: " in german and "Errors in the report: " in english
    assert "Häufigste Verstöße:" in german and "Most frequent violations:" in english
    # Label words of the other language, where a label would be (record titles aside).
    for word in ("published", "held back", "refused", "records with errors", "Report:"):
        assert word not in german, word
    for word in ("veröffentlicht", "zurückgehalten", "Bericht:", "Datensätze mit Fehlern"):
        assert word not in english, word


def test_a_german_catalog_says_its_usage_errors_in_german_an_english_one_in_english(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    config = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))
    said = {}
    for language in ("de", "en"):
        config["catalog"]["language"] = language
        for source in config["sources"]:
            if "path" in source:
                source["path"] = str((REPO / source["path"]).resolve())
        config_file = tmp_path / f"{language}.yaml"
        config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        env = {"CATALOG_DATA_DIR": str(tmp_path / language)}
        args = ["--config", str(config_file)]
        assert runner.invoke(cli, [*args, "init"], env=env).exit_code == 0
        unknown = runner.invoke(cli, [*args, "harvest", "gibt-es-nicht"], env=env)
        due = runner.invoke(cli, [*args, "harvest", "--due", "--all"], env=env)
        assert unknown.exit_code == due.exit_code == 2
        said[language] = unknown.output + due.output
    assert "Fehler: Quelle 'gibt-es-nicht' ist nicht konfiguriert" in said["de"]
    assert "Fehler: --due nimmt keine Quellennamen" in said["de"]
    assert "Error: source 'gibt-es-nicht' is not configured" in said["en"]
    assert "Error: --due takes no source names" in said["en"]
    assert "not configured" not in said["de"] and "nicht konfiguriert" not in said["en"]


def test_the_readme_quotes_the_german_demo_summary_as_printed(
    demo_harvests: dict[str, tuple[str, dict]],
) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quoted = readme[readme.index("```\nErnte\n") + 4 :]
    quoted = quoted[: quoted.index("```")]
    output, _ = demo_harvests["de"]
    printed = set(output.splitlines())
    # Each quoted line as printed: the job's seconds vary, "…" stands for lines left out.
    seconds = re.compile(r"\d+\.\d s$")
    lines = [line for line in quoted.splitlines() if line.strip() not in {"", "…"}]
    assert len(lines) >= 15
    for line in lines:
        if seconds.search(line):
            assert any(seconds.sub("", p) == seconds.sub("", line) for p in printed), line
        else:
            assert line in printed, line
