"""`gongwen serve`'s list of the 发文字号 registry's numbers, filtered by 代字 and 年份."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from render.registry import RegistryPlace, find_registry, open_store
from render.serve.app import create_app
from serving import write_plans


def _rows(page: str) -> list[list[str]]:
    return [[html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r'<tr class="number"[^>]*>(.*?)</tr>', page, re.S)]


def _message(page: str) -> str:
    match = re.search(r'id="message">(.*?)</div>', page, re.S)
    return html.unescape(match.group(1)) if match else ""


@pytest.fixture()
def numbered(tmp_path: Path) -> Iterator[tuple[TestClient, RegistryPlace]]:
    folder = write_plans(tmp_path / "plans")
    place = find_registry(str(tmp_path / "registry.sqlite"))
    store = open_store(place)
    try:
        store.allocate("荣昌农发", 2025, "关于开展2025年秋季耕地质量监测工作的通知")
        store.allocate("荣昌农发", 2026, "关于做好2026年春耕备耕工作的通知")
        void = store.allocate("荣昌农发", 2026, "关于召开农机安全生产会议的通知（作废）")
        store.void(void.number, "会议取消")
        store.reserve_for_plan("大足教发", 2026, place.plan_key(folder / "bishan-notice.yaml"), "关于开展中小学书香校园建设的通知")
    finally:
        store.close()
    with TestClient(create_app(folder, place), base_url="http://127.0.0.1") as client:
        yield client, place


def test_every_entry_with_its_state(numbered: tuple[TestClient, RegistryPlace]) -> None:
    client, place = numbered
    response = client.get("/registry")
    assert response.status_code == 200
    rows = _rows(response.text)
    by_number = {row[0]: row for row in rows}
    assert set(by_number) == {"荣昌农发〔2025〕1号", "荣昌农发〔2026〕1号", "荣昌农发〔2026〕2号", "大足教发〔2026〕1号"}
    assert by_number["荣昌农发〔2026〕2号"][1:5] == ["荣昌农发", "2026", "2", "已作废"]
    assert by_number["荣昌农发〔2026〕2号"][-1] == "会议取消"
    assert by_number["荣昌农发〔2026〕1号"][4:6] == ["已使用", "关于做好2026年春耕备耕工作的通知"]
    assert by_number["大足教发〔2026〕1号"][4] == "已预留"
    assert "bishan-notice.yaml" in by_number["大足教发〔2026〕1号"][6]
    assert place.shown() in response.text
    # The same entries `gongwen number list` reads.
    store = open_store(place)
    try:
        assert len(rows) == len(store.list())
    finally:
        store.close()


@pytest.mark.parametrize(("query", "expected"), [
    ("?code=荣昌农发", {"荣昌农发〔2025〕1号", "荣昌农发〔2026〕1号", "荣昌农发〔2026〕2号"}),
    ("?year=2026", {"荣昌农发〔2026〕1号", "荣昌农发〔2026〕2号", "大足教发〔2026〕1号"}),
    ("?code=荣昌农发&year=2025", {"荣昌农发〔2025〕1号"}),
    ("?code=+大足教发+&year=", {"大足教发〔2026〕1号"}),
])
def test_filters_by_code_and_year(numbered: tuple[TestClient, RegistryPlace], query: str, expected: set[str]) -> None:
    client, _ = numbered
    page = client.get("/registry" + query).text
    assert {row[0] for row in _rows(page)} == expected
    assert _message(page) == ""


def test_filters_that_match_nothing_or_are_wrong(numbered: tuple[TestClient, RegistryPlace]) -> None:
    client, _ = numbered
    none = client.get("/registry?code=铜梁教发")
    assert none.status_code == 200 and _rows(none.text) == []
    assert _message(none.text) == "登记簿中没有符合条件的发文字号。"
    wrong = client.get("/registry?year=26")
    assert wrong.status_code == 400 and _message(wrong.text) == "年份应为 4 位数字，而不是“26”"
    assert 'value="26"' in wrong.text  # the filter stays as typed


def test_no_registry_and_a_registry_not_made_yet(tmp_path: Path) -> None:
    folder = write_plans(tmp_path / "plans")
    with TestClient(create_app(folder), base_url="http://127.0.0.1") as client:
        page = client.get("/registry")
        assert page.status_code == 200 and _rows(page.text) == []
        assert _message(page.text).startswith("没有发文字号登记簿")
    missing = tmp_path / "未建立" / "registry.sqlite"
    with TestClient(create_app(folder, find_registry(str(missing))), base_url="http://127.0.0.1") as client:
        page = client.get("/registry?code=荣昌农发")
        assert _message(page.text).startswith("发文字号登记簿（") and "还没有建立" in _message(page.text)
    assert not missing.exists(), "listing never makes a registry"


def test_an_empty_registry(tmp_path: Path) -> None:
    folder = write_plans(tmp_path / "plans")
    place = find_registry(str(tmp_path / "registry.sqlite"))
    open_store(place).close()
    with TestClient(create_app(folder, place), base_url="http://127.0.0.1") as client:
        assert _message(client.get("/registry").text) == "登记簿中还没有发文字号。"
