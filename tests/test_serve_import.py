"""`gongwen serve`: a new plan from an uploaded document, through Starlette's test client.
Real Word files from tests/corpus/, an invented notice in plain text, and hostile uploads."""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from render.importers import import_document
from render.reading.loader import load_plan
from render.serve.app import create_app
from render.serve.uploads import MAX_UPLOAD
from serving import write_plans

CORPUS = Path(__file__).parent / "corpus" / "word"

YOUYANG = """\
酉阳土家族苗族自治县农业农村委员会文件

酉阳农发〔2026〕9号

关于做好2026年春季农作物病虫害统防统治工作的通知

各乡镇人民政府、街道办事处，县级有关部门：

为切实做好今年春季农作物病虫害防控工作，保障粮食生产安全，现将有关事项通知如下。

一、加强监测预警
各乡镇要落实专人负责，每周报送一次病虫发生情况，发现异常及时上报。

二、推进统防统治
各乡镇要扶持专业化防治服务组织，统防统治覆盖率达到45%以上。

酉阳土家族苗族自治县农业农村委员会
2026年3月6日
"""


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    folder = write_plans(tmp_path / "plans")
    with TestClient(create_app(folder), base_url="http://127.0.0.1") as client:
        yield client, folder


def _upload(client: TestClient, filename: str, data: bytes, **fields: str) -> httpx.Response:
    return client.post("/import", files={"file": (filename, data, "application/octet-stream")}, data=fields,
                       follow_redirects=False)


def _message(page: str) -> str:
    match = re.search(r'id="message">(.*?)</div>', page, re.S)
    assert match, "the index page shows why the upload was refused"
    return html.unescape(match.group(1))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder.parent)): p.read_bytes() for p in folder.parent.rglob("*") if p.is_file()}


