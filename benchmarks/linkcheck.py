"""Link checker throughput: 10,000 URLs on 50 local hosts (127.0.0.1 to 127.0.0.50), some slow.

Usage:
    python benchmarks/linkcheck.py                       # the default cases, a table
    python benchmarks/linkcheck.py --urls 2000 --parallel 8 --per-host 2 --delay 0

The 50 hosts are threaded HTTP servers in a separate process (so they do not share the
checker's interpreter), each counting the requests it handles at once. Five of them answer
after 100 ms; every tenth URL is missing (404), so it costs a HEAD and a ranged GET. The
checker is harvesters.linkcheck.check_links with the real hardened session (loopback let
through by `allowed_private`). Reported: URLs/s, the highest number of requests any one host
saw at once (must not exceed --per-host), results by kind, and the cost of keeping 10,000
results in SQLite.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOSTS = 50
SLOW_HOSTS = 5
SLOW_SECONDS = 0.1


class _Handler(BaseHTTPRequestHandler):
    server: _CountingServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        if self.path == "/stats":
            body = json.dumps({"max_active": self.server.max_active}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        server = self.server
        with server.lock:
            server.active += 1
            server.max_active = max(server.max_active, server.active)
        try:
            if server.slow:
                time.sleep(SLOW_SECONDS)
        finally:
            # Counted until the answer starts: the client may send its next request as soon
            # as it has read this one, before this thread is done writing.
            with server.lock:
                server.active -= 1
        status = 404 if self.path.startswith("/missing") else 200
        body = b"jahr;wert\n2024;1\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class _CountingServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, host: str, slow: bool) -> None:
        super().__init__((host, 0), _Handler)
        self.slow = slow
        self.active = 0
        self.max_active = 0
        self.lock = threading.Lock()


def serve() -> None:
    """The server process: start the hosts, print their addresses, serve until stdin closes."""
    servers = [_CountingServer(f"127.0.0.{n + 1}", slow=n < SLOW_HOSTS) for n in range(HOSTS)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps([f"http://{s.server_address[0]}:{s.server_address[1]}" for s in servers]))
    sys.stdout.flush()
    sys.stdin.read()


def run_case(urls: int, parallel: int, per_host: int, delay: float) -> dict[str, object]:
    from catalog.link_checks import LinkTarget
    from catalog.settings import LinkcheckSettings
    from harvesters.http import HttpPolicy
    from harvesters.linkcheck import Politeness, check_links, linkcheck_policy

    process = subprocess.Popen(
        [sys.executable, __file__, "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    bases = json.loads(process.stdout.readline())
    try:
        targets = [
            LinkTarget(
                f"{bases[n % HOSTS]}/{'missing' if n % 10 == 9 else 'data'}/{n}.csv",
                "download",
                ("CSV",),
            )
            for n in range(urls)
        ]
        policy = linkcheck_policy(
            HttpPolicy(allowed_private=(ipaddress.ip_network("127.0.0.0/8"),)),
            LinkcheckSettings(timeout=10, deadline=30),
        )
        started = time.perf_counter()
        run = check_links(targets, policy, Politeness(per_host, delay, parallel))
        seconds = time.perf_counter() - started
        per_host_max = [
            json.loads(urllib.request.urlopen(f"{base}/stats", timeout=10).read())["max_active"]
            for base in bases
        ]
    finally:
        process.stdin.close()
        process.wait(timeout=10)
    return {
        "urls": urls,
        "parallel": parallel,
        "per_host": per_host,
        "delay": delay,
        "seconds": round(seconds, 2),
        "urls_per_s": round(urls / seconds, 1),
        "max_per_host_seen": max(per_host_max),
        "ok": sum(1 for r in run.results if r.ok),
        "broken": sum(1 for r in run.results if not r.ok),
        "errors": len(run.errors),
        "store_seconds": _store_cost(run.results),
    }


def _store_cost(results: list[object]) -> float:
    """Seconds to keep the results in a fresh SQLite catalog, in the run's batches of 100."""
    from catalog.link_checks import keep_link_results
    from catalog.migrate import upgrade_database
    from catalog.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/catalog.db")
        upgrade_database(store)
        started = time.perf_counter()
        for start in range(0, len(results), 100):
            keep_link_results(store, results[start : start + 100])  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
        store.close()
    return round(seconds, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--urls", type=int, default=None)
    parser.add_argument("--parallel", type=int, default=None)
    parser.add_argument("--per-host", type=int, default=None)
    parser.add_argument("--delay", type=float, default=None)
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    if args.urls is not None:
        cases = [(args.urls, args.parallel or 16, args.per_host or 2, args.delay or 0.0)]
    else:
        cases = [
            (10_000, 16, 2, 0.0),
            (10_000, 32, 2, 0.0),
            (10_000, 16, 1, 0.0),
            (2_000, 16, 2, 0.2),
        ]
    print(
        "| URLs | parallel | per host | delay s | seconds | URLs/s | max per host seen "
        "| ok | broken | errors | store s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for urls, parallel, per_host, delay in cases:
        r = run_case(urls, parallel, per_host, delay)
        print(
            f"| {r['urls']} | {r['parallel']} | {r['per_host']} | {r['delay']} | {r['seconds']} | "
            f"{r['urls_per_s']} | {r['max_per_host_seen']} | {r['ok']} | {r['broken']} | "
            f"{r['errors']} | {r['store_seconds']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
