"""A text we write in German and in English, kept apart so that a page shows one of them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Bilingual:
    """German and English of one message; `in_language` picks the reader's (German by default)."""

    de: str
    en: str

    def in_language(self, language: str) -> str:
        if language == "en":
            return self.en or self.de
        return self.de or self.en

    def __add__(self, other: Bilingual) -> Bilingual:
        return Bilingual(self.de + other.de, self.en + other.en)

    @classmethod
    def neutral(cls, text: str) -> Bilingual:
        """A text that is the same in both languages (an address, a library's own message)."""
        return cls(text, text)


def join_bilingual(separator: str, texts: Iterable[Bilingual]) -> Bilingual:
    """Several messages in one, each language joined with its own kind."""
    listed = list(texts)
    return Bilingual(
        separator.join(text.de for text in listed), separator.join(text.en for text in listed)
    )
