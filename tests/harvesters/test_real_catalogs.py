"""The conformance corpus (tests/data/real): real catalogs of many origins, each served on
127.0.0.1 and harvested as a steward would add it, then with the settings a steward writes
after reading the job report (tests/data/real/steward-settings.yaml).

Judged by the official DCAT-AP.de 2.0 shapes (Spezifikation profile, offline, as in
../shared/dcat-ap-de/VALIDATION.md), not by our own: every record public outputs show must
conform. benchmarks/conformance.py prints the same figures as a table.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from sqlalchemy import select

from catalog.ingest import RecordPreparer
from catalog.migrate import upgrade_database
from catalog.models import DatasetRecord, RecordStatus, Revision
from catalog.store import Store, open_store
from dcat.iso19139 import file_identifier
from dcat.iso19139_rights import rights_of
from dcat.iso19139_xml import elements_at, metadata_elements, parse_xml, text_at, texts_at
from dcat.namespaces import DCAT, DCATDE, DCT, FOAF
from dcat.normalise import Change, NormalisationContext, normalise
from dcat.normalise.mappings import MAPPING_RULE
from dcat.parsing import parse_rdf
from dcat.relative import RELATIVE_BASE, rebase_described_nodes
from dcat.split import split_catalog_into_datasets
from dcat.validation import Validator
from tests.dcat.official_judge import judge
from tests.dcat.official_shapes import requires_shared
from tests.harvesters.real_corpus import (
    CITY_CONTRIBUTOR,
    CITY_KEY,
    CITY_NAME,
    CatalogOutcome,
    CorpusCatalog,
    corpus_settings,
    ground_signature,
    harvest,
    load_corpus,
    public_graphs,
    revision_count,
    serve,
    total_of,
)
from tests.harvesters.recorded import RecordedServer

CORPUS = load_corpus()
# Measured on this corpus; a change in a number is a change in behaviour to look at.
# slug: (published, held back, refused) without settings, then with the steward's settings.
EXPECTED: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "de-state-brandenburg-datenadler-dcat": ((2, 26, 0), (2, 26, 0)),
    "de-city-potsdam-ods-dcat": ((0, 10, 0), (10, 0, 0)),
    "de-city-muenster-dkan-sheet": ((71, 133, 1), (199, 5, 1)),
    "de-nrw-musterdatenkatalog-sheet": ((962, 0, 2), (962, 0, 2)),
    "it-university-upo-dcatapit": ((18, 0, 0), (18, 0, 0)),
    "it-comune-foggia-dcatapit": ((7, 0, 0), (7, 0, 0)),
    "it-comune-alessandria-dcatapit": ((5, 0, 0), (5, 0, 0)),
    "de-govdata-ckanext-dcatde-dcat": ((2, 4, 0), (2, 4, 0)),
    "ch-opendata-swiss-dcat": ((0, 2, 0), (0, 2, 0)),
    "de-state-schleswig-holstein-ckan-dcat": ((100, 0, 0), (100, 0, 0)),
    "de-state-schleswig-holstein-ckan-api": ((1, 3, 0), (1, 3, 0)),
    "dkan-demo": ((4, 0, 0), (4, 0, 0)),
    "dkan-hautsdefrance": ((1, 0, 0), (1, 0, 0)),
    # CSW: records without an open licence are held back by the source's option; the
    # steward maps DOV's and GéoBretagne's licence sentences (steward-settings.yaml).
    "de-federal-wsv-geokatalog-csw": ((0, 3, 0), (0, 3, 0)),
    "de-state-rlp-gdi-mapbender-csw": ((0, 1, 0), (0, 1, 0)),
    "de-state-bavaria-ldbv-csw": ((0, 1, 0), (0, 1, 0)),
    "eu-inspire-geoportal-csw": ((0, 2, 0), (0, 2, 0)),
    "be-flanders-dov-csw": ((0, 1, 0), (1, 0, 0)),
    "nl-defensie-hydrografie-csw": ((1, 0, 0), (1, 0, 0)),
    "fr-geobretagne-csw": ((0, 1, 0), (1, 0, 0)),
}
# Why a record may stay held back: the source lacks a fact DCAT-AP.de requires, or states it in
# words of its own that only a steward's mapping can translate. Anything else would be a
# mechanical defect that a repair should have fixed.
NOT_REPAIRABLE = (
    "needs a title",
    "needs a description",
    "needs an access URL",
    "must be described as an organisation or person",  # a bare publisher IRI, no name
    "must come from the EU data theme list",
    "must come from the EU file type list",
    "must be a link (IRI), e.g. http://dcat-ap.de",  # a licence in the portal's own words
    "The contributor ID (dcatde:contributorID) must be a link",  # an opaque key, no IRI
    "must be an IANA link",
    "The administrative level",  # "berlin" as a level: a value of the portal's own
)


pytestmark = requires_shared


@dataclasses.dataclass
class Run:
    """One harvest of one catalog into its own store, kept open for the checks."""

    catalog: CorpusCatalog
    outcome: CatalogOutcome
    store: Store
    server: RecordedServer
    settings_used: object


@functools.cache
def _validator() -> Validator:
    """One validator for every run: loading the shapes is the costly part of a preparer."""
    return Validator()


def _run(catalog: CorpusCatalog, folder: Path, with_settings: bool) -> Run:
    server = RecordedServer().start()
    sources = serve(server, catalog)
    settings = corpus_settings(folder, sources, with_settings)
    store = open_store(settings.database_url)
    upgrade_database(store)
    preparer = RecordPreparer(settings, _validator())
    outcome = total_of(harvest(store, settings, preparer), catalog.slug)
    return Run(catalog, outcome, store, server, settings)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, bool], Run]]:
    done: dict[tuple[str, bool], Run] = {}
    for catalog in CORPUS:
        for with_settings in (False, True):
            folder = tmp_path_factory.mktemp(f"{catalog.slug}-{with_settings}")
            done[(catalog.slug, with_settings)] = _run(catalog, folder, with_settings)
    yield done
    for run in done.values():
        run.store.close()
        run.server.stop()


def test_the_corpus_has_at_least_ten_catalogs_of_different_origins() -> None:
    assert len(CORPUS) >= 10
    assert len({catalog.origin for catalog in CORPUS}) == len(CORPUS)
    kinds = Counter(catalog.kind for catalog in CORPUS)
    assert kinds["dcat"] >= 5 and kinds["spreadsheet"] >= 1 and kinds["dkan"] >= 1
    assert kinds["csw"] >= 4
    for catalog in CORPUS:
        assert (catalog.folder / "ORIGIN.md").is_file(), catalog.slug


@pytest.mark.parametrize("with_settings", [False, True], ids=["no-settings", "steward"])
@pytest.mark.parametrize("catalog", CORPUS, ids=[c.slug for c in CORPUS])
def test_each_catalog_publishes_holds_back_and_refuses_as_measured(
    runs: dict[tuple[str, bool], Run], catalog: CorpusCatalog, with_settings: bool
) -> None:
    outcome = runs[(catalog.slug, with_settings)].outcome
    measured = (outcome.published, outcome.held_back, outcome.refused)
    assert measured == EXPECTED[catalog.slug][1 if with_settings else 0]


@pytest.mark.parametrize("with_settings", [False, True], ids=["no-settings", "steward"])
@pytest.mark.parametrize("catalog", CORPUS, ids=[c.slug for c in CORPUS])
def test_every_public_record_conforms_to_the_official_shapes(
    runs: dict[tuple[str, bool], Run], catalog: CorpusCatalog, with_settings: bool
) -> None:
    run = runs[(catalog.slug, with_settings)]
    graphs = [graph for _, graph in public_graphs(run.store)]
    # Judged in a separate process on pyshacl as released (tests/dcat/official_judge.py).
    assert judge(graphs) == []


@pytest.mark.parametrize("catalog", CORPUS, ids=[c.slug for c in CORPUS])
def test_a_held_back_record_names_a_fact_the_source_lacks_or_says_in_its_own_words(
    runs: dict[tuple[str, bool], Run], catalog: CorpusCatalog
) -> None:
    reasons = runs[(catalog.slug, False)].outcome.reasons
    mechanical = [text for text in reasons if not any(key in text for key in NOT_REPAIRABLE)]
    assert mechanical == []


def test_with_the_stewards_settings_at_least_97_percent_of_the_corpus_is_published(
    runs: dict[tuple[str, bool], Run],
) -> None:
    # Records a source's own rule keeps out (csw: no open licence) are no candidates.
    published = sum(runs[(c.slug, True)].outcome.published for c in CORPUS)
    readable = sum(
        runs[(c.slug, True)].outcome.delivered
        - runs[(c.slug, True)].outcome.refused
        - len(runs[(c.slug, True)].outcome.kept_out)
        for c in CORPUS
    )
    assert published / readable >= 0.97, (published, readable)


def test_no_record_of_another_publisher_gets_the_citys_contributor_id_or_geocoding(
    runs: dict[tuple[str, bool], Run],
) -> None:
    # Without settings city_defaults is on, as for the city's own departments; records that
    # name a publisher of their own must still not get the city's values.
    others = 0
    for catalog in CORPUS:
        others += _records_of_other_publishers_checked(runs[(catalog.slug, False)])
    assert others >= 100  # the check saw real other publishers' records


def _records_of_other_publishers_checked(run: Run) -> int:
    with run.store.reading() as session:
        stored = [
            (URIRef(uri), Graph().parse(data=text, format="nt"))
            for uri, text in session.execute(select(DatasetRecord.uri, DatasetRecord.graph))
        ]
    others = 0
    for node, graph in stored:
        names = {
            str(name)
            for agent in graph.objects(node, DCT.publisher)
            for name in graph.objects(agent, FOAF.name)
        }
        if not names or names == {CITY_NAME}:
            continue  # no publisher named, or the city's own (filled in with city_defaults)
        others += 1
        assert (node, DCATDE.contributorID, URIRef(CITY_CONTRIBUTOR)) not in graph
        assert (node, DCATDE.politicalGeocodingURI, URIRef(CITY_KEY)) not in graph
    return others


@pytest.mark.parametrize("with_settings", [False, True], ids=["no-settings", "steward"])
@pytest.mark.parametrize("catalog", CORPUS, ids=[c.slug for c in CORPUS])
def test_a_second_harvest_of_the_same_catalog_writes_no_revision(
    runs: dict[tuple[str, bool], Run], catalog: CorpusCatalog, with_settings: bool
) -> None:
    run = runs[(catalog.slug, with_settings)]
    before = revision_count(run.store)
    again = total_of(harvest(run.store, run.settings_used), catalog.slug)  # type: ignore[arg-type]
    assert revision_count(run.store) == before
    assert again.published == 0


DCAT_CATALOGS = [c for c in CORPUS if c.kind == "dcat"]


@pytest.mark.parametrize("catalog", DCAT_CATALOGS, ids=[c.slug for c in DCAT_CATALOGS])
def test_no_triple_of_a_source_dataset_is_lost_unless_a_recorded_repair_replaced_it(
    runs: dict[tuple[str, bool], Run], catalog: CorpusCatalog
) -> None:
    """The dataset's own description as the source delivers it (its triples and those of the
    nodes it reaches that the source describes) against the stored record; what is missing
    must be the `before` of a repair whose rule the record's revision note names."""
    run = runs[(catalog.slug, True)]
    stored = _stored_by_key(run.store)
    checked = 0
    for name in catalog.files:
        path = catalog.folder / name
        address = run.server.url(f"/{catalog.slug}/{name}")
        graph = parse_rdf(path.read_bytes(), filename=name, base=RELATIVE_BASE)
        rebase_described_nodes(graph, address)
        for dataset in split_catalog_into_datasets(graph):
            if dataset.identity not in stored:
                continue  # refused: not stored, and the report says why
            record_graph, note, uri = stored[dataset.identity]
            context = _context_of(run, catalog, dataset.origin)
            repairs = normalise(dataset.graph, context).changes
            recorded = [c for c in repairs if c.rule in note]
            # A dataset without an IRI of its own is stored under the one minted for it.
            minted = {URIRef(uri)} if isinstance(dataset.node, BNode) else set()
            source = ground_signature(dataset.graph)
            kept = ground_signature(record_graph, anonymous=minted)
            for (subject, predicate, obj), count in source.items():
                if kept[(subject, predicate, obj)] >= count:
                    continue
                assert any(_replaced(change, predicate, obj) for change in recorded), (
                    f"{dataset.identity}: lost {subject} {predicate} {obj}"
                )
            checked += 1
    assert checked > 0


