"""Shared fixtures: the repo's plans, the default profile, and LibreOffice headless."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from render.document.source import RenderInput, prepare
from render.profile import Profile, load_profile
from render.reading.loader import load_plan

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def own_registry_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the per-user 发文字号 registry of whoever runs the tests, nor
    one named in their environment (subprocesses inherit this environment too)."""
    home = tmp_path_factory.mktemp("xdg-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.delenv("GONGWEN_REGISTRY", raising=False)
    return home


@pytest.fixture(scope="session")
def profile() -> Profile:
    return load_profile()


@pytest.fixture(scope="session")
def plan_input(profile: Profile) -> Callable[[str], RenderInput]:
    """`plan_input("nanan-2022-22-notice")` → the lowered plan, ready for a writer."""

    def make(stem: str) -> RenderInput:
        return prepare(load_plan(PLANS / f"{stem}.yaml"), profile)

    return make


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def office_convert(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path, str], Path]:
    """Convert a file with LibreOffice headless (`office_convert(docx, "pdf")`).

    Each call uses its own user profile so parallel test workers never share a lock."""
    binary = _soffice()
    if binary is None:
        pytest.fail("LibreOffice (soffice) is not installed: run the README's test command, which installs it")

    def convert(source: Path, fmt: str) -> Path:
        out_dir = tmp_path_factory.mktemp("office")
        with tempfile.TemporaryDirectory() as profile_dir:
            completed = subprocess.run(
                [binary, f"-env:UserInstallation=file://{profile_dir}", "--headless", "--norestore",
                 "--convert-to", fmt, "--outdir", str(out_dir), str(source)],
                capture_output=True, text=True, timeout=180,
            )
        produced = out_dir / f"{source.stem}.{fmt.split(':')[0]}"
        assert completed.returncode == 0 and produced.exists(), (
            f"LibreOffice failed to convert {source.name}: {completed.stdout}\n{completed.stderr}"
        )
        return produced

    return convert


# A module that sets PLAN (a plan stem) and asks for `source`, `rendered` or `facts` gets that
# plan rendered to PDF once per module (the PDF writer's tests); modules may override these.
@pytest.fixture(scope="module")
def source(plan_input: Callable[[str], RenderInput], request: pytest.FixtureRequest) -> RenderInput:
    return plan_input(request.module.PLAN)


@pytest.fixture(scope="module")
def rendered(source: RenderInput, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from render.writers import pdf

    target = tmp_path_factory.mktemp("pdf") / f"{source.plan_path.stem}.pdf"
    pdf.write(source, target)
    return target


@pytest.fixture(scope="module")
def facts(rendered: Path) -> object:
    from test_pdf_writer import read_pdf

    return read_pdf(rendered)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A real browser for the serve tests: Playwright for Python driving Debian's chromium
    (the README's test command installs it; Playwright's own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is not installed: run the README's test command (scripts/setup-system.sh --with-office)")
    with sync_playwright() as playwright:
        # As root, chromium refuses to start with its sandbox on.
        launched = playwright.chromium.launch(executable_path=found, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()
