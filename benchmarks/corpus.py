"""Realistic German municipal dataset descriptions for benchmarks, and a fast bulk fill of a store.

`generate_datasets(count, seed)` yields dcat.model.DatasetInput objects for the fictional
Musterstadt: titles, descriptions of one to four sentences, keywords, EU themes, one of 28
offices, formats, licences, districts, periods. Words come from the vocabulary below (about 470
subjects and topics across 15 domains, 40 districts) and are drawn with Zipf-like weights, so
a few words are everywhere and most are rare, as in a real catalog; singular and plural forms,
umlauts and ß appear as departments write them. The same seed gives the same datasets.

`fill_store(store, settings, count)` turns them into published records in bulk.
"""

from __future__ import annotations

import itertools
import logging
import os
import random
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Generic, TypeVar

from rdflib import URIRef

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catalog.ingest import RecordPreparer
from catalog.models import RecordStatus
from catalog.names import slugify
from catalog.organizations import list_organizations, sync_organizations
from catalog.records import Actor, NewRecord, RecordContent, create_records
from catalog.settings import OrganizationSettings, Settings
from catalog.store import Store
from dcat.builder import build_dataset_graph
from dcat.model import (
    AgentInput,
    ContactInput,
    DatasetInput,
    DistributionInput,
    LocationInput,
    PeriodInput,
)
from dcat.validation import ValidationReport
from dcat.vocabularies import FILE_TYPES, FREQUENCIES, LICENSES, THEMES

log = logging.getLogger(__name__)
T = TypeVar("T")

CITY = "Musterstadt"
WEB = "https://www.musterstadt.example"
DOWNLOADS = "https://daten.musterstadt.example"
EU_LANGUAGE_DEU = "http://publications.europa.eu/resource/authority/language/DEU"
LOCAL_AUTHORITY = "http://purl.org/adms/publishertype/LocalAuthority"

# --- vocabulary -------------------------------------------------------------------------------
# Offices: slug, name, grammatical gender (m, f, n, pl) for "vom Umweltamt", "von der Feuerwehr".
_OFFICES = """
umweltamt Umweltamt n; gruenflaechenamt Grünflächenamt n; tiefbauamt Tiefbauamt n;
verkehrsamt Amt für Verkehr und Mobilität n; stadtplanungsamt Stadtplanungsamt n;
bauordnungsamt Bauordnungsamt n; vermessungsamt Vermessungs- und Katasteramt n;
statistikstelle Statistikstelle f; wahlamt Wahlamt n; stadtkaemmerei Stadtkämmerei f;
schulverwaltungsamt Schulverwaltungsamt n; kulturamt Kulturamt n;
stadtbibliothek Stadtbibliothek f; gesundheitsamt Gesundheitsamt n; sozialamt Sozialamt n;
jugendamt Jugendamt n; wirtschaftsfoerderung Amt für Wirtschaftsförderung n;
ordnungsamt Ordnungsamt n; feuerwehr Feuerwehr f; buergeramt Bürgeramt n; sportamt Sportamt n;
stadtreinigung Stadtreinigung f; stadtwerke Stadtwerke pl; hauptamt Hauptamt n;
liegenschaftsamt Liegenschaftsamt n; standesamt Standesamt n; stadtarchiv Stadtarchiv n;
touristinformation Touristinformation f
"""

