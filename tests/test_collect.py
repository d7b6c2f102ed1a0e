"""`gongwen collect`: returned responsibility matrices → a summary plan."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from render.cli.collect import collect_command
from render.document.source import prepare
from render.importers.matrices import NOT_REPORTED
from render.model.plan import SummaryPlan
from render.profile import load_profile
from render.reading.loader import load_plan

ROOT = Path(__file__).resolve().parent.parent
HEADER = ("序号", "所属部分", "重点任务", "工作内容", "牵头单位", "责任单位", "完成时限", "进展情况", "备注")

PLAN = """\
type: work_points
issuers: 测试区教育委员会
title: 2024年全区教育工作要点
date: 2024-02-01
sections:
  - title: 加强党的建设
    items:
      - title: 抓好理论学习
        text: 深入学习贯彻党的二十大精神。
        lead: 区教委
        units: 区委宣传部
      - title: 落实教育经费保障
        text: 确保教育经费只增不减。
        lead: 区教委
        units: 区财政局
  - title: 推进教育改革
    sections:
      - title: 深化课程改革
        items:
          - title: 建设科创教育基地
            text: 新建科创教育基地3个。
            lead: 区教委
            units: 区科技局
    items:
      - title: 改善办学条件
        text: 新建、改扩建学校5所。
        lead: 区财政局
      - title: 推进教育数字化
        text: 建设智慧校园。
        lead: 区教委
