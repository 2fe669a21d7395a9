"""The German analyser: the foldings that let people find what they mean."""

from __future__ import annotations

import pytest

from catalog.search.tantivy.analysis import german_terms
from catalog.search.whoosh.analysis import index_terms


@pytest.mark.parametrize(
    ("written", "searched"),
    [
        ("Straße", "Strasse"),
        ("Straßen", "strasse"),
        ("Bäume", "Baum"),
        ("Baeume", "Bäume"),
        ("Gewässer", "gewaesser"),
        ("Radwege", "Radweg"),
        ("Schulen", "Schule"),
        ("Bevölkerung", "BEVÖLKERUNG"),
        ("Luftqualität", "Luftqualitaet"),
        ("Café", "Cafe"),
    ],
)
def test_written_and_searched_forms_meet_in_one_term(written: str, searched: str) -> None:
    assert index_terms(written) == index_terms(searched)
    assert index_terms(written) != []
    # tantivy gets the very terms Whoosh makes
    assert german_terms(written) == index_terms(written)
    assert german_terms(searched) == index_terms(searched)


def test_tantivy_terms_equal_whoosh_terms_where_the_snowball_revisions_differ() -> None:
    text = "Ampeln, beleuchtete Straßen und die Bäume über der Fuer-Gasse: Café CO2-Ausstoß"
    assert german_terms(text) == index_terms(text)


@pytest.mark.parametrize(("one", "other"), [("Baum", "Bau"), ("Wahl", "Wald"), ("Rad", "Rat")])
def test_different_words_stay_apart(one: str, other: str) -> None:
    assert index_terms(one) != index_terms(other)


def test_stop_words_are_not_indexed() -> None:
    assert index_terms("die Bäume und der Wald") == index_terms("Bäume Wald")


def test_digits_and_compounds_are_words() -> None:
    assert index_terms("CO2-Ausstoß 2024") == ["co2", "ausstoss", "2024"]
