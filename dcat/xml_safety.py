"""Refusing RDF/XML that declares a DTD or entities, before any parser expands them."""

from __future__ import annotations

from typing import Any
from xml.parsers import expat

from dcat.parse_errors import bilingual_error


class _PrologEnd(Exception):
    pass


class _Declaration(Exception):
    pass


def refuse_xml_declarations(data: bytes) -> None:
    """Refuse any DOCTYPE or ENTITY declaration (billion laughs, external entities).

    Expat reads only the prolog here and stops at the root element; RDF/XML never needs a DTD.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def on_declaration(*_args: Any) -> None:
        raise _Declaration

    def on_root(*_args: Any) -> None:
        raise _PrologEnd

    parser.StartDoctypeDeclHandler = on_declaration
    parser.EntityDeclHandler = on_declaration
    parser.StartElementHandler = on_root
    try:
        for start in range(0, len(data), 65536):
            parser.Parse(data[start : start + 65536], False)
        parser.Parse(b"", True)
    except _PrologEnd:
        return
    except _Declaration:
        raise bilingual_error(
            "RDF/XML mit DOCTYPE- oder ENTITY-Deklaration wird aus Sicherheitsgründen abgelehnt",
            "RDF/XML with a DOCTYPE or ENTITY declaration is refused for safety",
            fmt="rdf",
        ) from None
    except expat.ExpatError as error:
        raise bilingual_error(
            f"RDF/XML-Syntaxfehler in Zeile {error.lineno}: {expat.ErrorString(error.code)}",
            f"RDF/XML syntax error at line {error.lineno}: {expat.ErrorString(error.code)}",
            fmt="rdf",
            line=error.lineno,
        ) from None
