"""plan → .docx (gongwen's own writer) → import → the same plan, for every plan in plans/
and every plan the tests write; an edit made in the .docx text since is reported.

The Word writer stores the plan in the file (a custom XML part); the importer restores it
exactly when the text is as written (完成时限, 单位表 and the 结语 included), and takes the
visible text where it was edited, naming the fields that differ.
"""

from __future__ import annotations

import ast
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from render.document.source import prepare
from render.importers import import_document
from render.profile import load_profile
from render.reading.loader import load_plan, load_plan_text
from render.reading.planyaml import plan_yaml
from render.writers import writer_for

ROOT = Path(__file__).resolve().parents[1]
PLANS = sorted((ROOT / "plans").glob("*.yaml"))

NOTICE_WITH_EVERYTHING = """type: notice
issuers: [某市教育委员会, 某市财政局]
number: 某教发〔2024〕15号
title: 关于做好2024年校园安全工作的通知
to: [各区县教委, 各区县财政局, 委属各单位]
body: |
  为切实做好校园安全工作，现将有关事项通知如下。
sections:
  - title: 压实安全责任
    text: |
      各单位主要负责人是校园安全第一责任人。
  - title: 开展隐患排查
    items:
      - title: 排查校舍隐患
        text: 对校舍逐栋排查。
        lead: [区县教委]
        due: 2024-05-31
closing: |
  特此通知。
attachments:
  - title: 校园安全隐患排查表
  - title: 联络员名单
date: 2024-04-02
seal: true
units_file: units.yaml
cc: [市政府办公厅]
printed_by: 某市教育委员会办公室
printed_on: 2024-04-03
"""
UNITS = "区县教委: 各区县教育委员会\n"


# Values for the fields of plan templates the tests fill in with str.format.
FILL = {"n": "3", "issuers": "某区教育委员会", "number": "某区教发〔2024〕5号", "title": "关于做好2024年春季开学工作的通知"}


def written_plans() -> list[tuple[str, str]]:
    """Every plan written out in the test modules (a string starting with `type:`), with a
    template's `{fields}` filled in."""
    found: list[tuple[str, str]] = [("NOTICE_WITH_EVERYTHING", NOTICE_WITH_EVERYTHING)]
    for module in sorted((ROOT / "tests").glob("test_*.py")):
        if module.name == Path(__file__).name:
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("type:"):
                text = node.value
                try:
                    text = text.format_map(FILL) if re.search(r"\{[a-z_]+\}", text) else text
                except (KeyError, ValueError, IndexError):
                    pass
                found.append((f"{module.stem}:{node.lineno}", text))
    return found


def render_docx(plan_path: Path, target: Path) -> Path:
    writer_for("docx")(prepare(load_plan(plan_path), load_profile()), target)
    return target


def dumped(plan: Any) -> dict[str, Any]:
    return plan.model_dump(mode="json", exclude_defaults=True)  # type: ignore[no-any-return]


def round_trip(plan_path: Path, tmp_path: Path) -> tuple[dict[str, Any], Any]:
    docx = render_docx(plan_path, tmp_path / "out.docx")
    result = import_document(docx)
    back = load_plan_text(plan_yaml(result.plan), plan_path)
    assert back.ok, [d.format() for d in back.diagnostics]
    return dumped(back.plan), result


@pytest.fixture
def no_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GONGWEN_REGISTRY", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


WORD_PLANS = [p for p in PLANS if "type: bulletin" not in p.read_text(encoding="utf-8")]  # 简报 are PDF only


@pytest.mark.parametrize("plan_path", WORD_PLANS, ids=[p.stem for p in WORD_PLANS])
def test_repo_plans_round_trip(plan_path: Path, no_registry: Path) -> None:
    original = load_plan(plan_path)
    assert original.ok
    back, result = round_trip(plan_path, no_registry)
    assert back == dumped(original.plan)
    assert not [d for d in result.diagnostics if d.code == "W722"]


@pytest.mark.parametrize("name, text", written_plans(), ids=[name for name, _ in written_plans()])
def test_tests_plans_round_trip(name: str, text: str, no_registry: Path) -> None:
    plan_path = no_registry / "plan.yaml"
    plan_path.write_text(text, encoding="utf-8")
    (no_registry / "units.yaml").write_text(UNITS, encoding="utf-8")
    original = load_plan(plan_path)
    if not original.ok or original.plan is None or type(original.plan).kind == "bulletin":  # type: ignore[attr-defined]
        pytest.skip("not a plan the Word writer renders on its own (invalid on purpose, a bulletin, or needing other files)")
    if original.plan.number is not None and original.plan.number.is_auto:
        pytest.skip("serial: auto needs the registry")
    back, _ = round_trip(plan_path, no_registry)
    assert back == dumped(original.plan)