def _replaced(change: Change, predicate: str, obj: str) -> bool:
    """Whether a recorded repair took this triple away: it replaced or removed the value, or
    renamed the property (a namespace upgrade)."""
    if change.before == predicate:
        return True
    if change.property != predicate[1:-1]:
        return False
    return change.before == obj or (obj == "_" and (change.before or "").startswith("_:"))


def _stored_by_key(store: Store) -> dict[str, tuple[Graph, str, str]]:
    with store.reading() as session:
        rows = session.execute(
            select(DatasetRecord.remote_id, DatasetRecord.graph, DatasetRecord.id)
        ).all()
        uris = dict(session.execute(select(DatasetRecord.id, DatasetRecord.uri)).all())
        notes = {
            record_id: " ".join(
                session.scalars(select(Revision.note).where(Revision.record_id == record_id))
            )
            for _, _, record_id in rows
        }
    return {
        key: (Graph().parse(data=text, format="nt"), notes[record_id], uris[record_id])
        for key, text, record_id in rows
        if key is not None
    }


def _context_of(run: Run, catalog: CorpusCatalog, origin) -> NormalisationContext:  # type: ignore[no-untyped-def]
    from catalog.organizations import get_source_by_name

    source = get_source_by_name(run.store, catalog.slug)
    assert source is not None
    preparer = RecordPreparer(run.settings_used, _validator())  # type: ignore[arg-type]
    return dataclasses.replace(preparer.for_source(source).context, origin=origin)