# Domains: name / EU themes / offices / keywords / things (singular|plural) / topics.
_DOMAINS = """
Umwelt / ENVI / umweltamt gruenflaechenamt stadtreinigung / Umwelt; Natur; Klima; Ökologie;
Naturschutz; Stadtgrün / Baum|Bäume; Straßenbaum|Straßenbäume; Messstation|Messstationen;
Luftmessstelle|Luftmessstellen; Grundwassermessstelle|Grundwassermessstellen; Pegel|Pegel;
Gewässer|Gewässer; Biotop|Biotope; Naturdenkmal|Naturdenkmäler; Schutzgebiet|Schutzgebiete;
Kleingarten|Kleingärten; Parkanlage|Parkanlagen; Grünfläche|Grünflächen; Friedhof|Friedhöfe;
Altlastenfläche|Altlastenflächen; Brunnen|Brunnen; Wertstoffhof|Wertstoffhöfe;
Glascontainer|Glascontainer; Altkleidercontainer|Altkleidercontainer; Papierkorb|Papierkörbe;
Hundekotbeutelspender|Hundekotbeutelspender; Blühwiese|Blühwiesen; Streuobstwiese|Streuobstwiesen;
Nistkasten|Nistkästen; Lärmschutzwand|Lärmschutzwände; Hecke|Hecken / Luftqualität;
Feinstaubbelastung; Stickstoffdioxidbelastung; Ozonwerte; Lärmbelastung; Straßenverkehrslärm;
Gewässergüte; Grundwasserstand; Niederschlagsmenge; Hitzebelastung; Stadtklima; Baumkataster;
Abfallaufkommen; Abfallkalender; Lärmaktionsplan; Luftreinhalteplan; Klimaschutzkonzept;
Hochwassergefahrenkarte; Starkregengefahrenkarte; Versiegelungsgrad
#
Verkehr / TRAN / tiefbauamt verkehrsamt ordnungsamt / Verkehr; Mobilität; Straßenverkehr;
ÖPNV; Radverkehr / Straße|Straßen; Radweg|Radwege; Fahrradständer|Fahrradständer;
Fahrradabstellanlage|Fahrradabstellanlagen; Haltestelle|Haltestellen;
Bushaltestelle|Bushaltestellen; Ampel|Ampeln; Lichtsignalanlage|Lichtsignalanlagen;
Parkplatz|Parkplätze; Parkhaus|Parkhäuser; Parkscheinautomat|Parkscheinautomaten;
Ladesäule|Ladesäulen; Baustelle|Baustellen; Brücke|Brücken; Zählstelle|Zählstellen;
Verkehrszeichen|Verkehrszeichen; Unfallstelle|Unfallstellen;
Carsharing-Station|Carsharing-Stationen; Leihrad|Leihräder; Taxistand|Taxistände;
Zebrastreifen|Zebrastreifen;
Tempo-30-Zone|Tempo-30-Zonen; Straßenlaterne|Straßenlaternen; Gehweg|Gehwege;
Kreisverkehr|Kreisverkehre; Park-and-ride-Platz|Park-and-ride-Plätze / Verkehrsaufkommen;
Fußverkehr; Verkehrsunfälle; Straßenverzeichnis; Straßenreinigung; Winterdienst; Fahrplandaten;
Verkehrsmengenkarte; Parkraumbewirtschaftung; Baustellenkalender; Nahverkehrsplan;
Radverkehrskonzept; Pendlerströme; Schwerlastverkehr
#
Bevölkerung / SOCI / statistikstelle buergeramt standesamt / Bevölkerung; Einwohner;
Demografie; Statistik / Einwohnerin|Einwohnerinnen; Einwohner|Einwohner; Haushalt|Haushalte;
Geburt|Geburten; Sterbefall|Sterbefälle; Eheschließung|Eheschließungen; Zuzug|Zuzüge;
Fortzug|Fortzüge; Umzug|Umzüge; Staatsangehörigkeit|Staatsangehörigkeiten; Vorname|Vornamen;
Baublock|Baublöcke; Wohnung|Wohnungen; Altersgruppe|Altersgruppen;
Einpersonenhaushalt|Einpersonenhaushalte; Kind|Kinder; Hochbetagte|Hochbetagte;
Lebenspartnerschaft|Lebenspartnerschaften / Bevölkerungsstand; Bevölkerungsentwicklung;
Bevölkerungsprognose; Altersstruktur; Wanderungsstatistik; Einbürgerungen; Haushaltsstruktur;
Bevölkerungsdichte; Migrationshintergrund; Geschlechterverteilung; Lebenserwartung;
Vornamenstatistik
#
Wahlen / GOVE / wahlamt statistikstelle / Wahlen; Wahl; Wahlergebnis; Demokratie /
Wahlbezirk|Wahlbezirke; Briefwahlbezirk|Briefwahlbezirke; Wahllokal|Wahllokale;
Stimmbezirk|Stimmbezirke; Wahlkreis|Wahlkreise; Kandidatin|Kandidatinnen; Kandidat|Kandidaten;
Wahlvorschlag|Wahlvorschläge; Wahlhelferin|Wahlhelferinnen; Partei|Parteien;
Wählerverzeichnis|Wählerverzeichnisse / Bundestagswahl; Landtagswahl; Kommunalwahl; Europawahl;
Oberbürgermeisterwahl; Wahlbeteiligung; Briefwahlquote; Bürgerentscheid; Stimmenanteile;
Sitzverteilung im Stadtrat; Jugendgemeinderatswahl; Integrationsratswahl
#
Haushalt / ECON GOVE / stadtkaemmerei hauptamt liegenschaftsamt / Haushalt; Finanzen;
Steuern; Transparenz / Produkt|Produkte; Kostenstelle|Kostenstellen; Zuwendung|Zuwendungen;
Förderung|Förderungen; Beteiligung|Beteiligungen; Auftrag|Aufträge; Vergabe|Vergaben;
Liegenschaft|Liegenschaften; Grundstück|Grundstücke; Gebühr|Gebühren;
Steuerhebesatz|Steuerhebesätze; Planstelle|Planstellen; Investition|Investitionen;
Kredit|Kredite / Haushaltsplan; Haushaltssatzung; Jahresabschluss; Ergebnishaushalt;
Finanzhaushalt; Gewerbesteuer; Grundsteuer; Hundesteuer; Schuldenstand; Stellenplan;
Beteiligungsbericht; Spendenbericht; Sponsoringbericht; Haushaltsentwurf
#
Bildung / EDUC / schulverwaltungsamt jugendamt stadtbibliothek / Bildung; Schule;
Kinderbetreuung; Lernen / Schule|Schulen; Grundschule|Grundschulen; Gesamtschule|Gesamtschulen;
Gymnasium|Gymnasien; Berufsschule|Berufsschulen; Förderschule|Förderschulen;
Kindertagesstätte|Kindertagesstätten; Kita|Kitas; Tagespflegestelle|Tagespflegestellen;
Schülerin|Schülerinnen; Schüler|Schüler; Lehrkraft|Lehrkräfte; Klasse|Klassen;
Schulweg|Schulwege; Volkshochschulkurs|Volkshochschulkurse; Ausbildungsplatz|Ausbildungsplätze;
Hort|Horte; Mensa|Mensen; Schulturnhalle|Schulturnhallen; Bibliothek|Bibliotheken /
Schulentwicklungsplan; Schülerzahlen; Einschulungen; Betreuungsquote; Kita-Platzvergabe;
Schulwegplan; Bildungsbericht; Ganztagsbetreuung; Schulabschlüsse; Sprachförderung
#
Gesundheit / HEAL / gesundheitsamt sozialamt / Gesundheit; Pflege; Vorsorge; Hygiene /
Apotheke|Apotheken; Arztpraxis|Arztpraxen; Krankenhaus|Krankenhäuser; Pflegeheim|Pflegeheime;
Pflegedienst|Pflegedienste; Defibrillator|Defibrillatoren; Badestelle|Badestellen;
Trinkwasserbrunnen|Trinkwasserbrunnen; Beratungsstelle|Beratungsstellen; Impfstelle|Impfstellen;
Rettungswache|Rettungswachen; Hebamme|Hebammen; Toilettenanlage|Toilettenanlagen;
Selbsthilfegruppe|Selbsthilfegruppen / Badegewässerqualität; Trinkwasserqualität;
Infektionsmeldungen; Schuleingangsuntersuchung; Pollenflug; Hitzeaktionsplan;
Gesundheitsbericht; Zahngesundheit; Impfquote; Legionellenprüfung
#
Bauen / REGI / stadtplanungsamt bauordnungsamt liegenschaftsamt / Bauen; Wohnen;
Stadtplanung; Stadtentwicklung / Bebauungsplan|Bebauungspläne;
Flächennutzungsplan|Flächennutzungspläne; Baugenehmigung|Baugenehmigungen; Bauantrag|Bauanträge;
Gebäude|Gebäude; Baudenkmal|Baudenkmäler; Sanierungsgebiet|Sanierungsgebiete;
Baulücke|Baulücken; Neubaugebiet|Neubaugebiete; Wohnbaufläche|Wohnbauflächen;
Gewerbefläche|Gewerbeflächen; Erhaltungssatzung|Erhaltungssatzungen; Dachfläche|Dachflächen;
Sozialwohnung|Sozialwohnungen; Hausnummer|Hausnummern / Bodenrichtwerte; Mietspiegel;
Wohnungsmarktbericht; Baufertigstellungen; Leerstandskataster; Denkmalliste;
Städtebauförderung; Solarpotenzialkataster; Gründachkataster; Wohnraumversorgungskonzept;
Bauleitplanung
#
Geodaten / REGI TECH / vermessungsamt stadtplanungsamt / Geodaten; Karte; Vermessung; GIS;
Geobasisdaten / Flurstück|Flurstücke; Gemarkung|Gemarkungen; Flur|Fluren; Adresse|Adressen;
Gebäudeumriss|Gebäudeumrisse; Luftbild|Luftbilder; Orthofoto|Orthofotos; Höhenlinie|Höhenlinien;
Festpunkt|Festpunkte; Stadtbezirk|Stadtbezirke; Ortsteil|Ortsteile;
Straßenabschnitt|Straßenabschnitte; Kachel|Kacheln / Digitales Geländemodell;
Digitales Oberflächenmodell; Liegenschaftskataster; Stadtgrundkarte; 3D-Stadtmodell;
Amtliche Basiskarte; Hausumringe; Stadtteilgrenzen; Adressverzeichnis; Laserscandaten;
Historische Karten
#
Kultur / EDUC / kulturamt stadtarchiv stadtbibliothek touristinformation / Kultur; Kunst;
Freizeit; Tourismus; Geschichte / Museum|Museen; Theater|Theater; Denkmal|Denkmäler;
Veranstaltung|Veranstaltungen; Kunstwerk|Kunstwerke; Skulptur|Skulpturen;
Gedenktafel|Gedenktafeln; Stolperstein|Stolpersteine; Konzert|Konzerte; Festival|Festivals;
Musikschule|Musikschulen; Kino|Kinos; Archivale|Archivalien; Ausstellung|Ausstellungen;
Sehenswürdigkeit|Sehenswürdigkeiten; Stadtführung|Stadtführungen / Veranstaltungskalender;
Besucherzahlen der Museen; Kulturförderung; Ausleihstatistik; Kunst im öffentlichen Raum;
Straßennamenerläuterungen; Stadtchronik; Übernachtungszahlen; Gästeankünfte
#
Wirtschaft / ECON / wirtschaftsfoerderung ordnungsamt / Wirtschaft; Arbeit; Gewerbe; Handel /
Gewerbebetrieb|Gewerbebetriebe; Gewerbeanmeldung|Gewerbeanmeldungen;
Gewerbeabmeldung|Gewerbeabmeldungen; Gaststätte|Gaststätten; Wochenmarkt|Wochenmärkte;
Marktstand|Marktstände; Hotel|Hotels; Unternehmen|Unternehmen; Gründung|Gründungen;
Arbeitslose|Arbeitslose; Beschäftigte|Beschäftigte; Gewerbegebiet|Gewerbegebiete;
Einzelhandelsgeschäft|Einzelhandelsgeschäfte; Leerstand|Leerstände;
Sondernutzung|Sondernutzungen / Arbeitsmarktstatistik; Einzelhandelskonzept;
Gewerbeflächenmonitoring; Breitbandausbau; Kaufkraft; Tourismusstatistik; Wirtschaftsbericht;
Marktzeiten; Pendlerstatistik
#
Soziales / SOCI EDUC / sozialamt jugendamt sportamt / Soziales; Familie; Jugend; Sport;
Senioren / Spielplatz|Spielplätze; Jugendzentrum|Jugendzentren; Seniorentreff|Seniorentreffs;
Sportplatz|Sportplätze; Sporthalle|Sporthallen; Schwimmbad|Schwimmbäder; Bolzplatz|Bolzplätze;
Skateranlage|Skateranlagen; Sportverein|Sportvereine; Familienzentrum|Familienzentren;
Notunterkunft|Notunterkünfte; Wohngeldempfänger|Wohngeldempfänger; Tafel|Tafeln;
Begegnungsstätte|Begegnungsstätten / Sozialbericht; Wohngeld; Grundsicherung;
Hilfen zur Erziehung; Kinderarmut; Sportstättenbelegung; Ehrenamt; Inklusion; Seniorenbericht;
Jugendhilfeplanung
#
Sicherheit / JUST / ordnungsamt feuerwehr / Sicherheit; Ordnung; Feuerwehr; Bevölkerungsschutz /
Feuerwache|Feuerwachen; Hydrant|Hydranten; Einsatz|Einsätze; Notruf|Notrufe; Sirene|Sirenen;
Bußgeldbescheid|Bußgeldbescheide; Fundsache|Fundsachen; Hund|Hunde;
Geschwindigkeitsmessanlage|Geschwindigkeitsmessanlagen; Verwarnung|Verwarnungen;
Sammelstelle|Sammelstellen; Notfalltreffpunkt|Notfalltreffpunkte / Einsatzstatistik der Feuerwehr;
Verkehrsüberwachung; Katastrophenschutz; Kriminalitätsstatistik; Fundbüro; Lärmbeschwerden;
Brandschutzbedarfsplan; Hochwasserwarnung
#
Energie / ENER ENVI / stadtwerke umweltamt / Energie; Klimaschutz; Strom; Wärme /
Photovoltaikanlage|Photovoltaikanlagen; Windkraftanlage|Windkraftanlagen;
Blockheizkraftwerk|Blockheizkraftwerke; Wärmepumpe|Wärmepumpen;
Fernwärmeleitung|Fernwärmeleitungen; Ladepunkt|Ladepunkte; Umspannwerk|Umspannwerke;
Heizzentrale|Heizzentralen / Energieverbrauch städtischer Gebäude; Stromverbrauch; Wärmeplanung;
CO2-Bilanz; Treibhausgasemissionen; Energiebericht; Fernwärmenetz; Erneuerbare Energien
#
Verwaltung / GOVE INTR / hauptamt buergeramt standesamt / Verwaltung; Rathaus; Bürgerservice;
Politik / Dienststelle|Dienststellen; Bürgerbüro|Bürgerbüros; Sitzung|Sitzungen;
Ratsbeschluss|Ratsbeschlüsse; Antrag|Anträge; Formular|Formulare; Satzung|Satzungen;
Wartezeit|Wartezeiten; Termin|Termine; Ausschuss|Ausschüsse; Ortsbeirat|Ortsbeiräte;
Städtepartnerschaft|Städtepartnerschaften / Öffnungszeiten; Ratsinformationssystem;
Organigramm; Zuständigkeitsfinder; Ortsrecht; Amtsblatt; Personalbericht; Bürgerhaushalt;
Beschwerdemanagement
"""

