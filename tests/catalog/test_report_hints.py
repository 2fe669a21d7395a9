"""Which per-source setting a violation names, and a held-back record's summary that lists
every violation it has."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from catalog.ingest import RecordPreparer
from catalog.report_hints import setting_hint
from catalog.settings import Settings
from dcat.validation import Severity, ValidationResult

DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
DCATDE = "http://dcat-ap.de/def/dcatde/"
VCARD = "http://www.w3.org/2006/vcard/ns#"


def _finding(path: str | None, value: str | None, message: str = "…") -> ValidationResult:
    return ValidationResult(
        severity=Severity.VIOLATION,
        focus_node="https://daten.example/dataset/1",
        path=path,
        value=value,
        message_de=message,
        message_en=message,
        source_shape=None,
    )


@pytest.mark.parametrize(
    ("path", "value", "setting"),
    [
        (DCT + "publisher", None, "defaults.publisher"),
        (DCT + "publisher", "t173367", "defaults.publisher"),  # an opaque key, replaced
        (DCATDE + "contributorID", None, "defaults.contributor_id"),
        (DCT + "license", "Nutzungsbedingungen der LHP", "mappings.license"),
        (DCT + "license", None, "defaults.license"),
        (DCAT + "theme", "https://portal.example/theme/Umwelt", "mappings.theme"),
        (DCAT + "theme", None, "defaults.themes"),
        (DCT + "format", "Kartenviewer", "mappings.format"),
        (DCAT + "contactPoint", None, "defaults.contact"),
        (DCATDE + "politicalGeocodingURI", None, "defaults.political_geocoding"),
        (DCATDE + "politicalGeocodingLevelURI", None, "defaults.political_geocoding"),
        (DCT + "language", None, "defaults.language"),
    ],
)
def test_a_violation_a_source_setting_repairs_names_that_setting(
    path: str, value: str | None, setting: str
) -> None:
    hint = setting_hint(_finding(path, value))

    assert hint is not None and hint.setting == setting
    assert hint.note_de and hint.note_en


def test_convention_k01_names_the_default_contact() -> None:
    # As the official "Konventionen" shapes report it: an alternative path, a German message.
    k01 = _finding(
        f"{VCARD}hasURL|{VCARD}hasEmail",
        None,
        "K01: Kontaktinformationen (dcat:contactPoint) MÜSSEN mindestens Angaben zur Email ...",
    )

    hint = setting_hint(k01)

    assert hint is not None and hint.setting == "defaults.contact"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        # Defaults never overwrite what a record says: only the source can correct these.
        (DCATDE + "contributorID", "portal.testdatensatz.de"),
        (DCT + "language", "deutsch"),
        (DCT + "publisher", "https://portal.example/org/42"),
        (DCATDE + "politicalGeocodingLevelURI", "berlin"),
        # Nothing to set for these at all.
        (DCAT + "accessURL", None),
        (DCT + "description", None),
        (None, None),
    ],
)
def test_a_violation_no_setting_repairs_gets_no_hint(path: str | None, value: str | None) -> None:
    assert setting_hint(_finding(path, value)) is None


HELD_BACK = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://daten.example/dataset/baustellen> a dcat:Dataset ;
    dct:title "Baustellen"@de ;
    dcat:theme <https://portal.example/theme/Verkehr> ;
    dcat:distribution <https://daten.example/dist/1>, <https://daten.example/dist/2> .
<https://daten.example/dist/1> a dcat:Distribution ; dct:title "CSV"@de .
<https://daten.example/dist/2> a dcat:Distribution ; dct:title "JSON"@de .
"""


def test_the_summary_of_a_held_back_record_lists_every_violation(settings: Settings) -> None:
    graph = Graph().parse(data=HELD_BACK, format="turtle")
    prepared = RecordPreparer(settings).prepare(
        graph, URIRef("https://daten.example/dataset/baustellen")
    )
    violations = prepared.report.violations
    assert len(violations) >= 4  # description, theme, and an access URL for each distribution

    summary = prepared.summary()

    head, _, listed = summary.de.partition(": ")
    head_en, _, listed_en = summary.en.partition(": ")
    assert head == f"{len(violations)} DCAT-AP.de-Verstöße"
    assert head_en == f"{len(violations)} DCAT-AP.de violations"
    for result in violations:
        assert result.message_de in listed and result.message_en in listed_en
    assert "dcat:accessURL (2×): " in listed  # the same finding on both distributions, once
    assert "dct:description: " in listed and "dcat:theme: " in listed
