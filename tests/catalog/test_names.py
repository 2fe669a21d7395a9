"""Record names: readable German slugs, unique among all records."""

from __future__ import annotations

import pytest

from catalog.names import MAX_NAME_LENGTH, slugify, unique_record_name
from catalog.records import Actor, create_record
from catalog.store import Store
from tests.catalog.records_support import content

STEWARD = Actor(label="test")


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Bäume an Straßen 2024", "baeume-an-strassen-2024"),
        ("  Öffentliche WLAN-Hotspots!  ", "oeffentliche-wlan-hotspots"),
        ("Café – Übersicht", "cafe-uebersicht"),
        ("!!!", "datensatz"),
    ],
)
def test_slugify_spells_out_german_letters(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_a_long_title_is_cut_to_the_maximum_length() -> None:
    assert len(slugify("Haushaltsplan " * 20)) <= MAX_NAME_LENGTH


def test_taken_names_get_the_next_free_suffix(store: Store) -> None:
    for name in ("baumkataster", "baumkataster-2", "baumkataster-3", "baumkataster2"):
        create_record(store, content(name), name=name, actor=STEWARD)

    assert unique_record_name(store, "Baumkataster") == "baumkataster-4"
    assert unique_record_name(store, "Baumkataster 2") == "baumkataster-2-2"
    assert unique_record_name(store, "Baum") == "baum"  # a prefix of taken names is free


def test_names_with_a_dash_suffix_count_but_longer_words_do_not(store: Store) -> None:
    create_record(store, content("park"), name="park", actor=STEWARD)
    create_record(store, content("parkhaus"), name="parkhaus", actor=STEWARD)
    create_record(store, content("park-2"), name="park-2", actor=STEWARD)

    assert unique_record_name(store, "Park") == "park-3"
    assert unique_record_name(store, "Parkhaus") == "parkhaus-2"


def test_more_taken_suffixes_than_one_lookup_asks_for(sqlite_store: Store) -> None:
    names = ["wahlbezirke", *(f"wahlbezirke-{number}" for number in range(2, 26))]
    for name in names:
        create_record(sqlite_store, content(name), name=name, actor=STEWARD)

    assert unique_record_name(sqlite_store, "Wahlbezirke") == "wahlbezirke-26"
