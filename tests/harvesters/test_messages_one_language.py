"""Harvest messages are kept in German and English apart, never joined ("… / …"): the job
report, the steward's pages and the CLI each show the one of their language."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from catalog.job_findings import error_digest
from catalog.models import HarvestError, HarvestJob, HarvestSource, Organization
from catalog.store import Store
from cli.display import error_lines
from harvesters.service import harvest_sources
from tests.conftest import build_demo

# Two texts joined the way the old messages joined their languages: "nicht lesbar / unreadable".
_JOINED = re.compile(r"\w / \w")


def _stored_messages(store: Store) -> list[tuple[str, str]]:
    with store.reading() as session:
        jobs = [(job.message, job.message_en) for job in session.scalars(select(HarvestJob))]
        errors = [(e.message, e.message_en) for e in session.scalars(select(HarvestError))]
    return [pair for pair in jobs + errors if pair != ("", "")]


def _add_source(store: Store, name: str, kind: str, path: Path) -> None:
    with store.transaction() as session:
        org_id = session.scalar(select(Organization.id).where(Organization.name == "umweltamt"))
        session.add(
            HarvestSource(
                name=name,
                type=kind,
                path=str(path),
                organization_id=org_id,
                schedule="manual",
                enabled=True,
                options={},
                managed_by="config",
            )
        )


def test_no_stored_harvest_message_joins_german_and_english(tmp_path: Path) -> None:
    settings, store = build_demo(tmp_path / "demo")
    try:
        for kind, name in (("dcat", "fehlt.ttl"), ("spreadsheet", "fehlt.csv"), ("csw", "fehlt")):
            _add_source(store, f"kaputt-{kind}", kind, tmp_path / name)  # no such file
        broken_dump = tmp_path / "dump.jsonl"
        broken_dump.write_text('{"kein": "json"\n[1, 2]\n', encoding="utf-8")
        _add_source(store, "kaputt-ckan", "ckan", broken_dump)
        with store.reading() as session:
            broken = list(
                session.scalars(select(HarvestSource).where(HarvestSource.name.like("kaputt-%")))
            )
        harvest_sources(store, settings, broken)

        messages = _stored_messages(store)
        assert len(messages) >= 8  # the demo's mistakes and the four broken sources
        for german, english in messages:
            assert not _JOINED.search(german) and not _JOINED.search(english), (german, english)
            assert english, german  # every message has its English
        german_texts = " ".join(german for german, _ in messages)
        english_texts = " ".join(english for _, english in messages)
        assert "Datei nicht gefunden" in german_texts and "file not found" in english_texts
        assert "kein gültiges JSON" in german_texts and "not valid JSON" in english_texts
        assert "file not found" not in german_texts and "Datei nicht gefunden" not in english_texts
    finally:
        store.close()


def test_the_job_page_and_the_cli_show_one_language(tmp_path: Path) -> None:
    settings, store = build_demo(tmp_path / "demo")
    try:
        _add_source(store, "kaputt", "dcat", tmp_path / "fehlt.ttl")
        with store.reading() as session:
            source = session.scalars(select(HarvestSource).where(HarvestSource.name == "kaputt"))
            (outcome,) = harvest_sources(store, settings, [source.one()])
        digest = error_digest(store, outcome.job_id)

        german = "\n".join(error_lines(digest, "http://x/jobs/1", 400, language="de"))
        english = "\n".join(error_lines(digest, "http://x/jobs/1", 400, language="en"))

        assert "Datei nicht gefunden" in german and "file not found" not in german
        assert "file not found" in english and "Datei nicht gefunden" not in english
        assert outcome.message.de.endswith("Datei nicht gefunden")
        assert outcome.message.en.endswith("file not found")
    finally:
        store.close()
