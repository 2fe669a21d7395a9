"""The error every RDF input problem becomes: German first, then English, with format and line."""

from __future__ import annotations


class RDFParseError(ValueError):
    """Input that cannot (or must not) be parsed; the message is German first, then English."""

    def __init__(self, message: str, *, fmt: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fmt = fmt
        self.line = line


def bilingual_error(de: str, en: str, *, fmt: str | None = None, line: int | None = None):
    return RDFParseError(f"{de} / {en}", fmt=fmt, line=line)