_DISTRICTS = """Altstadt; Neustadt; Nordstadt; Südstadt; Weststadt; Oststadt; Am Hafen;
Bahnhofsviertel; Domviertel; Schlossberg; Lindenau; Eichwald; Birkenhain; Kirchdorf; Mühlenbach;
Rosenhöhe; Sonnenberg; Talheim; Wiesengrund; Brückenfeld; Heidekamp; Fischerkiez; Gartenstadt;
Grünau; Steinfurt; Auenwald; Niederau; Marienthal; Weißenfeld; Bärenbach; Fuchsloch; Schäferei;
Hüttenviertel; Mühlenviertel; Großer Garten; Kastanienallee; Ulmenhof; Seeblick; Am Römerturm;
Zeche Glückauf"""

_BREAKDOWNS = """Stadtteilen; Stadtbezirken; Altersgruppen; Geschlecht; Staatsangehörigkeit;
Monaten; Wochentagen; Jahren; Wahlbezirken; Schularten; Baublöcken; Straßen; Tageszeit;
Kategorien; Trägern; Nutzungsarten"""
_THING_MEASURES = """Standorte der; Anzahl der; Verzeichnis der; Bestand der; Übersicht der;
Kataster der; Liste der; Entwicklung der; Zustand der; Erfassung der"""
_TOPIC_MEASURES = "Messwerte; Statistik; Karte; Jahresbericht; Zeitreihe; Prognose; Auswertung"
_BASES = """Grundlage sind die Daten des Melderegisters. | Grundlage sind Zählungen vor Ort. |
Grundlage ist das amtliche Liegenschaftskatasterinformationssystem (ALKIS). | Grundlage sind
Meldungen von Bürgerinnen und Bürgern. | Grundlage ist die Geschäftsstatistik des Amtes. |
Grundlage sind Messungen an festen Messstationen. | Grundlage sind Angaben der Träger. |
Grundlage ist eine Auswertung von Luftbildern. | Grundlage sind Begehungen im Stadtgebiet."""
_NOTES = """Einzelne Werte unter drei Fällen sind aus Datenschutzgründen nicht ausgewiesen. |
Die Werte für das laufende Jahr sind vorläufig. | Die Geometrien liegen in ETRS89 / UTM Zone 32N
(EPSG:25832) vor. | Ältere Jahrgänge sind auf Anfrage erhältlich. | Die Daten werden ohne
Gewähr bereitgestellt. | Die Schreibweise der Straßennamen folgt dem amtlichen
Straßenverzeichnis."""
# EU frequency codes with how a sentence says them; file types and licences by how common.
_FREQUENCIES = {
    "ANNUAL": "jährlich",
    "MONTHLY": "monatlich",
    "IRREG": "unregelmäßig",
    "QUARTERLY": "vierteljährlich",
    "DAILY": "täglich",
    "WEEKLY": "wöchentlich",
    "CONT": "laufend",
}
_FORMATS = """CSV PDF XLSX JSON GEOJSON SHP WMS_SRVC WFS_SRVC XML ZIP HTML KML GML XLS ODS TXT
GPKG DOCX JPEG TIFF RDF_TURTLE ATOM"""
_SERVICES = {"WMS_SRVC", "WFS_SRVC", "HTML"}
_LICENCES = """dl-by-de/2.0 dl-zero-de/2.0 cc-by/4.0 cc-zero cc-by-sa/4.0 odbl dl-by-de/1.0
geoNutz/20131001 officialWork other-open cc-by-nc/4.0"""


