"""Publishing to other portals at scale: catalog pages, full dumps, CKAN package_show (and
package_search where it exists) on a SQLite catalog of generated records (benchmarks/corpus.py).

Run:  .venv/bin/python benchmarks/publish.py [--records 100000] [--data-dir DIR] [--reuse]
The first run fills DIR (default /tmp/stadtkatalog-publish-N); --reuse keeps what is there.
Requests go through Flask's test client and through a real HTTP server (werkzeug, threaded) in
its own process; dumps run in their own processes too, so their peak RSS is theirs alone.
Prints a Markdown report. Not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import platform
import random
import resource
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import requests
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import DISTRICTS, DOMAINS, fill_store

from catalog.models import DatasetRecord, RecordStatus
from catalog.publication import public_conditions
from catalog.records import encode_cursor
from catalog.settings import Settings, load_settings
from catalog.setup import initialise, open_current_store
from catalog.store import Store
from web import create_app

REPO = Path(__file__).resolve().parents[1]
log = logging.getLogger("benchmarks.publish")
FORMATS = ("ttl", "rdf", "jsonld", "nt")
PAGE_TARGET_MS = 100
DUMP_TARGET_S, DUMP_TARGET_RSS_MB = 60, 300


def settings_for(data_dir: Path) -> Settings:
    return load_settings(REPO / "config.yaml", env={"CATALOG_DATA_DIR": str(data_dir)})


def app_for(settings: Settings, store: Store):
    """The app as gunicorn would build it, plus the dump blueprint while web/ does not yet."""
    from web.dcat import dump as dcat_dump

    app = create_app(settings, store=store)
    if dcat_dump.blueprint.name not in app.blueprints:
        app.register_blueprint(dcat_dump.blueprint)
    return app


def rebuild_search_index(data_dir: Path) -> float | None:
    """`catalog reindex`, where it exists: a fill queues every record for the index, and a
    server would otherwise work through that queue while its requests are being timed."""
    from web.ckan.actions import ACTIONS

    if "package_search" not in ACTIONS:
        return None
    command = [str(REPO / ".venv/bin/catalog"), "--config", str(REPO / "config.yaml"), "reindex"]
    started = time.perf_counter()
    env = {**os.environ, "CATALOG_DATA_DIR": str(data_dir)}
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def public_count(store: Store, settings: Settings) -> int:
    with store.reading() as session:
        query = select(func.count()).select_from(DatasetRecord)
        return session.scalar(query.where(*public_conditions(settings))) or 0


def prepare_catalog(data_dir: Path, records: int, reuse: bool) -> tuple[Settings, float | None]:
    settings = settings_for(data_dir)
    if reuse and (data_dir / "catalog.db").exists():
        initialise(settings)  # as after every upgrade: migrations that came since the fill
        store = open_current_store(settings)
        found = public_count(store, settings)
        store.close()
        if found >= records:
            return settings, None
        raise SystemExit(f"{data_dir} holds {found} public records, not {records}: drop --reuse")
    if (data_dir / "catalog.db").exists():
        raise SystemExit(f"{data_dir} exists: use --reuse or remove it")
    initialise(settings)
    store = open_current_store(settings)
    seconds = fill_store(store, settings, records)
    store.close()
    return settings, seconds


# --- timing helpers ---------------------------------------------------------------------------


def timed_ms(call: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered):.1f} ms (p95 {p95:.1f})"


def deep_cursor(store: Store, settings: Settings, position: int) -> str:
    """The paging cursor after `position` public records, as hydra:next would carry it."""
    query = (
        select(DatasetRecord)
        .where(*public_conditions(settings))
        .order_by(DatasetRecord.updated_at, DatasetRecord.id)
        .offset(position - 1)
        .limit(1)
    )
    with store.reading() as session:
        record = session.scalar(query)
    assert record is not None
    return encode_cursor(record)


# --- a server in its own process --------------------------------------------------------------


def serve(data_dir: Path, port: int) -> None:
    """The --serve mode: the app on 127.0.0.1:port until terminated."""
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    settings = settings_for(data_dir)
    app = app_for(settings, open_current_store(settings))
    server = make_server("127.0.0.1", port, app, threaded=True)
    print("ready", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


@contextlib.contextmanager
def server_process(data_dir: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        __file__,
        "--serve",
        "--data-dir",
        str(data_dir),
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    assert process.stdout is not None
    if process.stdout.readline().strip() != b"ready":
        raise RuntimeError("the benchmark server did not start")
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def peak_rss_mb(pid: int) -> float:
    """A live process's peak RSS since it started its program (VmHWM, Linux).

    Not ru_maxrss from wait4: a child's counts the RSS its parent had when it forked.
    """
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def run_watching_memory(
    command: list[str], env: dict[str, str], out: IO[bytes]
) -> tuple[int, float]:
    """Run to the end; exit status and the peak RSS, read every 20 ms while it runs."""
    process = subprocess.Popen(command, stdout=out, env=env)
    peak = 0.0
    while process.poll() is None:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError, RuntimeError):
            peak = max(peak, peak_rss_mb(process.pid))
        time.sleep(0.02)
    return process.returncode, peak


# --- the measurements -------------------------------------------------------------------------


def page_urls(store: Store, settings: Settings, records: int) -> dict[str, str]:
    cursor = deep_cursor(store, settings, records // 2)
    urls = {}
    for fmt in FORMATS:
        urls[f"/catalog.{fmt} first page"] = f"/catalog.{fmt}?page_size=100"
        urls[f"/catalog.{fmt} page at record {records // 2:,}"] = (
            f"/catalog.{fmt}?page_size=100&page={cursor}"
        )
    return urls


def measure_pages(client, base: str, urls: dict[str, str], repeat: int) -> dict[str, list[float]]:
    results = {}
    http = requests.Session()
    for label, url in urls.items():
        check = client.get(url)
        assert check.status_code == 200 and check.data, (label, check.status_code)
        results[f"{label}, test client"] = timed_ms(lambda u=url: client.get(u).data, repeat)
        results[f"{label}, HTTP"] = timed_ms(lambda u=url: http.get(base + u).content, repeat)
    return results


def measure_dump_command(data_dir: Path, fmt: str) -> dict[str, float]:
    """`catalog export` in its own process, into a file: seconds, MB and that process's peak RSS."""
    target = data_dir / f"export.{fmt}"
    command = [str(REPO / ".venv/bin/catalog"), "--config", str(REPO / "config.yaml"), "export"]
    env = {**os.environ, "CATALOG_DATA_DIR": str(data_dir)}
    started = time.perf_counter()
    with target.open("wb") as out:
        status, rss = run_watching_memory([*command, "--format", fmt], env, out)
    seconds = time.perf_counter() - started
    assert status == 0, f"catalog export --format {fmt} failed"
    size = target.stat().st_size / 1e6
    target.unlink()
    return {"seconds": seconds, "mb": size, "rss_mb": rss}


