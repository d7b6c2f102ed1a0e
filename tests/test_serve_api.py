"""`gongwen serve`'s JSON API for other office systems, through Starlette's test client:
`POST /api/validate` and `POST /api/render?to=docx|pdf|xlsx`."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from docx import Document
from starlette.testclient import TestClient

from render.reading.loader import load_plan_text
from render.serve.app import MAX_BODY, create_app
from serving import BROKEN, NOTICE, WORK_POINTS, write_plans

KEYS = {"code", "severity", "line", "col", "message"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = write_plans(tmp_path_factory.mktemp("api") / "plans")
    with TestClient(create_app(folder), base_url="http://127.0.0.1") as test_client:
        yield test_client


def _expected(text: str) -> list[dict[str, object]]:
    result = load_plan_text(text, Path("<输入>.yaml"))
    return [{"code": d.code, "severity": d.severity.value, "line": d.line, "col": d.col, "message": d.message}
            for d in result.diagnostics]


def test_validate_gives_the_loaders_diagnostics(client: TestClient) -> None:
    response = client.post("/api/validate", content=BROKEN.encode("utf-8"))
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    diagnostics = response.json()["diagnostics"]
    assert diagnostics == _expected(BROKEN)
    assert {d["code"] for d in diagnostics} >= {"E300", "E201"}
    assert all(set(d) == KEYS and d["line"] > 0 and d["col"] > 0 and CHINESE.search(d["message"]) for d in diagnostics)
    assert client.post("/api/validate", content=WORK_POINTS.encode("utf-8")).json() == {"diagnostics": []}


def test_a_warning_is_a_warning(client: TestClient) -> None:
    plan = NOTICE.replace("校园安全工作，防范", "校园安全工作,防范")  # a half-width comma in Chinese text
    diagnostics = client.post("/api/validate", content=plan.encode("utf-8")).json()["diagnostics"]
    assert diagnostics == _expected(plan)
    assert [(d["code"], d["severity"], d["line"]) for d in diagnostics] == [("W503", "warning", plan.splitlines().index("正文: |") + 1)]
    assert "半角标点" in diagnostics[0]["message"]
    # A plan with warnings only renders.
    assert client.post("/api/render?to=docx", content=plan.encode("utf-8")).status_code == 200


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_a_bad_plan_is_400_with_the_chinese_message_and_diagnostics(client: TestClient, fmt: str) -> None:
    response = client.post(f"/api/render?to={fmt}", content=BROKEN.encode("utf-8"))
    assert response.status_code == 400 and response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"].startswith("计划有误：") and "E300" in body["error"] and "第 3 行" in body["error"]
    assert body["diagnostics"] == _expected(BROKEN)
    assert all(set(d) == KEYS for d in body["diagnostics"])


def test_unknown_format_and_format_the_plan_does_not_make(client: TestClient) -> None:
    unknown = client.post("/api/render?to=rtf", content=NOTICE.encode("utf-8"))
    assert unknown.status_code == 400 and unknown.headers["content-type"] == "application/json"
    assert unknown.json()["error"].startswith("不支持的格式“rtf”")
    no_matrix = client.post("/api/render?to=xlsx", content=NOTICE.encode("utf-8"))
    assert no_matrix.status_code == 400 and "不生成 Excel 文件" in no_matrix.json()["error"]


def test_rendered_files_open_with_their_readers(client: TestClient) -> None:
    docx = client.post("/api/render?to=docx", content=NOTICE.encode("utf-8"))
    assert docx.status_code == 200
    assert docx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    text = "".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "璧山教发〔2026〕17号" in text and "隐患台账" in text

    pdf = client.post("/api/render?to=pdf", content=NOTICE.encode("utf-8"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        printed = "".join(page.extract_text() or "" for page in document.pages).replace("\n", "")
    assert "校园安全隐患排查整治" in printed

    xlsx = client.post("/api/render?to=xlsx", content=WORK_POINTS.encode("utf-8"))
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    cells = {str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value}
    assert {"健全教育督导问责办法", "区教委基础教育科"} <= cells
    # Without ?to=, a PDF.
    assert client.post("/api/render", content=NOTICE.encode("utf-8")).headers["content-type"] == "application/pdf"


@pytest.mark.parametrize("path", ["/api/validate", "/api/render?to=docx"])
def test_oversize_and_undecodable_bodies(client: TestClient, path: str) -> None:
    big = ("# " + "填" * 100 + "\n").encode("utf-8") * (MAX_BODY // 300 + 10)
    assert len(big) > MAX_BODY
    oversize = client.post(path, content=big)
    assert oversize.status_code == 413 and oversize.json()["error"] == "计划太大（超过 5 MB）"

    def chunks() -> Iterator[bytes]:  # no Content-Length: cut off while streaming
        for _ in range(6):
            yield b"#" * (1024 * 1024)

    assert client.post(path, content=chunks()).status_code == 413
    gbk = client.post(path, content=NOTICE.encode("gb18030"))
    assert gbk.status_code == 400 and gbk.json()["error"] == "计划应为 UTF-8 编码的文本"


def test_wrong_method_and_foreign_origin_are_json(client: TestClient) -> None:
    wrong = client.get("/api/validate")
    assert wrong.status_code == 405 and wrong.json()["error"] == "这个网页不接受这种请求"
    forged = client.post("/api/validate", content=NOTICE.encode("utf-8"), headers={"Origin": "http://attacker.example"})
    assert forged.status_code == 403 and forged.json()["error"] == "拒绝来自其他网站的请求"