def _items(text: str, separator: str = ";") -> list[str]:
    return [" ".join(item.split()) for item in text.split(separator) if item.strip()]


@dataclass(frozen=True)
class Office:
    slug: str
    name: str
    gender: str

    @property
    def from_phrase(self) -> str:
        """'vom Umweltamt', 'von der Feuerwehr', 'von den Stadtwerken'."""
        if self.gender == "f":
            return f"von der {self.name}"
        return f"von den {self.name}n" if self.gender == "pl" else f"vom {self.name}"


@dataclass(frozen=True)
class Subject:
    """What a dataset is about: a thing that is counted (Baum|Bäume) or a topic (Luftqualität)."""

    label: str
    plural: str | None = None  # things only

    @property
    def is_thing(self) -> bool:
        return self.plural is not None


@dataclass(frozen=True)
class Domain:
    name: str
    themes: tuple[str, ...]
    offices: tuple[str, ...]
    keywords: tuple[str, ...]
    subjects: tuple[Subject, ...]  # things first, then topics

    @property
    def things(self) -> list[Subject]:
        return [subject for subject in self.subjects if subject.is_thing]


def _offices() -> dict[str, Office]:
    offices = {}
    for entry in _items(_OFFICES):
        slug, *name, gender = entry.split()
        offices[slug] = Office(slug, " ".join(name), gender)
    return offices


