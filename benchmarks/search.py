"""Search at 10,000 and 100,000 generated German datasets, and the results page under load.

Usage:
    python benchmarks/search.py                        # both sizes, 1,000 queries each
    python benchmarks/search.py --sizes 10000 --queries 300
    python benchmarks/search.py --web 10000            # the results page under gunicorn

Engine part: documents come from benchmarks/corpus.py (realistic vocabulary, Zipf-like
word frequencies), mapped straight to index documents so that index build time is the
engine's own; then 1,000 random one-to-three-word queries (words drawn from the titles,
descriptions and keywords of the generated datasets), each with the five facets the
results page shows (organisation, theme, format, licence, keyword; 50 values each), a page
of 20 and spelling suggestions; every fifth query also filters by a facet value, as a click
on a facet does. Reports index build documents/s, index size, p50/p95/p99 latency.

Web part: a SQLite catalog filled through catalog.records (corpus.fill_store), indexed by
`catalog reindex`, served by gunicorn with 2 sync workers on 127.0.0.1; a load process with
4 concurrent keep-alive clients asks /suche?q=<random words> for 20 seconds.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.search.base import IndexDocument, SearchQuery, SortOrder  # noqa: E402
from catalog.search.registry import BACKENDS, open_backend  # noqa: E402
from dcat.vocabularies import FILE_TYPES, THEMES  # noqa: E402

FACETS = ("organization", "theme", "format", "license", "keyword")
WORD = re.compile(r"[^\W\d_]{4,}")


def load_corpus():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus"] = module
    spec.loader.exec_module(module)
    return module


def documents(count: int) -> list[IndexDocument]:
    """The corpus's datasets as index documents (what catalog.search.documents would make)."""
    corpus = load_corpus()
    titles = dict(corpus.organisation_names())
    result = []
    for index, data in enumerate(corpus.generate_datasets(count)):
        office = (data.identifier or "").rsplit("-", 1)[0]
        themes = [THEMES.get(iri) for iri in data.themes]
        formats = [FILE_TYPES.get(d.format) for d in data.distributions if d.format]
        changed = datetime.combine(data.modified or data.issued, datetime.min.time(), UTC)
        result.append(
            IndexDocument(
                record_id=f"record-{index}",
                name=f"datensatz-{index}",
                title=data.title["de"],
                description=data.description.get("de", ""),
                keywords=tuple(data.keywords_by_language.get("de", ())),
                organization=office,
                organization_id=office,
                organization_title=titles.get(office, office),
                themes=tuple(t.code for t in themes if t),
                theme_labels=tuple(
                    label for t in themes if t for label in (t.label_de, t.label_en)
                ),
                formats=tuple(dict.fromkeys(f.code for f in formats if f)),
                licenses=tuple(dict.fromkeys(d.license for d in data.distributions if d.license)),
                places=tuple(data.geocoding_description.values()),
                publisher=data.publisher.name if data.publisher else "",
                status="published",
                validation_state="valid",
                source=None,
                catalog=None,
                resource_ids=(),
                flags=(),
                modified=changed,
                issued=changed,
                updated=changed,
                created=changed,
            )
        )
    return result


