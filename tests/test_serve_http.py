"""`gongwen serve` over HTTP: a real server on 127.0.0.1, spoken to with httpx."""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import openpyxl
import pdfplumber
import pytest
from docx import Document
from PIL import Image

from render.registry import find_registry
from serving import NOTICE, running_server, write_plans


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, Path]]:
    folder = write_plans(tmp_path_factory.mktemp("served") / "plans")
    registry = find_registry(str(folder.parent / "registry.sqlite"))
    with running_server(folder, registry) as base, httpx.Client(base_url=base, timeout=120) as client:
        yield client, folder


def _rows(page: str) -> dict[str, str]:
    return {m.group(1): m.group(0) for m in re.finditer(r'<tr class="plan" data-name="([^"]+)".*?</tr>', page, re.S)}


def _form_version(page: str) -> str:
    match = re.search(r'name="version" value="([0-9a-f]+)"', page)
    assert match, "the edit page carries the version of the file it shows"
    return match.group(1)


def _textarea(page: str) -> str:
    match = re.search(r'<textarea name="yaml"[^>]*>(.*?)</textarea>', page, re.S)
    assert match
    # As a browser does: the newline right after <textarea> is not part of the text.
    return html.unescape(match.group(1)).removeprefix("\n")


def test_plans_page_lists_type_title_number_and_state(served: tuple[httpx.Client, Path]) -> None:
    client, _ = served
    response = client.get("/")
    assert response.status_code == 200
    rows = _rows(response.text)
    assert set(rows) == {"bishan-notice.yaml", "tongliang-work-points.yaml", "tongnan-broken.yaml"}
    notice = rows["bishan-notice.yaml"]
    assert "通知" in notice and "璧山教发〔2026〕17号" in notice
    assert "关于开展2026年春季学期中小学校园安全隐患排查整治工作的通知" in notice
    assert 'data-state="valid"' in notice and "可以渲染" in notice
    points = rows["tongliang-work-points.yaml"]
    assert "工作要点" in points and "铜梁区2026年教育督导工作要点" in points
    broken = rows["tongnan-broken.yaml"]
    assert 'data-state="errors"' in broken and re.search(r"\d+ 个错误", broken)


def test_edit_page_shows_validate_codes_with_their_lines(served: tuple[httpx.Client, Path]) -> None:
    from render.reading.loader import load_plan

    client, folder = served
    expected = [d for d in load_plan(folder / "tongnan-broken.yaml").diagnostics if d.is_error]
    assert len(expected) >= 2
    page = client.get("/plans/tongnan-broken.yaml").text
    for diagnostic in expected:
        assert diagnostic.line > 0
        # The 发文字号's error stands beside its field, the unknown key's in the list below.
        beside = diagnostic.line == 3
        pattern = (r'<div class="field-messages" id="msg-number">(.*?)</div>' if beside
                   else rf'<li class="error" data-line="{diagnostic.line}">(.*?)</li>')
        entry = re.search(pattern, page, re.S)
        assert entry, f"no message at line {diagnostic.line}"
        assert f'data-line="{diagnostic.line}"' in entry.group(0)
        assert diagnostic.code in entry.group(1)
        assert html.escape(diagnostic.message, quote=False) in entry.group(1)
    assert "计划有错误，改正后才能预览和下载" in page
    assert "/download/" not in page  # nothing offered for a plan that cannot render