def _domains() -> list[Domain]:
    domains = []
    for block in _DOMAINS.split("#"):
        name, themes, offices, keywords, things, topics = " ".join(block.split()).split(" / ")
        domains.append(
            Domain(
                name=name.strip(),
                themes=tuple(themes.split()),
                offices=tuple(offices.split()),
                keywords=tuple(_items(keywords)),
                subjects=(
                    *(Subject(*item.split("|")) for item in _items(things)),
                    *(Subject(item) for item in _items(topics)),
                ),
            )
        )
    return domains


OFFICES = _offices()
DOMAINS = _domains()
DISTRICTS = _items(_DISTRICTS)


def organisation_names() -> list[tuple[str, str]]:
    """The offices as (slug, name): the organisations a generated catalog needs."""
    return [(office.slug, office.name) for office in OFFICES.values()]


def vocabulary_size() -> int:
    """How many distinct subjects (things and topics) the generator draws from."""
    return len({subject.label for domain in DOMAINS for subject in domain.subjects})


# --- generation -------------------------------------------------------------------------------


class _Zipf(Generic[T]):
    """Draws from a list with weight 1/rank^exponent: the first items often, most rarely."""

    def __init__(self, items: Sequence[T], exponent: float = 1.1) -> None:
        self.items = list(items)
        weights = [1 / (rank**exponent) for rank in range(1, len(self.items) + 1)]
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> T:
        return rng.choices(self.items, cum_weights=self.cumulative)[0]


