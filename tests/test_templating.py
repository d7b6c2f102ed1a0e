"""Summary plans as Jinja2 templates over `data:` (render/templating.py, via the loader)."""

from __future__ import annotations

from pathlib import Path

import pytest

from render.diagnostics import PlanError
from render.model.plan import SummaryPlan
from render.reading.loader import load_plan, load_plan_text
from render.reading.templatetext import render_templates
from render.reading.templating import data_override

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "summary" / "school.yaml"
SCHOOLS = sorted((ROOT / "summaries").glob("*.yaml"))


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _with_title(expression: str) -> str:
    """SUMMARY with its item's title set to a template expression (quoted for YAML)."""
    return SUMMARY.replace("- title: 全员培训", f'- title: "{{{{ {expression} }}}}"')


def _errors(result: object) -> list[str]:
    return [d.format() for d in result.diagnostics if d.is_error]  # type: ignore[attr-defined]


SUMMARY = """\
type: summary
issuers: "{{ data.school }}"
title: "{{ data.school }}{{ data.year }}年工作总结"
date: "{{ data.date }}"
data: data.yaml
preamble: |
  全年新增学位{{ data.new_places }}个。

  获得荣誉{{ data.awards | length }}项：{% for a in data.awards %}{{ a }}{{ '、' if not loop.last else '。' }}{% endfor %}
sections:
  - title: 教师培训
    items:
      - title: 全员培训
        text: 培训教师{{ data.teachers.trained }}人。
"""
DATA = """\
school: 重庆市测试区实验小学校
year: 2023
date: 2024-01-10
new_places: 270
awards: [重庆市文明校园, 区级先进集体]
teachers: {trained: 120}
"""


def test_text_values_render_over_a_data_file(tmp_path: Path) -> None:
    _write(tmp_path, "data.yaml", DATA)
    result = load_plan(_write(tmp_path, "s.yaml", SUMMARY))
    assert result.ok, _errors(result)
    plan = result.plan
    assert isinstance(plan, SummaryPlan)
    assert plan.title == "重庆市测试区实验小学校2023年工作总结"
    assert plan.issuers == ["重庆市测试区实验小学校"]
    assert str(plan.date) == "2024-01-10"
    assert plan.preamble == "全年新增学位270个。\n\n获得荣誉2项：重庆市文明校园、区级先进集体。"
    assert plan.sections[0].items[0].text == "培训教师120人。"
    assert plan.data == "data.yaml"  # kept as written: the batch hashes the file it names


def test_inline_data_and_json_data(tmp_path: Path) -> None:
    inline = SUMMARY.replace("data: data.yaml\n", "data: {school: 内联小学, year: 2023, date: 2024-01-02, "
                             "new_places: 0, awards: [], teachers: {trained: 1}}\n")
    result = load_plan(_write(tmp_path, "inline.yaml", inline))
    assert result.ok, _errors(result)
    assert result.plan.title == "内联小学2023年工作总结"  # type: ignore[union-attr]
    _write(tmp_path, "d.json", '{"school": "JSON小学", "year": 2023, "date": "2024-01-03", "new_places": 5,'
                               ' "awards": ["甲"], "teachers": {"trained": 9}}')
    result = load_plan(_write(tmp_path, "j.yaml", SUMMARY.replace("data.yaml", "d.json")))
    assert result.ok, _errors(result)
    assert result.plan.title == "JSON小学2023年工作总结"  # type: ignore[union-attr]


def test_data_override_replaces_the_plans_own_data(tmp_path: Path) -> None:
    _write(tmp_path, "data.yaml", DATA)
    other = _write(tmp_path, "other.yaml", DATA.replace("实验小学校", "第二小学校"))
    with data_override(other):
        result = load_plan(_write(tmp_path, "s.yaml", SUMMARY))
    assert result.ok and result.plan.title == "重庆市测试区第二小学校2023年工作总结"  # type: ignore[union-attr]


def test_a_missing_value_names_the_data_file_the_key_and_the_line(tmp_path: Path) -> None:
    _write(tmp_path, "data.yaml", DATA.replace("teachers: {trained: 120}\n", ""))
    plan = _write(tmp_path, "s.yaml", SUMMARY)
    [error] = _errors(load_plan(plan))
    # `text: 培训教师{{ data.teachers.trained }}人。` is line 14 of the plan.
    assert error.startswith(f"{plan}:14:15: E704 数据中没有键“teachers”")
    assert f"数据文件 {tmp_path / 'data.yaml'}" in error
    assert "键 sections[1].items[1].text" in error
    assert "模板第 1 行：培训教师{{ data.teachers.trained }}人。" in error


def test_the_line_inside_a_block_scalar_is_the_plans_line(tmp_path: Path) -> None:
    _write(tmp_path, "data.yaml", DATA.replace("awards: [重庆市文明校园, 区级先进集体]\n", ""))
    plan = _write(tmp_path, "s.yaml", SUMMARY)
    [error] = _errors(load_plan(plan))
    # `preamble: |` is line 6; the template's third line (the awards) is line 9.
    assert error.startswith(f"{plan}:9:1: E704 数据中没有键“awards”")
    assert "键 preamble；模板第 3 行" in error


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    _write(tmp_path, "data.yaml", "school: 甲\n")
    errors = _errors(load_plan(_write(tmp_path, "s.yaml", SUMMARY)))
    # title (year), date, preamble (new_places: a value stops at its first error), text.
    assert len(errors) == 4
    assert all("E704" in e for e in errors)


