"""`gongwen serve`'s form for the common keys and its 取号 button, through a real server."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from render.reading.loader import load_plan
from render.registry import RegistryPlace, find_registry, open_store
from render.serve.form import apply_form, form_values
from serving import NOTICE, WORK_POINTS, running_server, write_plans


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[httpx.Client, Path, RegistryPlace]]:
    folder = write_plans(tmp_path / "plans")
    registry = find_registry(str(tmp_path / "registry.sqlite"))
    with running_server(folder, registry) as base, httpx.Client(base_url=base, timeout=120) as client:
        yield client, folder, registry


def _version(page: str, form: str) -> str:
    match = re.search(rf'<form[^>]*id="{form}".*?name="version" value="([0-9a-f]+)"', page, re.S)
    assert match
    return match.group(1)


def _changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


def test_form_shows_the_common_keys(served: tuple[httpx.Client, Path, RegistryPlace]) -> None:
    client, _, _ = served
    page = client.get("/plans/bishan-notice.yaml").text
    assert 'value="关于开展2026年春季学期中小学校园安全隐患排查整治工作的通知"' in page
    assert re.search(r'id="field-issuers">\n重庆市璧山区教育委员会\n重庆市璧山区财政局</textarea>', page)
    assert 'type="date" name="date" id="field-date" value="2026-03-02"' in page
    assert "隐患台账" in re.search(r'id="field-body">(.*?)</textarea>', page, re.S).group(1)  # type: ignore[union-attr]


def test_form_changes_only_what_it_changed(served: tuple[httpx.Client, Path, RegistryPlace]) -> None:
    client, folder, _ = served
    path = folder / "bishan-notice.yaml"
    page = client.get("/plans/bishan-notice.yaml").text
    values = form_values(NOTICE)
    values["title"] = "关于开展2026年秋季学期中小学校园安全隐患排查整治工作的通知"
    values["to"] += "\r\n区属各幼儿园"
    values["date"] = "2026-09-01"
    response = client.post("/plans/bishan-notice.yaml/form", data={**values, "version": _version(page, "common-form")})
    assert response.status_code == 303
    saved = path.read_text(encoding="utf-8")
    assert _changed_lines(NOTICE, saved) == [
        "- 标题: 关于开展2026年春季学期中小学校园安全隐患排查整治工作的通知",
        "+ 标题: 关于开展2026年秋季学期中小学校园安全隐患排查整治工作的通知",
        "+   - 区属各幼儿园",
        "- 成文日期: 2026-03-02",
        "+ 成文日期: 2026-09-01",
    ]
    assert saved.startswith("# 璧山区的通知")  # the comment stays
    plan = load_plan(path).require()
    assert plan.to[-1] == "区属各幼儿园" and str(plan.date) == "2026-09-01"


def test_form_adds_keys_in_the_plans_own_language(served: tuple[httpx.Client, Path, RegistryPlace]) -> None:
    client, folder, _ = served
    path = folder / "tongliang-work-points.yaml"
    page = client.get("/plans/tongliang-work-points.yaml").text
    values = {**form_values(WORK_POINTS), "to": "各中小学校", "date": "2026-02-15"}
    client.post("/plans/tongliang-work-points.yaml/form", data={**values, "version": _version(page, "common-form")})
    saved = path.read_text(encoding="utf-8")
    assert saved.startswith(WORK_POINTS)  # everything the user wrote, byte for byte
    assert saved[len(WORK_POINTS):] == "to: 各中小学校\ndate: 2026-02-15\n"
    assert load_plan(path).ok

    chinese = "类型: 通知\n发文机关: 重庆市大足区教育委员会\n标题: 关于做好寒假安全教育工作的通知\n主送机关: 各中小学校\n正文: 请各校认真做好寒假前安全教育。\n"
    added = apply_form(chinese, {**form_values(chinese), "date": "2026-01-10"})
    assert added == chinese + "成文日期: 2026-01-10\n"
    # One name stays a one-line value; a second makes a list.
    assert "主送机关: 各中小学校\n" in apply_form(chinese, {**form_values(chinese), "title": "关于做好寒假工作的通知"})
    listed = apply_form(chinese, {**form_values(chinese), "to": "各中小学校\n各幼儿园"})
    assert "主送机关:\n- 各中小学校\n- 各幼儿园\n" in listed


def test_stale_form_is_refused(served: tuple[httpx.Client, Path, RegistryPlace]) -> None:
    client, folder, _ = served
    path = folder / "bishan-notice.yaml"
    old_version = _version(client.get("/plans/bishan-notice.yaml").text, "common-form")
    path.write_text(NOTICE.replace("3月20日", "3月22日"), encoding="utf-8")  # a colleague's editor
    written = path.read_bytes()
    values = {**form_values(NOTICE), "title": "关于开展校园安全检查的通知"}
    refused = client.post("/plans/bishan-notice.yaml/form", data={**values, "version": old_version})
    assert refused.status_code == 409 and "保存被拒绝" in refused.text
    assert path.read_bytes() == written


def test_take_number_from_the_registry(served: tuple[httpx.Client, Path, RegistryPlace]) -> None:
    client, folder, registry = served
    page = client.get("/plans/tongliang-work-points.yaml").text
    assert "（未写发文字号）" in page
    taken = client.post("/plans/tongliang-work-points.yaml/number",
                        data={"code": "铜梁教督", "year": "2026", "version": _version(page, "number-form")})
    assert taken.status_code == 303
    after = client.get(taken.headers["location"]).text
    assert "已取号：铜梁教督〔2026〕1号" in after
    path = folder / "tongliang-work-points.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(WORK_POINTS) and text.endswith("number: 铜梁教督〔2026〕1号\n")
    assert str(load_plan(path).require().number.resolved()) == "铜梁教督〔2026〕1号"  # type: ignore[union-attr]

    # The same plan asking again keeps its number; another plan gets the next.
    again = client.post("/plans/tongliang-work-points.yaml/number",
                        data={"code": "铜梁教督", "year": "2026", "version": _version(after, "number-form")})
    assert "已取号：铜梁教督〔2026〕1号" in client.get(again.headers["location"]).text
    other = client.get("/plans/bishan-notice.yaml").text
    client.post("/plans/bishan-notice.yaml/number",
                data={"code": "铜梁教督", "year": "2026", "version": _version(other, "number-form")})
    assert "发文字号: 铜梁教督〔2026〕2号\n" in (folder / "bishan-notice.yaml").read_text(encoding="utf-8")
    store = open_store(registry)
    try:
        held = sorted(str(entry.number) for entry in store.list())
    finally:
        store.close()
    assert held == ["铜梁教督〔2026〕1号", "铜梁教督〔2026〕2号"]
    # The listing shows the numbers.
    listing = client.get("/").text
    assert "铜梁教督〔2026〕1号" in listing and "铜梁教督〔2026〕2号" in listing


def test_take_number_refuses_bad_parts_in_chinese(served: tuple[httpx.Client, Path, RegistryPlace]) -> None:
    client, folder, _ = served
    path = folder / "tongliang-work-points.yaml"
    page = client.get("/plans/tongliang-work-points.yaml").text
    version = _version(page, "number-form")
    for code, year, said in (("", "2026", "机关代字"), ("铜梁教督", "26", "4 位数字")):
        refused = client.post("/plans/tongliang-work-points.yaml/number",
                              data={"code": code, "year": year, "version": version})
        assert refused.status_code == 400
        assert said in refused.text
    stale = client.post("/plans/tongliang-work-points.yaml/number",
                        data={"code": "铜梁教督", "year": "2026", "version": "0" * 64})
    assert stale.status_code == 409
    assert path.read_text(encoding="utf-8") == WORK_POINTS


def test_new_plan_from_a_type(served: tuple[httpx.Client, Path, RegistryPlace]) -> None:
    from render.serve.folder import NEW_PLANS

    client, folder, _ = served
    made = client.post("/new", data={"kind": "通知", "name": "大足-寒假安全通知"})
    assert made.status_code == 303
    assert made.headers["location"] == "/plans/%E5%A4%A7%E8%B6%B3-%E5%AF%92%E5%81%87%E5%AE%89%E5%85%A8%E9%80%9A%E7%9F%A5.yaml"
    path = folder / "大足-寒假安全通知.yaml"
    assert path.read_text(encoding="utf-8") == NEW_PLANS["通知"]
    page = client.get(made.headers["location"]).text
    assert "E204" in page and "发文机关" in page  # what is still to fill in, as validate says it
    again = client.post("/new", data={"kind": "工作要点", "name": "大足-寒假安全通知.yaml"})
    assert again.status_code == 409 and "已有名为" in again.text
    assert path.read_text(encoding="utf-8") == NEW_PLANS["通知"]
    for number, kind in enumerate(("工作要点", "简报", "总结")):
        assert client.post("/new", data={"kind": kind, "name": f"new_{number}"}).status_code == 303
        text = (folder / f"new_{number}.yaml").read_text(encoding="utf-8")
        assert f"类型: {kind}\n" in text
    before = sorted(p.name for p in folder.parent.rglob("*"))
    for name in ("../outside", ".hidden", "a/b", "", "x" * 200):
        refused = client.post("/new", data={"kind": "通知", "name": name})
        assert refused.status_code == 400 and "文件名" in refused.text
    assert client.post("/new", data={"kind": "请示", "name": "qingshi"}).status_code == 400
    assert sorted(p.name for p in folder.parent.rglob("*")) == before
