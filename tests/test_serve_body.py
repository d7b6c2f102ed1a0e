"""`gongwen serve`'s body editor: 前言, 部分 → 事项 with 牵头单位/责任单位 (completed from the
单位表), 结语, 附件; sections and items added, removed and moved by form posts, through a
real server; the saved YAML keeps comments and key spelling and loads in the new order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from render.model.plan import WorkPointsPlan
from render.reading.loader import load_plan
from serving import running_server, write_plans

CHINESE_PLAN = """\
# 大足区的工作要点：注释应留在原处
类型: 工作要点
发文机关: 重庆市大足区教育委员会
标题: 大足区2026年学校体育与健康教育工作要点
成文日期: 2026-02-20
单位表: units.yaml
前言: 全面落实学生体质健康提升行动。
部分:
  - 标题: 强化体育课堂教学
    事项:
      - 标题: 开齐开足体育课
        内容: 义务教育阶段每周不少于3课时。
        牵头单位: 体卫艺科
        责任单位: [各中小学校]
      - 标题: 推进大课间活动
        内容: 每天大课间不少于30分钟。
        牵头单位: 体卫艺科
  - 标题: 加强健康教育  # 第二部分
    事项:
      - 标题: 开展近视防控专项行动
        内容: 每学期两次视力筛查。
        牵头单位: 区中小学卫生保健所
"""
UNITS = """\
体卫艺科: 重庆市大足区教育委员会体育卫生与艺术教育科
基教科: 重庆市大足区教育委员会基础教育科
区中小学卫生保健所: 重庆市大足区中小学卫生保健所
各中小学校: 各中小学校
"""


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[httpx.Client, Path]]:
    folder = write_plans(tmp_path / "plans")
    (folder / "dazu-points.yaml").write_text(CHINESE_PLAN, encoding="utf-8")
    (folder / "units.yaml").write_text(UNITS, encoding="utf-8")
    with running_server(folder) as base, httpx.Client(base_url=base, timeout=120, follow_redirects=True) as client:
        yield client, folder


def _form(page: str) -> dict[str, str]:
    """Every field of the plan page's form as the browser would post it."""
    form = re.search(r'<form[^>]*id="common-form".*?</form>', page, re.S)
    assert form
    values: dict[str, str] = {}
    for name, value in re.findall(r'<input type="(?:text|hidden|date)" name="([^"]+)"[^>]*?value="([^"]*)"', form.group(0)):
        values.setdefault(name, value)
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\n(.*?)</textarea>', form.group(0), re.S):
        values[name] = value
    return values


def _post(client: httpx.Client, name: str, action: str = "", **changes: str) -> httpx.Response:
    values = {**_form(client.get(f"/plans/{name}").text), **changes}
    if action:
        values["action"] = action
    return client.post(f"/plans/{name}/form", data=values)


def _plan(folder: Path) -> WorkPointsPlan:
    result = load_plan(folder / "dazu-points.yaml")
    assert result.ok, result.diagnostics
    assert isinstance(result.plan, WorkPointsPlan)
    return result.plan


def _titles(plan: WorkPointsPlan) -> list[list[str]]:
    return [[item.title for item in section.items] for section in plan.sections]


def test_the_body_editor_shows_sections_items_and_units(served: tuple[httpx.Client, Path]) -> None:
    client, _ = served
    page = client.get("/plans/dazu-points.yaml").text
    assert 'name="b.s1.title" id="b-s1-title" value="加强健康教育"' in page
    assert re.search(r'name="b.s0.i1.lead"[^>]*>\n体卫艺科</textarea>', page)
    # The 单位表's short and full names, and the units the plan already names, complete.
    options = set(re.findall(r'<option value="([^"]+)">', re.search(r'<datalist id="unit-names">.*?</datalist>', page, re.S).group(0)))  # type: ignore[union-attr]
    assert {"基教科", "重庆市大足区教育委员会基础教育科", "体卫艺科", "各中小学校"} <= options


def test_add_an_item_fill_it_and_move_it_up(served: tuple[httpx.Client, Path]) -> None:
    client, folder = served
    response = _post(client, "dazu-points.yaml", "add_item:1")
    assert response.status_code == 200 and "已保存" in response.text
    # Typed values go in with the next action: the new item is filled, then moved up.
    response = _post(client, "dazu-points.yaml", "up_item:1:1", **{
        "b.s1.i1.title": "建设心理健康教育特色学校", "b.s1.i1.text": "年内新建5所心理健康教育特色学校。",
        "b.s1.i1.lead": "基教科\n重庆市大足区中小学卫生保健所", "b.s1.i1.due": "2026年12月"})
    assert response.status_code == 200
    plan = _plan(folder)
    assert _titles(plan) == [["开齐开足体育课", "推进大课间活动"], ["建设心理健康教育特色学校", "开展近视防控专项行动"]]
    item = plan.sections[1].items[0]
    assert item.lead == ["基教科", "重庆市大足区中小学卫生保健所"] and item.due == "2026年12月"
    text = (folder / "dazu-points.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 大足区的工作要点：注释应留在原处\n类型: 工作要点\n")
    assert "# 第二部分" in text and "牵头单位:" in text and "lead:" not in text  # Chinese keys stay Chinese


