"""Two revisions compared as a steward reads them: fields from one value to another, lists
with what was added and removed, distributions paired and their changed sub-fields."""

from __future__ import annotations

from dataclasses import replace

from catalog.models import RecordStatus, Revision, ValidationState
from catalog.revision_diff import (
    DistributionChange,
    ListChange,
    ValueChange,
    diff_revisions,
    diff_views,
)
from dcat.builder import build_dataset_graph
from dcat.hashing import content_hash
from dcat.model import ContactInput, DatasetInput, DistributionInput
from dcat.serialise import serialise
from dcat.view import DatasetView, dataset_view

URI = "http://catalog.test/dataset/baeume"
CSV = "http://publications.europa.eu/resource/authority/file-type/CSV"
JSON = "http://publications.europa.eu/resource/authority/file-type/JSON"
DL_BY = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
ENVI = "http://publications.europa.eu/resource/authority/data-theme/ENVI"
TRAN = "http://publications.europa.eu/resource/authority/data-theme/TRAN"

BASE = DatasetInput(
    title={"de": "Straßenbäume"},
    description={"de": "Alle Bäume."},
    keywords=["Bäume", "Stadtgrün"],
    themes=[ENVI],
    contact=ContactInput(email="umwelt@stadt.example"),
    distributions=[
        DistributionInput(
            access_url="https://daten.example/baeume.csv",
            title={"de": "Tabelle"},
            format=CSV,
            license=DL_BY,
        ),
        DistributionInput(access_url="https://daten.example/alt.pdf", title={"de": "Bericht"}),
    ],
)


def _view(data: DatasetInput) -> DatasetView:
    graph, node = build_dataset_graph(data, uri=URI)
    return dataset_view(graph, node)


def _revision(number: int, data: DatasetInput, status: RecordStatus) -> Revision:
    graph, _ = build_dataset_graph(data, uri=URI)
    return Revision(
        number=number,
        status=status,
        graph=serialise(graph, "nt").decode(),
        content_hash=content_hash(graph),
        author="emil",
        validation_state=ValidationState.VALID,
    )


def test_a_changed_title_reads_from_the_old_to_the_new_value() -> None:
    values, lists, distributions = diff_views(
        _view(BASE), _view(replace(BASE, title={"de": "Bäume an Straßen"}))
    )
    assert values == [ValueChange("title", "Straßenbäume", "Bäume an Straßen")]
    assert lists == [] and distributions == []


def test_keywords_and_themes_list_what_was_added_and_what_was_removed() -> None:
    changed = replace(BASE, keywords=["Bäume", "Baumkataster"], themes=[ENVI, TRAN])
    _, lists, _ = diff_views(_view(BASE), _view(changed))
    assert lists == [
        ListChange("keywords", added=("Baumkataster",), removed=("Stadtgrün",)),
        ListChange("themes", added=("Verkehr",), removed=()),
    ]


def test_distributions_are_paired_and_name_the_sub_fields_that_changed() -> None:
    table, _ = BASE.distributions
    changed = replace(
        BASE,
        distributions=[
            replace(table, format=JSON, title={"de": "Tabelle als JSON"}),
            DistributionInput(access_url="https://daten.example/karte.html"),
        ],
    )
    _, _, distributions = diff_views(_view(BASE), _view(changed))
    assert distributions == [
        DistributionChange(
            "changed",
            "Tabelle als JSON",
            (
                ValueChange("title", "Tabelle", "Tabelle als JSON"),
                ValueChange("format", "CSV", "JSON"),
            ),
        ),
        DistributionChange("removed", "Bericht"),
        DistributionChange("added", "https://daten.example/karte.html"),
    ]


def test_a_removed_contact_and_a_new_status_are_both_told() -> None:
    before = _revision(1, BASE, RecordStatus.DRAFT)
    after = _revision(2, replace(BASE, contact=None), RecordStatus.PUBLISHED)
    diff = diff_revisions(before, after, URI)
    assert diff.status == ValueChange("status", "draft", "published")
    assert diff.values == [ValueChange("contact", "umwelt@stadt.example", None)]
    assert not diff.other_changes and not diff.empty


def test_a_change_no_field_shows_is_still_reported_and_equal_revisions_are_empty() -> None:
    hidden = replace(BASE, version_notes={"de": "Neue Messstelle"})  # not a compared field
    first = _revision(1, BASE, RecordStatus.PUBLISHED)
    diff = diff_revisions(first, _revision(2, hidden, RecordStatus.PUBLISHED), URI)
    assert diff.other_changes and not diff.values and not diff.empty
    assert diff_revisions(first, _revision(3, BASE, RecordStatus.PUBLISHED), URI).empty
