"""`gongwen serve`'s folder pages in a real browser (Playwright for Python driving Debian's
chromium, as tests/test_serve_browser.py): import a Word file from the index page, render the
folder with live progress, and read the registry's list."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, expect

from render.reading.loader import load_plan
from render.registry import find_registry
from serving import running_server, write_plans

CORPUS = Path(__file__).parent / "corpus" / "word"


def test_import_batch_and_registry_in_the_browser(browser: Browser, tmp_path: Path) -> None:
    folder = write_plans(tmp_path / "plans")
    with running_server(folder, find_registry(str(tmp_path / "registry.sqlite"))) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base + "/")
        expect(page.locator("tr.plan")).to_have_count(3)

        # Import: choose a Word file on the index page and land on the new plan's page.
        page.set_input_files("#import-form input[type=file]", str(CORPUS / "wordwin-template-notice.docx"))
        page.fill("#import-form input[name=name]", "荣昌区2020年工作总结")
        page.click("#import-form button")
        expect(page).to_have_url(base + "/plans/%E8%8D%A3%E6%98%8C%E5%8C%BA2020%E5%B9%B4%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93.yaml?imported=1")
        expect(page.locator("#imported")).to_contain_text("已从“wordwin-template-notice.docx”导入为 荣昌区2020年工作总结.yaml")
        expect(page.locator("#imported li")).not_to_have_count(0)
        assert load_plan(folder / "荣昌区2020年工作总结.yaml").ok

        # Batch: the page follows the batch by server-sent events, without reloading.
        page.goto(base + "/")
        expect(page.locator("tr.plan")).to_have_count(4)
        page.click("#batch-form button")
        expect(page).to_have_url(base + "/batch")
        page.evaluate("() => { window.notReloaded = true; }")
        box = page.locator("#batch")
        expect(box).to_have_attribute("data-state", "done", timeout=300_000)
        assert page.evaluate("() => window.notReloaded === true"), "the progress came by events, not by reloading"
        expect(box).to_have_attribute("data-live", "1")  # the page opened while the batch ran, and followed it
        expect(page.locator("#done")).to_have_text("4")
        expect(page.locator("#total")).to_have_text("4")
        assert page.evaluate("() => document.getElementById('bar').value") == 4
        expect(page.locator("#status")).to_have_text("完成：渲染 3，跳过 0，失败 1（写出 7 个文件）")
        expect(page.locator("tr.result")).to_have_count(4)
        expect(page.locator('tr.result[data-plan="tongnan-broken.yaml"]')).to_contain_text("✗ 失败")
        expect(page.locator('tr.result[data-plan="tongnan-broken.yaml"]')).to_contain_text("E300")
        expect(page.locator('tr.result[data-plan="bishan-notice.yaml"]')).to_contain_text("✓ 已生成")
        expect(page.locator('tr.result[data-plan="tongliang-work-points.yaml"] a')).to_have_count(3)
        expect(page.locator("#batch-form button")).to_be_enabled()
        page.screenshot(path=str(tmp_path / "serve-batch.png"))
        shot = Image.open(tmp_path / "serve-batch.png")
        assert shot.size == (1400, 900)
        link = page.locator('tr.result[data-plan="tongliang-work-points.yaml"] a', has_text="xlsx")
        href = link.get_attribute("href")
        assert href == "/outputs/tongliang-work-points.xlsx"
        downloaded = page.request.get(base + href)
        assert downloaded.ok and downloaded.body() == (folder / "outputs" / "tongliang-work-points.xlsx").read_bytes()

        # The registry's list: the number the batch registered for the 璧山 notice.
        page.goto(base + "/")
        page.click("#registry-link")
        expect(page.locator("h1")).to_have_text("发文字号登记簿")
        row = page.locator("tr.number")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("璧山教发〔2026〕17号")
        expect(row).to_contain_text("已使用")
        page.fill("#registry-filter input[name=year]", "2025")
        page.click("#registry-filter button")
        expect(page.locator("tr.number")).to_have_count(0)
        expect(page.locator("#message")).to_have_text("登记簿中没有符合条件的发文字号。")
        page.close()
    if keep := os.environ.get("GONGWEN_SCREENSHOTS"):
        shutil.copyfile(tmp_path / "serve-batch.png", Path(keep) / "serve-batch.png")
