"""`gongwen collect`: the responsibility matrices units sent back → a year-end summary plan.

Each returned workbook is one the Excel writer made (`--to xlsx`, or one per unit with
`--split-by-unit`) with 进展情况 and 备注 filled in. Its table is read by header name
(序号, 重点任务, 牵头单位, 责任单位, 进展情况, 备注) from the sheet 任务分工 (else the first
sheet that has those headers), so a title row, added or reordered columns do not matter.
Rows are matched to the plan's items by number, then by title.

Who sent a workbook, in this order: the argument written as `UNIT=PATH`; the workbook's
`gongwen_unit` document property (set by `--split-by-unit`, untouched by whoever fills the
table in); else the unit of the plan whose name (short or full form) the file name
contains — the longest such name, so `区教委.xlsx`, `2023要点-区教委-已填.xlsx` and
`重庆市南岸区教育委员会.xlsx` all count for 区教委.

进展情况 holds a state (the writer's drop-down: 未启动, 推进中, 已完成, 滞后) and 备注 the
concrete progress. Two units giving one item different states is a conflict. The summary
plan mirrors the plan's sections; each item's `text` is the remarks, then the state.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

from render.model.units import UnitRegistry

if TYPE_CHECKING:  # the model (pydantic) loads only when a command runs: `gongwen --help` stays fast
    from render.model.plan import DocumentBase, Item, Section

SHEET = "任务分工"
HEADERS = {"number": "序号", "task": "重点任务", "lead": "牵头单位", "units": "责任单位",
           "progress": "进展情况", "remarks": "备注"}
REQUIRED = ("number", "task", "progress")
HEADER_SEARCH_ROWS = 10  # the header sits under a title row or two, never far down
UNIT_PROPERTY, PLAN_PROPERTY = "gongwen_unit", "gongwen_plan"  # set by the Excel writer
NOT_REPORTED = "（未报送进展情况）"


class CollectError(Exception):
    """A returned workbook or argument that cannot be used (message in 简体中文)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- the plan's items ----------------------------------------------------------------------

class PlanItem(Struct, frozen=True):
    seq: int                 # 1-based position in the document: unique even when numbers restart
    number: int              # the number the document and the matrix print
    item: Item
    trail: tuple[int, ...]   # indexes of its section (and sub-section)


def plan_items(plan: DocumentBase) -> list[PlanItem]:
    """Every item with its number, in the order lowering numbers them (a section's
    sub-sections before its own items)."""
    from render.model.plan import body_of

    body = body_of(plan)
    if body is None:
        return []
    found: list[PlanItem] = []
    number = 0
    for index, section in enumerate(body.sections):
        if body.numbering == "per_section":
            number = 0
        for item, trail in _section_items(section, (index,)):
            number += 1
            found.append(PlanItem(len(found) + 1, number, item, trail))
    return found


def _section_items(section: Section, trail: tuple[int, ...]) -> Iterator[tuple[Item, tuple[int, ...]]]:
    for index, child in enumerate(section.sections):
        yield from _section_items(child, (*trail, index))
    for item in section.items:
        yield item, trail


def _canonical(name: str, registry: UnitRegistry | None) -> str:
    return (registry.canonical(name) if registry else None) or name


def _plan_units(items: list[PlanItem], registry: UnitRegistry | None) -> dict[str, str]:
    """Canonical name → the name as the plan writes it, in order of first mention."""
    names: dict[str, str] = {}
    for entry in items:
        for name in (*entry.item.lead, *entry.item.units):
            names.setdefault(_canonical(name, registry), name)
    return names


# --- reading a returned workbook -----------------------------------------------------------

class Row(Struct, frozen=True):
    line: int
    number: int | None
    task: str
    progress: str
    remarks: str


class Sheet(Struct, frozen=True):
    """What a returned workbook holds: its table rows and the writer's markers."""

    rows: list[Row]
    unit: str | None
    plan: str | None


def read_workbook(path: Path) -> Sheet:
    from openpyxl import load_workbook

    from render.inputs import WORKBOOK
    from render.ooxml.guard import checked_zip

    data = checked_zip(path, WORKBOOK, "Excel 工作簿")  # bounded before openpyxl inflates it
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise CollectError(f"无法读取工作簿 {path}：不是有效的 Excel 工作簿（{type(error).__name__}: {error}）") from None
    try:
        properties = {p.name: str(p.value) for p in workbook.custom_doc_props.props}
        for sheet in sorted(workbook.worksheets, key=lambda sheet: sheet.title != SHEET):
            rows = list(sheet.iter_rows(values_only=True))
            header = _header(rows)
            if header is not None:
                start, columns = header
                table = [row for line, values in enumerate(rows[start:], start + 1)
                         if (row := _row(line, values, columns)) is not None]
                return Sheet(table, properties.get(UNIT_PROPERTY), properties.get(PLAN_PROPERTY))
    finally:
        workbook.close()
    wanted = "、".join(HEADERS[key] for key in REQUIRED)
    raise CollectError(f"{path}：找不到表头（{wanted}）；应为 gongwen 生成的“{SHEET}”工作表")


