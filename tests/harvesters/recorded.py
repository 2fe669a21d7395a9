"""A real HTTP server on 127.0.0.1 that serves recorded responses, with failures on demand.

Harvester tests run against it instead of mocks: the harvester speaks real HTTP through its
real session, and a route can be made to fail the way real portals fail (HTTP 500, a read
timeout, a garbage body, a reset connection).
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from rdflib import Graph, URIRef

from dcat.hydra import catalog_page_graph
from dcat.namespaces import DCAT, DCT, RDF, new_graph
from dcat.serialise import serialise
from dcat.split import split_catalog_into_datasets

Failure = str  # "500", "timeout", "garbage", "reset"


@dataclass
class Route:
    body: bytes
    content_type: str = "text/turtle; charset=utf-8"
    status: int = 200


@dataclass
class RecordedServer:
    """Routes by path and query ("/catalog.ttl?page=2"); `fail` overrides a route's response."""

    routes: dict[str, Route] = field(default_factory=dict)
    fail: dict[str, Failure] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    handlers: dict[str, Callable[[str, bytes], Route]] = field(default_factory=dict)
    sleep_seconds: float = 3.0
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> RecordedServer:
        recorded = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                recorded._respond(self, b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                recorded._respond(self, self.rfile.read(length))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _respond(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        target = handler.path
        self.requests.append(target)
        parts = urlsplit(target)
        failure = self.fail.get(target) or self.fail.get(parts.path)
        if failure == "reset":
            # SO_LINGER 0: close() sends a TCP RST instead of a clean FIN.
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            handler.connection.close()
            handler.close_connection = True
            return
        if failure == "timeout":
            time.sleep(self.sleep_seconds)
        if failure == "500":
            route = Route(b"Internal Server Error", "text/plain", 500)
        elif failure == "garbage":
            route = Route(b"<html><body>Wartungsarbeiten \x00\xff", "text/turtle")
        elif parts.path in self.handlers:
            route = self.handlers[parts.path](parts.query, body)
        else:
            route = self.routes.get(target) or self.routes.get(parts.path) or Route(b"", status=404)
        try:
            handler.send_response(route.status)
            handler.send_header("Content-Type", route.content_type)
            handler.send_header("Content-Length", str(len(route.body)))
            handler.end_headers()
            handler.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its read timeout); nothing to answer


def catalog_pages(
    graph: Graph,
    *,
    base_url: str,
    path: str,
    page_size: int,
    legacy: bool = False,
    fmt: str = "ttl",
) -> dict[str, Route]:
    """A real catalog's datasets cut into pages that link to each other with Hydra."""
    datasets = list(split_catalog_into_datasets(graph))
    pages = [datasets[i : i + page_size] for i in range(0, len(datasets), page_size)] or [[]]
    catalog = URIRef(base_url + path)

    def address(number: int) -> str:
        return f"{base_url}{path}?page={number}"

    routes = {}
    for number, chunk in enumerate(pages, start=1):
        page_graph = new_graph()
        page_graph.add((catalog, RDF.type, DCAT.Catalog))
        for dataset in chunk:
            page_graph += dataset.graph
            page_graph.add((catalog, DCAT.dataset, dataset.node))
        page_graph += catalog_page_graph(
            catalog,
            address(number),
            first=address(1),
            next=address(number + 1) if number < len(pages) else None,
            previous=address(number - 1) if number > 1 else None,
            last=address(len(pages)),
            total_items=len(datasets),
            items_per_page=page_size,
            legacy=legacy,
        )
        routes[f"{path}?page={number}"] = Route(serialise(page_graph, fmt), MEDIA[fmt])
    routes[path] = routes[f"{path}?page=1"]
    return routes


MEDIA = {
    "ttl": "text/turtle; charset=utf-8",
    "rdf": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
}


def dataset_count(graph: Graph) -> int:
    return sum(1 for _ in graph.subjects(RDF.type, DCAT.Dataset))


def titles(graph: Graph) -> Iterator[str]:
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        yield str(graph.value(dataset, DCT.title))


def ckan_action_handlers(
    packages: list[dict[str, object]],
) -> dict[str, Callable[[str, bytes], Route]]:
    """package_search and package_show over real package dicts, as CKAN 2.9+ answers them.

    Supports what the harvester sends: rows, start, sort by metadata_modified, fq with
    organization:NAME and metadata_modified:[STAMP TO *], and fl=id,name.
    """
    import json
    from urllib.parse import parse_qs

    def envelope(result: object, status: int = 200) -> Route:
        body = {"help": "http://ckan.test/api/3/action/help_show", "success": status == 200}
        body["result" if status == 200 else "error"] = result
        return Route(json.dumps(body).encode(), "application/json;charset=utf-8", status)

    def params(query: str, body: bytes) -> dict[str, str]:
        found = {key: values[-1] for key, values in parse_qs(query).items()}
        if body:
            found.update({key: str(value) for key, value in json.loads(body).items()})
        return found

    def package_search(query: str, body: bytes) -> Route:
        asked = params(query, body)
        matching = [dict(package) for package in packages]
        for clause in filter(None, asked.get("fq", "").split(" AND ")):
            name, _, value = clause.strip("()").partition(":")
            if name == "organization":
                matching = [
                    p
                    for p in matching
                    if (p.get("organization") or {}).get("name") == value  # type: ignore[union-attr]
                ]
            elif name == "metadata_modified":
                since = value.strip("[]").split(" TO ")[0].rstrip("Z")
                matching = [p for p in matching if str(p.get("metadata_modified", "")) >= since]
        matching.sort(key=lambda p: (str(p.get("metadata_modified", "")), str(p["id"])))
        start, rows = int(asked.get("start", 0)), int(asked.get("rows", 10))
        page = matching[start : start + rows]
        if "fl" in asked:
            fields = asked["fl"].split(",")
            page = [{field: p.get(field) for field in fields} for p in page]
        return envelope({"count": len(matching), "results": page, "search_facets": {}})

    def package_show(query: str, body: bytes) -> Route:
        wanted = params(query, body).get("id")
        for package in packages:
            if wanted in (package["id"], package.get("name")):
                return envelope(package)
        return envelope({"__type": "Not Found Error", "message": "Not found"}, 404)

    return {
        "/api/3/action/package_search": package_search,
        "/api/action/package_search": package_search,
        "/api/3/action/package_show": package_show,
        "/api/action/package_show": package_show,
    }


# Drupal's answer to a path no module serves; DKAN 7 has no package_search (GetDKAN/dkan#26).
DRUPAL_404 = Route(
    b"<!DOCTYPE html>\n<html><head><title>Page not found | DKAN</title></head>"
    b"<body><h1>Page not found</h1></body></html>",
    "text/html; charset=utf-8",
    404,
)


def dkan_handlers(
    folder: Path, names: list[str] | None = None
) -> dict[str, Callable[[str, bytes], Route]]:
    """The recorded answers, served as DKAN 7 serves them; package_list is the recorded one
    unless `names` is given (for a folder that has no recorded list)."""
    if names is None:
        listing = (folder / "package_list.json").read_bytes()
    else:
        listing = json.dumps({"help": "", "success": True, "result": names}).encode()

    def package_list(query: str, body: bytes) -> Route:
        return Route(listing, "application/json; charset=utf-8")

    def package_show(query: str, body: bytes) -> Route:
        recorded = folder / "package_show" / f"{parse_qs(query).get('id', [''])[-1]}.json"
        if recorded.is_file():
            return Route(recorded.read_bytes(), "application/json; charset=utf-8")
        # open_data_schema_ckan's answer for an unknown id
        error = {"__type": "Not Found Error", "message": "Not Found"}
        return Route(
            json.dumps({"help": "", "success": False, "error": error}).encode(),
            "application/json; charset=utf-8",
            404,
        )

    def missing(query: str, body: bytes) -> Route:
        return DRUPAL_404

    return {
        "/api/3/action/package_list": package_list,
        "/api/3/action/package_show": package_show,
        "/api/3/action/package_search": missing,
        "/api/3/action/current_package_list_with_resources": missing,
    }
