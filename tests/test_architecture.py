"""The house rules of docs/ARCHITECTURE.md, read from the source with `ast`: every import
counts, including those under TYPE_CHECKING and inside functions.

- no import cycle between modules, and none between rooms (render/<room>/);
- each room imports only the rooms below it (the table ROOMS);
- no writer imports another writer, a reader, an importer, the registry, the batch or the CLI;
- only render/cli/ prints, exits or imports click or rich;
- no module imports `dataclasses` (records are msgspec Structs: far cheaper to build);
- only render/ooxml/ touches WordprocessingML (lxml, docx.oxml, python-docx's private elements);
  the OFD writer (render/writers/ofd/) writes its own XML with lxml.
"""

from __future__ import annotations

import ast
import graphlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "render"

# room → the rooms it may import (besides itself). A room not listed here is an error:
# a new folder has to take its place in this table and in docs/ARCHITECTURE.md.
BASE = {"diagnostics", "atomic", "cache", "measure", "text", "inputs", "lazy", "render"}
ROOMS: dict[str, set[str]] = {
    "render": set(),           # render/__init__.py: the version
    "__main__": {"cli"},
    "diagnostics": set(),
    "atomic": {"diagnostics"},   # Refused, the shared shape of a refusal
    "cache": {"atomic", "diagnostics"},
    "inputs": {"diagnostics"},
    "measure": set(),
    "lazy": set(),             # a package's names imported on first use
    "text": {"atomic", "cache"},   # the word table for titles is a cache file
    "model": BASE,
    "reading": BASE | {"model"},
    "profile": BASE | {"reading"},
    "document": BASE | {"model", "reading", "profile"},
    "layout": BASE | {"document", "profile"},
    "ooxml": BASE | {"model"},
    "fonts": BASE,
    "writers": BASE | {"model", "document", "profile", "layout", "ooxml", "fonts"},
    "importers": BASE | {"model", "reading", "ooxml"},
    "registry": BASE | {"model", "reading"},
    "checking": BASE | {"model", "reading", "profile", "ooxml"},
    "batch": BASE | {"model", "reading", "profile", "document", "writers", "fonts", "registry"},
    "serve": BASE | {"model", "reading", "profile", "document", "writers", "registry", "importers", "batch"},
    "cli": BASE | {"model", "reading", "profile", "document", "writers", "fonts", "registry", "batch",
                   "importers", "checking", "serve"},
}
NOT_FOR_WRITERS = ("render.reading", "render.importers", "render.registry", "render.batch", "render.cli")
PRIVATE_ELEMENTS = {"_p", "_r", "_tbl", "_tr", "_tc", "_sectPr", "_element", "_body"}


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    tree: ast.Module

    @property
    def room(self) -> str:
        parts = self.name.split(".")
        return parts[1] if len(parts) > 1 else "render"

    @property
    def relative(self) -> str:
        return self.path.relative_to(ROOT).as_posix()