def _header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    """How many rows precede the table body, and the column of each known header."""
    names = {text: key for key, text in HEADERS.items()}
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {names[text]: col for col, value in enumerate(values)
                   if (text := _squash(value, spaces="")) in names}
        if all(key in columns for key in REQUIRED):
            return index + 1, columns
    return None


def _row(line: int, values: tuple[Any, ...], columns: dict[str, int]) -> Row | None:
    def cell(key: str) -> Any:
        col = columns.get(key)
        return values[col] if col is not None and col < len(values) else None

    task, number = _text(cell("task")), _number(cell("number"))
    if number is None and not task:
        return None  # blank rows, notes under the table
    return Row(line, number, task, _text(cell("progress")), _text(cell("remarks")))


def _number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    found = re.search(r"\d+", str(value or ""))
    return int(found.group()) if found else None


def _text(value: Any) -> str:
    return "" if value is None else str(value).replace("\r\n", "\n").strip()


def _squash(value: Any, spaces: str = " ") -> str:
    """Text compared loosely: each run of whitespace as one space (or as `spaces`)."""
    return re.sub(r"\s+", spaces, str(value or "")).strip()


# --- matching rows to items ----------------------------------------------------------------

_LEADING_NUMBER = re.compile(r"^\s*(?:\d+\s*[.．、]|[（(]\s*\d+\s*[）)])\s*")


def _title_key(text: str) -> str:
    return _squash(_LEADING_NUMBER.sub("", text), spaces="").rstrip("。.")


def same_title(plan_title: str, cell: str) -> bool:
    """A cell may hold the title alone, or the title with its detail after it."""
    a, b = _title_key(plan_title), _title_key(cell)
    return bool(a and b) and b.startswith(a)


def match_row(row: Row, items: list[PlanItem]) -> tuple[PlanItem | None, bool]:
    """The item a row reports on, and whether only its title matched (the number did not)."""
    by_number = [i for i in items if i.number == row.number]
    agreeing = [i for i in by_number if same_title(i.item.title, row.task)]
    if len(agreeing) == 1:
        return agreeing[0], False
    by_title = [i for i in items if same_title(i.item.title, row.task)]
    if len(by_title) == 1:
        return by_title[0], True
    if len(by_number) == 1 and not row.task:
        return by_number[0], False
    return None, False


# --- who sent a workbook -------------------------------------------------------------------

def unit_in_name(path: Path, plan_units: dict[str, str], registry: UnitRegistry | None) -> str | None:
    """The plan unit the file name names (the longest name found), as its canonical name."""
    spellings: dict[str, str] = {}
    for canonical, shown in plan_units.items():
        for name in (shown, canonical, registry.short(shown) if registry else shown):
            spellings[name] = canonical
    named = [name for name in spellings if name and name in path.stem]
    return spellings[max(named, key=len)] if named else None


def _argument(argument: str, registry: UnitRegistry | None) -> tuple[str | None, Path]:
    """`PATH`, or `UNIT=PATH` (a file whose name holds "=" still counts as a path)."""
    path = Path(argument)
    if not path.exists() and "=" in argument:
        unit, _, file = argument.partition("=")
        return _canonical(unit.strip(), registry), Path(file)
    return None, path


# --- the collection ------------------------------------------------------------------------

class Report(Struct, frozen=True):
    unit: str        # canonical name
    progress: str
    remarks: str
    source: str      # "returned/区教委.xlsx 第5行"


class Returned(Struct):
    unit: str
    path: Path
    filled: int = 0
    notes: list[str] = field(default_factory=list)


