"""From a save on node A to searchable on node B: two `catalog serve` processes, one PostgreSQL.

Run:  .venv/bin/python benchmarks/follow.py [--saves 50]
          [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]
Node A and node B each have their own data_dir and index (tests/nodes.py starts them as the
two-node test does). Each save is a CKAN package_patch through node A that gives one
published record a new, unique title word; the clock starts when A's answer arrives (the
save is committed) and stops when B's package_search first finds that word (polled every
10 ms). B learns of the change only through its follower thread (search.follow_seconds,
default 0.5 s), so the wait is about half that interval plus one index commit. Prints p50,
p95 and max in ms, the machine and the load. Not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.nodes import (
    WebNode,
    catalog_command,
    node_environment,
    postgres_schema,
    steward_token,
    valid_package,
)

POLL = 0.01
GIVE_UP = 30.0


def measure(saves: int, postgres: str) -> list[float]:
    with postgres_schema(postgres) as database, tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        catalog_command(["init"], node_environment(root / "node-a", database))
        node_a = WebNode("node-a", root / "node-a", database)
        node_b = WebNode("node-b", root / "node-b", database)
        node_a.start()
        node_b.start()
        try:
            token = steward_token(node_a.env)
            node_a.action("package_create", token, valid_package("messreihe", "Messreihe"))
            waits = []
            for number in range(saves):
                word = f"Durchlauf{number:03d}x"
                node_a.action("package_patch", token, {"id": "messreihe", "title": word})
                saved = time.perf_counter()
                while node_b.search(word, rows=1)["count"] != 1:
                    if time.perf_counter() - saved > GIVE_UP:
                        raise RuntimeError(f"save {number} not found on node B")
                    time.sleep(POLL)
                waits.append(time.perf_counter() - saved)
            return waits
        finally:
            node_a.stop()
            node_b.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "CATALOG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    arguments = parser.parse_args()
    load_before = os.getloadavg()
    waits = measure(arguments.saves, arguments.postgres)
    load_after = os.getloadavg()
    in_ms = sorted(wait * 1000 for wait in waits)
    p95 = in_ms[max(0, round(0.95 * len(in_ms)) - 1)]
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores")
    print(f"load (1/5/15 min) before {load_before}, after {load_after}")
    print("| saves | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    print(f"| {len(in_ms)} | {statistics.median(in_ms):.0f} | {p95:.0f} | {in_ms[-1]:.0f} |")


if __name__ == "__main__":
    main()