def test_save_writes_the_text_and_keeps_comments(served: tuple[httpx.Client, Path]) -> None:
    client, folder = served
    page = client.get("/plans/bishan-notice.yaml").text
    assert _textarea(page) == NOTICE
    edited = NOTICE.replace("各校要于3月20日前完成自查", "各校要于3月25日前完成自查").replace("\n", "\r\n")
    response = client.post("/plans/bishan-notice.yaml", data={"yaml": edited, "version": _form_version(page)})
    assert response.status_code == 303
    saved = (folder / "bishan-notice.yaml").read_bytes()
    assert b"\r" not in saved  # the browser's CR LF become the file's LF
    assert saved.decode("utf-8") == NOTICE.replace("3月20日", "3月25日")
    assert saved.decode("utf-8").startswith("# 璧山区的通知")
    after = client.get(response.headers["location"]).text
    assert "已保存" in after
    assert _form_version(after) == hashlib.sha256(saved).hexdigest()
    # No temporary file is left beside the plan.
    assert sorted(p.name for p in folder.iterdir()) == ["bishan-notice.yaml", "tongliang-work-points.yaml",
                                                        "tongnan-broken.yaml"]


def test_stale_save_is_refused_and_nothing_is_written(served: tuple[httpx.Client, Path]) -> None:
    client, folder = served
    path = folder / "tongliang-work-points.yaml"
    first_tab = client.get("/plans/tongliang-work-points.yaml").text
    second_tab = client.get("/plans/tongliang-work-points.yaml").text
    text = _textarea(first_tab)
    accepted = client.post("/plans/tongliang-work-points.yaml",
                           data={"yaml": text.replace("不少于两次", "不少于三次"), "version": _form_version(first_tab)})
    assert accepted.status_code == 303
    written = path.read_bytes()
    stale_text = text.replace("每月到校", "每周到校")
    refused = client.post("/plans/tongliang-work-points.yaml",
                          data={"yaml": stale_text, "version": _form_version(second_tab)})
    assert refused.status_code == 409
    assert "保存被拒绝" in refused.text and "已被修改" in refused.text
    assert path.read_bytes() == written
    # The refused text is still in the editor: the user's work is not lost.
    assert _textarea(refused.text) == stale_text


def test_saved_errors_appear_and_go_away(served: tuple[httpx.Client, Path]) -> None:
    client, folder = served
    path = folder / "bishan-notice.yaml"
    page = client.get("/plans/bishan-notice.yaml").text
    good = _textarea(page)
    bad = good.replace("成文日期: 2026-03-02", "成文日期: 2026-02-30")
    client.post("/plans/bishan-notice.yaml", data={"yaml": bad, "version": _form_version(page)})
    line = bad.splitlines().index("成文日期: 2026-02-30") + 1
    shown = client.get("/plans/bishan-notice.yaml").text
    assert re.search(rf'<li class="error" data-line="{line}">', shown)
    assert 'id="form-error"' in shown and "不存在的日期" in shown  # the form steps aside, the YAML stays
    assert 'data-state="errors"' in _rows(client.get("/").text)["bishan-notice.yaml"]
    client.post("/plans/bishan-notice.yaml", data={"yaml": good, "version": _form_version(shown)})
    fixed = client.get("/plans/bishan-notice.yaml").text
    assert 'class="error"' not in fixed and "没有发现问题" in fixed
    assert path.read_text(encoding="utf-8") == good


def test_downloads_open_with_their_readers(served: tuple[httpx.Client, Path]) -> None:
    client, _ = served
    docx = client.get("/plans/bishan-notice.yaml/download/docx")
    assert docx.status_code == 200
    assert docx.headers["content-type"].endswith("wordprocessingml.document")
    assert "bishan-notice.docx" in docx.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "璧山教发〔2026〕17号" in text and "隐患台账" in text and "重庆市璧山区财政局" in text

    pdf = client.get("/plans/bishan-notice.yaml/download/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        printed = "".join(page.extract_text() or "" for page in document.pages).replace("\n", "")
    assert "隐患台账" in printed and "区属各中小学校" in printed

    xlsx = client.get("/plans/tongliang-work-points.yaml/download/xlsx")
    assert xlsx.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    cells = {str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value}
    assert "区教育督导室" in " ".join(cells)
    assert any("健全教育督导问责办法" in value for value in cells)


def test_preview_pages_are_the_pdf_pages(served: tuple[httpx.Client, Path]) -> None:
    client, _ = served
    page = client.get("/plans/tongliang-work-points.yaml").text
    sources = re.findall(r'<img src="(/plans/tongliang-work-points\.yaml/page/\d+\.png\?v=[0-9a-f]+)"', page)
    pdf = client.get("/plans/tongliang-work-points.yaml/download/pdf").content
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = len(document.pages)
        width, height = document.pages[0].width, document.pages[0].height
    assert len(sources) == pages >= 1
    picture = client.get(sources[0])
    assert picture.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(picture.content))
    assert abs(image.width / image.height - width / height) < 0.01  # A4 proportions
    assert image.convert("L").getextrema()[0] < 100  # something dark is printed on it
    assert client.get(f"/plans/tongliang-work-points.yaml/page/{pages + 1}.png").status_code == 404


