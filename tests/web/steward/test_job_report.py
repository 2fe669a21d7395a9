"""The job report and the source pages tell what a harvest did: published, held back and
refused apart, violations grouped by rule with the setting that repairs them and a link to
exactly those records, every finding of every record, and each source's publishable share."""

from __future__ import annotations

import html
import re
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from catalog.job_findings import rule_key, violations
from catalog.jobs import JobCounts, finish_job, start_job
from catalog.models import DatasetRecord, HarvestSource, Organization, ValidationState
from catalog.publication import PUBLIC_STATES
from catalog.settings import Settings
from catalog.store import Store
from harvesters.runner import JobOutcome
from harvesters.service import harvest_sources
from tests.conftest import SHARED
from tests.web.steward.steward_support import client_for, page_text, source_row

# A municipal portal's real DCAT-AP.de export (ckanext-dcatde): some records carry formats of
# the portal's own ("Kartenviewer", "jrss"), others a contributor ID as text.
PORTAL = SHARED / "fixtures/dcat/ckanext-dcatde/catalog-endpoint.rdf"
FORMAT_RULE = "urn:stadtkatalog:shapes:dcat-ap-de#Distribution_format_list"
_ITEM = re.compile(r'<li class="error-item">(.*?)</li>', re.DOTALL)
_KEY = re.compile(r'<p class="error-key">.*?<code>(.*?)</code>', re.DOTALL)


def _harvest_portal(settings: Settings, store: Store) -> JobOutcome:
    with store.transaction() as session:
        org_id = session.scalar(select(Organization.id).where(Organization.name == "umweltamt"))
        session.add(
            HarvestSource(
                name="portal",
                type="dcat",
                path=str(PORTAL),
                organization_id=org_id,
                schedule="manual",
                enabled=True,
                options={},
                managed_by="config",
            )
        )
    (outcome,) = harvest_sources(store, settings, [source_row(store, "portal")])
    return outcome


def _held_back(store: Store) -> list[DatasetRecord]:
    with store.reading() as session:
        return list(
            session.scalars(
                select(DatasetRecord).where(
                    DatasetRecord.validation_state == ValidationState.INVALID
                )
            )
        )


def _items(page: str) -> dict[str, str]:
    """Each listed error's record key and its block of the page."""
    items = {}
    for block in _ITEM.findall(page):
        key = _KEY.search(block)
        assert key is not None
        items[html.unescape(key.group(1))] = block
    return items