def test_remove_and_move_sections(served: tuple[httpx.Client, Path]) -> None:
    client, folder = served
    assert _post(client, "dazu-points.yaml", "down_section:0").status_code == 200
    assert [s.title for s in _plan(folder).sections] == ["加强健康教育", "强化体育课堂教学"]
    assert _post(client, "dazu-points.yaml", "remove_item:1:0").status_code == 200
    assert _titles(_plan(folder)) == [["开展近视防控专项行动"], ["推进大课间活动"]]
    assert _post(client, "dazu-points.yaml", "add_section", **{"b.closing": "各单位要按时报送进展。"}).status_code == 200
    plan = _plan(folder)  # a new section comes with one empty item, for the form to fill
    assert len(plan.sections) == 3 and plan.closing == "各单位要按时报送进展。"
    assert _post(client, "dazu-points.yaml", "remove_section:2").status_code == 200
    assert [s.title for s in _plan(folder).sections] == ["加强健康教育", "强化体育课堂教学"]


def test_attachments_added_and_removed_in_an_english_plan(served: tuple[httpx.Client, Path]) -> None:
    client, folder = served
    assert _post(client, "tongliang-work-points.yaml", "add_attachment").status_code == 200
    _post(client, "tongliang-work-points.yaml", "add_attachment", **{"b.a0.title": "铜梁区督导评估指标体系"})
    text = (folder / "tongliang-work-points.yaml").read_text(encoding="utf-8")
    assert "attachments:" in text and "附件" not in text  # an English plan stays English
    _post(client, "tongliang-work-points.yaml", "", **{"b.a1.title": "督导问题整改台账"})
    result = load_plan(folder / "tongliang-work-points.yaml")
    assert result.plan is not None
    assert [a.title for a in result.plan.attachments] == ["铜梁区督导评估指标体系", "督导问题整改台账"]
    _post(client, "tongliang-work-points.yaml", "remove_attachment:0")
    result = load_plan(folder / "tongliang-work-points.yaml")
    assert result.plan is not None and [a.title for a in result.plan.attachments] == ["督导问题整改台账"]


def test_a_stale_action_is_refused_and_nothing_is_written(served: tuple[httpx.Client, Path]) -> None:
    client, folder = served
    values = _form(client.get("/plans/dazu-points.yaml").text)
    path = folder / "dazu-points.yaml"
    path.write_text(CHINESE_PLAN.replace("每学期两次", "每学期三次"), encoding="utf-8")  # another tab saved
    before = path.read_bytes()
    response = client.post("/plans/dazu-points.yaml/form", data={**values, "action": "remove_section:0"})
    assert response.status_code == 409 and "保存被拒绝" in response.text
    assert path.read_bytes() == before


def test_bad_actions_are_messages_not_errors(served: tuple[httpx.Client, Path]) -> None:
    client, folder = served
    before = (folder / "dazu-points.yaml").read_bytes()
    for action, message in (("remove_item:7:0", "没有第 8 部分"), ("explode", "不认识的操作")):
        response = _post(client, "dazu-points.yaml", action)
        assert response.status_code == 400 and message in response.text
    response = _post(client, "bishan-notice.yaml", "add_section")
    assert response.status_code == 400 and "YAML 中编辑" in response.text
    assert (folder / "dazu-points.yaml").read_bytes() == before


def test_the_live_check_covers_the_body_fields(served: tuple[httpx.Client, Path]) -> None:
    client, folder = served
    before = (folder / "dazu-points.yaml").read_bytes()
    values = {**_form(client.get("/plans/dazu-points.yaml").text), "b.s0.i0.due": "2026-02-30"}
    response = client.post("/plans/dazu-points.yaml/draft", data=values)
    assert response.status_code == 200 and "2026-02-30" in response.text
    assert (folder / "dazu-points.yaml").read_bytes() == before  # a draft is never written


BULLETIN = """\
类型: 简报
名称: 荣昌教育简报
期号: 3
编印: 重庆市荣昌区教育委员会办公室
成文日期: 2026-05-10
文章:
  - 标题: 全区中小学开展防溺水安全教育周活动
    正文: 5月6日至10日，全区中小学集中开展防溺水安全教育。
"""


def test_bulletin_head_and_notice_header_and_signature_in_the_form(tmp_path: Path) -> None:
    from render.reading.loader import load_plan_text
    from render.serve.form import apply_form, form_values

    assert form_values(BULLETIN)["name"] == "荣昌教育简报" and form_values(BULLETIN)["issue"] == "3"
    text = apply_form(BULLETIN, {"name": "荣昌教育简报（增刊）", "issue": "4", "editor": "荣昌区教委办公室"})
    assert "期号: 4\n" in text and "名称: 荣昌教育简报（增刊）" in text  # a number stays a number
    assert "编印: 荣昌区教委办公室" in text
    result = load_plan_text(text, tmp_path / "b.yaml")
    assert result.ok and result.plan is not None and result.plan.issue == 4  # type: ignore[attr-defined]
    notice = CHINESE_PLAN.replace("类型: 工作要点", "类型: 通知").split("前言:")[0] + "正文: 请各校认真落实。\n"
    text = apply_form(notice, {"header": "重庆市大足区教育委员会\n重庆市大足区体育局", "signature": "大足区教委"})
    result = load_plan_text(text.replace("单位表: units.yaml\n", ""), tmp_path / "n.yaml")
    assert result.plan is not None
    assert result.plan.header == ["重庆市大足区教育委员会", "重庆市大足区体育局"]
    assert result.plan.signature == "大足区教委" or result.plan.signature == ["大足区教委"]
    assert "版头:" in text and "署名:" in text
