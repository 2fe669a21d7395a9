"""Layers point one way (STYLE.md, habit 2): every import in our packages, read with `ast`, runs
down the house: dcat <- catalog <- harvesters, web <- cli. Imports inside functions and under
TYPE_CHECKING count like any other."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

# What each package may import of ours; cli is the composition root, and nothing imports it.
ALLOWED = {
    "dcat": set(),
    "catalog": {"dcat"},
    "harvesters": {"catalog", "dcat"},
    "web": {"catalog", "dcat", "harvesters"},
    "cli": {"catalog", "dcat", "harvesters", "web"},
}
# Run as programs (`python -m catalog`), never imported: they hand the command over to cli.
ENTRY_SCRIPTS = {"catalog/__main__.py"}


def modules(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every import in the module, relative ones made absolute."""
    parts = path.relative_to(REPO).with_suffix("").parts
    package = parts[:-1]  # for __init__.py, the package itself
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                yield node.lineno, ".".join([*base, *([node.module] if node.module else [])])
            elif node.module:
                yield node.lineno, node.module


def upward_imports(package: str) -> list[str]:
    """Each import of one of our packages that `package` may not use, as 'file:line imports x'."""
    found = []
    for path in modules(package):
        entry_script = str(path.relative_to(REPO)) in ENTRY_SCRIPTS
        for line, name in imported_modules(path):
            target = name.split(".")[0]
            if entry_script and target == "cli":
                continue
            if target in ALLOWED and target != package and target not in ALLOWED[package]:
                found.append(f"{path.relative_to(REPO)}:{line} imports {name}")
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_the_layers_below_it(package: str) -> None:
    assert upward_imports(package) == [], (
        f"{package} may import only {sorted(ALLOWED[package]) or 'nothing of ours'}"
    )


def test_no_module_imports_an_entry_script() -> None:
    entry_modules = {script.removesuffix(".py").replace("/", ".") for script in ENTRY_SCRIPTS}
    importers = [
        f"{path.relative_to(REPO)}:{line} imports {name}"
        for package in ALLOWED
        for path in modules(package)
        for line, name in imported_modules(path)
        if name in entry_modules
    ]
    assert importers == []


def test_the_scan_sees_imports_inside_functions() -> None:
    # cli/commands.py imports the web app only when `serve` runs; the scan must still see it.
    names = {name for _, name in imported_modules(REPO / "cli" / "commands.py")}
    assert "web" in names


def test_the_scan_resolves_relative_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "catalog" / "search" / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text("from ..store import Store\nfrom . import base\n", encoding="utf-8")
    monkeypatch.setattr("tests.test_layers.REPO", tmp_path)
    assert [name for _, name in imported_modules(module)] == ["catalog.store", "catalog.search"]


# Views call services; queries and writes live in catalog/ (STYLE.md, "Views that query the
# database"). The scans below hold web/, harvesters/ and cli/ to that.
WRITING_CALLS = {"add", "add_all", "delete", "merge", "bulk_save_objects", "bulk_insert_mappings"}
WRITING_STATEMENTS = {"insert", "update", "delete"}


def imports_sqlalchemy(path: Path) -> list[str]:
    return [
        f"{path.relative_to(REPO)}:{line} imports {name}"
        for line, name in imported_modules(path)
        if name.split(".")[0] == "sqlalchemy"
    ]


def opened_sessions(path: Path) -> list[str]:
    """Each `.reading()` or `.transaction()` call: a module opening a database session."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        f"{path.relative_to(REPO)}:{node.lineno} opens a session with .{node.func.attr}()"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"reading", "transaction"}
    ]


def table_writes(path: Path) -> list[str]:
    """Each place that writes a table: a session's add/delete/merge, an INSERT, UPDATE or
    DELETE statement built or imported, or a transaction opened (whose changes it commits)."""
    where = path.relative_to(REPO)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            for alias in node.names:
                if alias.name in WRITING_STATEMENTS:
                    found.append(f"{where}:{node.lineno} imports sqlalchemy's {alias.name}")
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
        if node.func.attr in WRITING_CALLS and "session" in owner_name.lower():
            found.append(f"{where}:{node.lineno} calls {owner_name}.{node.func.attr}()")
        elif node.func.attr in WRITING_STATEMENTS and owner_name == "sqlalchemy":
            found.append(f"{where}:{node.lineno} builds sqlalchemy.{node.func.attr}()")
        elif node.func.attr == "transaction":
            found.append(f"{where}:{node.lineno} opens a transaction")
    return found


def test_no_web_module_imports_sqlalchemy() -> None:
    found = [problem for path in modules("web") for problem in imports_sqlalchemy(path)]
    assert found == [], "the web layer calls services in catalog/ instead"


def test_no_web_module_opens_a_database_session() -> None:
    found = [problem for path in modules("web") for problem in opened_sessions(path)]
    assert found == [], "the web layer calls services in catalog/ instead"


@pytest.mark.parametrize("package", ["harvesters", "web", "cli"])
def test_only_catalog_writes_tables(package: str) -> None:
    found = [problem for path in modules(package) for problem in table_writes(path)]
    assert found == [], "tables are written by the services in catalog/"


def test_the_write_scan_sees_each_kind_of_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "web" / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "import sqlalchemy\n"
        "from sqlalchemy import insert, select\n"
        "session.add(row)\n"
        "self.session.delete(row)\n"
        "db_session.merge(row)\n"
        "sqlalchemy.update(Table)\n"
        "with store.transaction() as s:\n"
        "    pass\n"
        "http_session.get(address)\n"
        "session.get(Row, 1)\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("tests.test_layers.REPO", tmp_path)
    assert table_writes(module) == [
        "web/probe.py:2 imports sqlalchemy's insert",
        "web/probe.py:3 calls session.add()",
        "web/probe.py:4 calls session.delete()",
        "web/probe.py:5 calls db_session.merge()",
        "web/probe.py:6 builds sqlalchemy.update()",
        "web/probe.py:7 opens a transaction",
    ]
    assert imports_sqlalchemy(module) == [
        "web/probe.py:1 imports sqlalchemy",
        "web/probe.py:2 imports sqlalchemy",
    ]