def test_formats_a_plan_does_not_make_are_refused_in_chinese(served: tuple[httpx.Client, Path]) -> None:
    client, _ = served
    page = client.get("/plans/bishan-notice.yaml").text
    assert "/download/xlsx" not in page  # a notice without work items has no matrix
    refused = client.get("/plans/bishan-notice.yaml/download/xlsx")
    assert refused.status_code == 400 and "不生成 Excel 文件" in refused.text
    assert client.get("/plans/bishan-notice.yaml/download/exe").status_code == 400


def test_names_outside_the_folder_are_not_plans(served: tuple[httpx.Client, Path]) -> None:
    client, folder = served
    (folder.parent / "secret.yaml").write_text(NOTICE, encoding="utf-8")
    for name in ("..%2Fsecret.yaml", "secret.yaml", "%2Fetc%2Fpasswd"):
        response = client.get(f"/plans/{name}")
        assert response.status_code == 404
        assert "没有名为" in response.text or "没有这个网页" in response.text
    refused = client.post("/plans/..%2Fsecret.yaml", data={"yaml": "x", "version": "0"})
    assert refused.status_code == 404
    assert (folder.parent / "secret.yaml").read_text(encoding="utf-8") == NOTICE


def test_foreign_hosts_and_origins_are_refused(served: tuple[httpx.Client, Path]) -> None:
    client, folder = served
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400
    before = (folder / "bishan-notice.yaml").read_bytes()
    page = client.get("/plans/bishan-notice.yaml").text
    forged = client.post("/plans/bishan-notice.yaml", headers={"Origin": "http://attacker.example"},
                         data={"yaml": "type: notice\n", "version": _form_version(page)})
    assert forged.status_code == 403 and "拒绝" in forged.text
    assert (folder / "bishan-notice.yaml").read_bytes() == before


def test_api_validate_returns_the_diagnostics(served: tuple[httpx.Client, Path]) -> None:
    from serving import BROKEN

    client, _ = served
    bad = client.post("/api/validate", content=BROKEN.encode("utf-8"))
    assert bad.status_code == 200
    diagnostics = bad.json()["diagnostics"]
    assert {d["severity"] for d in diagnostics} == {"error"}
    assert all(d["line"] > 0 and d["message"] and d["code"] for d in diagnostics)
    assert client.post("/api/validate", content=NOTICE.encode("utf-8")).json() == {"diagnostics": []}


def test_api_render_returns_the_file_or_400_with_messages(served: tuple[httpx.Client, Path]) -> None:
    from serving import BROKEN

    client, _ = served
    docx = client.post("/api/render?to=docx", content=NOTICE.encode("utf-8"))
    assert docx.status_code == 200 and docx.headers["content-type"].endswith("wordprocessingml.document")
    assert "隐患台账" in "".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    bad = client.post("/api/render?to=pdf", content=BROKEN.encode("utf-8"))
    assert bad.status_code == 400
    body = bad.json()
    assert body["error"].startswith("计划有误")
    assert body["diagnostics"] and all(d["line"] > 0 for d in body["diagnostics"])
