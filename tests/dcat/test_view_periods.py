"""The flat view reads a period's end by its precision: a year or a month ends on its last day."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import Graph, URIRef

from dcat.view import dataset_view

DATASET = URIRef("http://example.test/dataset/1")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ('"2015"^^xsd:gYear', '"2024"^^xsd:gYear', (date(2015, 1, 1), date(2024, 12, 31))),
        (
            '"2014-06"^^xsd:gYearMonth',
            '"2016-02"^^xsd:gYearMonth',
            (date(2014, 6, 1), date(2016, 2, 29)),
        ),
        ('"2010-01-01"^^xsd:date', '"2014-06-15"^^xsd:date', (date(2010, 1, 1), date(2014, 6, 15))),
    ],
)
def test_a_period_ends_on_the_last_day_its_end_value_covers(
    start: str, end: str, expected: tuple[date, date]
) -> None:
    graph = Graph().parse(
        data=f"""
        @prefix dcat: <http://www.w3.org/ns/dcat#> .
        @prefix dct: <http://purl.org/dc/terms/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{DATASET}> a dcat:Dataset ; dct:title "Zeitreihe"@de ;
            dct:temporal [ a dct:PeriodOfTime ; dcat:startDate {start} ; dcat:endDate {end} ] .
        """,
        format="turtle",
    )

    view = dataset_view(graph, DATASET)

    assert (view.temporal_start, view.temporal_end) == expected
