"""The quality score where the public and other portals see it: the dataset page's badge and
breakdown, "Über die Daten", and the CKAN API (package_show extras, quality_show)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from catalog.publication import public_records
from catalog.quality.scores import record_quality
from catalog.settings import Settings
from catalog.store import Store
from dcat.quality import INDICATORS, MAX_POINTS


def _some_public(demo: tuple[Settings, Store]) -> tuple[str, str]:
    settings, store = demo
    record = next(iter(public_records(store, settings)))
    return record.name, record.id


def test_the_dataset_page_shows_the_stored_score_and_why_each_missing_point_matters(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    name, record_id = _some_public(demo)
    quality = record_quality(demo[1], record_id)
    assert quality is not None
    page = demo_client.get(f"/dataset/{name}").get_data(as_text=True)
    section = page[page.index('<section class="quality"') :]
    section = section[: section.index("</section>")]
    points = f"{round(quality.score.points):d}"
    assert re.search(rf"{points}(,\d)? von {MAX_POINTS} Punkten", section)
    assert f"quality-{quality.score.rating}" in section
    assert section.count('<tr class="quality-') == len(INDICATORS)
    # Nothing was link-checked in the demo: reachability is "not checked yet", not "broken".
    assert "noch nicht geprüft" in section
    assert "Eine Adresse, die nicht antwortet, führt Nutzende ins Leere." in section
    assert "style=" not in section and "<script" not in section


def test_the_english_dataset_page_explains_the_score_in_english_only(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    name, _ = _some_public(demo)
    page = demo_client.get(f"/dataset/{name}?lang=en").get_data(as_text=True)
    section = page[page.index('<section class="quality"') :]
    section = section[: section.index("</section>")]
    assert f"of {MAX_POINTS} points" in section and "Quality of the description" in section
    assert "not checked yet" in section
    assert "Punkten" not in section and "noch nicht" not in section


def test_about_the_data_shows_the_catalog_score_with_charts_and_tables(
    demo_client: FlaskClient,
) -> None:
    page = demo_client.get("/ueber-die-daten").get_data(as_text=True)
    section = page[page.index('aria-labelledby="mqa"') :]
    section = section[: section.index("</section>")]
    assert section.count('role="img"') == 2  # organisations' bars and the catalog's trend
    assert "Mittlere Punkte je Organisation</caption>" in section
    assert "Qualität im Verlauf: mittlere Punkte je Tag</caption>" in section
    for title in ("Umweltamt", "Tiefbau- und Verkehrsamt", "Statistikstelle"):
        assert re.search(rf"<th scope=\"row\">{title}</th>", section)


def test_package_show_carries_the_score_and_link_state_as_extras(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    name, record_id = _some_public(demo)
    quality = record_quality(demo[1], record_id)
    assert quality is not None
    package = demo_client.get(f"/api/3/action/package_show?id={name}").get_json()["result"]
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert float(extras["quality_score"]) == quality.score.points
    assert extras["quality_rating"] == quality.score.rating
    assert extras["quality_max_score"] == "405"
    assert extras["quality_link_state"] == "not_checked"
    assert extras["quality_broken_links"] == "0"


def test_quality_show_gives_every_indicator_in_the_answers_language(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    name, _ = _some_public(demo)
    answer = demo_client.get(f"/api/3/action/quality_show?id={name}").get_json()
    assert answer["success"] is True
    result = answer["result"]
    assert result["max_points"] == 405
    assert [i["key"] for i in result["indicators"]] == [i.key for i in INDICATORS]
    assert sum(i["points"] for i in result["indicators"]) == result["points"]
    assert sum(d["max_points"] for d in result["dimensions"].values()) == 405
    keywords = next(i for i in result["indicators"] if i["key"] == "keywords")
    assert keywords["label"] == "Keywords"  # English for programs by default
    german = demo_client.get(
        f"/api/3/action/quality_show?id={name}", headers={"Accept-Language": "de"}
    ).get_json()["result"]
    assert next(i for i in german["indicators"] if i["key"] == "keywords")["label"] == (
        "Schlagwörter"
    )
    missing = demo_client.get("/api/3/action/quality_show?id=gibt-es-nicht")
    assert missing.status_code == 404
