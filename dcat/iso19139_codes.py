"""ISO 19139 code lists -> the EU vocabularies DCAT-AP.de uses (themes, frequencies, languages).

Only mappings that are established are here; a keyword or topic category without one stays
a keyword (dcat:keyword), so nothing is guessed into a theme.
"""

from __future__ import annotations

from dcat.vocabularies import EU_AUTHORITY

DATA_THEME = EU_AUTHORITY + "data-theme/"
FREQUENCY = EU_AUTHORITY + "frequency/"
LANGUAGE = EU_AUTHORITY + "language/"
INSPIRE_RESOURCE_TYPE = "http://inspire.ec.europa.eu/metadata-codelist/ResourceType/"

# ISO 19115 MD_TopicCategoryCode -> EU data theme: the skos:closeMatch links of the EU data
# theme vocabulary (data-theme-skos), as GeoDCAT-AP 2.0 uses them.
TOPIC_CATEGORY_THEMES = {
    "farming": "AGRI",
    "biota": "ENVI",
    "boundaries": "REGI",
    "climatologyMeteorologyAtmosphere": "ENVI",
    "economy": "ECON",
    "environment": "ENVI",
    "health": "HEAL",
    "inlandWaters": "ENVI",
    "oceans": "ENVI",
    "planningCadastre": "REGI",
    "society": "SOCI",
    "transportation": "TRAN",
    "location": "REGI",
}

# INSPIRE themes (GEMET - INSPIRE themes, version 1.0) -> EU data theme, for the themes whose
# alignment is one-to-one; by the theme's German and English label.
INSPIRE_THEMES = {
    "boden": "ENVI",
    "soil": "ENVI",
    "gewässernetz": "ENVI",
    "hydrography": "ENVI",
    "schutzgebiete": "ENVI",
    "protected sites": "ENVI",
    "verkehrsnetze": "TRAN",
    "transport networks": "TRAN",
    "gesundheit und sicherheit": "HEAL",
    "human health and safety": "HEAL",
    "energiequellen": "ENER",
    "energy resources": "ENER",
    "landwirtschaftliche anlagen und aquakulturanlagen": "AGRI",
    "agricultural and aquacultural facilities": "AGRI",
    "verteilung der bevölkerung — demografie": "SOCI",
    "population distribution — demography": "SOCI",
    "lebensräume und biotope": "ENVI",
    "habitats and biotopes": "ENVI",
    "verteilung der arten": "ENVI",
    "species distribution": "ENVI",
    "atmosphärische bedingungen": "ENVI",
    "atmospheric conditions": "ENVI",
    "umweltüberwachung": "ENVI",
    "environmental monitoring facilities": "ENVI",
    "bodennutzung": "REGI",
    "land use": "REGI",
    "flurstücke/grundstücke (katasterparzellen)": "REGI",
    "cadastral parcels": "REGI",
    "verwaltungseinheiten": "REGI",
    "administrative units": "REGI",
}
INSPIRE_THESAURUS = "inspire"

# MD_MaintenanceFrequencyCode -> EU frequency (GeoDCAT-AP 2.0).
FREQUENCIES = {
    "continual": "UPDATE_CONT",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "fortnightly": "BIWEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "biannually": "ANNUAL_2",
    "annually": "ANNUAL",
    "asNeeded": "IRREG",
    "irregular": "IRREG",
    "notPlanned": "NEVER",
    "unknown": "UNKNOWN",
}

# ISO 639-2 (B and T) codes of gmd:LanguageCode -> EU language code and the literal's tag.
LANGUAGES = {
    "ger": ("DEU", "de"),
    "deu": ("DEU", "de"),
    "eng": ("ENG", "en"),
    "fre": ("FRA", "fr"),
    "fra": ("FRA", "fr"),
    "dut": ("NLD", "nl"),
    "nld": ("NLD", "nl"),
    "pol": ("POL", "pl"),
    "dan": ("DAN", "da"),
}

SCOPES = ("dataset", "series", "service")

# Service types (srv:serviceTypeVersion, online resource protocols) -> EU file type and the
# OGC service type IRI written as dct:conformsTo.
SERVICE_TYPES = {
    "wms": ("WMS_SRVC", "http://www.opengis.net/def/serviceType/ogc/wms"),
    "wfs": ("WFS_SRVC", "http://www.opengis.net/def/serviceType/ogc/wfs"),
    "wcs": ("WCS_SRVC", "http://www.opengis.net/def/serviceType/ogc/wcs"),
    "wmts": ("WMTS_SRVC", "http://www.opengis.net/def/serviceType/ogc/wmts"),
}
ATOM = ("ATOM", "https://inspire.ec.europa.eu/id/document/tg/download-atom")


def theme_for_topic(code: str) -> str | None:
    theme = TOPIC_CATEGORY_THEMES.get(code)
    return DATA_THEME + theme if theme else None


def theme_for_inspire(label: str) -> str | None:
    theme = INSPIRE_THEMES.get(" ".join(label.casefold().split()))
    return DATA_THEME + theme if theme else None


def frequency_iri(code: str | None) -> str | None:
    found = FREQUENCIES.get(code or "")
    return FREQUENCY + found if found else None


def language_of(code: str | None) -> tuple[str | None, str]:
    """The EU language IRI and the literal tag for an ISO 639-2 code ("de" when unknown)."""
    found = LANGUAGES.get((code or "").strip().lower()[:3])
    if found is None:
        return None, "de"
    return LANGUAGE + found[0], found[1]


def service_kind(*hints: str | None) -> tuple[str, str] | None:
    """(file type code, conformsTo IRI) of the service a protocol, type or URL names."""
    text = " ".join(hint for hint in hints if hint).lower()
    for key in ("wmts", "wms", "wfs", "wcs"):
        if f"ogc:{key}" in text or f"service={key}" in text or f"/{key}" in text:
            return SERVICE_TYPES[key]
    if "atom" in text:
        return ATOM
    return None