def query_words(docs: list[IndexDocument], rng: random.Random) -> list[str]:
    """Words as people would type them: drawn from real documents, so frequent words are
    asked for more often, and rare ones too."""
    words = []
    for document in rng.sample(docs, min(len(docs), 3000)):
        text = " ".join([document.title, document.description, *document.keywords])
        words.extend(WORD.findall(text))
    return words


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def engine_case(
    size: int, queries: int, directory: Path, engine: str = "whoosh"
) -> dict[str, object]:
    docs = documents(size)
    shutil.rmtree(directory, ignore_errors=True)
    backend = open_backend(engine, directory)
    started, started_cpu = time.perf_counter(), time.process_time()
    backend.rebuild(docs)
    build_seconds = time.perf_counter() - started
    # CPU of this process (tantivy's writer threads included): the build's cost under load.
    build_cpu = time.process_time() - started_cpu
    index_bytes = sum(f.stat().st_size for f in directory.rglob("*") if f.is_file())
    backend.close()

    backend = open_backend(engine, directory)  # a fresh first reader, as after a restart
    rng = random.Random(size)
    words = query_words(docs, rng)
    started = time.perf_counter()
    backend.search(SearchQuery(text="", facets=FACETS), publish_invalid=False)
    first = time.perf_counter() - started
    latencies, cpu, hits, by_date = [], [], [], 0
    totals: dict[str, int] = {}
    for number in range(queries):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
        filters = {}
        if number % 5 == 4:
            facet = rng.choice(FACETS[:4])
            found = backend.search(SearchQuery(text=text, facets=(facet,)), publish_invalid=False)
            if found.facets[facet]:
                filters = {facet: [found.facets[facet][0].value]}
        query = SearchQuery(text=text, filters=filters, facets=FACETS, suggest=True)
        started, started_cpu = time.perf_counter(), time.process_time()
        result = backend.search(query, publish_invalid=False)
        latencies.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        hits.append(result.total)
        totals[f"{text}|{sorted(filters.items())}"] = result.total
        by_date += result.sorted_by is not SortOrder.RELEVANCE
    browse = []
    for page in range(1, 21):
        started = time.perf_counter()
        backend.search(SearchQuery(offset=(page - 1) * 20, facets=FACETS), publish_invalid=False)
        browse.append((time.perf_counter() - started) * 1000)
    backend.close()
    (directory.parent / f"totals-{engine}-{size}.json").write_text(json.dumps(totals))
    return {
        "engine": engine,
        "size": size,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "build_seconds": round(build_seconds, 1),
        "docs_per_second": round(size / build_seconds),
        "build_cpu_seconds": round(build_cpu, 1),
        "index_mb": round(index_bytes / 1e6, 1),
        "first_query_ms": round(first * 1000),
        "queries": queries,
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1),
        # CPU time of the searching process: what the query costs, whatever else runs.
        "cpu_p50_ms": round(percentile(cpu, 0.50), 1),
        "cpu_p95_ms": round(percentile(cpu, 0.95), 1),
        "cpu_p99_ms": round(percentile(cpu, 0.99), 1),
        "mean_hits": round(statistics.mean(hits)),
        "zero_hit_share": round(sum(1 for h in hits if h == 0) / len(hits), 3),
        # Queries of only words that nearly every record has: ordered by date, not score.
        "newest_first_share": round(by_date / len(hits), 3),
        "browse_p50_ms": round(percentile(browse, 0.5), 1),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def web_case(size: int, seconds: float, clients: int) -> dict[str, object]:
    from catalog.migrate import upgrade_database
    from catalog.settings import settings_from_mapping
    from catalog.store import open_store

    folder = Path(tempfile.mkdtemp(prefix="search-web-"))
    config = folder / "config.yaml"
    config.write_text(
        "catalog:\n  title: Benchmark\n  base_url: http://127.0.0.1\n"
        "  publisher: {name: Stadt Musterstadt}\nstorage:\n  data_dir: ./instance\n",
        encoding="utf-8",
    )
    settings = settings_from_mapping(
        {
            "catalog": {
                "title": "Benchmark",
                "base_url": "http://127.0.0.1",
                "publisher": {"name": "Stadt Musterstadt"},
            },
            "storage": {"data_dir": str(folder / "instance")},
        },
        base_dir=folder,
        env={},
    )
    store = open_store(settings.database_url)
    upgrade_database(store)
    fill_seconds = load_corpus().fill_store(store, settings, size)
    store.close()
    env = {**os.environ, "CATALOG_CONFIG": str(config)}
    catalog = str(Path(sys.executable).with_name("catalog"))
    started = time.perf_counter()
    subprocess.run([catalog, "reindex"], env=env, check=True, capture_output=True)
    reindex_seconds = time.perf_counter() - started
    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [
            gunicorn,
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "web:create_app()",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait_for(port)
        words = query_words(documents(2000), random.Random(1))
        result = _load(port, words, seconds, clients)
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "size": size,
        "fill_seconds": round(fill_seconds),
        "reindex_seconds": round(reindex_seconds, 1),
        "reindex_docs_per_second": round(size / reindex_seconds),
        **result,
    }


def _wait_for(port: int) -> None:
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                pass
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/suche?q=Daten")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def _load(port: int, words: list[str], seconds: float, clients: int) -> dict[str, object]:
    """Bounded load: `clients` keep-alive connections, each asking again as soon as answered."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(seed: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < deadline:
            text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
            started = time.perf_counter()
            connection.request("GET", "/suche?q=" + quote(text))
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    errors[0] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--engine", choices=sorted(BACKENDS), default="whoosh")
    parser.add_argument("--web", type=int, default=0, help="results page under load at N datasets")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--dir", type=Path, default=ROOT / "benchmarks" / "out" / "search")
    options = parser.parse_args()
    for size in options.sizes:
        case = engine_case(
            size, options.queries, options.dir / options.engine / str(size), options.engine
        )
        print(json.dumps(case), flush=True)
    if options.web:
        print(json.dumps(web_case(options.web, options.seconds, options.clients)), flush=True)


if __name__ == "__main__":
    main()
