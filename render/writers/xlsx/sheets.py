"""The sheets of the 责任分工表: each one a title row, a header row and a table, printed A4
landscape one page wide with the header repeated on every page."""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct
from openpyxl.styles import Alignment, Border, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from render.document.lower import paragraphs
from render.measure import mm_inches
from render.profile import Profile, XlsxMatrixWidths
from render.writers.xlsx.cells import Styles, Value, alignment, cell_style, put_value, row_height
from render.writers.xlsx.units import Task, UnitName, UnitTasks

# Sheet names and header texts: the `collect` command reads workbooks back by these.
MATRIX_SHEET = "任务分工"
BY_UNIT_SHEET = "按单位"
STATS_SHEET = "统计"
PROGRESS = "进展情况"
REMARKS = "备注"
PROGRESS_CHOICES = ("未启动", "推进中", "已完成", "滞后")

TITLE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3
FOOTER = "第 &P 页 共 &N 页"


class Column(Struct, frozen=True):
    header: str
    width: float
    horizontal: str = "left"
    editable: bool = False   # left unlocked: the cells a unit fills in


class Table(Struct, frozen=True):
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]
    group_starts: frozenset[int] = frozenset()   # indexes of rows that open a group (a unit)
    totals: tuple[Value, ...] | None = None       # a 合计 row below the table, outside the filter

    @property
    def last_column(self) -> str:
        return str(get_column_letter(len(self.columns)))

    @property
    def last_row(self) -> int:
        return HEADER_ROW + len(self.rows)


# --- the tables --------------------------------------------------------------------------

def _matrix_columns(w: XlsxMatrixWidths) -> tuple[Column, ...]:
    return (
        Column("序号", w.number, "center"),
        Column("所属部分", w.section),
        Column("重点任务", w.task),
        Column("工作内容", w.content),
        Column("牵头单位", w.lead),
        Column("责任单位", w.units),
        Column("完成时限", w.due, "center"),
        Column(PROGRESS, w.progress, "center", editable=True),
        Column(REMARKS, w.remarks, editable=True),
    )


def _names(units: Sequence[UnitName], separator: str) -> str:
    return separator.join(unit.display for unit in units)


def matrix_table(title: str, tasks: Sequence[Task], profile: Profile) -> Table:
    separator = profile.responsibility.separator
    rows = tuple(
        (task.number, task.section, task.row.title, "\n".join(paragraphs(task.row.text)),
         _names(task.lead, separator), _names(task.units, separator), task.row.due, None, None)
        for task in tasks
    )
    return Table(title, _matrix_columns(profile.xlsx.widths.matrix), rows)


def by_unit_table(title: str, units: Sequence[UnitTasks], profile: Profile) -> Table:
    """One row per unit and task; no 工作内容 or 所属部分, which would make ~200 rows of
    paragraphs: this sheet is the index, each unit's own workbook carries the text."""
    w, separator = profile.xlsx.widths.by_unit, profile.responsibility.separator
    columns = (
        Column("单位", w.unit), Column("职责", w.role, "center"), Column("序号", w.number, "center"),
        Column("重点任务", w.task), Column("牵头单位", w.lead), Column("责任单位", w.units),
        Column("完成时限", w.due, "center"),
    )
    rows: list[tuple[Value, ...]] = []
    starts: set[int] = set()
    for unit in units:
        starts.add(len(rows))
        rows += [(unit.unit.display, a.role, a.task.number, a.task.row.title,
                  _names(a.task.lead, separator), _names(a.task.units, separator), a.task.row.due)
                 for a in unit.assignments]
    return Table(title, columns, tuple(rows), frozenset(starts))


def stats_table(title: str, units: Sequence[UnitTasks], profile: Profile, with_full_names: bool) -> Table:
    w = profile.xlsx.widths.stats
    full = (Column("单位全称", w.full_name),) if with_full_names else ()
    columns = (Column("序号", w.number, "center"), Column("单位", w.unit), *full,
               Column("牵头任务数", w.count, "center"), Column("责任任务数", w.count, "center"),
               Column("合计", w.count, "center"))
    rows = tuple(
        (n, unit.unit.display, *((unit.full_name or unit.unit.display,) if with_full_names else ()),
         unit.leads, unit.shares, unit.leads + unit.shares)
        for n, unit in enumerate(units, 1)
    )
    leads, shares = sum(u.leads for u in units), sum(u.shares for u in units)
    totals = (None, "合计", *((None,) if with_full_names else ()), leads, shares, leads + shares)
    return Table(title, columns, rows, totals=totals)