@cache
def modules() -> dict[str, Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        name = ".".join(parts)
        found[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


def imported(module: Module) -> set[str]:
    """Every module name `module` imports, anywhere in its body (render's own resolved to
    the submodule when `from package import submodule`)."""
    names: set[str] = set()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module.relative}:{node.lineno}: relative import"
            base = node.module or ""
            for alias in node.names:
                full = f"{base}.{alias.name}"
                names.add(full if full in modules() else base)
    return names


def own_imports(module: Module) -> set[str]:
    return {name for name in imported(module) if name in modules() and name != module.name}


def test_the_tables_name_every_room() -> None:
    rooms = {module.room for module in modules().values()}
    assert rooms == set(ROOMS), "a room was added or removed: update ROOMS and docs/ARCHITECTURE.md"


def test_no_import_cycle_between_modules() -> None:
    graph = {name: own_imports(module) for name, module in modules().items()}
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        pytest.fail(f"import cycle: {' → '.join(error.args[1])}")


def test_no_import_cycle_between_rooms() -> None:
    graph: dict[str, set[str]] = {}
    for module in modules().values():
        graph.setdefault(module.room, set()).update(
            modules()[name].room for name in own_imports(module) if modules()[name].room != module.room)
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        pytest.fail(f"rooms import each other: {' → '.join(error.args[1])}")


def test_each_room_imports_only_the_rooms_below_it() -> None:
    wrong = [f"{module.relative} imports {name}"
             for module in modules().values() for name in sorted(own_imports(module))
             if modules()[name].room not in ROOMS[module.room] | {module.room}]
    assert not wrong, "\n".join(wrong)


def test_no_writer_imports_another_writer_a_reader_or_the_registry() -> None:
    wrong = []
    for module in modules().values():
        parts = module.name.split(".")
        if parts[:2] != ["render", "writers"] or len(parts) < 3:
            continue
        fmt = parts[2]
        for name in own_imports(module):
            other = name.split(".")
            if other[:2] == ["render", "writers"] and len(other) > 2 and other[2] != fmt:
                wrong.append(f"{module.relative} imports the {other[2]} writer ({name})")
            if name.startswith(NOT_FOR_WRITERS):
                wrong.append(f"{module.relative} imports {name}")
    assert not wrong, "\n".join(wrong)


def _terminal_uses(module: Module) -> list[str]:
    found = []
    for node in ast.walk(module.tree):
        where = f"{module.relative}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("print", "exit",
                                                                                               "input"):
            found.append(f"{where}: {node.func.id}()")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "sys" \
                and node.attr in ("exit", "stdout", "stderr", "stdin"):
            found.append(f"{where}: sys.{node.attr}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os" \
                and node.attr == "_exit":
            found.append(f"{where}: os._exit")
        elif isinstance(node, ast.Name) and node.id == "SystemExit":
            found.append(f"{where}: SystemExit")
    for name in imported(module):
        if name.split(".")[0] in ("click", "rich"):
            found.append(f"{module.relative}: imports {name}")
    return found


def test_only_the_command_line_talks_to_the_terminal() -> None:
    wrong = [use for module in modules().values() if module.room not in ("cli", "__main__")
             for use in _terminal_uses(module)]
    assert not wrong, "\n".join(wrong)


def test_the_command_line_check_sees_what_it_looks_for() -> None:
    """The rule above would pass on a blind checker: it must find the CLI's own uses."""
    uses = [use for module in modules().values() if module.room == "cli" for use in _terminal_uses(module)]
    assert any("imports click" in use for use in uses)


# OFD is XML too, but not WordprocessingML: its writer builds its own parts with lxml.
OFD_WRITER = "render.writers.ofd"


def _raw_ooxml(module: Module) -> list[str]:
    own_xml = module.name == OFD_WRITER or module.name.startswith(OFD_WRITER + ".")
    found = [f"{module.relative}: imports {name}" for name in imported(module)
             if (name.split(".")[0] == "lxml" and not own_xml) or name.startswith("docx.oxml")]
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Attribute) and node.attr in PRIVATE_ELEMENTS:
            found.append(f"{module.relative}:{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "qn":
            found.append(f"{module.relative}:{node.lineno}: qn()")
    return found


def test_raw_ooxml_only_under_ooxml() -> None:
    wrong = [use for module in modules().values() if module.room != "ooxml" for use in _raw_ooxml(module)]
    assert not wrong, "\n".join(wrong)
    assert any(_raw_ooxml(module) for module in modules().values() if module.room == "ooxml")


def test_records_are_structs_not_dataclasses() -> None:
    """A frozen dataclass class costs about 25 times a msgspec Struct to build on Python
    3.11, and every command builds dozens (docs/ARCHITECTURE.md)."""
    wrong = [f"{module.relative}: imports dataclasses" for module in modules().values()
             if any(name.split(".")[0] == "dataclasses" for name in imported(module))]
    assert not wrong, "\n".join(wrong)
    assert any(name.split(".")[0] == "msgspec" for module in modules().values() for name in imported(module))