def test_reaching_for_python_internals_is_a_sandbox_error(tmp_path: Path) -> None:
    _write(tmp_path, "data.yaml", DATA)
    for expression in ("''.__class__", "''.__class__.__mro__[1].__subclasses__()",
                       "data.awards.__class__", "lipsum.__globals__"):
        [error] = _errors(load_plan(_write(tmp_path, "evil.yaml", _with_title(expression))))
        assert "E705" in error and "安全沙箱已拦截" in error, error


def test_str_format_cannot_reach_internals_either(tmp_path: Path) -> None:
    _write(tmp_path, "data.yaml", DATA + "pattern: '{0.__class__}'\n")
    [error] = _errors(load_plan(_write(tmp_path, "evil.yaml", _with_title("data.pattern.format(data.school)"))))
    assert "E705" in error


def test_huge_results_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, "data.yaml", DATA)
    for expression in ("'字' * 10000000", "10 ** 100000", "range(10000000) | list | length"):
        [error] = _errors(load_plan(_write(tmp_path, "big.yaml", _with_title(expression))))
        assert "E705" in error and "安全沙箱已拦截" in error, error


def test_data_cannot_be_changed_by_the_template(tmp_path: Path) -> None:
    _write(tmp_path, "data.yaml", DATA)
    [error] = _errors(load_plan(_write(tmp_path, "mutate.yaml", _with_title("data.awards.append('x')"))))
    assert "E705" in error


def test_syntax_errors_point_at_the_template_line(tmp_path: Path) -> None:
    _write(tmp_path, "data.yaml", DATA)
    text = SUMMARY.replace("{% endfor %}", "")
    plan = _write(tmp_path, "broken.yaml", text)
    [error] = _errors(load_plan(plan))
    assert "E703 模板语法错误：模板提前结束" in error
    assert error.startswith(f"{plan}:9:")


def test_a_missing_data_file_points_at_the_data_key(tmp_path: Path) -> None:
    plan = _write(tmp_path, "s.yaml", SUMMARY)
    [error] = _errors(load_plan(plan))
    assert error == f"{plan}:5:7: E701 找不到数据文件“data.yaml”"


def test_data_that_is_not_a_mapping(tmp_path: Path) -> None:
    _write(tmp_path, "data.yaml", "- 1\n- 2\n")
    [error] = _errors(load_plan(_write(tmp_path, "s.yaml", SUMMARY)))
    assert "E702" in error


def test_templates_without_any_data_say_so(tmp_path: Path) -> None:
    [error, *_] = _errors(load_plan(_write(tmp_path, "s.yaml", SUMMARY.replace("data: data.yaml\n", ""))))
    assert "此计划没有 data（数据），也没有用 --data 指定数据文件" in error


def test_a_summary_without_templates_is_left_alone() -> None:
    result = load_plan_text("type: summary\ntitle: 2023年工作总结\npreamble: 大括号 { 和 } 照常。\n")
    assert result.ok and result.plan.preamble == "大括号 { 和 } 照常。"  # type: ignore[union-attr]


def test_other_document_types_are_not_templated(tmp_path: Path) -> None:
    result = load_plan_text("type: work_points\ntitle: 要点{{ x }}\npreamble: 前言\n")
    assert result.ok and result.plan.title == "要点{{ x }}"  # type: ignore[union-attr]
    data = _write(tmp_path, "d.yaml", "x: 1\n")
    with data_override(data):
        [error] = _errors(load_plan_text("type: work_points\ntitle: 要点\npreamble: 前言\n"))
    assert "E707" in error


def test_render_templates_leaves_data_and_non_strings_alone() -> None:
    raw = {"title": "{{ data.a }}", "data": {"a": "{{ not rendered }}"}, "seal": True, "copies": 3}
    assert render_templates(raw, {"a": "甲"}, "d.yaml", "p.yaml") == {**raw, "title": "甲"}
    with pytest.raises(PlanError) as caught:
        render_templates({"title": "{{ data.b }}"}, {}, "d.yaml", "p.yaml")
    assert "数据文件 d.yaml" in caught.value.diagnostics[0].message


# --- the shipped example ---------------------------------------------------------------

def test_the_school_template_renders_with_its_own_data() -> None:
    result = load_plan(TEMPLATE)
    assert result.ok, _errors(result)
    assert result.plan.title == "重庆市沙坪坝区第一实验小学校2023年工作总结"  # type: ignore[union-attr]


@pytest.mark.parametrize("data", SCHOOLS, ids=lambda p: p.stem)
def test_each_of_the_twenty_schools_renders(data: Path) -> None:
    from render.document.lower import lower
    from render.profile import load_profile

    with data_override(data):
        result = load_plan(TEMPLATE)
    assert result.ok, _errors(result)
    plan = result.plan
    assert isinstance(plan, SummaryPlan)
    document = lower(plan, load_profile())
    text = "\n".join(block.plain for block in document.blocks)
    assert plan.issuers[0] in plan.title and "{" not in text and "}" not in text
    assert "年工作总结" in plan.title and plan.date is not None
    assert len(document.items) == 6


def test_there_are_twenty_schools() -> None:
    assert len(SCHOOLS) == 20
