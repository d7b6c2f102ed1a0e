"""The 责任分工表 on made-up plans: the unit registry, due dates, formula injection, file names."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest

from render.diagnostics import PlanError
from render.document.source import RenderInput, prepare
from render.profile import Profile
from render.reading.loader import load_plan_text
from render.writers import xlsx
from render.writers.xlsx.cells import DATE_FORMAT
from render.writers.xlsx.units import safe_stem, unit_file_stems

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
INJECTED = '=HYPERLINK("http://example.invalid","点我")'

REGISTRY = """\
教委: 某市教育委员会
财政局: 某市财政局
"""

PLAN = f"""\
type: work_points
title: 2024年教育工作要点
date: 2024-03-01
units_file: units.yaml
sections:
  - title: 强化保障
    sections:
      - title: 经费保障
        items:
          - title: 任务甲
            text: |
              第一段。

              第二段。
            lead: [教委]
            units: [某市财政局, '{INJECTED}']
            due: 2024-06-30
          - title: 任务乙
            lead: [某市教育委员会]
            units: [财政局, 教委]
            due: 2024年6月底前
  - title: 其他
    items:
      - title: "+1 任务丙"
        text: "-2 开头的内容"
        lead: ['{INJECTED}']
        units: ["@某单位"]
"""


def records(ws: Any, header_row: int = 2) -> list[dict[str, Any]]:
    headers = [c.value for c in ws[header_row]]
    rows = ws.iter_rows(min_row=header_row + 1, values_only=True)
    return [dict(zip(headers, row)) for row in rows if any(v is not None for v in row)]


def make_input(tmp_path: Path, profile: Profile, text: str = PLAN, registry: str | None = REGISTRY) -> RenderInput:
    if registry is not None:
        (tmp_path / "units.yaml").write_text(registry, encoding="utf-8")
    else:
        text = text.replace("units_file: units.yaml\n", "")
    return prepare(load_plan_text(text, tmp_path / "made-up.yaml"), profile)


@pytest.fixture
def written(tmp_path: Path, profile: Profile) -> tuple[RenderInput, Path]:
    source = make_input(tmp_path, profile)
    target = tmp_path / "out" / "made-up.xlsx"
    xlsx.write(source, target)
    return source, target


# --- the unit registry ---------------------------------------------------------------------------

def test_short_and_full_names_count_once(written: tuple[RenderInput, Path]) -> None:
    wb = openpyxl.load_workbook(written[1])
    stats = {r["单位"]: r for r in records(wb["统计"]) if r["单位"] != "合计"}
    assert list(stats) == ["教委", "财政局", INJECTED, "@某单位"]   # registry order, then first mention
    # 教委 leads 任务甲 as 教委 and 任务乙 as 某市教育委员会; in 任务乙 it is also named
    # among the 责任单位 and counts there no second time.
    assert (stats["教委"]["牵头任务数"], stats["教委"]["责任任务数"]) == (2, 0)
    assert (stats["财政局"]["牵头任务数"], stats["财政局"]["责任任务数"]) == (0, 2)
    assert stats["教委"]["单位全称"] == "某市教育委员会"
    assert stats[INJECTED]["单位全称"] == INJECTED   # not in the registry: its own name
    matrix = records(wb["任务分工"])
    assert [(r["牵头单位"], r["责任单位"]) for r in matrix] == [
        ("教委", f"财政局、{INJECTED}"), ("教委", "财政局"), (INJECTED, "@某单位"),
    ]
    by_unit = [(r["单位"], r["序号"], r["职责"]) for r in records(wb["按单位"])]
    assert by_unit == [("教委", 1, "牵头"), ("教委", 2, "牵头"), ("财政局", 1, "责任"), ("财政局", 2, "责任"),
                       (INJECTED, 1, "责任"), (INJECTED, 3, "牵头"), ("@某单位", 3, "责任")]


def test_without_a_registry_every_spelling_is_a_unit(tmp_path: Path, profile: Profile) -> None:
    source = make_input(tmp_path, profile, registry=None)
    target = tmp_path / "plain.xlsx"
    xlsx.write(source, target)
    wb = openpyxl.load_workbook(target)
    assert [c.value for c in wb["统计"][2]] == ["序号", "单位", "牵头任务数", "责任任务数", "合计"]
    units = [r["单位"] for r in records(wb["统计"])]
    assert units == ["教委", "某市财政局", INJECTED, "某市教育委员会", "财政局", "@某单位", "合计"]


# --- cells --------------------------------------------------------------------------------------

def test_due_date_is_a_date_and_a_phrase_is_text(written: tuple[RenderInput, Path]) -> None:
    ws = openpyxl.load_workbook(written[1])["任务分工"]
    date_cell, phrase_cell, empty_cell = ws["G3"], ws["G4"], ws["G5"]
    assert date_cell.is_date and date_cell.value == dt.datetime(2024, 6, 30)
    assert date_cell.number_format == DATE_FORMAT
    assert phrase_cell.data_type == "s" and phrase_cell.value == "2024年6月底前"
    assert empty_cell.value is None
    assert ws["A5"].value == 3 and ws["B5"].value == "二、其他" and ws["B3"].value == "（一）经费保障"
    assert ws["D3"].value == "第一段。\n第二段。"


def _sheet_cells(path: Path) -> dict[str, list[tuple[str, str | None, str]]]:
    """Per sheet: (cell type, formula or None, inline text) of every cell, from the raw XML."""
    found: dict[str, list[tuple[str, str | None, str]]] = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                root = ElementTree.fromstring(archive.read(name))
                found[name] = [
                    (c.get("t", ""), c.findtext(f"{MAIN}f"), "".join(t.text or "" for t in c.iter(f"{MAIN}t")))
                    for c in root.iter(f"{MAIN}c")
                ]
    return found


def test_formula_injection_stays_text_in_every_sheet(written: tuple[RenderInput, Path]) -> None:
    source, path = written
    sheets = _sheet_cells(path)
    assert len(sheets) == 3
    for name, cells in sheets.items():
        assert all(formula is None for _, formula, _ in cells), name
        injected = [(kind, text) for kind, _, text in cells if text.startswith(INJECTED)]
        assert injected, f"{name} does not show the unit"
        assert all(kind == "inlineStr" for kind, _ in injected), name
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        values = [c.value for row in ws.iter_rows() for c in row]
        assert INJECTED in values or any(isinstance(v, str) and v.endswith(INJECTED) for v in values), ws.title
    ws = wb["任务分工"]
    assert ws["C5"].value == "+1 任务丙" and ws["D5"].value == "-2 开头的内容" and ws["F5"].value == "@某单位"
    # The "'" prefix keeps them text when someone edits the cell in Excel or LibreOffice.
    assert ws["C5"].quotePrefix and ws["D5"].quotePrefix and ws["E5"].quotePrefix and ws["F5"].quotePrefix
    assert not ws["C3"].quotePrefix


def test_the_injected_unit_gets_its_own_literal_workbook(written: tuple[RenderInput, Path], tmp_path: Path) -> None:
    source, _ = written
    paths = xlsx.write_unit_workbooks(source, tmp_path / "units")
    names = [p.name for p in paths]
    assert names == ["教委.xlsx", "财政局.xlsx", '=HYPERLINK(_http___example.invalid_,_点我_).xlsx', "@某单位.xlsx"]
    own = openpyxl.load_workbook(paths[2])["任务分工"]
    assert own["A1"].value.endswith(f"（{INJECTED}）")
    assert [r["序号"] for r in records(own)] == [1, 3]
    for cells in _sheet_cells(paths[2]).values():
        assert all(formula is None for _, formula, _ in cells)


def test_a_plan_without_items_is_refused(tmp_path: Path, profile: Profile) -> None:
    source = make_input(tmp_path, profile, "type: work_points\ntitle: 空要点\nsections:\n  - title: 只有标题\n", None)
    with pytest.raises(PlanError) as raised:
        xlsx.write(source, tmp_path / "empty.xlsx")
    assert raised.value.diagnostics[0].code == "E701"
    assert not (tmp_path / "empty.xlsx").exists()


def test_a_plan_naming_no_unit_has_only_the_matrix(tmp_path: Path, profile: Profile) -> None:
    text = "type: work_points\ntitle: 无单位\nsections:\n  - title: 甲\n    items:\n      - {title: 一号, due: 2024-12-31}\n"
    source = make_input(tmp_path, profile, text, None)
    xlsx.write(source, tmp_path / "bare.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "bare.xlsx")
    assert wb.sheetnames == ["任务分工"]   # empty 按单位/统计 would only print blank pages
    assert records(wb["任务分工"])[0]["完成时限"] == dt.datetime(2024, 12, 31)
    assert xlsx.write_unit_workbooks(source, tmp_path / "units") == []


def test_numbers_restarting_per_section_keep_document_order(tmp_path: Path, profile: Profile) -> None:
    text = """\
