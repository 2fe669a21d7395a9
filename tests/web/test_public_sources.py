"""The public list of sources on "Über die Daten": a switched-off source stays listed, marked,
while records it brought in are still public; one without public records is not listed."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from catalog.ingest import RecordPreparer
from catalog.models import DatasetRecord, HarvestSource
from catalog.settings import Settings
from catalog.store import Store
from tests.catalog.search.support import add_dataset
from tests.web.steward.steward_support import page_text, steward_app, steward_store

__all__ = ["steward_app", "steward_store"]  # fixtures used by the tests below


def _source_rows(page: str) -> dict[str, str]:
    table = page.split('id="quellen"')[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row">(.*?)</th>', table, re.DOTALL)
    return {row.split("<")[0].strip(): row for row in rows}


def test_a_switched_off_source_stays_listed_while_its_records_are_public(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    settings, store = steward_store
    add_dataset(store, RecordPreparer(settings), "luft", "Luftmessnetz", organization="umweltamt")
    with store.transaction() as session:
        source = session.scalar(select(HarvestSource).where(HarvestSource.name == "umwelt-config"))
        record = session.scalar(select(DatasetRecord).where(DatasetRecord.name == "luft"))
        assert source is not None and record is not None
        record.source_id = source.id  # brought in by this source
        source.enabled = False
        session.add(
            HarvestSource(
                name="alt-ohne-daten",
                type="dcat",
                url="http://127.0.0.1:9/alt.ttl",
                organization_id=source.organization_id,
                schedule="manual",
                enabled=False,
                options={},
                managed_by="web",
            )
        )
    visitor = steward_app.test_client()

    german = _source_rows(page_text(visitor.get("/ueber-die-daten")))
    english = _source_rows(page_text(visitor.get("/ueber-die-daten?lang=en")))

    assert "abgeschaltet" in german["umwelt-config"]
    assert "switched off" in english["umwelt-config"]
    assert "alt-ohne-daten" not in german  # switched off and nothing of it is public
