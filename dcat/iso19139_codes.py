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

# ISO 19115 MD_TopicCategoryCode -> EU data themes. No EU-level alignment exists (GeoDCAT-AP
# keeps topic categories as geodcatap:topicCategory); this is the German one that GDI-DE
# metadata harvesters share: informationgrid/ingrid-harvester csw.mapper.ts
# mapCategoriesToThemes, InGrid's dcatapde ThemeMapper and BB-Open/iso2dcat categories.py
# (their keyword-dependent extra themes are left out).
TOPIC_CATEGORY_THEMES: dict[str, tuple[str, ...]] = {
    "farming": ("AGRI", "ENVI"),
    "biota": ("ENVI",),
    "boundaries": ("REGI", "GOVE"),
    "climatologyMeteorologyAtmosphere": ("ENVI", "TECH"),
    "economy": ("ECON",),
    "elevation": ("ENVI", "GOVE", "TECH"),
    "environment": ("ENVI",),
    "geoscientificInformation": ("REGI", "ENVI", "TECH"),
    "health": ("HEAL",),
    "imageryBaseMapsEarthCover": ("ENVI", "GOVE", "TECH", "REGI", "AGRI"),
    "intelligenceMilitary": ("JUST",),
    "inlandWaters": ("ENVI", "TRAN", "AGRI"),
    "location": ("REGI", "GOVE"),
    "oceans": ("ENVI", "TRAN", "AGRI"),
    "planningCadastre": ("REGI", "GOVE"),
    "society": ("SOCI", "EDUC"),
    "structure": ("REGI", "TRAN"),
    "transportation": ("TRAN",),
    "utilitiesCommunication": ("ENER", "ENVI", "GOVE"),
}

# INSPIRE themes -> EU data themes, the skos:broadMatch links of SEMIC's alignment
# (SEMICeu/iso-19139-to-dcat-ap, alignments/inspire-themes-to-mdr-data-themes.rdf), by the
# theme's German and English label in the INSPIRE registry.
INSPIRE_THEMES: dict[str, tuple[str, ...]] = {
    "adressen": ("REGI",),
    "addresses": ("REGI",),
    "koordinatenreferenzsysteme": ("REGI",),
    "coordinate reference systems": ("REGI",),
    "geografische gittersysteme": ("REGI",),
    "geographical grid systems": ("REGI",),
    "geografische bezeichnungen": ("REGI",),
    "geographical names": ("REGI",),
    "verwaltungseinheiten": ("GOVE",),
    "administrative units": ("GOVE",),
    "flurstücke/grundstücke (katasterparzellen)": ("REGI", "ECON"),
    "cadastral parcels": ("REGI", "ECON"),
    "verkehrsnetze": ("TRAN",),
    "transport networks": ("TRAN",),
    "gewässernetz": ("ENVI", "TECH"),
    "hydrography": ("ENVI", "TECH"),
    "schutzgebiete": ("ENVI",),
    "protected sites": ("ENVI",),
    "höhe": ("REGI",),
    "elevation": ("REGI",),
    "bodenbedeckung": ("ENVI",),
    "land cover": ("ENVI",),
    "orthofotografie": ("REGI", "TECH"),
    "orthoimagery": ("REGI", "TECH"),
    "geologie": ("REGI", "TECH"),
    "geology": ("REGI", "TECH"),
    "statistische einheiten": ("SOCI",),
    "statistical units": ("SOCI",),
    "gebäude": ("REGI",),
    "buildings": ("REGI",),
    "boden": ("ENVI",),
    "soil": ("ENVI",),
    "bodennutzung": ("ECON", "ENVI"),
    "land use": ("ECON", "ENVI"),
    "gesundheit und sicherheit": ("HEAL",),
    "human health and safety": ("HEAL",),
    "versorgungswirtschaft und staatliche dienste": ("GOVE",),
    "utility and governmental services": ("GOVE",),
    "umweltüberwachung": ("ENVI",),
    "environmental monitoring facilities": ("ENVI",),
    "produktions- und industrieanlagen": ("ECON",),
    "production and industrial facilities": ("ECON",),
    "landwirtschaftliche anlagen und aquakulturanlagen": ("AGRI",),
    "agricultural and aquaculture facilities": ("AGRI",),
    "verteilung der bevölkerung — demografie": ("SOCI",),
    "population distribution — demography": ("SOCI",),
    "bewirtschaftungsgebiete/schutzgebiete/geregelte gebiete und berichterstattungseinheiten": (
        "ENVI",
    ),
    "area management/restriction/regulation zones and reporting units": ("ENVI",),
    "gebiete mit naturbedingten risiken": ("ENVI",),
    "natural risk zones": ("ENVI",),
    "atmosphärische bedingungen": ("ENVI",),
    "atmospheric conditions": ("ENVI",),
    "meteorologisch-geografische kennwerte": ("ENVI", "TECH"),
    "meteorological geographical features": ("ENVI", "TECH"),
    "ozeanografisch-geografische kennwerte": ("ENVI",),
    "oceanographic geographical features": ("ENVI",),
    "meeresregionen": ("ENVI",),
    "sea regions": ("ENVI",),
    "biogeografische regionen": ("ENVI",),
    "bio-geographical regions": ("ENVI",),
    "lebensräume und biotope": ("ENVI",),
    "habitats and biotopes": ("ENVI",),
    "verteilung der arten": ("ENVI",),
    "species distribution": ("ENVI",),
    "energiequellen": ("ENER",),
    "energy resources": ("ENER",),
    "mineralische bodenschätze": ("ECON", "ENVI", "ENER"),
    "mineral resources": ("ECON", "ENVI", "ENER"),
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


def themes_for_topic(code: str) -> list[str]:
    return [DATA_THEME + theme for theme in TOPIC_CATEGORY_THEMES.get(code, ())]


def themes_for_inspire(label: str) -> list[str]:
    """The EU data themes of an INSPIRE theme keyword, by its label; [] for other words."""
    return [
        DATA_THEME + theme for theme in INSPIRE_THEMES.get(" ".join(label.casefold().split()), ())
    ]


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
