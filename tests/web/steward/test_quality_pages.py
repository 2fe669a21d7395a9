"""The stewards' quality pages: the worklist with fixes, the table by score, the CSV export,
and the scores with their trend on the dashboard."""

from __future__ import annotations

import csv
import io
import re

from flask import Flask

from catalog.ingest import RecordPreparer
from catalog.settings import Settings
from catalog.store import Store
from tests.catalog.search.support import add_dataset
from tests.web.steward.steward_support import client_for


def _three_datasets(settings: Settings, store: Store) -> None:
    preparer = RecordPreparer(settings)
    # Keywords earn 30 points: "luft" has them, "laerm" not; a PDF is neither open nor
    # machine-readable (40 points less for "bericht").
    add_dataset(store, preparer, "luft", "Luftmessnetz", keywords=["Luft"])
    add_dataset(store, preparer, "laerm", "Lärmkarte")
    add_dataset(store, preparer, "bericht", "Umweltbericht", formats=("PDF",))
    add_dataset(store, preparer, "wahlen", "Wahlergebnisse", organization="statistik")


def test_the_worklist_puts_the_dataset_that_loses_most_first_with_its_fixes(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _three_datasets(*steward_store)
    page = client_for(steward_app, "emil").get("/verwaltung/qualitaet/").get_data(as_text=True)
    assert "Diese 3 Datensätze verlieren die meisten Punkte" in page
    worklist = page[page.index('class="worklist"') : page.index('id="nach-punkten"')]
    order = re.findall(r'/verwaltung/datensaetze/([a-z]+)"', worklist)
    assert order == ["bericht", "laerm", "luft"]
    assert "Bieten Sie die Daten als CSV, JSON oder XML an, nicht nur als PDF." in worklist
    assert "Tragen Sie einige Schlagwörter ein" in worklist
    assert "Wahlergebnisse" not in page  # another organisation's


def test_the_table_sorts_by_points_and_by_title_both_ways(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _three_datasets(*steward_store)
    client = client_for(steward_app, "emil")

    def names(query: str) -> list[str]:
        page = client.get(f"/verwaltung/qualitaet/?{query}").get_data(as_text=True)
        table = page[page.index('id="nach-punkten"') :]
        return re.findall(r'<th scope="row"><a href="/verwaltung/datensaetze/([a-z]+)"', table)

    assert names("sortierung=points") == ["bericht", "laerm", "luft"]
    assert names("sortierung=-points") == ["luft", "laerm", "bericht"]
    assert names("sortierung=title") == ["laerm", "luft", "bericht"]
    assert names("sortierung=-title") == ["bericht", "luft", "laerm"]
    assert names("sortierung=unknown") == ["bericht", "laerm", "luft"]


def test_the_worklist_csv_has_one_row_per_indicator_that_loses_points(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _three_datasets(*steward_store)
    response = client_for(steward_app, "emil").get("/verwaltung/qualitaet/arbeitsliste.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "arbeitsliste.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    by_record: dict[str, set[str]] = {}
    for row in rows:
        by_record.setdefault(row["Datensatz"], set()).add(row["Kriterium"])
    assert set(by_record) == {"luft", "laerm", "bericht"}
    assert "Schlagwörter" in by_record["laerm"] and "Schlagwörter" not in by_record["luft"]
    assert "Maschinenlesbares Format" in by_record["bericht"]
    assert "Maschinenlesbares Format" not in by_record["luft"]
    keywords = next(
        r for r in rows if r["Datensatz"] == "laerm" and r["Kriterium"] == "Schlagwörter"
    )
    assert keywords["Verlorene Punkte"] == "30"


def test_the_dashboard_shows_each_organisations_score_with_chart_and_table(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _three_datasets(*steward_store)
    page = client_for(steward_app, "emil").get("/verwaltung/").get_data(as_text=True)
    section = page[page.index('id="qualitaet"') :]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in section
    assert "Qualität im Verlauf: mittlere Punkte je Tag" in section
    assert re.search(r"Umweltamt</a></th>\s*<td class=\"num\">3</td>", section)


def test_the_quality_pages_need_a_login(steward_app: Flask) -> None:
    client = client_for(steward_app, None)
    for path in ("/verwaltung/qualitaet/", "/verwaltung/qualitaet/arbeitsliste.csv"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/verwaltung/anmelden" in response.headers["Location"]


def test_the_stewards_dataset_page_shows_how_to_fix_each_missing_point(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _three_datasets(*steward_store)
    page = client_for(steward_app, "emil").get("/verwaltung/datensaetze/laerm")
    text = page.get_data(as_text=True)
    section = text[text.index('<section class="quality"') :]
    assert "So beheben" in section
    assert "Tragen Sie einige Schlagwörter ein, die Nutzende suchen würden." in section