class Collection(Struct):
    items: list[PlanItem]
    plan_units: dict[str, str]
    registry: UnitRegistry | None
    returns: list[Returned] = field(default_factory=list)
    reports: dict[int, list[Report]] = field(default_factory=dict)   # item seq → reports

    def shown(self, unit: str) -> str:
        """A unit as the plan writes it."""
        return self.plan_units.get(unit, unit)

    def reported(self) -> list[PlanItem]:
        return [item for item in self.items if self.reports.get(item.seq)]

    def conflicts(self) -> list[tuple[PlanItem, list[Report]]]:
        """Items that two units give different states (进展情况)."""
        found = []
        for item in self.items:
            reports = self.reports.get(item.seq, [])
            if len({_squash(r.progress) for r in reports if r.progress}) > 1:
                found.append((item, reports))
        return found

    def silent_units(self) -> list[str]:
        """Units named in the plan that sent no workbook."""
        sent = {r.unit for r in self.returns}
        return [shown for canonical, shown in self.plan_units.items() if canonical not in sent]


def collect(plan: DocumentBase, plan_path: Path, registry: UnitRegistry | None,
            arguments: Iterable[str]) -> Collection:
    items = plan_items(plan)
    collection = Collection(items, _plan_units(items, registry), registry)
    for argument in arguments:
        unit, path = _argument(argument, registry)
        if not path.is_file():
            raise CollectError(f"找不到回报的工作簿：{path}")
        sheet = read_workbook(path)
        unit = unit or (_canonical(sheet.unit, registry) if sheet.unit else None) \
            or unit_in_name(path, collection.plan_units, registry)
        if unit is None:
            raise CollectError(f"看不出“{path.name}”是哪个单位报送的：请让文件名包含单位名称，"
                               f"或写成“单位=文件”，如 区教委={path}")
        returned = _take(Returned(unit, path), sheet, collection)
        if sheet.plan and sheet.plan != plan_path.stem:
            returned.notes.insert(0, f"{path} 是由计划 {sheet.plan} 生成的，不是 {plan_path.stem}；已按序号和标题对应")
        collection.returns.append(returned)
    return collection


def _take(returned: Returned, sheet: Sheet, collection: Collection) -> Returned:
    path = returned.path
    for row in sheet.rows:
        if not row.progress and not row.remarks:
            continue  # a row this unit left alone: most rows of a full matrix
        item, renumbered = match_row(row, collection.items)
        if item is None:
            number = row.number if row.number is not None else "空"
            returned.notes.append(f"{path} 第{row.line}行（序号 {number}）“{row.task[:30]}”对应不到计划中的事项，已忽略")
            continue
        if renumbered:
            returned.notes.append(f"{path} 第{row.line}行的序号 {row.number} 与计划不符，已按标题对应到第{item.number}项")
        returned.filled += 1
        collection.reports.setdefault(item.seq, []).append(
            Report(returned.unit, row.progress, row.remarks, f"{path} 第{row.line}行"))
    return returned


# --- the summary plan ----------------------------------------------------------------------

def summary_plan(plan: DocumentBase, collection: Collection, date: dt.date,
                 units_file: str | None) -> dict[str, Any]:
    """The summary as plan data with English keys, ready for `gongwen render`."""
    from render.model.plan import IssuedDocument, body_of

    body = body_of(plan)
    assert body is not None
    title = body.title if isinstance(body, IssuedDocument) else plan.title
    raw: dict[str, Any] = {
        "type": "summary",
        "issuers": list(plan.issuers),
        "title": f"{title}落实情况总结",
        "date": date.isoformat(),
        "preamble": (f"根据各责任单位报送的进展情况，现将《{title}》确定的{len(collection.items)}项"
                     f"重点任务落实情况总结如下。"),
    }
    if units_file:
        raw["units_file"] = units_file
    if body.numbering != "continuous":
        raw["numbering"] = body.numbering
    raw["sections"] = [_section(section, (n,), collection) for n, section in enumerate(body.sections)]
    return raw


def _section(section: Section, trail: tuple[int, ...], collection: Collection) -> dict[str, Any]:
    node: dict[str, Any] = {"title": section.title}
    if section.sections:
        node["sections"] = [_section(child, (*trail, n), collection) for n, child in enumerate(section.sections)]
    items = [entry for entry in collection.items if entry.trail == trail]
    if items:
        node["items"] = [_item(entry, collection) for entry in items]
    return node


def _item(entry: PlanItem, collection: Collection) -> dict[str, Any]:
    node: dict[str, Any] = {"title": entry.item.title, "text": item_text(entry, collection)}
    if entry.item.lead:
        node["lead"] = list(entry.item.lead)
    if entry.item.units:
        node["units"] = list(entry.item.units)
    return node


