"""The 重点任务责任分工表 as an Excel workbook (openpyxl).

Sheets: 任务分工 (one row per work item, 进展情况 and 备注 left to fill in), 按单位 (each unit's
tasks, 牵头 and 责任) and 统计 (counts per unit). `write_unit_workbooks` writes each unit its
own part for `--split-by-unit`; the `collect` command reads the filled-in copies back by the
header texts of 任务分工 and the marker properties set here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.writer.excel import ExcelWriter

from render.atomic import atomic_zip
from render.diagnostics import Diagnostic, PlanError
from render.document.lower import Document
from render.document.source import RenderInput
from render.model.plan import IssuedDocument, body_of
from render.writers.xlsx.cells import Styles, clean_text
from render.writers.xlsx.sheets import (
    BY_UNIT_SHEET,
    HEADER_ROW,
    MATRIX_SHEET,
    STATS_SHEET,
    Table,
    add_progress_list,
    by_unit_table,
    matrix_table,
    protect_all_but_editable,
    stats_table,
    write_table,
)
from render.writers.xlsx.units import Naming, Task, UnitTasks, build_tasks, group_by_unit, unit_file_stems

MATRIX_TITLE = "{subject}重点任务责任分工表"
UNIT_MATRIX_TITLE = "{subject}重点任务责任分工表（{unit}）"
BY_UNIT_TITLE = "{subject}重点任务分单位清单"
STATS_TITLE = "{subject}重点任务分工统计"

# Machine-readable markers for `collect`: the 任务分工 header + task rows as a defined name,
# and custom document properties saying which plan (and unit) a workbook came from.
TASKS_NAME = "gongwen_tasks"
PROP_PLAN, PROP_TITLE, PROP_ITEMS, PROP_UNIT = "gongwen_plan", "gongwen_title", "gongwen_items", "gongwen_unit"

# Without a plan date the workbook still needs a fixed timestamp to be byte-identical.
FALLBACK_TIME = dt.datetime(2000, 1, 1)


class _Matrix:
    """A plan's tasks and units, worked out once for the workbook and the per-unit copies."""

    def __init__(self, source: RenderInput):
        self.source = source
        self.profile = source.profile
        self.naming = Naming(source.units)
        self.tasks = build_tasks(_document(source).items, self.naming)
        self.units = group_by_unit(self.tasks, self.naming)
        self.subject = _subject(source)
        self.styles = Styles.from_profile(self.profile)


def _workbook(styles: Styles) -> Workbook:
    """A workbook whose default font is the body font. Column widths are counted in digits
    of the default font, so with openpyxl's Calibri they would depend on what each client
    substitutes for it; with a CJK font one 汉字 is two units everywhere."""
    wb = Workbook()
    wb._fonts = IndexedList([styles.body])
    wb._named_styles["Normal"].font = styles.body   # re-binds Normal to font 0
    return wb


def write(source: RenderInput, target: Path) -> None:
    """The full workbook: 任务分工, then 按单位 and 统计 when the plan names any unit (for a
    plan that names none they would print as empty pages)."""
    matrix = _Matrix(source)
    wb = _workbook(matrix.styles)
    table = _matrix_sheet(wb, matrix, matrix.tasks, MATRIX_TITLE.format(subject=matrix.subject))
    if matrix.units:
        _unit_sheets(wb, matrix)
    _mark(wb, matrix, table, unit=None)
    _save(wb, target, source)


def _unit_sheets(wb: Workbook, matrix: _Matrix) -> None:
    subject, profile, styles = matrix.subject, matrix.profile, matrix.styles
    by_unit = by_unit_table(BY_UNIT_TITLE.format(subject=subject), matrix.units, profile)
    write_table(wb.create_sheet(BY_UNIT_SHEET), by_unit, styles, profile)
    stats = stats_table(STATS_TITLE.format(subject=subject), matrix.units, profile,
                        with_full_names=matrix.source.units is not None)
    write_table(wb.create_sheet(STATS_SHEET), stats, styles, profile)


def write_unit_workbooks(source: RenderInput, folder: Path) -> list[Path]:
    """One workbook per unit holding only the tasks it leads or shares (`--split-by-unit`),
    named after the unit; returns the files written, in unit order."""
    matrix = _Matrix(source)
    written = []
    for unit, stem in zip(matrix.units, unit_file_stems(matrix.units)):
        target = folder / f"{stem}.xlsx"
        _write_unit(matrix, unit, target)
        written.append(target)
    return written


def _write_unit(matrix: _Matrix, unit: UnitTasks, target: Path) -> None:
    wb = _workbook(matrix.styles)
    title = UNIT_MATRIX_TITLE.format(subject=matrix.subject, unit=unit.unit.display)
    table = _matrix_sheet(wb, matrix, unit.tasks, title)
    _mark(wb, matrix, table, unit=unit)
    _save(wb, target, matrix.source)


def _matrix_sheet(wb: Workbook, matrix: _Matrix, tasks: tuple[Task, ...], title: str) -> Table:
    ws = wb.active
    ws.title = MATRIX_SHEET
    table = matrix_table(title, tasks, matrix.profile)
    write_table(ws, table, matrix.styles, matrix.profile)
    add_progress_list(ws, table)
    protect_all_but_editable(ws, table)
    return table


# --- inputs -------------------------------------------------------------------------------

def _document(source: RenderInput) -> Document:
    document = source.document
    if not isinstance(document, Document) or not document.items:
        raise PlanError([Diagnostic("E701", "该计划没有工作事项，不能生成责任分工表（xlsx）", str(source.plan_path))])
    return document


def _subject(source: RenderInput) -> str:
    """What the table is about: for a notice, the document it issues (印发《X》的通知 → X)."""
    body = body_of(source.plan)
    if isinstance(body, IssuedDocument):
        return body.title
    assert isinstance(source.document, Document)
    return source.document.title


# --- markers and saving -------------------------------------------------------------------

def _mark(wb: Workbook, matrix: _Matrix, table: Table, unit: UnitTasks | None) -> None:
    tasks_ref = f"'{MATRIX_SHEET}'!$A${HEADER_ROW}:${table.last_column}${table.last_row}"
    wb.defined_names[TASKS_NAME] = DefinedName(TASKS_NAME, attr_text=tasks_ref)
    props = wb.custom_doc_props
    props.append(StringProperty(name=PROP_PLAN, value=matrix.source.plan_path.stem))
    props.append(StringProperty(name=PROP_TITLE, value=clean_text(matrix.subject)))
    props.append(IntProperty(name=PROP_ITEMS, value=len(table.rows)))
    if unit is not None:
        props.append(StringProperty(name=PROP_UNIT, value=clean_text(unit.unit.display)))


def _fixed_time(source: RenderInput) -> dt.datetime:
    date = source.plan.date
    return dt.datetime.combine(date, dt.time()) if date else FALLBACK_TIME


def _save(wb: Workbook, target: Path, source: RenderInput) -> None:
    """Same plan, same bytes: `Workbook.save` stamps the current time into docProps/core.xml,
    so the workbook goes through openpyxl's ExcelWriter with a time taken from the plan
    (into a zip that gives every entry a fixed time)."""
    stamp = _fixed_time(source)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "gongwen"
    wb.properties.title = str(wb.active.cell(1, 1).value)
    with atomic_zip(target) as archive:
        ExcelWriter(wb, archive).save()  # save() closes the archive; closing twice is harmless
