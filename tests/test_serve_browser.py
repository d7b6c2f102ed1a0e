"""`gongwen serve` in a real browser: Playwright for Python driving Debian's chromium (the
README's test command installs it; Playwright's own browser download is not used)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from PIL import Image
from playwright.sync_api import Browser, Page, expect, sync_playwright

from render.registry import find_registry
from serving import running_server, write_plans


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is not installed: run the README's test command (scripts/setup-system.sh --with-office)")
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        # As root, chromium refuses to start with its sandbox on.
        launched = playwright.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    folder = write_plans(tmp_path / "plans")
    with running_server(folder, find_registry(str(tmp_path / "registry.sqlite"))) as base:
        yield base, folder


def _shot(page: Page, path: Path) -> Image.Image:
    page.screenshot(path=str(path), full_page=False)
    return Image.open(path)


def test_edit_in_the_browser_and_download(browser: Browser, site: tuple[str, Path], tmp_path: Path) -> None:
    base, folder = site
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page.goto(base + "/")
    expect(page.locator("tr.plan")).to_have_count(3)
    expect(page.locator('tr[data-name="tongnan-broken.yaml"] .state-errors')).to_be_visible()
    listing = _shot(page, tmp_path / "serve-plans.png")
    assert listing.size == (1400, 900)

    page.click("text=bishan-notice.yaml")
    expect(page.locator("h1")).to_have_text("关于开展2026年春季学期中小学校园安全隐患排查整治工作的通知")
    editor = page.locator("textarea#yaml")
    good = editor.input_value()

    # A mistake saved from the editor shows its message at its line …
    editor.fill(good.replace("成文日期: 2026-03-02", "成文日期: 2026-02-30"))
    page.click("#yaml-form button")
    expect(page.locator("#saved")).to_be_visible()
    error = page.locator("ul.diagnostics li.error")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("2026-02-30")
    expect(page.locator("#preview")).to_contain_text("计划有错误")
    # … and clicking the line number puts the caret on that line.
    page.click("ul.diagnostics a.line")
    caret = page.evaluate("() => document.getElementById('yaml').selectionStart")
    assert good[caret:].startswith("成文日期")

    # Put right, the message goes away and the preview's pages appear.
    page.locator("textarea#yaml").fill(good)
    page.click("#yaml-form button")
    expect(page.locator("ul.diagnostics li.error")).to_have_count(0)
    expect(page.locator("#diagnostics-none")).to_be_visible()
    first_page = page.locator("#preview img").first
    expect(first_page).to_be_visible()
    page.wait_for_function("() => [...document.querySelectorAll('#preview img')].every(i => i.complete && i.naturalWidth > 0)")
    width = page.evaluate("() => document.querySelector('#preview img').naturalWidth")
    assert width > 800
    editing = _shot(page, tmp_path / "serve-edit.png")
    # The preview column shows a white page: its centre is light, unlike the grey around it.
    box = first_page.bounding_box()
    assert box is not None
    centre = editing.convert("L").getpixel((int(box["x"] + box["width"] / 2), int(box["y"] + 40)))
    assert centre > 200

    with page.expect_download() as waiting:
        page.click("a:has-text('Word（.docx）')")
    target = tmp_path / "downloaded.docx"
    waiting.value.save_as(target)
    assert waiting.value.suggested_filename == "bishan-notice.docx"
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "璧山教发〔2026〕17号" in text and "隐患台账" in text
    assert (folder / "bishan-notice.yaml").read_text(encoding="utf-8") == good

    page.close()
    # GONGWEN_SCREENSHOTS=docs/images keeps the pictures (the README's).
    if keep := os.environ.get("GONGWEN_SCREENSHOTS"):
        for name in ("serve-plans.png", "serve-edit.png"):
            shutil.copyfile(tmp_path / name, Path(keep) / name)
