"""The impact page and its CSV files: every figure has a table and a CSV with the same numbers."""

from __future__ import annotations

import csv
import io
import re

from flask.testing import FlaskClient

FIGURES = (
    "datensaetze",
    "aktualitaet",
    "qualitaet",
    "qualitaet-bewertungen",
    "hvd",
    "nutzung",
    "meistgenutzt",
    "portale",
    "suchen-ohne-treffer",
    "suchen",
)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def test_impact_page_has_a_chart_a_table_and_a_csv_per_figure(demo_client: FlaskClient) -> None:
    page = demo_client.get("/wirkung")
    html = page.get_data(as_text=True)

    assert page.status_code == 200
    assert html.count('class="impact-figure"') == len(FIGURES)
    for key in FIGURES:
        assert f'href="/wirkung/{key}.csv"' in html
    assert html.count('role="img"') == len(FIGURES)
    assert 'aria-current="page">Wirkung<' in html


def test_csv_holds_the_numbers_of_the_table(demo_client: FlaskClient) -> None:
    demo_client.get("/suche", query_string={"q": "Einhornweiden"}, headers={"User-Agent": BROWSER})
    demo_client.application.extensions["catalog.usage"].flush()

    answer = demo_client.get("/wirkung/suchen-ohne-treffer.csv")

    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Suchbegriff", "Suchen ohne Treffer"]
    assert ["einhornweiden", "1"] in rows
    html = demo_client.get("/wirkung").get_data(as_text=True)
    assert re.search(r"<th scope=\"row\">einhornweiden</th><td class=\"num\">1</td>", html)


def test_freshness_csv_adds_up_to_the_public_records(demo_client: FlaskClient) -> None:
    rows = list(
        csv.reader(io.StringIO(demo_client.get("/wirkung/aktualitaet.csv").get_data(as_text=True)))
    )
    total = sum(int(row[1]) for row in rows[1:])
    public = demo_client.get("/api/3/action/package_search?rows=0").get_json()["result"]["count"]
    assert len(rows) == 4
    assert total == public


def test_unknown_figure_is_404(demo_client: FlaskClient) -> None:
    assert demo_client.get("/wirkung/gibt-es-nicht.csv").status_code == 404