"""
ITEMS = [  # (number, title, lead, units) as the matrix lists them
    (1, "抓好理论学习", "区教委", "区委宣传部"),
    (2, "落实教育经费保障", "区教委", "区财政局"),
    (3, "建设科创教育基地", "区教委", "区科技局"),
    (4, "改善办学条件", "区财政局", ""),
    (5, "推进教育数字化", "区教委", ""),
]


def matrix(path: Path, filled: dict[int, tuple[str, str]], numbers: dict[int, int] | None = None) -> Path:
    """A matrix laid out as the Excel writer lays it out (title row, header, one row per
    item), with 进展情况 and 备注 filled in for the given item numbers."""
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append(["2024年全区教育工作要点重点任务责任分工表"])
    ws.append(list(HEADER))
    for number, title, lead, units in ITEMS:
        state, remark = filled.get(number, (None, None))
        shown = (numbers or {}).get(number, number)
        ws.append([shown, "一、加强党的建设", title, "……", lead, units, "2024-12-31", state, remark])
    wb.save(path)
    return path


@pytest.fixture
def returns(tmp_path: Path) -> Path:
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    back = tmp_path / "returned"
    back.mkdir()
    matrix(back / "区教委.xlsx", {1: ("已完成", "全年开展集中学习12次。"), 2: ("已完成", "全年教育经费增长8%。"),
                                  3: ("推进中", "已建成基地2个。"), 5: ("推进中", "")})
    matrix(back / "2024要点-区财政局-已填.xlsx", {2: ("推进中", "追加预算正在审批。"), 4: ("已完成", "")})
    # 区科技局 renumbered its copy: its row for item 3 carries number 30; the title still matches.
    matrix(back / "kj.xlsx", {3: ("推进中", "已建成基地2个。")}, numbers={3: 30})
    return tmp_path


def run(folder: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(collect_command, [str(folder / "plan.yaml"), *args], catch_exceptions=False)
    return result.exit_code, result.output


def arguments(folder: Path) -> list[str]:
    back = folder / "returned"
    return [str(back / "区教委.xlsx"), str(back / "2024要点-区财政局-已填.xlsx"), f"区科技局={back / 'kj.xlsx'}"]


def test_collect_round_trips_a_filled_matrix_and_flags_a_conflict(returns: Path) -> None:
    report = returns / "report.yaml"
    code, output = run(returns, *arguments(returns), "-o", str(report), "--date", "2024-12-20")
    assert code == 0, output
    assert "区教委 ← " in output and "填报 4 项" in output
    assert "冲突 1 项" in output
    assert "第2项“落实教育经费保障”" in output
    assert "区教委：已完成" in output and "区财政局：推进中" in output
    assert "未报送的单位（1 个）：区委宣传部" in output
    assert "kj.xlsx 第5行的序号 30 与计划不符，已按标题对应到第3项" in output
    assert "已写入" in output and "已报送进展 5 项，冲突 1 项" in output

    result = load_plan(report)
    assert result.ok, [d.format() for d in result.diagnostics]
    plan = result.plan
    assert isinstance(plan, SummaryPlan)
    assert plan.title == "2024年全区教育工作要点落实情况总结"
    assert plan.issuers == ["测试区教育委员会"] and str(plan.date) == "2024-12-20"
    first, second = plan.sections[0].items
    assert first.title == "抓好理论学习" and first.lead == ["区教委"] and first.units == ["区委宣传部"]
    assert first.text == "全年开展集中学习12次。\n\n（进展情况：已完成）"
    assert second.text == ("区教委：全年教育经费增长8%。\n\n区财政局：追加预算正在审批。\n\n"
                           "（进展情况：区教委报“已完成”，区财政局报“推进中”）")
    nested = plan.sections[1].sections[0].items[0]
    assert nested.text == "已建成基地2个。\n\n（进展情况：推进中）"  # two units, same report: no conflict
    assert [i.text for i in plan.sections[1].items] == ["（进展情况：已完成）", "（进展情况：推进中）"]
    # Ready to render: it lowers like any plan, numbered as the original.
    document = prepare(result, load_profile()).document
    assert [row.title for row in document.items] == [title for _, title, _, _ in ITEMS]  # type: ignore[union-attr]
    # The console report travels with the plan, as comments.
    assert report.read_text(encoding="utf-8").startswith("# 由 gongwen collect 从")


def test_items_nobody_reported_say_so(returns: Path) -> None:
    report = returns / "report.yaml"
    code, output = run(returns, str(returns / "returned" / "区教委.xlsx"), "-o", str(report), "--date", "2024-12-20")
    assert code == 0
    assert "未报送的单位（3 个）：区委宣传部、区财政局、区科技局" in output
    plan = load_plan(report).plan
    assert plan.sections[1].items[0].text == NOT_REPORTED  # type: ignore[union-attr]


def test_refuses_to_overwrite_without_force(returns: Path) -> None:
    report = returns / "report.yaml"
    report.write_text("# mine\n", encoding="utf-8")
    code, output = run(returns, *arguments(returns), "-o", str(report))
    assert code == 1 and "已存在" in output and "--force" in output
    assert report.read_text(encoding="utf-8") == "# mine\n"
    assert run(returns, *arguments(returns), "-o", str(report), "--force")[0] == 0
    assert load_plan(report).ok


def test_a_workbook_naming_no_unit_is_refused(returns: Path) -> None:
    stray = matrix(returns / "returned" / "填好了.xlsx", {1: ("已完成", "")})
    code, output = run(returns, str(stray), "-o", str(returns / "r.yaml"))
    assert code == 1 and "看不出“填好了.xlsx”是哪个单位报送的" in output
    assert not (returns / "r.yaml").exists()


def test_a_workbook_without_the_table_is_refused(returns: Path) -> None:
    wb = Workbook()
    wb.active.append(["随便", "什么"])
    wb.save(returns / "returned" / "区教委-错表.xlsx")
    code, output = run(returns, str(returns / "returned" / "区教委-错表.xlsx"), "-o", str(returns / "r.yaml"))
    assert code == 1 and "找不到表头" in output


def test_units_by_full_name_through_the_units_file(tmp_path: Path) -> None:
    (tmp_path / "units.yaml").write_text("区教委: 测试区教育委员会\n区财政局: 测试区财政局\n区委宣传部: 中共测试区委宣传部\n"
                                         "区科技局: 测试区科学技术局\n", encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(PLAN + "units_file: units.yaml\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / ".gongwen").mkdir()  # the project folder: out/r.yaml may name ../units.yaml (render/reading/paths.py)
    back = matrix(tmp_path / "测试区财政局.xlsx", {4: ("已完成", "")})
    code, output = run(tmp_path, str(back), "-o", str(tmp_path / "out" / "r.yaml"), "--date", "2024-12-20")
    assert code == 0, output
    assert "区财政局 ← " in output
    result = load_plan(tmp_path / "out" / "r.yaml")
    assert result.ok and result.plan.units_file == "../units.yaml"  # type: ignore[union-attr]


# --- with the real Excel writer -----------------------------------------------------------

@pytest.mark.skipif(importlib.util.find_spec("render.writers.xlsx") is None, reason="the xlsx writer is not written yet")
def test_round_trip_through_the_excel_writers_unit_workbooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from render.cli.render import render_command

    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    result = CliRunner().invoke(render_command, ["plan.yaml", "--to", "xlsx", "--split-by-unit"])
    assert result.exit_code == 0, result.output
    units = tmp_path / "outputs" / "plan" / "units"
    filled = {"区教委": {"抓好理论学习": ("已完成", "学习12次。"), "落实教育经费保障": ("已完成", "")},
              "区财政局": {"落实教育经费保障": ("滞后", "预算待批。"), "改善办学条件": ("推进中", "")}}
    returned = []
    for n, (unit, answers) in enumerate(filled.items()):
        wb = load_workbook(units / f"{unit}.xlsx")
        ws = wb["任务分工"]
        header = [cell.value for cell in ws[2]]
        for row in ws.iter_rows(min_row=3):
            answer = answers.get(row[header.index("重点任务")].value)
            if answer:
                row[header.index("进展情况")].value, row[header.index("备注")].value = answer
        path = tmp_path / f"回报{n}.xlsx"  # a file name naming no unit: the workbook's own marker says who
        wb.save(path)
        returned.append(str(path))
    code, output = run(tmp_path, *returned, "-o", str(tmp_path / "report.yaml"), "--date", "2024-12-20")
    assert code == 0, output
    assert "冲突 1 项" in output and "第2项“落实教育经费保障”" in output
    assert "未报送的单位（2 个）：区委宣传部、区科技局" in output
    plan = load_plan(tmp_path / "report.yaml").plan
    assert plan.sections[0].items[0].text == "学习12次。\n\n（进展情况：已完成）"  # type: ignore[union-attr]


def test_python_m_render_collect(returns: Path) -> None:
    completed = subprocess.run([sys.executable, "-m", "render", "collect", str(returns / "plan.yaml"),
                                *arguments(returns), "-o", str(returns / "report.yaml")],
                               capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert "冲突 1 项" in completed.stdout and load_plan(returns / "report.yaml").ok


_ZH_KEYS = {"type": "类型", "issuers": "发文机关", "title": "标题", "date": "成文日期", "sections": "部分",
            "items": "事项", "text": "内容", "lead": "牵头单位", "units": "责任单位"}


def test_a_plan_written_in_chinese_is_summed_up_in_chinese(returns: Path) -> None:
    import re

    import yaml

    english_summary = returns / "summary-en.yaml"
    assert run(returns, *arguments(returns), "-o", str(english_summary), "--date", "2024-12-20")[0] == 0
    chinese = re.sub(r"^(\s*(?:- )?)([a-z_]+):", lambda m: f"{m.group(1)}{_ZH_KEYS[m.group(2)]}:", PLAN, flags=re.M)
    (returns / "plan.yaml").write_text(chinese.replace("类型: work_points", "类型: 工作要点"), encoding="utf-8")
    chinese_summary = returns / "summary-zh.yaml"
    code, output = run(returns, *arguments(returns), "-o", str(chinese_summary), "--date", "2024-12-20")
    assert code == 0, output

    written = yaml.safe_load(chinese_summary.read_text(encoding="utf-8"))
    assert list(written) == ["类型", "发文机关", "标题", "成文日期", "前言", "部分"]
    assert written["类型"] == "总结"
    item = written["部分"][0]["事项"][0]
    assert set(item) == {"标题", "内容", "牵头单位", "责任单位"}
    assert "牵头单位: [区教委]" in chinese_summary.read_text(encoding="utf-8")  # lists stay on one line
    # The same summary either way: only the spelling of the keys differs.
    english, zh = load_plan(english_summary).require(), load_plan(chinese_summary).require()
    assert english.model_dump() == zh.model_dump()
    assert "type: summary" in english_summary.read_text(encoding="utf-8")