def test_due_dates_units_file_and_closing_survive(no_registry: Path) -> None:
    plan_path = no_registry / "plan.yaml"
    plan_path.write_text(NOTICE_WITH_EVERYTHING, encoding="utf-8")
    (no_registry / "units.yaml").write_text(UNITS, encoding="utf-8")
    back, _ = round_trip(plan_path, no_registry)
    assert back["units_file"] == "units.yaml"
    assert back["sections"][1]["items"][0]["due"] == "2024-05-31"
    assert back["closing"].strip() == "特此通知。"


def _edit(source: Path, target: Path, old: str, new: str) -> Path:
    """Change one paragraph's text as a user would in Word (python-docx, then saved)."""
    word = Document(str(source))
    for paragraph in word.paragraphs:
        if old in paragraph.text:
            runs = paragraph.runs
            text = paragraph.text.replace(old, new)
            for run in runs[1:]:
                run.text = ""
            runs[0].text = text
            break
    else:
        raise AssertionError(f"no paragraph holds {old!r}")
    word.save(str(target))
    return target


def test_an_edit_in_word_is_reported_and_wins(no_registry: Path) -> None:
    plan_path = no_registry / "plan.yaml"
    plan_path.write_text(NOTICE_WITH_EVERYTHING, encoding="utf-8")
    (no_registry / "units.yaml").write_text(UNITS, encoding="utf-8")
    written = render_docx(plan_path, no_registry / "written.docx")
    edited = _edit(written, no_registry / "edited.docx", "关于做好2024年校园安全工作的通知", "关于做好2024年春季校园安全工作的通知")
    with zipfile.ZipFile(edited) as archive:
        assert any(name.startswith("customXml/item") for name in archive.namelist()), "python-docx kept the plan part"
    result = import_document(edited)
    assert result.plan["title"] == "关于做好2024年春季校园安全工作的通知"
    changed = [d for d in result.diagnostics if d.code == "W722"]
    assert len(changed) == 1 and "标题（title）" in changed[0].message and "正文" not in changed[0].message
    # What was not edited comes back from the stored plan, invisible parts included.
    assert result.plan["units_file"] == "units.yaml" and result.plan["closing"].strip() == "特此通知。"
    assert result.plan["sections"][1]["items"][0]["due"] == "2024-05-31"


def test_an_edit_in_the_body_names_the_body(no_registry: Path) -> None:
    plan_path = no_registry / "plan.yaml"
    plan_path.write_text(NOTICE_WITH_EVERYTHING, encoding="utf-8")
    (no_registry / "units.yaml").write_text(UNITS, encoding="utf-8")
    written = render_docx(plan_path, no_registry / "written.docx")
    edited = _edit(written, no_registry / "edited.docx", "对校舍逐栋排查。", "对校舍和围墙逐栋排查。")
    result = import_document(edited)
    message = next(d.message for d in result.diagnostics if d.code == "W722")
    assert "部分（sections）" in message and "标题（title）" not in message
    assert "围墙" in result.plan["sections"][1]["items"][0]["text"]


def test_a_file_without_the_plan_imports_from_its_text(no_registry: Path) -> None:
    """The stored plan gone (another tool re-saved the file without it): the text is read."""
    plan_path = no_registry / "plan.yaml"
    plan_path.write_text(NOTICE_WITH_EVERYTHING, encoding="utf-8")
    (no_registry / "units.yaml").write_text(UNITS, encoding="utf-8")
    written = render_docx(plan_path, no_registry / "written.docx")
    stripped = no_registry / "stripped.docx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(stripped, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if b"urn:gongwen:plan" in data and not item.filename.startswith("customXml/itemProps"):
                data = b"<other/>"
            target.writestr(item, data)
    result = import_document(stripped)
    assert result.plan["title"] == "关于做好2024年校园安全工作的通知"
    assert [s["title"] for s in result.plan["sections"]] == ["压实安全责任", "开展隐患排查"]
    assert "units_file" not in result.plan
