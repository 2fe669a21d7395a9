"""Every text of the pages has its English translation, and the compiled catalogue is current."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.conftest import REPO

CATALOGUE = REPO / "web" / "translations" / "en" / "LC_MESSAGES"
METHODS = [
    ("web/**.py", "python"),
    ("catalog/**.py", "python"),
    ("web/templates/**.html", "jinja2"),
    ("web/templates/**.xml", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}


def _source_messages() -> set[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(REPO), METHODS, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _english() -> dict[str, object]:
    with Path(CATALOGUE / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    return {
        (m.id[0] if isinstance(m.id, tuple) else m.id): _plain(m.string) for m in catalogue if m.id
    }


def _plain(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def test_every_page_text_has_an_english_translation() -> None:
    english = _english()
    missing = sorted(_source_messages() - english.keys())
    assert missing == [], "run `make messages` and translate: " + ", ".join(missing)
    empty = sorted(
        key
        for key, value in english.items()
        if not value or (isinstance(value, tuple) and not all(value))
    )
    assert empty == []


def test_the_catalogue_has_no_texts_the_pages_no_longer_use() -> None:
    assert sorted(_english().keys() - _source_messages()) == []


def test_the_compiled_catalogue_matches_its_source() -> None:
    with Path(CATALOGUE / "messages.mo").open("rb") as handle:
        compiled = {
            (m.id[0] if isinstance(m.id, tuple | list) else m.id): _plain(m.string)
            for m in read_mo(handle)
            if m.id
        }
    assert compiled == _english(), "run `make messages` to compile messages.po"
