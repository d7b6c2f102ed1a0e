"""`gongwen import FILE [-o PLAN.yaml] [--type TYPE] [--force]`, through click's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from render.cli.imports import import_command
from render.reading.loader import load_plan

DOC = """某区教育委员会2023年工作要点
2023年全区教育工作的总体要求是：办好人民满意的教育。
一、加强党建
1.加强党的建设。坚持党的领导。
(牵头单位:区教委;责任单位:区委组织部,区委宣传部)
二、提高质量
3.推进课程改革。深化改革。
（牵头单位：区教委）
某区教育委员会
2023年4月12日
"""


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "要点.txt"
    path.write_text(DOC, encoding="utf-8")
    return path


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(import_command, list(args))
    return result.exit_code, result.output


def test_writes_a_valid_plan_beside_the_input(source: Path) -> None:
    code, output = invoke(str(source))
    target = source.with_suffix(".yaml")
    assert code == 0, output
    assert load_plan(target).ok
    assert f"{source}:7:1: W701 警告" in output          # 一.…2. skipped
    assert output.strip().endswith("已导入 → " + str(target) + "：工作要点，2 个部分、2 项事项、涉及 3 个单位；1 条警告")
    text = target.read_text(encoding="utf-8")
    assert "\\u" not in text and "lead: [区教委]" in text and "units: [区委组织部, 区委宣传部]" in text


def test_written_yaml_is_readable(source: Path) -> None:
    invoke(str(source))
    text = source.with_suffix(".yaml").read_text(encoding="utf-8")
    assert text.startswith("# 由 gongwen import 从 要点.txt 导入")
    assert "preamble: |\n  2023年全区教育工作的总体要求是" in text
    data = yaml.safe_load(text)
    assert list(data)[:4] == ["type", "issuers", "title", "preamble"]


def test_refuses_to_overwrite_without_force(source: Path) -> None:
    target = source.with_suffix(".yaml")
    target.write_text("mine\n", encoding="utf-8")
    code, output = invoke(str(source))
    assert code == 1 and "已存在" in output and "--force" in output
    assert target.read_text(encoding="utf-8") == "mine\n"
    code, output = invoke(str(source), "--force")
    assert code == 0 and load_plan(target).ok


def test_output_option_and_type_override(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "plan.yaml"
    code, output = invoke(str(source), "-o", str(target), "--type", "summary")
    assert code == 0, output
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["type"] == "summary"
    assert "：总结，" in output


def test_unknown_type_and_unsupported_files(source: Path, tmp_path: Path) -> None:
    code, output = invoke(str(source), "--type", "bulletin")
    assert code == 2 and "bulletin" in output
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    code, output = invoke(str(pdf))
    assert code == 1 and "不支持的文件格式" in output
    assert not (tmp_path / "doc.yaml").exists()
    code, output = invoke(str(tmp_path / "none.txt"))
    assert code == 1 and "找不到文件" in output


def test_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n — 1 — \n", encoding="utf-8")
    code, output = invoke(str(empty))
    assert code == 1 and "没有文字" in output


def test_a_notice_printing_no_date_is_written_for_the_user_to_complete(tmp_path: Path) -> None:
    """A web copy that lost its 成文日期: the plan is written, the missing element named."""
    source = tmp_path / "通知.txt"
    source.write_text("某区教育委员会\n关于做好暑期安全工作的通知\n各学校：\n请做好暑期安全教育。\n", encoding="utf-8")
    target = tmp_path / "通知.yaml"
    code, output = invoke(str(source), "-o", str(target))
    assert code == 0 and "W723" in output and "E413" in output and "补上" in output
    plan = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert plan["title"] == "关于做好暑期安全工作的通知" and "date" not in plan
    assert not load_plan(target).ok  # still to be completed before rendering
