"""A CKAN resource whose URL is no address: the job report says so and shows the value the
source delivered in its "Wert" column, so the steward knows what to fix at the source."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from catalog.models import HarvestSource, Organization
from catalog.settings import Settings
from catalog.store import Store
from harvesters.runner import JobOutcome
from harvesters.service import harvest_sources
from tests.web.steward.steward_support import client_for, page_text, source_row

PACKAGE = {
    "id": "0b6a4c1e-1111-4c3a-9d2b-6f0e8a1b2c3d",
    "name": "baumkataster",
    "title": "Baumkataster",
    "notes": "Alle Straßenbäume der Stadt.",
    "license_id": "dl-by-de/2.0",
    "metadata_modified": "2024-05-01T10:00:00",
    "resources": [{"id": "r1", "name": "Bäume als CSV", "format": "CSV", "url": "kein link"}],
}


def _harvest_dump(settings: Settings, store: Store, path: Path) -> JobOutcome:
    with store.transaction() as session:
        org_id = session.scalar(select(Organization.id).where(Organization.name == "umweltamt"))
        session.add(
            HarvestSource(
                name="ckan-datei",
                type="ckan",
                path=str(path),
                organization_id=org_id,
                schedule="manual",
                enabled=True,
                options={},
                managed_by="config",
            )
        )
    (outcome,) = harvest_sources(store, settings, [source_row(store, "ckan-datei")])
    return outcome


def test_a_resource_url_that_is_no_address_is_shown_in_the_value_column(
    steward_app: Flask, steward_store: tuple[Settings, Store], tmp_path: Path
) -> None:
    settings, store = steward_store
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps(PACKAGE, ensure_ascii=False) + "\n", encoding="utf-8")
    outcome = _harvest_dump(settings, store, dump)

    anna = client_for(steward_app, "anna")
    page = page_text(anna.get(f"/verwaltung/jobs/{outcome.job_id}"))

    (item,) = re.findall(r'<li class="error-item">(.*?)</li>', page, re.DOTALL)
    assert "ist keine gültige Adresse" in html.unescape(item)
    assert "valid address" not in page  # one language per page
    cells = re.findall(
        r"<tr><td class=\"state[^>]*>[^<]*</td><td><code>(.*?)</code></td>"
        r"<td class=\"address\">(.*?)</td>",
        item,
    )
    assert cells == [("dcat:accessURL", "kein link")]  # the value as the portal delivered it
    english = page_text(anna.get(f"/verwaltung/jobs/{outcome.job_id}?lang=en"))
    assert "is not a valid address" in html.unescape(english)
    assert "gültige Adresse" not in html.unescape(english)
