"""A command loads what it needs (issue 18): which heavy libraries a one-shot command has
imported when it is done, read from the process itself (no timing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "plans" / "nanan-2022-22-notice.yaml"
HEAVY = ("jieba", "jinja2", "fontTools", "docx", "reportlab", "openpyxl", "multiprocessing",
         "concurrent.futures", "starlette", "pydantic", "sqlite3")

PROBE = """
import atexit, json, pathlib, sys
def report():
    pathlib.Path("loaded.json").write_text(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
    pathlib.Path("commands.json").write_text(json.dumps(sorted(m for m in sys.modules if m.startswith("render.cli."))))
atexit.register(report)
from render.cli.main import main
main(sys.argv[1:], prog_name="gongwen")
"""


def _loaded(tmp_path: Path, *arguments: str) -> set[str]:
    run = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *arguments], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT),
                              "GONGWEN_REGISTRY": str(tmp_path / "registry.sqlite")})
    assert run.returncode == 0, run.stderr
    return set(json.loads((tmp_path / "loaded.json").read_text()))


def test_help_loads_no_plan_model_or_writer(tmp_path: Path) -> None:
    assert _loaded(tmp_path, "--help") == set()


def _command_modules(tmp_path: Path) -> set[str]:
    return set(json.loads((tmp_path / "commands.json").read_text()))


LAZY_MODULES = {"render.cli.check", "render.cli.collect", "render.cli.imports", "render.cli.number",
                "render.cli.render", "render.cli.serve"}


def test_a_command_imports_its_own_module_and_no_other(tmp_path: Path) -> None:
    """The command list of --help comes from render/cli/commands.py, not from the modules."""
    _loaded(tmp_path, "--help")
    assert not _command_modules(tmp_path) & LAZY_MODULES
    _loaded(tmp_path, "validate", str(NOTICE))
    assert not _command_modules(tmp_path) & LAZY_MODULES
    _loaded(tmp_path, "number", "where")
    assert _command_modules(tmp_path) & LAZY_MODULES == {"render.cli.number"}
    _loaded(tmp_path, "render", str(NOTICE), "--to", "xlsx", "-o", str(tmp_path / "out"))
    assert _command_modules(tmp_path) & LAZY_MODULES == {"render.cli.render"}


def test_validate_loads_the_model_and_no_writer(tmp_path: Path) -> None:
    # No registry yet: there is nothing to check the 发文字号 against, so no SQLite.
    assert _loaded(tmp_path, "validate", str(NOTICE)) == {"pydantic"}
    # Rendering claims the number in the registry GONGWEN_REGISTRY names; from then on
    # validate reads it to check the plan's 发文字号.
    _loaded(tmp_path, "render", str(NOTICE), "--to", "xlsx", "-o", str(tmp_path / "out"))
    assert (tmp_path / "registry.sqlite").is_file()
    assert _loaded(tmp_path, "validate", str(NOTICE)) == {"pydantic", "sqlite3"}


@pytest.mark.parametrize(("fmt", "library"), [("xlsx", "openpyxl"), ("docx", "docx")])
def test_a_render_loads_its_own_writer_only(tmp_path: Path, fmt: str, library: str) -> None:
    loaded = _loaded(tmp_path, "render", str(NOTICE), "--to", fmt, "-o", str(tmp_path / "out"))
    assert (tmp_path / "out" / f"{NOTICE.stem}.{fmt}").is_file()
    assert library in loaded and "pydantic" in loaded
    # No Jinja2 (not a summary), no process pool (one plan), no fonts parsed in Python (cached).
    assert not loaded & {"jinja2", "multiprocessing", "concurrent.futures", "starlette", "reportlab"}
    if fmt == "xlsx":  # the matrix prints no broken title and measures no font
        assert not loaded & {"jieba", "fontTools", "docx"}
