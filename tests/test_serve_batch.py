"""`gongwen serve`'s batch: the whole folder rendered in a background thread, followed by
server-sent events and polling, through Starlette's test client; the files opened with
python-docx, pdfplumber and openpyxl."""

from __future__ import annotations

import html
import io
import json
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pytest
from docx import Document
from starlette.testclient import TestClient

from render.registry import find_registry
from render.serve.app import create_app
from render.serve.batchjobs import BatchState
from serving import write_plans

# How long a test waits for the batch at most: a bound against hanging, not a speed check.
PATIENCE = 300


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    folder = write_plans(tmp_path / "plans")
    app = create_app(folder, find_registry(str(tmp_path / "registry.sqlite")))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, folder


def _until(client: TestClient, done: Callable[[BatchState], bool], stuck: str) -> None:
    """Until the batch's state satisfies `done`, woken by each change of it; a state that
    stops changing for PATIENCE seconds is a hang."""
    jobs = client.app.state.folder_routes.batch  # type: ignore[attr-defined]
    state = jobs.snapshot()
    while not done(state):
        changed = jobs.wait_change(state.version, PATIENCE)
        assert changed.version != state.version, stuck
        state = changed


def _until_finished(client: TestClient) -> dict[str, Any]:
    _until(client, lambda state: state.state != "running", "the batch did not finish")
    result: dict[str, Any] = client.get("/api/batch").json()
    return result


def _events(client: TestClient, heard: threading.Event | None = None) -> list[tuple[str, dict[str, Any]]]:
    """The event stream read to its end, as (event, data) pairs; `heard` is set at the first."""
    events = []
    with client.stream("GET", "/batch/events") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        fields: dict[str, str] = {}
        for line in response.iter_lines():
            if line.startswith(":"):
                continue
            if line:
                key, value = line.split(": ", 1)
                fields[key] = value
                continue
            if fields:
                events.append((fields["event"], json.loads(fields["data"])))
                fields = {}
                if heard is not None:
                    heard.set()
    return events


