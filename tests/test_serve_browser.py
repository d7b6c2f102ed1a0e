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
from playwright.sync_api import Browser, Locator, Page, expect

from render.reading.loader import load_plan
from render.registry import find_registry
from serving import running_server, write_plans


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


def _messages_beside(page: Page, field: str) -> Locator:
    return page.locator(f"#msg-{field} .field-message")


def test_new_notice_from_the_form_with_live_check_number_and_docx(
        browser: Browser, site: tuple[str, Path], tmp_path: Path) -> None:
    from test_docx import body_paragraphs, text_of

    base, folder = site
    issuer = "重庆市荣昌区农业农村委员会"
    title = "关于做好2026年春季农作物病虫害统防统治工作的通知"
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(base + "/")
    page.select_option("#new-form select[name=kind]", "通知")
    page.fill("#new-form input[name=name]", "荣昌-病虫害防治通知")
    page.click("#new-form button")
    expect(page.locator("#common-form")).to_be_visible()
    assert (folder / "荣昌-病虫害防治通知.yaml").exists()

    page.fill("#field-issuers", issuer)
    page.fill("#field-title", title)
    page.fill("#field-to", "各镇人民政府、街道办事处\n区级有关部门")
    page.fill("#field-body", "为切实做好春季农作物病虫害防控工作，保障粮食生产安全，现将有关事项通知如下。\n\n"
                             "各镇街要于4月15日前完成病虫害普查，建立防控工作台账。")
    page.fill("#field-date", "2026-04-08")
    # The live check, without saving: the filled form has nothing wrong …
    expect(page.locator("#diagnostics-none")).to_be_visible(timeout=15000)
    expect(page.locator("#pages img").first).to_be_visible(timeout=15000)
    # … an emptied title shows its message beside the title field, and it goes away again.
    page.fill("#field-title", "")
    expect(_messages_beside(page, "title")).to_have_count(1, timeout=15000)
    expect(_messages_beside(page, "title")).to_contain_text("标题")
    page.fill("#field-title", title)
    expect(_messages_beside(page, "title")).to_have_count(0, timeout=15000)
    expect(page.locator("#diagnostics-none")).to_be_visible()
    assert "关于做好" not in (folder / "荣昌-病虫害防治通知.yaml").read_text(encoding="utf-8")
    page.wait_for_function("() => [...document.querySelectorAll('#pages img')].every(i => i.complete && i.naturalWidth > 800)")
    form_shot = tmp_path / "serve-form.png"
    page.screenshot(path=str(form_shot))

    page.click("#save-form")
    expect(page.locator("#saved")).to_be_visible()
    page.fill("#number-form input[name=code]", "荣昌农委发")
    page.click("#number-form button")
    expect(page.locator("#taken")).to_contain_text("荣昌农委发〔2026〕1号")
    page.wait_for_function("() => [...document.querySelectorAll('#pages img')].length > 0 && "
                           "[...document.querySelectorAll('#pages img')].every(i => i.complete && i.naturalWidth > 800)")
    preview_shot = tmp_path / "serve-preview.png"
    page.screenshot(path=str(preview_shot))

    with page.expect_download() as waiting:
        page.click("a:has-text('Word（.docx）')")
    target = tmp_path / "rongchang.docx"
    waiting.value.save_as(target)
    word = Document(str(target))
    texts = [text_of(p) for p in body_paragraphs(word)]
    assert any(issuer in t for t in texts[:4]) and any("文件" in t for t in texts[:4]), texts[:6]
    assert "荣昌农委发〔2026〕1号" in texts
    assert title in "".join(texts)
    assert any(t.startswith("为切实做好春季农作物病虫害防控工作") for t in texts)
    assert any(t.startswith("各镇街要于4月15日前完成病虫害普查") for t in texts)
    saved = (folder / "荣昌-病虫害防治通知.yaml").read_text(encoding="utf-8")
    assert saved.startswith("# 新建的通知") and "标题: " + title in saved and "发文字号: 荣昌农委发〔2026〕1号" in saved
    page.close()
    if keep := os.environ.get("GONGWEN_SCREENSHOTS"):
        shutil.copyfile(form_shot, Path(keep) / "serve-form.png")
        shutil.copyfile(preview_shot, Path(keep) / "serve-preview.png")


def test_work_points_item_added_picked_moved_and_saved(browser: Browser, site: tuple[str, Path],
                                                       tmp_path: Path) -> None:
    base, folder = site
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(base + "/plans/tongliang-work-points.yaml")
    expect(page.locator("fieldset.section")).to_have_count(2)
    # A new item in the second section, filled in, its lead unit picked from the list …
    page.click('button[value="add_item:1"]')
    expect(page.locator('fieldset.item[data-item="1.1"]')).to_be_visible()
    page.fill("#b-s1-i1-title", "开展校园食品安全专项督导")
    page.fill("#b-s1-i1-text", "每学期对学校食堂开展一次专项督导，问题清单限期整改。")
    options = page.eval_on_selector_all("#unit-names option", "options => options.map(o => o.value)")
    assert "区教育督导室" in options
    picker = page.locator('input.unit-pick[data-into="b-s1-i1-lead"]')
    picker.fill("区教育督导室")
    page.evaluate("() => { window.notReloaded = true; }")
    picker.press("Enter")  # adds the unit, and does not submit the form
    expect(page.locator("#b-s1-i1-lead")).to_have_value("区教育督导室")
    assert page.evaluate("() => window.notReloaded === true")
    # … moved above the first item of its section (the typed values go with it), then saved.
    page.click('button[value="up_item:1:1"]')
    expect(page.locator("#b-s1-i0-title")).to_have_value("开展校园食品安全专项督导")
    page.click("#save-form")
    expect(page.locator("#saved")).to_be_visible()
    result = load_plan(folder / "tongliang-work-points.yaml")
    assert result.ok and result.plan is not None
    section = result.plan.sections[1]  # type: ignore[attr-defined]
    assert [item.title for item in section.items] == ["开展校园食品安全专项督导", "开展义务教育优质均衡发展督导评估"]
    assert section.items[0].lead == ["区教育督导室"]
    page.wait_for_function("() => [...document.querySelectorAll('#pages img')].length > 0 && "
                           "[...document.querySelectorAll('#pages img')].every(i => i.complete && i.naturalWidth > 800)")
    page.locator("#b-s1-i0-title").scroll_into_view_if_needed()
    shot = tmp_path / "serve-work-points.png"
    page.screenshot(path=str(shot))
    page.close()
    if keep := os.environ.get("GONGWEN_SCREENSHOTS"):
        shutil.copyfile(shot, Path(keep) / "serve-work-points.png")
