"""Our shapes and the official DCAT-AP.de 2.0 "Spezifikation" profile judge every example alike."""

from __future__ import annotations

from functools import cache

import pytest
from rdflib import Graph

from dcat.validation import ValidationReport, Validator
from tests.conftest import SHARED
from tests.dcat.official_shapes import OfficialReport, official_report, requires_shared

EXAMPLES = SHARED / "dcat-ap-de" / "examples"
EU = "http://publications.europa.eu/resource/authority/"

# What the official shapes cannot know offline (see ../shared/dcat-ap-de/SOURCES.md): every value
# from these lists fails their skos:inScheme check, while dcat.vocabularies knows the EU language
# and planned-availability lists, and our shapes list the hash algorithms themselves.
OFFLINE_GAPS = {
    "EU language list": f"{EU}language/",
    "EU planned-availability list": f"{EU}planned-availability/",
    "DCAT-AP.de hash algorithm list": "http://dcat-ap.de/def/hashAlgorithms/",
}

# Files on which the official profile (offline) says "violates" and ours says "conforms", with
# the vocabularies behind every official violation in them.
DISAGREEMENTS = {
    "v2.0/dcat_ap_de-RefImp_TTL_ADVANCED.ttl": {
        "EU language list",
        "DCAT-AP.de hash algorithm list",
    },
    "v2.0/ex-23-dataservice.rdf": {"EU planned-availability list"},
    "v2.0-testcases/quicktest.ttl": {
        "EU language list",
        "EU planned-availability list",
        "DCAT-AP.de hash algorithm list",
    },
}

# Files where the official profile (offline) warns more than we do, and why.
WARNING_DIFFERENCES = {
    "v2.0-testcases/dataset-dcatde_politicalGeocodingURI.ttl": "the political geocoding key "
    "lists are not available offline, so the official shapes warn on every key, valid or not; "
    "ours only warn on IRIs that are not of the key form",
}


def _example_files() -> list[str]:
    folders = [EXAMPLES / "v2.0", EXAMPLES / "v2.0-testcases"]
    files = [p for folder in folders if folder.is_dir() for p in sorted(folder.iterdir())]
    return [str(p.relative_to(EXAMPLES)) for p in files if p.suffix in {".ttl", ".rdf"}]


FILES = _example_files()


@cache
def _graph(relative: str) -> Graph:
    graph = Graph()
    graph.parse(EXAMPLES / relative)
    return graph


@cache
def _ours(relative: str) -> ValidationReport:
    return Validator().validate(_graph(relative))


@cache
def _official(relative: str) -> OfficialReport:
    return official_report(_graph(relative), "spezifikation")


def _gaps_in(message: str) -> set[str]:
    return {name for name, prefix in OFFLINE_GAPS.items() if prefix in message}


@requires_shared
def test_every_official_example_and_test_case_is_compared() -> None:
    assert len(FILES) == 23
    assert set(DISAGREEMENTS) <= set(FILES)


@requires_shared
@pytest.mark.parametrize("relative", FILES)
def test_our_shapes_agree_with_the_official_profile(relative: str) -> None:
    ours, official = _ours(relative), _official(relative)
    if relative in DISAGREEMENTS:
        assert (ours.conforms, official.conforms) == (True, False), "now agree: update the list"
        return
    assert ours.conforms == official.conforms, (
        [r.message_en for r in ours.violations],
        [m for m in official.messages if m.startswith("Violation")],
    )


@requires_shared
@pytest.mark.parametrize("relative", sorted(DISAGREEMENTS))
def test_disagreements_come_only_from_vocabularies_missing_offline(relative: str) -> None:
    violations = [m for m in _official(relative).messages if m.startswith("Violation")]
    assert violations
    found: set[str] = set()
    for message in violations:
        gaps = _gaps_in(message)
        assert gaps, message
        found |= gaps
    assert found == DISAGREEMENTS[relative]


@requires_shared
@pytest.mark.parametrize(
    "relative",
    ["v2.0-testcases/konventionen__perfect.ttl", "v2.0/dcat_ap_de-RefImp_TTL_SIMPLE.ttl"],
)
def test_examples_meant_to_be_valid_have_no_findings_at_all(relative: str) -> None:
    assert _ours(relative).results == []


@requires_shared
@pytest.mark.parametrize("relative", [f for f in FILES if f not in DISAGREEMENTS])
def test_our_shapes_find_as_many_violations_and_warnings_as_the_official_ones(
    relative: str,
) -> None:
    ours, official = _ours(relative), _official(relative)
    assert len(ours.violations) == official.violations
    if relative in WARNING_DIFFERENCES:
        assert len(ours.warnings) < official.warnings, "now equal: update the list"
    else:
        assert len(ours.warnings) == official.warnings
