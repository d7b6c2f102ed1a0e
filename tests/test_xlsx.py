"""The 责任分工表 workbook of the 南岸 notice, checked against the real document and reopened
the way a reader (openpyxl, LibreOffice) sees it."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pytest
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from render.document.source import RenderInput
from render.writers import xlsx

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "nanan-2022-22-notice.txt"
PLAN = "nanan-2022-22-notice"
MATRIX_HEADERS = ["序号", "所属部分", "重点任务", "工作内容", "牵头单位", "责任单位", "完成时限", "进展情况", "备注"]
FOOTER = "第 &P 页 共 &N 页"


# --- reading the seed and the workbook ---------------------------------------------------------

_FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})
_ITEM = re.compile(r"^(\d+)[.．、](.+?)。")
_RESPONSIBILITY = re.compile(r"^（牵头单位：(.+?)；责任单位：(.+?)）$")


def seed_rows() -> list[tuple[str, list[str], list[str]]]:
    """(title, 牵头, 责任) per item, parsed from the seed text independently of the plan."""
    lines = [re.sub(r"\s+", "", line).translate(_FULL_WIDTH)
             for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    titles = [m.group(2) for m in map(_ITEM.match, lines) if m]
    duties = [m for m in map(_RESPONSIBILITY.match, lines) if m]
    return [(t, d.group(1).split("、"), d.group(2).split("、")) for t, d in zip(titles, duties, strict=True)]


def records(ws: Worksheet, header_row: int = 2) -> list[dict[str, Any]]:
    """Rows as {header: value}, found by header text as the `collect` command does."""
    headers = [c.value for c in ws[header_row]]
    rows = ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row, values_only=True)
    return [dict(zip(headers, row)) for row in rows if any(v is not None for v in row)]


def split(names: str | None) -> list[str]:
    return names.split("、") if names else []


@pytest.fixture(scope="module")
def source(plan_input: Callable[[str], RenderInput]) -> RenderInput:
    return plan_input(PLAN)


@pytest.fixture(scope="module")
def workbook_path(source: RenderInput, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("xlsx") / f"{PLAN}.xlsx"
    xlsx.write(source, target)
    return target


@pytest.fixture(scope="module")
def wb(workbook_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(workbook_path)


@pytest.fixture(scope="module")
def pdf_path(workbook_path: Path, office_convert: Callable[[Path, str], Path]) -> Path:
    return office_convert(workbook_path, "pdf")


# --- 任务分工 ------------------------------------------------------------------------------

def test_sheets_title_and_headers(wb: openpyxl.Workbook) -> None:
    assert wb.sheetnames == ["任务分工", "按单位", "统计"]
    ws = wb["任务分工"]
    assert ws["A1"].value == "关于推进新时代南岸教育事业高质量发展的实施意见重点任务责任分工表"
    assert "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == MATRIX_HEADERS


@pytest.mark.skipif(not SEED.is_file(), reason="the seed document is absent")
def test_task_rows_match_the_seed(wb: openpyxl.Workbook) -> None:
    rows = records(wb["任务分工"])
    seed = seed_rows()
    assert len(rows) == len(seed) == 25
    for n, (row, (title, lead, units)) in enumerate(zip(rows, seed), 1):
        assert row["序号"] == n
        assert row["重点任务"] == title, n
        assert split(row["牵头单位"]) == lead, n
        assert split(row["责任单位"]) == units, n


def test_items_field_by_field(wb: openpyxl.Workbook) -> None:
    rows = {row["序号"]: row for row in records(wb["任务分工"])}
    assert rows[2]["牵头单位"] == "区教委、区委宣传部"
    assert rows[2]["责任单位"] == "区委文明办、区文化旅游委、区卫生健康委、团区委、区妇联、区教师进修学院、在区高校、各镇街"
    assert rows[2]["所属部分"] == "（二）落实立德树人根本任务，开创全面育人新局面"
    assert rows[2]["工作内容"].startswith("进一步深学活用习近平新时代中国特色社会主义思想")
    assert rows[12]["牵头单位"] == "区政府教育督导室"
    assert rows[17]["牵头单位"] == "区规划自然资源局、区发展改革委、区教委、在区高校"
    assert rows[21] | {"工作内容": None} == {
        "序号": 21, "所属部分": "（六）引领教师专业成长，开启教师队伍建设新征程", "重点任务": "加强干部队伍建设",
        "工作内容": None, "牵头单位": "区委组织部", "责任单位": "区教委", "完成时限": None, "进展情况": None, "备注": None,
    }
    assert rows[23]["责任单位"] == "“双减”工作专门协调机制成员单位"


def test_layout_wraps_and_sizes(wb: openpyxl.Workbook, source: RenderInput) -> None:
    ws = wb["任务分工"]
    widths = source.profile.xlsx.widths.matrix
    assert ws.column_dimensions["D"].width == widths.content
    assert ws.column_dimensions["F"].width == widths.units
    assert all(ws.cell(3, col).alignment.wrap_text for col in range(1, 10))
    # Row heights are stored (LibreOffice does not re-fit rows on opening): the longest text is tallest.
    heights = {row: ws.row_dimensions[row].height for row in range(3, 28)}
    texts = {row: len(ws.cell(row, 4).value) for row in range(3, 28)}
    assert heights[max(texts, key=lambda r: texts[r])] == max(heights.values())
    assert heights[min(texts, key=lambda r: texts[r])] == min(heights.values())


def test_frozen_header_and_filter(wb: openpyxl.Workbook) -> None:
    ws = wb["任务分工"]
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:I27"
    assert wb["按单位"].freeze_panes == "A3"
    assert wb["统计"].freeze_panes == "A3"


@pytest.mark.parametrize("sheet", ["任务分工", "按单位", "统计"])
def test_print_settings(wb: openpyxl.Workbook, sheet: str) -> None:
    ws = wb[sheet]
    setup = ws.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
    assert ws.print_title_rows == "$2:$2"   # the header row, repeated on every page
    assert ws.oddFooter.center.text == FOOTER


def test_progress_drop_down_and_editable_columns(wb: openpyxl.Workbook) -> None:
    ws = wb["任务分工"]
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1
    validation = validations[0]
    assert validation.type == "list"
    assert validation.formula1 == '"未启动,推进中,已完成,滞后"'
    assert str(validation.sqref) == "H3:H27"
    assert ws.protection.sheet
    assert not ws["H3"].protection.locked and not ws["I27"].protection.locked
    assert ws["C3"].protection.locked and ws["E27"].protection.locked


def test_markers_for_collect(wb: openpyxl.Workbook) -> None:
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props == {"gongwen_plan": PLAN, "gongwen_title": "关于推进新时代南岸教育事业高质量发展的实施意见",
                     "gongwen_items": 25}
    assert wb.defined_names["gongwen_tasks"].attr_text == "'任务分工'!$A$2:$I$27"


def test_no_formulas_anywhere(workbook_path: Path) -> None:
    with zipfile.ZipFile(workbook_path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 3
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)


# --- 按单位 and 统计 ---------------------------------------------------------------------------

def _seed_duties() -> dict[str, list[tuple[int, str]]]:
    duties: dict[str, list[tuple[int, str]]] = {}
    for n, (_, lead, units) in enumerate(seed_rows(), 1):
        for name in lead:
            duties.setdefault(name, []).append((n, "牵头"))
        for name in units:
            duties.setdefault(name, []).append((n, "责任"))
    return duties


@pytest.mark.skipif(not SEED.is_file(), reason="the seed document is absent")
def test_by_unit_groups_every_unit(wb: openpyxl.Workbook) -> None:
    rows = records(wb["按单位"])
    units = [row["单位"] for row in rows]
    order = list(dict.fromkeys(units))
    # Grouped: each unit's rows are contiguous …
    assert sum(1 for a, b in zip(units, units[1:]) if a != b) == len(order) - 1
    # … hold exactly its duties in the seed, ordered by item number.
    found = {unit: [(r["序号"], r["职责"]) for r in rows if r["单位"] == unit] for unit in order}
    assert found == _seed_duties()
    assert all(pairs == sorted(pairs) for pairs in found.values())
    # The registry's protocol order: 区委部门 before 政府部门.
    assert order[:2] == ["区委组织部", "区委宣传部"]
    assert order.index("区委文明办") < order.index("区教委")


@pytest.mark.skipif(not SEED.is_file(), reason="the seed document is absent")
def test_stats_counts_and_totals(wb: openpyxl.Workbook) -> None:
    ws = wb["统计"]
    assert [c.value for c in ws[2]] == ["序号", "单位", "单位全称", "牵头任务数", "责任任务数", "合计"]
    rows = records(ws)
    *units, total = rows
    duties = _seed_duties()
    assert {r["单位"]: (r["牵头任务数"], r["责任任务数"]) for r in units} == {
        name: (sum(1 for _, role in d if role == "牵头"), sum(1 for _, role in d if role == "责任"))
        for name, d in duties.items()
    }
    by_name = {r["单位"]: r for r in units}
    assert (by_name["区教委"]["牵头任务数"], by_name["区教委"]["责任任务数"], by_name["区教委"]["合计"]) == (22, 1, 23)
    assert by_name["区教委"]["单位全称"] == "重庆市南岸区教育委员会"
    assert total["单位"] == "合计"
    assert total["牵头任务数"] == sum(len(lead) for _, lead, _ in seed_rows())
    assert total["责任任务数"] == sum(len(u) for _, _, u in seed_rows())
    assert total["合计"] == total["牵头任务数"] + total["责任任务数"]
    assert ws.auto_filter.ref == f"A2:F{ws.max_row - 1}"   # the 合计 row stays out of sorting


# --- per-unit workbooks ----------------------------------------------------------------------

def test_split_by_unit(source: RenderInput, wb: openpyxl.Workbook, tmp_path: Path) -> None:
    folder = tmp_path / "outputs" / PLAN / "units"
    written = xlsx.write_unit_workbooks(source, folder)
    by_unit = records(wb["按单位"])
    units = list(dict.fromkeys(r["单位"] for r in by_unit))
    assert [p.name for p in written] == [f"{u}.xlsx" for u in units]
    assert sorted(folder.iterdir()) == sorted(written)
    for path, unit in zip(written, units):
        own = openpyxl.load_workbook(path)
        assert own.sheetnames == ["任务分工"]
        ws = own["任务分工"]
        assert ws["A1"].value.endswith(f"重点任务责任分工表（{unit}）")
        assert [c.value for c in ws[2]] == MATRIX_HEADERS
        rows = records(ws)
        assert [r["序号"] for r in rows] == [r["序号"] for r in by_unit if r["单位"] == unit]
        assert all(unit in split(r["牵头单位"]) + split(r["责任单位"]) for r in rows)
        assert {p.name: p.value for p in own.custom_doc_props}["gongwen_unit"] == unit
        assert str(ws.data_validations.dataValidation[0].sqref) == CellRange(f"H3:H{2 + len(rows)}").coord
    education = openpyxl.load_workbook(folder / "区教委.xlsx")["任务分工"]
    assert len(records(education)) == 23


# --- determinism and the real client ------------------------------------------------------------

def test_same_input_same_bytes(source: RenderInput, tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    xlsx.write(source, first)
    xlsx.write(source, second)
    assert first.read_bytes() == second.read_bytes()
    one = xlsx.write_unit_workbooks(source, tmp_path / "u1")
    two = xlsx.write_unit_workbooks(source, tmp_path / "u2")
    assert [p.read_bytes() for p in one] == [p.read_bytes() for p in two]


def test_render_command_writes_xlsx(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from render.cli.main import main

    plan = Path(__file__).resolve().parents[1] / "plans" / f"{PLAN}.yaml"
    result = CliRunner().invoke(main, ["render", str(plan), "--to", "xlsx", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(tmp_path / f"{PLAN}.xlsx")["任务分工"].max_row == 27


@pytest.mark.office
def test_libreoffice_prints_one_page_wide(pdf_path: Path) -> None:
    with pdfplumber.open(pdf_path) as pdf:
        pages = [(page.width, page.height, page.extract_text() or "") for page in pdf.pages]
    assert all(w > h for w, h, _ in pages)                      # landscape
    assert abs(pages[0][0] - 842) < 2 and abs(pages[0][1] - 595) < 2   # A4
    matrix = [text for _, _, text in pages if "工作内容" in text]
    assert len(matrix) >= 2
    # One page wide: every page of the matrix shows the whole (repeated) header row, the last
    # column included, and its footer.
    for n, text in enumerate(matrix, 1):
        assert "序号" in text and "备注" in text, n
        assert re.search(rf"第 {n} 页 共 {len(pages)} 页", text), n
    assert "重点任务责任分工表" in matrix[0]
    assert any("重点任务分工统计" in text for _, _, text in pages)