def _by_plan(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {plan["plan"]: plan for plan in state["plans"]}


def test_batch_renders_every_plan_into_outputs_and_reports_each(site: tuple[TestClient, Path]) -> None:
    client, folder = site
    started = client.post("/api/batch")
    assert started.status_code == 202 and started.json()["started"] is True
    state = _until_finished(client)
    assert state["state"] == "done" and state["done"] == state["total"] == 3
    assert (state["rendered"], state["skipped"], state["failed"]) == (2, 0, 1)
    plans = _by_plan(state)
    assert plans["bishan-notice.yaml"]["outcome"] == "written"
    assert plans["bishan-notice.yaml"]["files"] == ["bishan-notice.docx", "bishan-notice.pdf"]
    assert plans["tongliang-work-points.yaml"]["files"] == [
        "tongliang-work-points.docx", "tongliang-work-points.pdf", "tongliang-work-points.xlsx"]
    broken = plans["tongnan-broken.yaml"]
    assert broken["outcome"] == "failed" and broken["files"] == []
    assert any("E300" in line and "不是发文字号" in line for line in broken["errors"])
    assert any("E201" in line and "colour" in line for line in broken["errors"])

    outputs = folder / "outputs"
    assert sorted(p.name for p in outputs.iterdir()) == sorted(
        [".gongwen-manifest.json", "bishan-notice.docx", "bishan-notice.pdf", "tongliang-work-points.docx",
         "tongliang-work-points.pdf", "tongliang-work-points.xlsx"])
    text = "".join(p.text for p in Document(str(outputs / "bishan-notice.docx")).paragraphs)
    assert "璧山教发〔2026〕17号" in text and "隐患台账" in text
    with pdfplumber.open(outputs / "tongliang-work-points.pdf") as pdf:
        assert "健全教育督导问责办法" in "".join(page.extract_text() or "" for page in pdf.pages)
    workbook = openpyxl.load_workbook(outputs / "tongliang-work-points.xlsx")
    cells = {str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value}
    assert {"落实责任督学挂牌督导制度", "区教育督导室"} <= cells

    # The links the page shows give the files as written, with their content types.
    for plan in state["plans"]:
        for key, link in zip(plan["files"], plan["links"]):
            response = client.get(link)
            assert response.status_code == 200 and response.content == (outputs / key).read_bytes()
    pdf_response = client.get("/outputs/bishan-notice.pdf")
    assert pdf_response.headers["content-type"] == "application/pdf"
    assert client.get("/outputs/tongliang-work-points.xlsx").headers["content-type"].endswith("spreadsheetml.sheet")


def test_the_event_stream_reaches_the_end_and_unchanged_outputs_are_skipped(site: tuple[TestClient, Path]) -> None:
    client, folder = site
    client.post("/api/batch")
    _until_finished(client)
    outputs = folder / "outputs"
    stamps = {p.name: p.stat().st_mtime_ns for p in outputs.iterdir()}

    assert client.post("/batch", follow_redirects=False).status_code == 303
    events = _events(client)
    names = [name for name, _ in events]
    assert names[-1] == "end" and set(names[:-1]) == {"progress"}
    done = [data["done"] for _, data in events]
    assert done == sorted(done), "progress never goes back"
    last = events[-1][1]
    assert last["run"] == 2 and last["state"] == "done" and last["done"] == last["total"] == 3
    assert (last["rendered"], last["skipped"], last["failed"]) == (0, 2, 1)
    plans = _by_plan(last)
    assert plans["bishan-notice.yaml"]["outcome"] == "skipped"
    assert plans["bishan-notice.yaml"]["files"] == ["bishan-notice.docx", "bishan-notice.pdf"]
    # As `gongwen render`: nothing rewritten when nothing changed.
    assert {p.name: p.stat().st_mtime_ns for p in outputs.iterdir() if p.suffix != ".json"} == {
        name: stamp for name, stamp in stamps.items() if not name.endswith(".json")}

    # A stream opened after the batch ended tells its state and ends at once.
    again = _events(client)
    assert [name for name, _ in again] == ["progress", "end"] and again[-1][1]["run"] == 2


def test_one_batch_at_a_time(site: tuple[TestClient, Path]) -> None:
    client, _ = site
    folder_lock = client.app.state.folder_routes.folder._lock  # type: ignore[attr-defined]
    # While the folder's render lock is held (a preview rendering), the batch waits at its
    # first plan: it is certainly running when the second request comes.
    with folder_lock:
        first = client.post("/api/batch")
        assert first.status_code == 202 and first.json()["started"] is True
        second = client.post("/api/batch")
        assert second.status_code == 200 and second.json()["started"] is False
        assert second.json()["run"] == first.json()["run"] == 1 and second.json()["state"] == "running"
        page = client.get("/batch").text
        assert 'data-state="running"' in page and "正在渲染" in page
        assert client.post("/batch", follow_redirects=False).status_code == 303
        # A stream opened now tells of the batch waiting at its first plan, and follows it to the end.
        _until(client, lambda state: state.current == "bishan-notice.yaml",  # it waits there now
               "the batch never reached its first plan")
        assert client.get("/api/batch").json()["current"] == "bishan-notice.yaml"
        heard = threading.Event()
        streamed: list[list[tuple[str, dict[str, Any]]]] = []
        reader = threading.Thread(target=lambda: streamed.append(_events(client, heard)))
        reader.start()
        assert heard.wait(PATIENCE)
    reader.join(PATIENCE)
    assert streamed, "the event stream ended"
    events = streamed[0]
    first, last = events[0][1], events[-1][1]
    assert events[0][0] == "progress" and first["state"] == "running" and first["done"] == 0
    assert first["current"] == "bishan-notice.yaml" and first["total"] == 3
    assert len(events) >= 3, "progress came while the batch ran, not only at its end"
    assert events[-1][0] == "end" and last["state"] == "done" and last["done"] == 3
    assert [data["done"] for _, data in events] == sorted(data["done"] for _, data in events)
    state = _until_finished(client)
    assert state["run"] == 1 and state["done"] == 3


def test_the_batch_page_shows_outcomes_and_links(site: tuple[TestClient, Path]) -> None:
    client, folder = site
    idle = client.get("/batch").text
    assert "还没有进行过批量渲染" in idle and "outputs/（在计划文件夹中）" in idle
    client.post("/batch")
    _until_finished(client)
    page = client.get("/batch").text
    assert 'data-state="done"' in page and "完成：渲染 2，跳过 0，失败 1（写出 5 个文件）" in page
    rows = {m.group(1): m.group(0) for m in re.finditer(r'<tr class="result" data-plan="([^"]+)".*?</tr>', page, re.S)}
    assert "✓ 已生成" in rows["bishan-notice.yaml"] and 'href="/outputs/bishan-notice.pdf"' in rows["bishan-notice.yaml"]
    assert "✗ 失败" in rows["tongnan-broken.yaml"]
    assert "E300" in html.unescape(rows["tongnan-broken.yaml"])
    assert str(folder) not in rows["tongnan-broken.yaml"]  # plans named by their file names
    index = client.get("/").text
    assert 'action="/batch"' in index and 'href="/registry"' in index


def test_outputs_outside_the_output_folder_are_not_served(site: tuple[TestClient, Path]) -> None:
    client, folder = site
    client.post("/api/batch")
    _until_finished(client)
    (folder / "outputs" / "notes.txt").write_text("不是输出文件", encoding="utf-8")
    for path in ("/outputs/../bishan-notice.yaml", "/outputs/%2e%2e/bishan-notice.yaml", "/outputs/.gongwen-manifest.json",
                 "/outputs/notes.txt", "/outputs/missing.pdf", "/outputs/%2Fetc%2Fpasswd", "/outputs/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "bishan" not in response.text or "没有" in response.text


def test_the_output_folder_can_be_elsewhere(tmp_path: Path) -> None:
    folder = write_plans(tmp_path / "plans")
    elsewhere = tmp_path / "发布" / "2026"
    with TestClient(create_app(folder, outputs=elsewhere), base_url="http://127.0.0.1") as client:
        client.post("/api/batch")
        state = _until_finished(client)
        assert state["done"] == 3
        assert (elsewhere / "bishan-notice.docx").is_file() and not (folder / "outputs").exists()
        assert str(elsewhere) in client.get("/batch").text
        assert client.get("/outputs/bishan-notice.docx").content == (elsewhere / "bishan-notice.docx").read_bytes()
        assert Document(io.BytesIO(client.get("/outputs/bishan-notice.docx").content)).paragraphs