def item_text(entry: PlanItem, collection: Collection) -> str:
    """The remarks (each unit's, named, when several units wrote different ones), then the
    state: `（进展情况：已完成）`, or each unit's state when they differ."""
    reports = _plan_order(collection.reports.get(entry.seq, []), entry.item, collection)
    if not reports:
        return NOT_REPORTED
    remarks = _distinct(reports, "remarks")
    if len(remarks) == 1:
        paragraphs = [remarks[0][1]]
    else:
        paragraphs = [f"{collection.shown(unit)}：{text}" for unit, text in remarks]
    states = _distinct(reports, "progress")
    if len(states) == 1:
        paragraphs.append(f"（进展情况：{states[0][1]}）")
    elif states:
        paragraphs.append("（进展情况：" + "，".join(f"{collection.shown(u)}报“{s}”" for u, s in states) + "）")
    return "\n\n".join(paragraphs)


def _plan_order(reports: list[Report], item: Item, collection: Collection) -> list[Report]:
    """Lead units first, then responsible units, as the plan lists them."""
    order = [_canonical(name, collection.registry) for name in (*item.lead, *item.units)]
    return sorted(reports, key=lambda r: order.index(r.unit) if r.unit in order else len(order))


def _distinct(reports: list[Report], name: str) -> list[tuple[str, str]]:
    """(unit, text) for each different non-empty text, with the first unit that wrote it."""
    seen: dict[str, tuple[str, str]] = {}
    for report in reports:
        text = getattr(report, name)
        if text:
            seen.setdefault(_squash(text), (report.unit, text))
    return list(seen.values())


# --- the command ---------------------------------------------------------------------------

def report_lines(collection: Collection) -> list[str]:
    """What the console shows; the written plan carries the same lines as comments."""
    lines = [f"{collection.shown(r.unit)} ← {r.path}：填报 {r.filled} 项" for r in collection.returns]
    lines += [note for r in collection.returns for note in r.notes]
    conflicts = collection.conflicts()
    if conflicts:
        lines.append(f"冲突 {len(conflicts)} 项（各单位报送的进展情况不一致，总结中逐一列出）：")
        for item, reports in conflicts:
            lines.append(f"  第{item.number}项“{item.item.title}”：")
            lines += [f"    {collection.shown(r.unit)}：{r.progress or '（未填）'}（{r.source}）" for r in reports]
    silent = collection.silent_units()
    if silent:
        lines.append(f"未报送的单位（{len(silent)} 个）：{'、'.join(silent)}")
    empty = [collection.shown(r.unit) for r in collection.returns if r.filled == 0]
    if empty:
        lines.append(f"报送了空表的单位：{'、'.join(empty)}")
    return lines


def _load(plan_path: Path) -> tuple[DocumentBase, UnitRegistry | None]:
    from render.reading.loader import load_plan

    result = load_plan(plan_path)
    plan = result.require()
    if not plan_items(plan):
        raise CollectError(f"{plan_path} 没有工作事项，也就没有责任分工表可以汇总")
    return plan, result.units


def _relative_units_file(plan: DocumentBase, plan_path: Path, target: Path) -> str | None:
    """The plan's units file as seen from the folder the summary plan is written to."""
    if not plan.units_file:
        return None
    units = (plan_path.resolve().parent / plan.units_file).resolve()
    return Path(os.path.relpath(units, target.resolve().parent)).as_posix()


class Summary(Struct, frozen=True):
    """The summary plan `gongwen collect` writes, and what it found on the way."""

    text: str
    notes: list[str]
    collection: Collection


def collect_summary(plan_path: Path, returned: Iterable[str], target: Path, date: dt.date) -> Summary:
    """The year-end summary plan (YAML text) of a plan and its returned matrices, checked
    with the loader before anyone writes it. Raises PlanError or CollectError."""
    from render.reading.loader import load_plan_text
    from render.reading.paths import allow_outside_files
    from render.reading.planyaml import plan_yaml, written_in_chinese

    source_plan, registry = _load(plan_path)
    collection = collect(source_plan, plan_path, registry, tuple(returned))
    notes = report_lines(collection)
    raw = summary_plan(source_plan, collection, date, _relative_units_file(source_plan, plan_path, target))
    text = plan_yaml(raw, notes=[f"由 gongwen collect 从 {plan_path} 和 {len(collection.returns)} 份回报生成。", *notes],
                     chinese=written_in_chinese(plan_path))  # the key language of its source plan
    with allow_outside_files():  # the units file is the source plan's own, already read
        check = load_plan_text(text, target)
    if not check.ok:  # our bug, not the user's: say so rather than write a plan that fails later
        problems = "；".join(d.format() for d in check.diagnostics if d.is_error)
        raise CollectError(f"生成的总结计划未通过检查（这是 gongwen 的缺陷，请报告）：{problems}")
    return Summary(text, notes, collection)
