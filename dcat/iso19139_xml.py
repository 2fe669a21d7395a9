"""Reading ISO 19139 XML safely: no DTD, no entities, no network; paths named for reports."""

from __future__ import annotations

from typing import Any

from lxml import etree

from dcat.parse_errors import RDFParseError
from dcat.xml_safety import refuse_xml_declarations

NAMESPACES = {
    "gmd": "http://www.isotc211.org/2005/gmd",
    "gco": "http://www.isotc211.org/2005/gco",
    "gmx": "http://www.isotc211.org/2005/gmx",
    "srv": "http://www.isotc211.org/2005/srv",
    "gml": "http://www.opengis.net/gml",
    "gml32": "http://www.opengis.net/gml/3.2",
    "xlink": "http://www.w3.org/1999/xlink",
    "csw": "http://www.opengis.net/cat/csw/2.0.2",
    "ows": "http://www.opengis.net/ows",
}
MD_METADATA = f"{{{NAMESPACES['gmd']}}}MD_Metadata"
IDENTIFICATION = "gmd:identificationInfo/*"
CITATION = f"{IDENTIFICATION}/gmd:citation/gmd:CI_Citation"


class IsoXmlError(ValueError):
    """XML that cannot (or must not) be read; German first, then English."""


def parse_xml(data: bytes) -> Any:
    """The document's root element; DOCTYPE and ENTITY declarations are refused first.

    lxml is told not to resolve entities nor to touch the network, so even a declaration the
    check missed expands nothing.
    """
    try:
        refuse_xml_declarations(data)
    except RDFParseError as exc:
        raise IsoXmlError(exc.message.replace("RDF/XML", "XML")) from None
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise IsoXmlError(f"kein gültiges XML / not valid XML: {exc}") from None


def metadata_elements(root: Any) -> list[Any]:
    """The gmd:MD_Metadata records in a document: the root itself, or those a CSW answer holds."""
    if root.tag == MD_METADATA:
        return [root]
    return list(root.iter(MD_METADATA))


def text_at(element: Any, path: str) -> str | None:
    """The stripped text of the first CharacterString, Anchor or plain value at path."""
    for found in element.xpath(path, namespaces=NAMESPACES):
        value = found if isinstance(found, str) else _element_text(found)
        if value and value.strip():
            return value.strip()
    return None


def texts_at(element: Any, path: str) -> list[str]:
    values = []
    for found in element.xpath(path, namespaces=NAMESPACES):
        value = found if isinstance(found, str) else _element_text(found)
        if value and value.strip():
            values.append(value.strip())
    return values


def elements_at(element: Any, path: str) -> list[Any]:
    return list(element.xpath(path, namespaces=NAMESPACES))


def code_at(element: Any, path: str) -> str | None:
    """A code list value (codeListValue, else the element's text)."""
    for found in element.xpath(path, namespaces=NAMESPACES):
        value = found.get("codeListValue") or (found.text or "")
        if value.strip():
            return value.strip()
    return None


def _element_text(element: Any) -> str | None:
    """A gco:CharacterString / gmx:Anchor child's text, else the element's own text."""
    for child in element:
        if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] in (
            "CharacterString",
            "Anchor",
            "URL",
            "Date",
            "DateTime",
            "Decimal",
            "LocalName",
        ):
            return child.text
    return element.text
