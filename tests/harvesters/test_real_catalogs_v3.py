"""The conformance corpus (tests/data/real) in DCAT-AP.de 3.0: every public record, harvested
with the steward's settings, rendered as 3.0 and judged by the official 3.0 shapes (offline, in
a separate process on pyshacl as released).

3.0 makes two facts mandatory that 2.0 only recommended: a publisher of every dataset and a
licence of every distribution. A record whose source gives neither is valid 2.0 and cannot be
valid 3.0 without a steward's setting (defaults.publisher, defaults.license); nothing else may
remain, since anything else would be a defect of the rendering.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.ingest import RecordPreparer
from catalog.migrate import upgrade_database
from catalog.store import open_store
from dcat.profiles import Profile, render_graph
from dcat.validation import Validator
from tests.dcat.official_judge import judge
from tests.dcat.official_shapes import requires_shared
from tests.dcat.official_shapes_v3 import SHARED_V3_AVAILABLE
from tests.harvesters.real_corpus import (
    CorpusCatalog,
    corpus_settings,
    harvest,
    load_corpus,
    public_graphs,
    serve,
)
from tests.harvesters.recorded import RecordedServer

CORPUS = load_corpus()
# The official 3.0 messages of the two obligations (the dataset's says "dcat:DataService":
# upstream copied the message of the data service's rule).
SOURCE_LACKS_A_3_0_FACT = (
    "http://purl.org/dc/terms/publisher None: DE: dcat:DataService: MUSS einen dcterms:publisher",
    "http://purl.org/dc/terms/license None: DE: dcat:Distribution: MUSS eine dcterms:license",
    # A text where 3.0 wants a described dataset (dct:source) or distribution (adms:sample):
    # ckanext-dcatde's example writes "HMDK/..." and "Referenz auf Beispieldatenstruktur".
    "http://purl.org/dc/terms/source",
    "http://www.w3.org/ns/adms#sample",
)
# Measured: the catalogs with records whose source lacks one of those facts.
EXPECTED_LACKING = {
    "de-city-muenster-dkan-sheet",
    "de-nrw-musterdatenkatalog-sheet",
    "de-govdata-ckanext-dcatde-dcat",
    "dkan-demo",
    "dkan-hautsdefrance",
}

pytestmark = [
    requires_shared,
    pytest.mark.skipif(not SHARED_V3_AVAILABLE, reason="official DCAT-AP.de 3.0 shapes missing"),
]


@functools.cache
def _validator() -> Validator:
    return Validator()


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[str]]]:
    found: dict[str, list[str]] = {}
    for catalog in CORPUS:
        folder: Path = tmp_path_factory.mktemp(f"{catalog.slug}-v3")
        server = RecordedServer().start()
        try:
            settings = corpus_settings(folder, serve(server, catalog), True)
            store = open_store(settings.database_url)
            upgrade_database(store)
            harvest(store, settings, RecordPreparer(settings, _validator()))
            graphs = [render_graph(g, Profile.DCATAPDE_3) for _, g in public_graphs(store)]
            found[catalog.slug] = judge(graphs, profile="3.0")
            store.close()
        finally:
            server.stop()
    yield found


def _is_lacking_fact(message: str) -> bool:
    return any(reason in message for reason in SOURCE_LACKS_A_3_0_FACT)


@pytest.mark.parametrize("catalog", CORPUS, ids=[c.slug for c in CORPUS])
def test_every_3_0_violation_is_a_fact_the_source_does_not_give(
    verdicts: dict[str, list[str]], catalog: CorpusCatalog
) -> None:
    slug = catalog.slug
    defects = [m for m in verdicts[slug] if not _is_lacking_fact(m)]
    assert defects == []


def test_the_catalogs_lacking_3_0_facts_are_the_measured_ones(
    verdicts: dict[str, list[str]],
) -> None:
    lacking = {slug for slug, found in verdicts.items() if found}
    counts = Counter(m.split(" ", 2)[2][:60] for found in verdicts.values() for m in found)
    assert lacking == EXPECTED_LACKING, counts