def test_records_remember_the_sub_catalog_that_listed_them(
    runs: dict[tuple[str, bool], Run],
) -> None:
    run = runs[("de-state-brandenburg-datenadler-dcat", True)]
    with run.store.reading() as session:
        origins = Counter(
            session.scalars(
                select(DatasetRecord.origin_catalog_title).where(
                    DatasetRecord.status == RecordStatus.PUBLISHED
                )
            )
        )
    assert sum(origins.values()) == 28
    assert len([title for title in origins if title]) >= 2


CSW_CATALOGS = [c for c in CORPUS if c.kind == "csw"]


@pytest.mark.parametrize("with_settings", [False, True], ids=["no-settings", "steward"])
@pytest.mark.parametrize("catalog", CSW_CATALOGS, ids=[c.slug for c in CSW_CATALOGS])
def test_every_iso_record_becomes_a_record_or_a_report_line_with_its_reason(
    runs: dict[tuple[str, bool], Run], catalog: CorpusCatalog, with_settings: bool
) -> None:
    """The CSW form of "nothing lost": ISO 19139 is no RDF, so no triple can be compared;
    instead every gmd:MD_Metadata the source serves is stored under its fileIdentifier, or
    named in the job report as refused or held back, with the reason."""
    run = runs[(catalog.slug, with_settings)]
    stored = _stored_by_key(run.store)
    reported = {**run.outcome.kept_out, **run.outcome.refused_keys}
    for element in csw_source_records(catalog):
        key = file_identifier(element)
        assert key is not None
        if key in stored:
            continue
        lines = [message for label, message in reported.items() if label.startswith(key)]
        assert lines, f"{key}: neither stored nor reported"
        # Each names the record and gives its reason in German and in English (a line each).
        assert all(key in line and len(line.splitlines()) == 2 for line in lines), lines