class _Generator:
    """Each dataset from its own random stream (seed and index), so any part of a corpus can be
    made on its own, in any process, and comes out the same."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.domains = _Zipf(DOMAINS, 0.7)
        self.subjects = {domain.name: _Zipf(domain.subjects) for domain in DOMAINS}
        self.districts = _Zipf(DISTRICTS, 0.9)
        self.formats = _Zipf(_FORMATS.split(), 1.3)
        self.licences = _Zipf(_LICENCES.split(), 1.4)
        self.frequencies = _Zipf(list(_FREQUENCIES), 1.2)
        self.file_types = {concept.code: concept for concept in FILE_TYPES}
        self.licence_concepts = {concept.code: concept for concept in LICENSES}

    def dataset(self, index: int) -> DatasetInput:
        rng = self.rng
        rng.seed(f"{self.seed}:{index}")
        domain = self.domains.pick(rng)
        subject = self.subjects[domain.name].pick(rng)
        office = OFFICES[rng.choice(domain.offices)]
        district = self.districts.pick(rng) if rng.random() < 0.35 else None
        year = rng.randint(2005, 2025)
        title = self._title(subject, district, year)
        frequency = self.frequencies.pick(rng)
        identifier = f"{office.slug}-{index:06d}"
        issued = date(2008, 1, 1) + timedelta(days=rng.randint(0, 6000))
        return DatasetInput(
            title={"de": title},
            description={"de": self._description(domain, subject, office, title, frequency)},
            identifier=identifier,
            keywords=self._keywords(domain, subject, district, year),
            themes=[THEMES.scheme + "/" + code for code in domain.themes[: rng.randint(1, 2)]],
            publisher=AgentInput(
                name=f"Stadt {CITY}, {office.name}",
                uri=f"{WEB}/{office.slug}/",
                type=LOCAL_AUTHORITY,
            ),
            contact=ContactInput(name=office.name, email=f"{office.slug}@musterstadt.example"),
            spatial=self._spatial(rng),
            geocoding_description={"de": district} if district else {},
            temporal=[PeriodInput(date(year, 1, 1), date(year, 12, 31))]
            if rng.random() < 0.5
            else [],
            issued=issued,
            modified=issued + timedelta(days=rng.randint(0, 1500)),
            accrual_periodicity=FREQUENCIES.scheme + "/" + frequency,
            languages=[EU_LANGUAGE_DEU],
            landing_page=f"{WEB}/daten/{identifier}",
            distributions=self._distributions(identifier, office, title),
        )

    def _title(self, subject: Subject, district: str | None, year: int) -> str:
        rng = self.rng
        where = f"in {district}" if district else rng.choice(["in " + CITY, "im Stadtgebiet", ""])
        breakdown = rng.choice(_items(_BREAKDOWNS))
        if subject.plural is not None:
            plural = subject.plural
            measure = rng.choice(_items(_THING_MEASURES))
            patterns = [
                f"{measure} {plural} {where}",
                f"{plural} {where} {year}",
                f"{measure} {plural} {year}",
                f"{measure} {plural} nach {breakdown}",
                f"{plural} nach {breakdown} {year}",
            ]
        else:
            topic = subject.label
            measure = rng.choice(_items(_TOPIC_MEASURES))
            patterns = [f"{topic} {year}", f"{topic} {where}", f"{topic}: {measure} {year}"]
            patterns += [f"{topic} nach {breakdown}", f"{measure} {topic} {year}"]
        return " ".join(rng.choice(patterns).split())

    def _description(
        self, domain: Domain, subject: Subject, office: Office, title: str, freq: str
    ) -> str:
        rng = self.rng
        sentences = [f"Der Datensatz „{title}“ wird {office.from_phrase} bereitgestellt."]
        optional = [
            f"Er enthält Angaben für das gesamte Stadtgebiet, gegliedert nach "
            f"{rng.choice(_items(_BREAKDOWNS))}.",
            f"Die Daten werden {_FREQUENCIES[freq]} aktualisiert.",
            rng.choice(_items(_BASES, "|")),
            rng.choice(_items(_NOTES, "|")),
            f"Seit {rng.randint(1990, 2020)} werden zusätzlich "
            f"{rng.choice(domain.things).plural} im Stadtteil {self.districts.pick(rng)} erfasst.",
        ]
        if subject.is_thing:
            optional.append(f"Erfasst sind {rng.randint(3, 4000)} {subject.plural}.")
        sentences += rng.sample(optional, rng.randint(0, 3))
        return " ".join(sentences)

    def _keywords(
        self, domain: Domain, subject: Subject, district: str | None, year: int
    ) -> list[str]:
        rng = self.rng
        words = list(rng.sample(domain.keywords, rng.randint(1, 3)))
        if subject.plural is not None and rng.random() < 0.6:
            words.append(subject.plural)
        elif subject.plural is not None:
            words += [subject.label, subject.plural]
        else:
            words.append(subject.label)
        if district:
            words.append(district)
        if rng.random() < 0.2:
            words.append(str(year))
        if rng.random() < 0.1:
            words.append("Open Data")
        return words

    def _spatial(self, rng: random.Random) -> list[str | LocationInput]:
        if rng.random() > 0.3:
            return []
        lon, lat = 9.9 + rng.random() * 0.2, 51.5 + rng.random() * 0.1
        return [LocationInput(centroid=f"POINT({lon:.5f} {lat:.5f})")]

    def _distributions(
        self, identifier: str, office: Office, title: str
    ) -> list[DistributionInput]:
        rng = self.rng
        codes = list(
            dict.fromkeys(self.formats.pick(rng) for _ in range(rng.choice([1, 1, 2, 3, 4])))
        )
        licence = self.licence_concepts[self.licences.pick(rng)]
        distributions = []
        for number, code in enumerate(codes, start=1):
            file_type = self.file_types[code]
            url = f"{DOWNLOADS}/{office.slug}/{identifier}/{number}.{code.lower()}"
            service = code in _SERVICES
            distributions.append(
                DistributionInput(
                    access_url=url,
                    download_url=None if service else url,
                    title={"de": f"{title} ({file_type.label_de})"},
                    format=file_type.iri,
                    media_type=file_type.media_type,
                    license=licence.iri,
                    license_attribution_by_text=f"Stadt {CITY}, {office.name}"
                    if licence.attribution
                    else None,
                    byte_size=None if service else int(rng.lognormvariate(11, 2)),
                )
            )
        return distributions


def generate_datasets(count: int, seed: int = 20251, *, start: int = 0) -> Iterator[DatasetInput]:
    """`count` dataset descriptions from number `start` on; equal for equal seeds and numbers."""
    generator = _Generator(seed)
    for index in range(start, start + count):
        yield generator.dataset(index)


# --- bulk fill --------------------------------------------------------------------------------

Prepared = tuple[str, RecordContent, str]  # name, content, office slug


def fill_store(
    store: Store,
    settings: Settings,
    count: int,
    batch: int = 2000,
    *,
    seed: int = 20251,
    validate_every: int = 100,
    workers: int | None = None,
) -> float:
    """Store `count` generated datasets as published records; returns the seconds it took.

    Every record is built, normalised, serialised and hashed as a harvest does it
    (catalog.ingest.RecordPreparer), but full SHACL validation (about 15 ms a record, 25
    minutes for 100,000 on one core) runs only on every `validate_every`-th record; the others
    get the report the sampled ones got. That is sound because every sampled report must be
    empty (no violation, warning or info; the fill stops with the report otherwise), so no
    record claims a validation state it would not get, and publishing depends on nothing but
    that state (VALID). Batches of `batch` are prepared in `workers` processes (default: one
    per core) and stored in this one with catalog.records.create_records, one transaction
    each. Names are the title's slug and the dataset's number, so a fill expects a store
    without records of the same seed; the offices are created as organisations.
    """
    started = time.perf_counter()
    sync_organizations(
        store, [OrganizationSettings(name=slug, title=name) for slug, name in organisation_names()]
    )
    organizations = {org.name: org.id for org in list_organizations(store)}
    actor = Actor(label="benchmarks.corpus")
    jobs = [(start, min(batch, count - start)) for start in range(0, count, batch)]
    for number, prepared in enumerate(
        _prepared_batches(settings, jobs, seed, validate_every, workers)
    ):
        records = [
            NewRecord(name, content, RecordStatus.PUBLISHED, organizations[office])
            for name, content, office in prepared
        ]
        create_records(store, records, actor=actor)
        log.info("%d of %d records stored", min((number + 1) * batch, count), count)
    return time.perf_counter() - started


def _prepared_batches(
    settings: Settings,
    jobs: list[tuple[int, int]],
    seed: int,
    validate_every: int,
    workers: int | None,
) -> Iterator[list[Prepared]]:
    """The batches in order; at most two per worker wait, so memory stays bounded."""
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        _start_worker(settings)
        for start, size in jobs:
            yield _prepare_batch(start, size, seed, validate_every)
        return
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(settings,)) as pool:
        waiting: deque[Future[list[Prepared]]] = deque()
        for start, size in jobs:
            waiting.append(pool.submit(_prepare_batch, start, size, seed, validate_every))
            if len(waiting) >= 2 * workers:
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()


_WORKER: dict[str, RecordPreparer] = {}


def _start_worker(settings: Settings) -> None:
    _WORKER["preparer"] = RecordPreparer(settings)


def _prepare_batch(start: int, size: int, seed: int, validate_every: int) -> list[Prepared]:
    preparer = _WORKER["preparer"]
    base_url = preparer.settings.catalog.base_url
    reused = ValidationReport(conforms=True, results=[])
    prepared = []
    for index, data in enumerate(generate_datasets(size, seed, start=start), start=start):
        name = f"{slugify(data.title['de'])[:80].rstrip('-')}-{index}"
        graph, node = build_dataset_graph(data, uri=f"{base_url}/dataset/{name}")
        result = preparer.normalise(graph)
        report = reused
        if index % validate_every == 0:
            report = preparer.validator.validate(result.graph)
            if report.results:
                raise ValueError(f"{name}: the generated record is not clean: {report.to_json()}")
        content = preparer.complete(result, report, URIRef(node)).content
        prepared.append((name, content, (data.identifier or "").rsplit("-", 1)[0]))
    return prepared
