"""The error every RDF input problem becomes: German first, then English, with format and line."""

from __future__ import annotations


class RDFParseError(ValueError):
    """Input that cannot (or must not) be parsed; the message is German first, then English."""

    def __init__(self, message: str, *, fmt: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fmt = fmt
        self.line = line
        # Apart, so that a job report shows the reader's language; the parser's own text
        # (one language) where no translation of ours exists.
        self.message_de = message
        self.message_en = message


def bilingual_error(de: str, en: str, *, fmt: str | None = None, line: int | None = None):
    error = RDFParseError(f"{de} / {en}", fmt=fmt, line=line)
    error.message_de, error.message_en = de, en
    return error
