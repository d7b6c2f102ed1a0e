"""Cells of the 责任分工表: styles from the profile, user text that never turns into a formula,
dates as real dates, and row heights that fit wrapped Chinese text."""

from __future__ import annotations

import datetime as dt
import math

from msgspec import Struct
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from render.profile import FontSpec, Profile
from render.text.chars import text_ems

# Shown like 2022年11月4日 (format_cn_date): GB/T 9704 writes no zero padding.
DATE_FORMAT = 'yyyy"年"m"月"d"日"'

# A text starting with one of these is a formula to Excel or LibreOffice once the cell is
# edited or the sheet is exported as CSV (OWASP "CSV injection"); full-width ＝ is not.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

# Excel measures column widths in digits of the workbook's default font. The writer makes
# the body font the default, and CJK fonts draw digits half an em wide: an em (a 汉字 or a
# full-width sign) is then 2 units, a Latin letter or digit 1, in every client.
UNITS_PER_EM = 2.0

Value = str | int | dt.date | None


class Styles(Struct, frozen=True):
    title: Font
    header: Font
    body: Font
    body_pt: float
    line_height: float
    row_padding_pt: float
    cell_padding_units: float
    header_fill: PatternFill
    border: Border
    group_border: Border   # the first row of a unit's group in 按单位

    @classmethod
    def from_profile(cls, profile: Profile) -> Styles:
        spec = profile.xlsx
        thin, medium = Side(style="thin"), Side(style="medium")
        return cls(
            title=_font(profile, spec.title),
            header=_font(profile, spec.header),
            body=_font(profile, spec.body),
            body_pt=profile.size_pt(spec.body.size),
            line_height=spec.line_height,
            row_padding_pt=spec.row_padding,
            cell_padding_units=spec.cell_padding,
            header_fill=PatternFill("solid", fgColor=spec.header_fill),
            border=Border(left=thin, right=thin, top=thin, bottom=thin),
            group_border=Border(left=thin, right=thin, top=medium, bottom=thin),
        )


def cell_style(ws: Worksheet, font: Font, align: Alignment, border: Border) -> str:
    """A named style for this combination, registered once per workbook. Setting font,
    alignment and border cell by cell hashes each style every time (openpyxl's hot spot
    in the profile); one named style per combination is a single lookup per cell. The name
    is built from the style itself so the file stays byte-identical across runs."""
    name = (f"gongwen {font.name} {font.sz:g}{' bold' if font.b else ''} "
            f"{align.horizontal} {border.top.style if border.top else 'none'}")
    book = ws.parent
    if name not in book.style_names:
        book.add_named_style(NamedStyle(name=name, font=font, alignment=align, border=border))
    return name


def _font(profile: Profile, spec: FontSpec) -> Font:
    return Font(name=profile.fonts[spec.font], size=profile.size_pt(spec.size))


def alignment(horizontal: str) -> Alignment:
    return Alignment(horizontal=horizontal, vertical="center", wrap_text=True)


def clean_text(text: str) -> str:
    """Control characters are illegal in sheet XML; a YAML escape could carry one in."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def put_text(cell: Cell, text: str) -> None:
    """User text, kept as text: openpyxl makes any str starting with "=" a formula and
    "#N/A" an error value, so the type is set after the value."""
    text = clean_text(text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_LEADS):
        # Excel's "'" prefix: the cell stays text when someone edits it.
        cell.quotePrefix = True


def put_value(cell: Cell, value: Value) -> None:
    if isinstance(value, str):
        put_text(cell, value)
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = value


def display_text(value: Value) -> str:
    """The text a cell shows, for measuring."""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else str(value)


def text_width_units(text: str) -> float:
    """Width of a line of body text in column units: an em is two (one 汉字 is two digits)."""
    return text_ems(text) * UNITS_PER_EM


def wrapped_lines(text: str, width_units: float, padding_units: float) -> int:
    usable = max(width_units - padding_units, 1.0)
    return sum(_lines_of(line, usable) for line in text.split("\n"))


def _lines_of(line: str, usable: float) -> int:
    # No character is wider than an em: a line that fits at that width needs no measuring.
    if len(line) * UNITS_PER_EM <= usable:
        return 1
    return max(1, math.ceil(text_width_units(line) / usable))


def row_height(values: list[Value], widths: list[float], styles: Styles) -> float:
    """Points for a row whose tallest wrapped cell must show in full.

    openpyxl cannot measure text, and LibreOffice leaves a row without a stored height at
    the default height (one line) instead of fitting it on opening: the height is estimated
    from the text, erring a little on the tall side (line_height) since fonts' leading differs."""
    lines = max((wrapped_lines(display_text(v), w, styles.cell_padding_units) for v, w in zip(values, widths)), default=1)
    return round(lines * styles.body_pt * styles.line_height + styles.row_padding_pt, 1)
