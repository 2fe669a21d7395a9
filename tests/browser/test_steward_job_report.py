"""The job report in a real browser at a common office width: long unbroken paths and values
wrap inside their cells, so the "Befund" column stays on screen, and the page passes axe-core."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from catalog.jobs import JobCounts, finish_job, record_error, start_job
from catalog.models import HarvestSource, Role
from catalog.settings import Settings
from catalog.store import Store
from dcat.bilingual import Bilingual
from dcat.validation import Severity, ValidationReport, ValidationResult
from tests.browser.axe import assert_accessible
from tests.conftest import build_demo_with_steward
from tests.servers import served_catalog

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

STEWARD = "tina"
PASSWORD = "tiefbau-geheim-2025"
SOURCE = "tiefbauamt-dcat"
OFFICE_SCREEN = {"width": 1280, "height": 800}
# A path as the job report shows a SHACL alternative path, and a delivered address without a
# single place to break a line: both once pushed the "Befund" column off screen.
LONG_PATH = "|".join(
    ["http://www.w3.org/ns/dcat#bbox", "http://www.w3.org/ns/dcat#centroid"]
    + [f"http://www.w3.org/ns/locn#geometry{n}" for n in range(6)]
)
LONG_VALUE = "https://geodienste.example.de/" + "verzeichnis_" * 30 + "datei.csv"
FINDING_MESSAGE = "Die Zugriffs-URL (dcat:accessURL) muss ein Link sein, kein Text."


@pytest.fixture(scope="module")
def steward_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    settings, store = build_demo_with_steward(
        Path(tmp_path_factory.mktemp("job-report-demo")),
        STEWARD,
        PASSWORD,
        {"tiefbauamt": Role.ADMIN},
    )
    yield settings, store
    store.close()


@pytest.fixture(scope="module")
def live_server(steward_demo: tuple[Settings, Store]) -> Iterator[str]:
    with served_catalog(*steward_demo) as address:
        yield address


@pytest.fixture(scope="module")
def job_with_long_values(steward_demo: tuple[Settings, Store]) -> int:
    """A finished job of the demo source whose one held-back record has long findings."""
    _, store = steward_demo
    with store.reading() as session:
        source_id = session.scalar(select(HarvestSource.id).where(HarvestSource.name == SOURCE))
    assert source_id is not None
    job_id = start_job(store, source_id)
    findings = [
        ValidationResult(
            Severity.VIOLATION,
            "https://example.de/dataset/1/distribution/1",
            "http://www.w3.org/ns/dcat#accessURL",
            LONG_VALUE,
            FINDING_MESSAGE,
            "The access URL (dcat:accessURL) must be a link, not text.",
            None,
        ),
        ValidationResult(
            Severity.WARNING,
            "_:ort",
            LONG_PATH,
            LONG_VALUE,
            "Der Ort sollte eine Geometrie haben.",
            "The location should have a geometry.",
            None,
        ),
    ]
    report = ValidationReport(conforms=False, results=findings)
    record_error(
        store,
        job_id,
        record_key="https://example.de/dataset/1",
        stage="validate",
        message=Bilingual("1 DCAT-AP.de-Verstoß", "1 DCAT-AP.de violation"),
        report=report.to_json(),
    )
    counts = JobCounts(failed=1, held_back=1)
    finish_job(store, job_id, counts, gather_complete=True)
    return job_id


def test_the_job_report_fits_an_office_screen_with_long_unbroken_values(
    page: Page, job_with_long_values: int
) -> None:
    page.set_viewport_size(OFFICE_SCREEN)
    page.goto(f"/verwaltung/jobs/{job_with_long_values}")
    page.get_by_label("Benutzername").fill(STEWARD)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(rf"/verwaltung/jobs/{job_with_long_values}$"))

    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    errors = page.locator("ol.error-list")
    box = errors.get_by_role("cell", name=FINDING_MESSAGE, exact=True).bounding_box()

    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    assert box is not None and box["x"] + box["width"] <= OFFICE_SCREEN["width"], box
    assert errors.get_by_role("cell", name=LONG_VALUE, exact=True).count() == 2
    assert_accessible(page, "job report with long values")
