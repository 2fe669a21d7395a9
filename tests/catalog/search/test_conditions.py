"""The condition tree (Term, Range, All, AnyOf, Not) answered by every search backend, on a
real index on disk holding a handful of documents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from catalog.search.base import (
    EVERYTHING,
    NOTHING,
    TERM_FIELDS,
    All,
    AnyOf,
    Condition,
    IndexDocument,
    Not,
    Range,
    SearchBackend,
    SearchQuery,
    Term,
)
from catalog.search.registry import open_backend
from catalog.search.whoosh.schema import TERM_INDEX_FIELDS
from tests.catalog.search.conftest import ENGINES

JANUARY, FEBRUARY, MARCH, APRIL = (datetime(2024, month, 1, tzinfo=UTC) for month in (1, 2, 3, 4))


def _document(name: str, **fields: object) -> IndexDocument:
    plain = IndexDocument(
        record_id=f"id-{name}",
        name=name,
        title=f"Datensatz {name}",
        description="",
        keywords=(),
        organization="umweltamt",
        organization_id="org-umwelt",
        organization_title="Umweltamt",
        themes=("ENVI",),
        theme_labels=("Umwelt",),
        formats=("CSV",),
        licenses=(),
        places=(),
        publisher="",
        status="published",
        validation_state="valid",
        source=None,
        catalog=None,
        resource_ids=(),
        flags=(),
        modified=None,
        issued=None,
        updated=JANUARY,
        created=JANUARY,
    )
    return replace(plain, **fields)  # type: ignore[arg-type]


DOCUMENTS = [
    _document("a", keywords=("Luft",), modified=JANUARY),
    _document("b", themes=("ENVI", "HEAL"), formats=("JSON",), updated=FEBRUARY),
    _document(
        "c",
        organization="tiefbauamt",
        organization_id="org-tiefbau",
        themes=("TRAN",),
        updated=MARCH,
        modified=MARCH,
    ),
    _document(
        "d",
        organization="statistik",
        organization_id="org-statistik",
        themes=("GOVE",),
        formats=("PDF",),
        updated=APRIL,
        modified=APRIL,
    ),
    # Matches nearly everything below, but is a draft: no condition may bring it back.
    _document("entwurf", status="draft", formats=("CSV", "PDF"), updated=FEBRUARY),
]


@pytest.fixture(scope="module", params=ENGINES)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchBackend]:
    directory: Path = tmp_path_factory.mktemp("conditions")
    opened = open_backend(request.param, directory)
    opened.apply(DOCUMENTS)
    yield opened
    opened.close()


def _names(backend: SearchBackend, condition: Condition, **options: object) -> list[str]:
    query = SearchQuery(condition=condition, limit=100, facets=(), **options)  # type: ignore[arg-type]
    return sorted(hit.name for hit in backend.search(query, publish_invalid=False).hits)


def test_a_term_finds_records_with_exactly_that_value(backend: SearchBackend) -> None:
    assert _names(backend, Term("format", "CSV")) == ["a", "c"]
    assert _names(backend, Term("theme", "HEAL")) == ["b"]
    assert _names(backend, Term("keyword", "Luft")) == ["a"]
    assert _names(backend, Term("keyword", "luft")) == []
    assert _names(backend, Term("organization_id", "org-tiefbau")) == ["c"]
    assert _names(backend, Term("record_id", "id-d")) == ["d"]
    assert _names(backend, Term("name", "b")) == ["b"]


def test_all_needs_every_child_and_without_children_is_everything(
    backend: SearchBackend,
) -> None:
    assert _names(backend, All((Term("theme", "ENVI"), Term("format", "CSV")))) == ["a"]
    assert _names(backend, All((Term("theme", "TRAN"), Term("format", "PDF")))) == []
    assert _names(backend, EVERYTHING) == ["a", "b", "c", "d"]


def test_any_of_needs_one_child_and_without_children_is_nothing(backend: SearchBackend) -> None:
    either = AnyOf((Term("format", "JSON"), Term("organization", "statistik")))
    assert _names(backend, either) == ["b", "d"]
    assert _names(backend, NOTHING) == []


def test_not_leaves_out_its_child_and_never_widens_past_the_public_rule(
    backend: SearchBackend,
) -> None:
    assert _names(backend, Not(Term("format", "CSV"))) == ["b", "d"]
    assert _names(backend, Not(EVERYTHING)) == []
    assert _names(backend, Not(NOTHING)) == ["a", "b", "c", "d"]
    with_drafts = _names(backend, Not(Term("format", "JSON")), include_non_public=True)
    assert with_drafts == ["a", "c", "d", "entwurf"]


def test_not_of_an_or_is_neither(backend: SearchBackend) -> None:
    neither = Not(AnyOf((Term("format", "CSV"), Term("format", "PDF"))))
    assert _names(backend, neither) == ["b"]


def test_nested_conditions_combine_as_written(backend: SearchBackend) -> None:
    # (ENVI OR TRAN) AND NOT (umweltamt AND CSV)
    nested = All(
        (
            AnyOf((Term("theme", "ENVI"), Term("theme", "TRAN"))),
            Not(All((Term("organization", "umweltamt"), Term("format", "CSV")))),
        )
    )
    assert _names(backend, nested) == ["b", "c"]
    assert _names(backend, Not(Not(Term("theme", "GOVE")))) == ["d"]
    ranged = AnyOf(
        (Term("format", "PDF"), All((Range("updated", low=MARCH), Not(Term("theme", "GOVE")))))
    )
    assert _names(backend, ranged) == ["c", "d"]


@pytest.mark.parametrize(
    ("include_low", "include_high", "expected"),
    [
        (True, True, ["b", "c"]),
        (False, True, ["c"]),
        (True, False, ["b"]),
        (False, False, []),
    ],
)
def test_range_bounds_count_as_inside_unless_excluded(
    backend: SearchBackend, include_low: bool, include_high: bool, expected: list[str]
) -> None:
    between = Range("updated", FEBRUARY, MARCH, include_low=include_low, include_high=include_high)
    assert _names(backend, between) == expected


def test_open_ranges_and_records_without_the_date(backend: SearchBackend) -> None:
    assert _names(backend, Range("updated", high=FEBRUARY)) == ["a", "b"]
    assert _names(backend, Range("updated", low=MARCH)) == ["c", "d"]
    # b has no dct:modified: no range on it matches b, an open one neither.
    assert _names(backend, Range("modified")) == ["a", "c", "d"]
    assert _names(backend, Not(Range("modified"))) == ["b"]
    # A bound in another zone is its instant in UTC (23:30 UTC on 29 February); naive is UTC.
    half_past = datetime(2024, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    assert _names(backend, Range("updated", low=half_past)) == ["c", "d"]
    assert _names(backend, Range("updated", low=half_past.replace(tzinfo=None))) == ["d"]


def test_the_condition_narrows_totals_facets_and_the_timeline(backend: SearchBackend) -> None:
    condition = Not(Term("organization", "umweltamt"))
    query = SearchQuery(condition=condition, facets=("format",))
    found = backend.search(query, publish_invalid=False)
    assert found.total == 2
    assert {facet.value: facet.count for facet in found.facets["format"]} == {"CSV": 1, "PDF": 1}
    timeline = backend.record_timeline(query, publish_invalid=False)
    assert timeline == [(MARCH, "id-c"), (APRIL, "id-d")]


def test_unknown_fields_are_refused_when_the_condition_is_built() -> None:
    with pytest.raises(ValueError, match="unknown term field 'title'"):
        Term("title", "Radwege")
    with pytest.raises(ValueError, match="unknown date range field 'geburtstag'"):
        Range("geburtstag")


def test_every_term_field_of_the_contract_has_an_index_field() -> None:
    assert set(TERM_INDEX_FIELDS) == set(TERM_FIELDS)