def test_the_job_page_counts_published_held_back_and_refused_apart(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    settings, store = steward_store
    outcome = _harvest_portal(settings, store)
    assert outcome.counts.held_back > 0

    page = page_text(client_for(steward_app, "anna").get(f"/verwaltung/jobs/{outcome.job_id}"))

    figures = dict(re.findall(r"<div><dt>([^<]+)</dt><dd>([\d.]+)</dd>", page))
    assert figures["Veröffentlicht"] == str(outcome.counts.new + outcome.counts.updated)
    assert figures["Zurückgehalten"] == str(outcome.counts.held_back)
    assert figures["Abgewiesen"] == str(outcome.counts.refused)
    assert figures["Unverändert"] == str(outcome.counts.unchanged)
    assert "Fehlgeschlagen" not in figures


def test_violations_are_grouped_by_rule_with_the_setting_and_a_link_to_exactly_those_records(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    settings, store = steward_store
    outcome = _harvest_portal(settings, store)
    with_format_rule = sorted(
        record.uri
        for record in _held_back(store)
        if FORMAT_RULE in {rule_key(r) for r in violations(record.validation_report)}
    )
    assert len(with_format_rule) >= 2
    anna = client_for(steward_app, "anna")

    page = page_text(anna.get(f"/verwaltung/jobs/{outcome.job_id}"))
    (row,) = [r for r in page.split('<tr class="rule-group">') if "Distribution_format_list" in r]
    href = re.search(r'<a href="([^"]+)"', row)
    assert href is not None
    link = html.unescape(href.group(1))
    filtered = page_text(anna.get(link))

    assert f"{len(with_format_rule)} Datensätze" in row
    assert "dct:format" in row and "muss aus der EU-Liste der Dateitypen stammen" in row
    assert "mappings.format" in row and "Kartenviewer" in row  # the setting, for these values
    assert sorted(_items(filtered)) == with_format_rule
    assert f"{len(with_format_rule)} Fehler passen zum Filter." in filtered


def test_every_violation_of_every_held_back_record_is_on_the_job_page(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    settings, store = steward_store
    outcome = _harvest_portal(settings, store)

    page = page_text(client_for(steward_app, "anna").get(f"/verwaltung/jobs/{outcome.job_id}"))

    items = _items(page)
    held = _held_back(store)
    assert sorted(items) == sorted(record.uri for record in held)
    assert any(len(violations(record.validation_report)) > 1 for record in held)
    for record in held:
        block = html.unescape(items[record.uri])
        for result in violations(record.validation_report):
            # In the findings table and in the record's one-line summary.
            assert block.count(result.message_de) >= 2, (record.uri, result.message_de)


def test_the_source_pages_show_the_publishable_share(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    settings, store = steward_store
    _harvest_portal(settings, store)
    with store.reading() as session:
        records = list(session.scalars(select(DatasetRecord)))
    publishable = sum(1 for r in records if r.validation_state in PUBLIC_STATES)
    expected = (
        f"{publishable} von {len(records)} veröffentlicht ({publishable * 100 // len(records)} %)"
    )
    anna = client_for(steward_app, "anna")

    show = page_text(anna.get("/verwaltung/quellen/portal"))
    listing = page_text(anna.get("/verwaltung/quellen"))
    english = page_text(anna.get("/verwaltung/quellen/portal?lang=en"))

    assert expected in html.unescape(show)
    assert expected in html.unescape(listing)
    assert f"{publishable} of {len(records)} published" in html.unescape(english)
    assert "noch keine Datensätze" in listing  # the config source that was never harvested


def test_job_tables_show_held_back_and_refused_instead_of_failed(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    source = source_row(store, "umwelt-config")
    job_id = start_job(store, source.id)
    counts = JobCounts(new=3, updated=2, unchanged=7, failed=6, held_back=4, refused=2)
    finish_job(store, job_id, counts, gather_complete=True)
    anna = client_for(steward_app, "anna")

    dashboard = page_text(anna.get("/verwaltung/"))
    show = page_text(anna.get("/verwaltung/quellen/umwelt-config"))

    for page, cells in ((dashboard, ["5", "4", "2", "7"]), (show, ["5", "4", "2", "7", "0", "0"])):
        (row,) = [r for r in page.split("<tr>") if f"#{job_id}</a>" in r]
        assert re.findall(r'<td class="num">(\d+)</td>', row) == cells
        assert "Zurückgehalten" in page and "Abgewiesen" in page


def _harvest_file(settings: Settings, store: Store, path: Path) -> JobOutcome:
    with store.transaction() as session:
        org_id = session.scalar(select(Organization.id).where(Organization.name == "umweltamt"))
        session.add(
            HarvestSource(
                name="datei",
                type="dcat",
                path=str(path),
                organization_id=org_id,
                schedule="manual",
                enabled=True,
                options={},
                managed_by="config",
            )
        )
    (outcome,) = harvest_sources(store, settings, [source_row(store, "datei")])
    return outcome


# A distribution with two licences and an access URL written as a long text with markup in it.
BAD_ADDRESS = "kein Link <b>fett</b> " + "x" * 2000
TWO_LICENCES = f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://stadt.example/dataset/baeume> a dcat:Dataset ;
    dct:title "Baumkataster"@de ;
    dct:description "Alle Straßenbäume der Stadt."@de ;
    dcat:distribution <https://stadt.example/dataset/baeume#csv> .
<https://stadt.example/dataset/baeume#csv> a dcat:Distribution ;
    dcat:accessURL "{BAD_ADDRESS}" ;
    dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ,
        <http://dcat-ap.de/def/licenses/cc-by/4.0> .
"""


def test_the_value_column_shows_what_the_source_delivered_escaped_and_shortened(
    steward_app: Flask, steward_store: tuple[Settings, Store], tmp_path: Path
) -> None:
    settings, store = steward_store
    delivered = tmp_path / "baeume.ttl"
    delivered.write_text(TWO_LICENCES, encoding="utf-8")
    outcome = _harvest_file(settings, store, delivered)

    page = page_text(client_for(steward_app, "anna").get(f"/verwaltung/jobs/{outcome.job_id}"))

    (block,) = _items(page).values()
    cells = {
        html.unescape(re.sub(r"<[^>]+>", "", path)): html.unescape(value)
        for path, value in re.findall(
            r"<tr><td class=\"state[^>]*>[^<]*</td><td>(.*?)</td><td class=\"address\">(.*?)</td>",
            block,
        )
    }
    assert cells["dct:license"] == (
        "http://dcat-ap.de/def/licenses/cc-by/4.0, http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    )
    shown = cells["dcat:accessURL"]
    assert shown.startswith("kein Link <b>fett</b> xxx") and shown.endswith("…")
    assert len(shown) <= 500
    assert "<b>fett</b>" not in page  # escaped, never markup