# --- writing a table into a sheet --------------------------------------------------------

def write_table(ws: Worksheet, table: Table, styles: Styles, profile: Profile) -> None:
    _title_row(ws, table, styles, profile)
    _header_row(ws, table, styles, profile)
    widths = [c.width for c in table.columns]
    aligns = [alignment(c.horizontal) for c in table.columns]

    names: dict[tuple[int, int], list[str]] = {}

    def named(font: Font, border: Border) -> list[str]:
        """Each column's style for a row, registered on first use in column order, as the
        cells come: the workbook's list of styles stays what it was."""
        key = (id(font), id(border))
        if key not in names:
            names[key] = [cell_style(ws, font, align, border) for align in aligns]
        return names[key]

    for index, values in enumerate(table.rows):
        border = styles.group_border if index in table.group_starts else styles.border
        _data_row(ws, FIRST_ROW + index, values, named(styles.body, border))
        ws.row_dimensions[FIRST_ROW + index].height = row_height(list(values), widths, styles)
    if table.totals is not None:
        _data_row(ws, table.last_row + 1, table.totals, named(styles.header, styles.border))
    for n, column in enumerate(table.columns, 1):
        ws.column_dimensions[get_column_letter(n)].width = column.width
    # Frozen and filtered below the header; the 合计 row stays outside the filter so sorting
    # never moves it.
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{table.last_column}{table.last_row}"
    setup_page(ws, styles, profile)


def _title_row(ws: Worksheet, table: Table, styles: Styles, profile: Profile) -> None:
    cell = ws.cell(TITLE_ROW, 1)
    put_value(cell, table.title)
    cell.font = styles.title
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(f"A{TITLE_ROW}:{table.last_column}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = profile.xlsx.title_row_height


def _header_row(ws: Worksheet, table: Table, styles: Styles, profile: Profile) -> None:
    for n, column in enumerate(table.columns, 1):
        cell = ws.cell(HEADER_ROW, n)
        put_value(cell, column.header)
        cell.font, cell.fill, cell.border = styles.header, styles.header_fill, styles.border
        cell.alignment = alignment("center")
    ws.row_dimensions[HEADER_ROW].height = profile.xlsx.header_row_height


def _data_row(ws: Worksheet, row: int, values: Sequence[Value], style_names: Sequence[str]) -> None:
    for n, (value, name) in enumerate(zip(values, style_names), 1):
        cell = ws.cell(row, n)
        cell.style = name
        put_value(cell, value)


def setup_page(ws: Worksheet, styles: Styles, profile: Profile) -> None:
    """A4 landscape, one page wide and as many tall as needed, header row on every page."""
    margins = profile.xlsx.margins
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(
        left=mm_inches(margins.left), right=mm_inches(margins.right),
        top=mm_inches(margins.top), bottom=mm_inches(margins.bottom),
        header=mm_inches(margins.header), footer=mm_inches(margins.footer),
    )
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = f"{styles.body.name},Regular"
    ws.oddFooter.center.size = int(styles.body_pt)


# --- what a unit fills in ----------------------------------------------------------------

def add_progress_list(ws: Worksheet, table: Table) -> None:
    """进展情况 offers the four states; anything else is refused with a message."""
    column = get_column_letter(_column_index(table, PROGRESS))
    validation = DataValidation(
        type="list", formula1='"' + ",".join(PROGRESS_CHOICES) + '"', allow_blank=True,
        showErrorMessage=True, errorTitle=PROGRESS, error=f"请从下拉列表中选择：{'、'.join(PROGRESS_CHOICES)}",
        showInputMessage=True, promptTitle=PROGRESS, prompt="请从下拉列表中选择；具体进展写在“备注”栏",
    )
    validation.add(f"{column}{FIRST_ROW}:{column}{max(table.last_row, FIRST_ROW)}")
    ws.add_data_validation(validation)


def protect_all_but_editable(ws: Worksheet, table: Table) -> None:
    """Only 进展情况 and 备注 take typing; the task text `collect` matches on stays as issued.
    No password: this guards against slips, it is not security. Filtering and resizing
    rows and columns stay allowed."""
    for n, column in enumerate(table.columns, 1):
        if column.editable:
            for row in range(FIRST_ROW, table.last_row + 1):
                ws.cell(row, n).protection = Protection(locked=False)
    ws.protection.sheet = True
    ws.protection.autoFilter = False   # False: the action is not protected
    ws.protection.formatRows = False
    ws.protection.formatColumns = False


def _column_index(table: Table, header: str) -> int:
    return next(n for n, column in enumerate(table.columns, 1) if column.header == header)
