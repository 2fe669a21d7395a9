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