def test_a_word_document_becomes_a_plan_with_its_warnings_on_its_page(site: tuple[TestClient, Path],
                                                                      tmp_path: Path) -> None:
    client, folder = site
    source = CORPUS / "wordwin-heading-levels.docx"
    response = _upload(client, "綦江区测试文段.docx", source.read_bytes())
    assert response.status_code == 303
    assert response.headers["location"] == "/plans/%E7%B6%A6%E6%B1%9F%E5%8C%BA%E6%B5%8B%E8%AF%95%E6%96%87%E6%AE%B5.yaml?imported=1"
    plan = folder / "綦江区测试文段.yaml"
    loaded = load_plan(plan)
    assert loaded.ok and loaded.plan is not None and loaded.plan.title == "测试文段"
    # The same plan and warnings as the importer gives `gongwen import` for this file.
    expected = import_document(source)
    assert len(loaded.plan.sections) == len(expected.plan["sections"])
    page = client.get(response.headers["location"]).text
    notice = re.search(r'<div class="notice[^"]*" id="imported">(.*?)</div>', page, re.S)
    assert notice and "已从“綦江区测试文段.docx”导入为 綦江区测试文段.yaml" in notice.group(1)
    shown = [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", notice.group(1))]
    assert shown == [f"第 {d.line} 行 {d.code} {d.message}" for d in expected.diagnostics]
    assert any("W704" in line for line in shown)
    assert str(tmp_path) not in notice.group(1) and "upload" not in notice.group(1)
    # Opened again later, the page is the plan's own, without the import notice.
    assert 'id="imported"' not in client.get("/plans/%E7%B6%A6%E6%B1%9F%E5%8C%BA%E6%B5%8B%E8%AF%95%E6%96%87%E6%AE%B5.yaml").text


def test_a_notice_missing_its_issuer_is_written_for_the_user_to_complete(site: tuple[TestClient, Path]) -> None:
    client, folder = site
    response = _upload(client, "wps-notice-format-standard.docx", (CORPUS / "wps-notice-format-standard.docx").read_bytes(),
                       name="格式标准通知", kind="notice")
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "原文缺少以下要素，补上后才能渲染" in page and "E413" in page
    assert "W723" in page  # the importer's own warning, in Chinese
    loaded = load_plan(folder / "格式标准通知.yaml")
    assert not loaded.ok and {d.code for d in loaded.diagnostics if d.is_error} == {"E413"}


def test_an_invented_text_notice_and_the_type_chosen(site: tuple[TestClient, Path]) -> None:
    client, folder = site
    response = _upload(client, "酉阳病虫害防治通知.txt", YOUYANG.encode("gb18030"))  # an older Windows tool's encoding
    assert response.status_code == 303
    loaded = load_plan(folder / "酉阳病虫害防治通知.yaml")
    assert loaded.ok and loaded.plan is not None
    assert loaded.plan.number is not None and str(loaded.plan.number.resolved()) == "酉阳农发〔2026〕9号"
    assert loaded.plan.title == "关于做好2026年春季农作物病虫害统防统治工作的通知"
    assert str(loaded.plan.date) == "2026-03-06"
    index = client.get("/").text
    assert 'data-name="酉阳病虫害防治通知.yaml"' in index
    # The same text imported as a 总结 because the user said so.
    as_summary = _upload(client, "酉阳病虫害防治通知.txt", YOUYANG.encode("utf-8"), name="酉阳-总结", kind="summary")
    assert as_summary.status_code == 303
    assert "type: summary" in (folder / "酉阳-总结.yaml").read_text(encoding="utf-8")


def test_an_existing_plan_is_never_replaced(site: tuple[TestClient, Path]) -> None:
    client, folder = site
    before = _files(folder)
    response = _upload(client, "bishan-notice.txt", YOUYANG.encode("utf-8"))
    assert response.status_code == 409
    assert "已有名为“bishan-notice.yaml”的文件" in _message(response.text)
    assert _files(folder) == before


def _zip_bomb() -> bytes:
    """A .docx-shaped zip whose document part inflates to more than a member may (40 MB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", b"<" + b"a" * (45 * 1024 * 1024) + b">")
    return out.getvalue()


# The data is made when the test runs (the large ones are tens of megabytes).
HOSTILE: dict[str, tuple[Callable[[], bytes], int, str]] = {
    "../../x.yaml": (lambda: b"type: notice\n", 400, "不是单纯的文件名"),
    "..\\..\\outside.txt": (lambda: YOUYANG.encode("utf-8"), 400, "不是单纯的文件名"),
    "/etc/passwd.txt": (lambda: YOUYANG.encode("utf-8"), 400, "不是单纯的文件名"),
    "setup.exe": (lambda: b"MZ\x90\x00" * 64, 415, "不能导入“.exe”文件"),
    "renamed.docx": (lambda: b"MZ\x90\x00 this is not a zip" * 50, 400, "renamed.docx：E801 不是有效的Word 文档"),
    "bomb.docx": (_zip_bomb, 400, "bomb.docx：E802"),
    "huge.txt": (lambda: "正文".encode() * (20 * 1024 * 1024 // 6), 413, "huge.txt：E111 要导入的文本文件"),
    "empty.txt": (lambda: b"", 400, "E800"),
    "redhead.docx": (lambda: (CORPUS / "jsbuilt-redhead-template.docx").read_bytes(), 400, "只有模板占位符"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_uploads_are_refused_in_chinese_and_write_nothing(site: tuple[TestClient, Path], name: str) -> None:
    client, folder = site
    make, status, words = HOSTILE[name]
    before = _files(folder)
    response = _upload(client, name, make())
    assert response.status_code == status
    message = _message(response.text)
    assert words in message
    assert "gongwen-import-" not in message  # the temporary file is never named
    assert _files(folder) == before


def test_a_plan_name_that_is_a_path_is_refused(site: tuple[TestClient, Path]) -> None:
    client, folder = site
    before = _files(folder)
    for wanted in ("../escape", "sub/plan", ".hidden"):
        response = _upload(client, "youyang.txt", YOUYANG.encode("utf-8"), name=wanted)
        assert response.status_code == 400, wanted
        assert "计划的文件名只能由" in _message(response.text)
    assert _files(folder) == before


def test_an_oversize_body_is_refused_before_it_is_read(site: tuple[TestClient, Path]) -> None:
    client, folder = site
    before = _files(folder)
    big = b"x" * (MAX_UPLOAD + 1)
    declared = _upload(client, "big.docx", big)
    assert declared.status_code == 413 and "上传的文件太大" in _message(declared.text)

    # Sent in chunks with no Content-Length: the stream is cut off at the bound.
    def chunks() -> Iterator[bytes]:
        boundary = b"--bound\r\n"
        yield boundary + b'Content-Disposition: form-data; name="file"; filename="big.docx"\r\n\r\n'
        for _ in range(MAX_UPLOAD // (1 << 20) + 2):
            yield b"x" * (1 << 20)
        yield b"\r\n--bound--\r\n"

    chunked = client.post("/import", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=bound"})
    assert chunked.status_code == 413 and "上传的文件太大" in _message(chunked.text)
    assert _files(folder) == before


def test_malformed_and_foreign_upload_requests(site: tuple[TestClient, Path]) -> None:
    client, folder = site
    before = _files(folder)
    no_file = client.post("/import", data={"kind": ""}, files={"other": ("", b"", "text/plain")})
    assert no_file.status_code == 400 and "请选择要导入的文件" in _message(no_file.text)
    not_multipart = client.post("/import", content=b"file=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert not_multipart.status_code == 400 and "multipart/form-data" in _message(not_multipart.text)
    two_files = client.post("/import", files=[("file", ("a.txt", b"a", "text/plain")), ("file", ("b.txt", b"b", "text/plain"))])
    assert two_files.status_code == 400 and "上传的表单有误" in _message(two_files.text)
    bad_kind = _upload(client, "youyang.txt", YOUYANG.encode("utf-8"), kind="bulletin")
    assert bad_kind.status_code == 400
    forged = client.post("/import", files={"file": ("youyang.txt", YOUYANG.encode("utf-8"), "text/plain")},
                         headers={"Origin": "http://attacker.example"})
    assert forged.status_code == 403
    assert _files(folder) == before


def test_the_index_page_offers_the_import_form(site: tuple[TestClient, Path]) -> None:
    client, _ = site
    page = client.get("/").text
    form = re.search(r'<form method="post" action="/import" enctype="multipart/form-data" id="import-form">(.*?)</form>',
                     page, re.S)
    assert form and 'type="file" name="file"' in form.group(1)
    assert [html.unescape(o) for o in re.findall(r"<option value=\"[a-z_]*\">(.*?)</option>", form.group(1))] == [
        "自动识别", "通知", "工作要点", "总结"]


def test_a_word_file_gongwen_wrote_comes_back_as_its_plan(site: tuple[TestClient, Path]) -> None:
    client, folder = site
    docx = client.get("/plans/bishan-notice.yaml/download/docx")
    assert docx.status_code == 200
    response = _upload(client, "璧山安全排查通知（返回）.docx", docx.content, name="bishan-returned")
    assert response.status_code == 303
    original, returned = load_plan(folder / "bishan-notice.yaml"), load_plan(folder / "bishan-returned.yaml")
    assert returned.ok and original.plan is not None and returned.plan is not None
    assert returned.plan.model_dump() == original.plan.model_dump()
