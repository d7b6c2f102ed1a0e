"""The bare-library floors on plain data: no import of gongwen, so a whole process of this
script is what python-docx, reportlab or openpyxl cost on their own.

    python bench/bare.py [--stack | --read PLAN] docx|pdf|xlsx|xlsx-styled|typst texts.json target

`--stack` first does what every gongwen command that reads a plan does before its own work:
imports click and PyYAML and validates one pydantic model (the first validation imports
pydantic's plugin loader, which imports importlib.metadata). The script is then the lowest
a gongwen command writing that format could cost on the stack the brief names.

`--read PLAN` instead first does what `gongwen render` does before its writer runs (and so
imports gongwen): the command line imported, PLAN read and checked with gongwen's own plan
model, lowered with the layout profile and, for a format that prints it broken, its title
broken into lines. What is left above that is the writer's own work.

texts.json is written by `bench/floors.py::floor_data` from a prepared notice:
{"texts": [[role, text], …], "fonts": {role: [name, path, subfont, family]}, "margins_mm": [l, r, t, b],
 "items": [[number, section, title, text, lead, units, due], …]}.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

MATRIX_HEADER = ["序号", "所属部分", "重点任务", "工作内容", "牵头单位", "责任单位", "完成时限", "进展情况", "备注"]


def docx_bare(data: dict[str, Any], target: Path) -> None:
    from docx import Document as WordDocument
    from docx.oxml.ns import qn
    from docx.shared import Pt

    fonts = data["fonts"]
    word = WordDocument()
    for role, text in data["texts"]:
        run = word.add_paragraph().add_run(text)
        run.font.name = fonts[role][0]
        run.font.size = Pt(16)
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), fonts[role][0])
    word.save(str(target))


_REGISTERED: dict[str, str] = {}


def _reportlab_fonts(fonts: dict[str, list[Any]]) -> dict[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for role, (_, path, index, _) in fonts.items():
        if role not in _REGISTERED:
            name = f"floor-{role}"
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
            _REGISTERED[role] = name
    return _REGISTERED


def pdf_bare(data: dict[str, Any], target: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    fonts = _reportlab_fonts(data["fonts"])
    left, right, top, bottom = data["margins_mm"]
    story = [Paragraph(text, ParagraphStyle(role, fontName=fonts[role], fontSize=16, leading=28.95, wordWrap="CJK"))
             for role, text in data["texts"]]
    SimpleDocTemplate(str(target), pagesize=A4, leftMargin=left * mm, rightMargin=right * mm,
                      topMargin=top * mm, bottomMargin=bottom * mm).build(story)


def xlsx_bare(data: dict[str, Any], target: Path, styled: bool = False) -> None:
    """The three sheets' text (matrix, tasks by unit, counts) as plain rows. `styled` also
    gives every cell one named style (the body font, wrapping, borders), every row a height
    and every column a width: less than the 责任分工表 carries (it has six styles, a merged
    title, a filled header, measured heights, a drop-down list, protection and print
    settings), in openpyxl's public API."""
    from openpyxl import Workbook

    book = Workbook()
    put = _styled_rows(book, data["fonts"]["fangsong"][0]) if styled else _plain_rows
    matrix = book.active
    put(matrix, MATRIX_HEADER)
    by_unit: dict[str, list[tuple[str, list[Any]]]] = {}
    for number, section, title, text, lead, units, due in data["items"]:
        row = [number, section, title, text, "、".join(lead), "、".join(units), due]
        put(matrix, [*row, "", ""])
        for role, names in (("牵头", lead), ("责任", units)):
            for name in names:
                by_unit.setdefault(name, []).append((role, row))
    unit_sheet = book.create_sheet("按单位")
    counts = book.create_sheet("统计")
    for name, tasks in by_unit.items():
        for role, row in tasks:
            put(unit_sheet, [name, role, row[0], row[2], row[4], row[5], row[6]])
        put(counts, [name, sum(r == "牵头" for r, _ in tasks), sum(r == "责任" for r, _ in tasks), len(tasks)])
    if styled:
        for sheet in book.worksheets:
            for letter in "ABCDEFGHI":
                sheet.column_dimensions[letter].width = 12
    book.save(str(target))


def _plain_rows(sheet: Any, row: list[Any]) -> None:
    sheet.append(row)


def _styled_rows(book: Any, font_name: str) -> Callable[[Any, list[Any]], None]:
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

    thin = Side(style="thin")
    book.add_named_style(NamedStyle(name="body", font=Font(name=font_name, size=12),
                                    alignment=Alignment(vertical="center", wrap_text=True),
                                    border=Border(left=thin, right=thin, top=thin, bottom=thin)))

    def put(sheet: Any, row: list[Any]) -> None:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            cell.style = "body"
        sheet.row_dimensions[sheet.max_row].height = 30.0

    return put


def _typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_source(data: dict[str, Any]) -> str:
    """A comparable 公文 in Typst: A4 with the profile's margins, the title lines centred in
    二号 (22 pt), the rest in 三号 (16 pt) on a 28.95 pt line pitch, justified, indented two
    characters, each paragraph in its role's font (the same font files, by family name)."""
    left, right, top, bottom = data["margins_mm"]
    lines = [f'#set page(paper: "a4", margin: (left: {left}mm, right: {right}mm, top: {top}mm, bottom: {bottom}mm))',
             '#set text(size: 16pt, lang: "zh", region: "cn")',
             "#set par(leading: 12.95pt, justify: true, first-line-indent: 2em)", ""]
    fonts = data["fonts"]
    for role, text in data["texts"]:
        family = _typst_string(fonts[role][3])
        if role == "xiaobiaosong":
            lines.append(f"#align(center, text(font: {family}, size: 22pt, {_typst_string(text)}))")
        else:
            lines.append(f"#text(font: {family}, {_typst_string(text)})")
        lines.append("")
    return "\n".join(lines)


def typst_bare(data: dict[str, Any], target: Path) -> None:
    """Typst compiling the comparable document (the `typst` package from PyPI)."""
    import typst

    source = target.with_suffix(".typ")
    source.write_text(typst_source(data), encoding="utf-8")
    folders = sorted({str(Path(path).parent) for _, path, _, _ in data["fonts"].values()})
    typst.compile(str(source), output=str(target), font_paths=folders)


BARE: dict[str, Callable[[dict[str, Any], Path], None]] = {
    "docx": docx_bare, "pdf": pdf_bare, "xlsx": xlsx_bare, "xlsx-styled": partial(xlsx_bare, styled=True),
    "typst": typst_bare}


IMPORTS = "import click, yaml; from pydantic import BaseModel"
STACK = IMPORTS + '; type("One", (BaseModel,), {"__annotations__": {"n": int}}).model_validate({"n": 1})'


def read_plan(plan: Path, fmt: str) -> None:
    """What `gongwen render PLAN --to fmt` does before its writer: see the module's doc."""
    import render.cli.main  # noqa: F401 - the command line is imported before any command runs
    from render.document.source import prepare
    from render.profile import load_profile
    from render.reading.loader import load_plan

    document = prepare(load_plan(plan), load_profile()).document
    if fmt in ("docx", "pdf"):  # the 责任分工表 prints the title whole
        assert document.title_lines  # type: ignore[union-attr]


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[0] == "--stack":
        exec(STACK)  # noqa: S102 - the benchmark's own constant
        arguments = arguments[1:]
    elif arguments[0] == "--read":
        read_plan(Path(arguments[1]), arguments[2])
        arguments = arguments[2:]
    fmt, data_file, out = arguments[:3]
    BARE[fmt](json.loads(Path(data_file).read_text(encoding="utf-8")), Path(out))