def measure_dump_endpoint(data_dir: Path, fmt: str) -> dict[str, float]:
    """GET /catalog/dump.{fmt} from a fresh server process: seconds, MB, the server's peak RSS."""
    with server_process(data_dir) as (base, process):
        before = peak_rss_mb(process.pid)
        started = time.perf_counter()
        size = 0
        with requests.get(f"{base}/catalog/dump.{fmt}", stream=True, timeout=600) as response:
            response.raise_for_status()
            etag = response.headers["ETag"]
            for chunk in response.iter_content(1 << 16):
                size += len(chunk)
        seconds = time.perf_counter() - started
        conditional = timed_ms(
            lambda: requests.get(f"{base}/catalog/dump.{fmt}", headers={"If-None-Match": etag}),
            20,
        )
        rss = peak_rss_mb(process.pid)
    return {
        "seconds": seconds,
        "mb": size / 1e6,
        "rss_mb": rss,
        "rss_before_mb": before,
        "304_ms": statistics.median(conditional),
    }


def measure_validator_queries(store: Store, settings: Settings) -> dict[str, list[float]]:
    """The dump's ETag query, and the public-only variant it replaced (why: see web.dcat.dump)."""
    from web.dcat.dump import dump_validator

    public_only = select(func.count(), func.max(DatasetRecord.updated_at)).where(
        *public_conditions(settings)
    )

    def ask_public_only() -> None:
        with store.reading() as session:
            session.execute(public_only).one()

    return {
        "dump ETag: count and max(updated_at), all records": timed_ms(
            lambda: dump_validator(store, settings, "nt"), 20
        ),
        "the same over public records only": timed_ms(ask_public_only, 5),
    }