type: work_points
title: 分部分编号
numbering: per_section
sections:
  - title: 甲
    items:
      - {title: 一号, lead: [办公室]}
      - {title: 二号, lead: [办公室]}
  - title: 乙
    items:
      - {title: 又一号, units: [办公室]}
"""
    source = make_input(tmp_path, profile, text, None)
    target = tmp_path / "per-section.xlsx"
    xlsx.write(source, target)
    wb = openpyxl.load_workbook(target)
    assert [r["序号"] for r in records(wb["任务分工"])] == [1, 2, 1]
    assert [(r["序号"], r["重点任务"], r["职责"]) for r in records(wb["按单位"])] == [
        (1, "一号", "牵头"), (2, "二号", "牵头"), (1, "又一号", "责任"),
    ]


# --- file names ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "stem"), [
    ("区教委", "区教委"),
    ("区教委/区科技局", "区教委_区科技局"),
    ('a:b*c?"d"<e>|f', "a_b_c__d__e__f"),
    (".隐藏", "_隐藏"),
    ("-rf", "_rf"),
    ("CON", "_CON"),
    ("结尾的点.", "结尾的点"),
    ("长" * 100, "长" * 60),
])
def test_safe_stem(name: str, stem: str) -> None:
    assert safe_stem(name) == stem


def test_stems_never_collide(tmp_path: Path, profile: Profile) -> None:
    from render.writers.xlsx.units import UnitName, UnitTasks

    units = [UnitTasks(UnitName(n, n), None, ()) for n in ("甲/乙", "甲_乙", "Ab", "aB")]
    assert unit_file_stems(units) == ["甲_乙", "甲_乙-2", "Ab", "aB-2"]


@pytest.mark.office
def test_libreoffice_prints_the_injected_text_literally(written: tuple[RenderInput, Path], office_convert: Any) -> None:
    import pdfplumber

    with pdfplumber.open(office_convert(written[1], "pdf")) as pdf:
        text = "".join((page.extract_text() or "") for page in pdf.pages).replace("\n", "")
    assert text.count("=HYPERLINK(") >= 4   # 任务分工 ×2, 按单位, 统计: shown, not evaluated
    assert "+1 任务丙" in text and "@某单位" in text