@pytest.mark.parametrize("catalog", CSW_CATALOGS, ids=[c.slug for c in CSW_CATALOGS])
def test_a_stored_iso_record_keeps_title_box_links_and_licence_words(
    runs: dict[tuple[str, bool], Run], catalog: CorpusCatalog
) -> None:
    """What the ISO record says survives into the stored graph: its title, its bounding box
    as dct:spatial with dcat:bbox, every absolute online-resource address, and its licence
    sentence, unless a recorded repair (the steward's mapping) replaced that sentence."""
    run = runs[(catalog.slug, True)]
    stored = _stored_by_key(run.store)
    for element in csw_source_records(catalog):
        key = file_identifier(element)
        if key not in stored:
            continue
        graph, note, uri = stored[key]
        node = URIRef(uri)
        title = text_at(element, "gmd:identificationInfo/*/gmd:citation/*/gmd:title")
        assert title in {str(value) for value in graph.objects(node, DCT.title)}
        if elements_at(element, ".//gmd:EX_GeographicBoundingBox"):
            boxes = [graph.value(place, DCAT.bbox) for place in graph.objects(node, DCT.spatial)]
            assert any(box is not None for box in boxes), f"{key}: bounding box lost"
        values = {str(o) for o in graph.objects()}
        for address in texts_at(element, ".//gmd:onLine/*/gmd:linkage/gmd:URL"):
            if address.startswith(("http://", "https://")):
                assert address in values or address.split("?", 1)[0] in values, address
        words = rights_of(element).licence_text
        if words is not None and words not in values:
            assert MAPPING_RULE.name in note, f"{key}: licence words lost without a repair"


def csw_source_records(catalog: CorpusCatalog) -> list[object]:
    return [
        record
        for name in catalog.files
        for record in metadata_elements(parse_xml((catalog.folder / name).read_bytes()))
    ]