def measure_ckan(client, base: str, store: Store, repeat: int) -> dict[str, list[float] | str]:
    from web.ckan.actions import ACTIONS

    with store.reading() as session:
        names = list(
            session.scalars(
                select(DatasetRecord.name)
                .where(DatasetRecord.status == RecordStatus.PUBLISHED)
                .order_by(func.random())
                .limit(repeat)
            )
        )
    http = requests.Session()
    shown = iter(names * 2)
    results: dict[str, list[float] | str] = {
        "package_show, test client": timed_ms(
            lambda: client.get(f"/api/3/action/package_show?id={next(shown)}").data, repeat
        ),
        "package_show, HTTP": timed_ms(
            lambda: http.get(f"{base}/api/3/action/package_show?id={next(shown)}").content, repeat
        ),
    }
    # Hook for the search benchmark's action: measured where it exists (a feature check).
    if "package_search" in ACTIONS:
        queries = iter(search_queries(50))
        warm_up = timed_ms(
            lambda: http.get(f"{base}/api/3/action/package_search", params={"q": "Bäume"}), 1
        )
        results["package_search, first query (index opened)"] = warm_up
        results["package_search, 50 queries, HTTP"] = timed_ms(
            lambda: (
                http.get(
                    f"{base}/api/3/action/package_search", params={"q": next(queries), "rows": 20}
                ).content
            ),
            50,
        )
    else:
        results["package_search"] = "not available"
    return results


def search_queries(count: int) -> list[str]:
    """Words people search for: subjects of the corpus, some with a district."""
    rng = random.Random(7)
    subjects = [s.label for d in DOMAINS for s in d.subjects]
    return [
        rng.choice(subjects) + (f" {rng.choice(DISTRICTS)}" if rng.random() < 0.3 else "")
        for _ in range(count)
    ]


# --- report -----------------------------------------------------------------------------------


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; load average at the end {load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--dump-formats", default="nt,ttl", help="for catalog export, e.g. nt,ttl,rdf"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(f"/tmp/stadtkatalog-publish-{args.records}")
    if args.serve:
        serve(data_dir, args.port)
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    settings, fill_seconds = prepare_catalog(data_dir, args.records, args.reuse)
    print(f"## {args.records:,} records in {data_dir}\n")
    if fill_seconds is not None:
        print(f"fill_store: {fill_seconds:.0f} s ({args.records / fill_seconds:,.0f} records/s)")
    size = (data_dir / "catalog.db").stat().st_size / 1e6
    print(f"database: {size:,.0f} MB")
    if (reindexed := rebuild_search_index(data_dir)) is not None:
        print(f"catalog reindex (search index, before the timings): {reindexed:.0f} s")
    print()

    store = open_current_store(settings)
    app = app_for(settings, store)
    client = app.test_client()
    print("| request | median (p95) |\n|---|---:|")
    with server_process(data_dir) as (base, _):
        pages = measure_pages(client, base, page_urls(store, settings, args.records), args.requests)
        ckan = measure_ckan(client, base, store, 50)
    for label, times in {**pages, **measure_validator_queries(store, settings)}.items():
        print(f"| {label} | {summary(times)} |")
    for label, value in ckan.items():
        print(f"| {label} | {value if isinstance(value, str) else summary(value)} |")

    print("\n| dump | seconds | MB | peak RSS |\n|---|---:|---:|---:|")
    for fmt in args.dump_formats.split(","):
        result = measure_dump_command(data_dir, fmt)
        print(
            f"| `catalog export --format {fmt}` | {result['seconds']:.1f} | "
            f"{result['mb']:,.0f} | {result['rss_mb']:.0f} MB |"
        )
    for fmt in ("nt", "ttl"):
        result = measure_dump_endpoint(data_dir, fmt)  # the targets name these two
        print(
            f"| GET /catalog/dump.{fmt} (server process; 304 in {result['304_ms']:.1f} ms) | "
            f"{result['seconds']:.1f} | {result['mb']:,.0f} | {result['rss_mb']:.0f} MB "
            f"({result['rss_before_mb']:.0f} MB at start) |"
        )
    store.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak RSS of this process (test client, fill if any): {rss:.0f} MB")
    print(f"Machine: {machine()}")


if __name__ == "__main__":
    main()
