"""A real HTTP server on 127.0.0.1 with the links a city's catalog meets: fine, moved, gone,
failing, hanging, dripping, HTML for CSV, a redirect into a private network, a server that
refuses HEAD. It counts the requests it handles at once (its highest count is `max_active`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CSV = b"jahr;wert\n2024;1\n" * 200  # 3,400 bytes: more than a check reads


@dataclass
class ServerState:
    active: int = 0
    max_active: int = 0
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)  # ends hanging answers
    hold_seconds: float = 0.0  # how long /slow holds each request (lets requests overlap)


class LinkHandler(BaseHTTPRequestHandler):
    server: LinkServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_GET(self) -> None:
        self._handle("GET")

    def _handle(self, method: str) -> None:
        state = self.server.state
        with state.lock:
            state.active += 1
            state.max_active = max(state.max_active, state.active)
            state.requests.append((method, self.path))
        self._counted = True
        try:
            self._answer(method, self.path.split("?", 1)[0])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: a deadline or a prefix read
        finally:
            self._uncount()

    def send_response(self, code: int, message: str | None = None) -> None:
        # A request stops counting as it is answered: the client may send its next one as
        # soon as it reads the answer, before this thread has finished writing.
        self._uncount()
        super().send_response(code, message)

    def _uncount(self) -> None:
        if getattr(self, "_counted", False):
            self._counted = False
            with self.server.state.lock:
                self.server.state.active -= 1

    def _answer(self, method: str, path: str) -> None:
        routes = {
            "/ok.csv": lambda: self._send(200, "text/csv", CSV, method),
            "/moved-1": lambda: self._redirect(301, "/moved-2"),
            "/moved-2": lambda: self._redirect(301, "/moved-3"),
            "/moved-3": lambda: self._redirect(302, "/ok.csv"),
            "/loop": lambda: self._redirect(302, "/loop"),
            "/missing": lambda: self._send(404, "text/html", b"<p>Nicht gefunden</p>", method),
            "/failing": lambda: self._send(500, "text/plain", b"kaputt", method),
            "/page.html": lambda: self._send(
                200, "text/html; charset=utf-8", b"<html></html>", method
            ),
            "/to-private": lambda: self._redirect(302, "http://10.20.30.40/intern.csv"),
            "/to-metadata": lambda: self._redirect(302, "http://169.254.169.254/latest/"),
            "/no-head.csv": lambda: self._no_head(method),
            "/drops-head.csv": lambda: self._drops_head(method),
            "/hang": self._hang,
            "/drip": lambda: self._drip(method),
            "/slow": lambda: self._slow(method),
        }
        routes.get(path, lambda: self._send(404, "text/plain", b"unknown", method))()

    def _send(self, status: int, content_type: str, body: bytes, method: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(body)

    def _redirect(self, status: int, location: str) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _no_head(self, method: str) -> None:
        """Refuses HEAD (405) and answers a range as a real file server does (206)."""
        if method == "HEAD":
            self._send(405, "text/plain", b"", method)
            return
        requested = self.headers.get("Range", "")
        if not requested.startswith("bytes=0-"):
            self._send(200, "text/csv", CSV, method)
            return
        end = min(int(requested.removeprefix("bytes=0-")), len(CSV) - 1)
        self.send_response(206)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Range", f"bytes 0-{end}/{len(CSV)}")
        self.send_header("Content-Length", str(end + 1))
        self.end_headers()
        self.wfile.write(CSV[: end + 1])

    def _drops_head(self, method: str) -> None:
        """Hangs up on a HEAD without a word, as some appliances do; answers a GET."""
        if method == "HEAD":
            self.close_connection = True
            return
        self._send(200, "text/csv", CSV, method)

    def _hang(self) -> None:
        """Accepts the request and never answers (until the test ends)."""
        self.server.state.release.wait(30)

    def _drip(self, method: str) -> None:
        """Refuses HEAD; then announces a large body and sends it a byte at a time."""
        if method == "HEAD":
            self._send(405, "text/plain", b"", method)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        while not self.server.state.release.wait(0.02):
            self.wfile.write(b"x")
            self.wfile.flush()

    def _slow(self, method: str) -> None:
        time.sleep(self.server.state.hold_seconds)
        self._send(200, "text/csv", b"a;b\n", method)


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), LinkHandler)
        self.state = ServerState()

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@contextmanager
def link_server(host: str = "127.0.0.1") -> Iterator[LinkServer]:
    server = LinkServer(host)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.state.release.set()
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
