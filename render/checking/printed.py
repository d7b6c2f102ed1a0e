"""A PDF's printed pages as the checker measures them: text lines by baseline, horizontal
rules, pictures. pdfplumber reads the file; everything here is in points from the page's
top-left corner.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from msgspec import Struct

# Characters whose baselines lie within this many points share a line: CJK fonts of one
# line sit up to ~2 pt apart in LibreOffice (黑体 and 仿宋 on one grid line); grid lines are
# ~29 pt apart, the rows of a joint 标志 18 pt.
_SAME_LINE_PT = 3.0
_RULE_MAX_THICKNESS_PT = 3.0
_RULE_MIN_LENGTH_PT = 20.0


class UnreadableError(ValueError):
    """The file cannot be measured: broken, not a PDF, or pages without text (a scan)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class Glyph(Struct, frozen=True):
    text: str
    x0: float
    x1: float
    size: float
    font: str
    color: str | None  # RRGGBB of the fill, None when the PDF does not say


class Line(Struct, frozen=True):
    page: int  # 1-based
    baseline: float
    glyphs: tuple[Glyph, ...]

    @property
    def text(self) -> str:
        return "".join(glyph.text for glyph in self.glyphs)

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return self.glyphs[-1].x1

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def size(self) -> float:
        """The size most of the line's characters have."""
        return Counter(round(glyph.size, 1) for glyph in self.glyphs).most_common(1)[0][0]

    @property
    def font(self) -> str:
        return Counter(glyph.font for glyph in self.glyphs).most_common(1)[0][0]

    @property
    def colors(self) -> set[str | None]:
        return {glyph.color for glyph in self.glyphs}


class Rule(Struct, frozen=True):
    page: int
    top: float
    x0: float
    x1: float
    thickness: float
    color: str | None

    @property
    def length(self) -> float:
        return self.x1 - self.x0


class Picture(Struct, frozen=True):
    page: int
    x0: float
    top: float
    x1: float
    bottom: float


class PrintedPage(Struct, frozen=True):
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    rules: tuple[Rule, ...]
    pictures: tuple[Picture, ...]


class PrintedDocument(Struct, frozen=True):
    path: Path
    pages: tuple[PrintedPage, ...]

    def lines(self) -> list[Line]:
        return [line for page in self.pages for line in page.lines]


def hex_color(color: Any) -> str | None:
    """pdfplumber's colour (gray, RGB or CMYK components 0–1) as RRGGBB."""
    if not isinstance(color, (tuple, list)) or not color:
        return None
    try:
        parts = [float(part) for part in color]
    except (TypeError, ValueError):
        return None  # a pattern colour
    if len(parts) == 1:
        rgb = parts * 3
    elif len(parts) == 3:
        rgb = parts
    elif len(parts) == 4:
        c, m, y, k = parts
        rgb = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    else:
        return None
    return "".join(f"{round(max(0.0, min(1.0, part)) * 255):02X}" for part in rgb)


def color_distance(a: str | None, b: str) -> float:
    """Euclidean RGB distance (0–441); an unknown colour counts as black."""
    first = bytes.fromhex(a or "000000")
    second = bytes.fromhex(b)
    return float(sum((x - y) ** 2 for x, y in zip(first, second)) ** 0.5)


def _glyph(char: dict[str, Any], page_height: float) -> tuple[float, Glyph]:
    matrix = char.get("matrix")
    baseline = page_height - float(matrix[5]) if matrix else float(char["bottom"])
    return baseline, Glyph(char["text"], float(char["x0"]), float(char["x1"]), float(char["size"]),
                           str(char.get("fontname", "")).split("+")[-1], hex_color(char.get("non_stroking_color")))


def _lines(number: int, chars: list[dict[str, Any]], page_height: float) -> tuple[Line, ...]:
    # Characters under 1 pt are no reader's text (hidden markers, broken size entries).
    placed = sorted((_glyph(char, page_height) for char in chars
                     if char["text"].strip() and float(char.get("size") or 0) >= 1), key=lambda item: item[0])
    rows: list[list[tuple[float, Glyph]]] = []
    for baseline, glyph in placed:
        if rows and baseline - rows[-1][0][0] <= _SAME_LINE_PT:
            rows[-1].append((baseline, glyph))
        else:
            rows.append([(baseline, glyph)])
    lines = []
    for row in rows:
        baseline = Counter(round(b, 1) for b, _ in row).most_common(1)[0][0]
        lines.append(Line(number, baseline, tuple(sorted((g for _, g in row), key=lambda g: g.x0))))
    return tuple(lines)


def _rules(number: int, page: Any) -> tuple[Rule, ...]:
    found: dict[tuple[float, float, float], Rule] = {}

    def add(top: float, x0: float, x1: float, thickness: float, color: Any) -> None:
        if x1 - x0 < _RULE_MIN_LENGTH_PT or thickness > _RULE_MAX_THICKNESS_PT:
            return
        rule = Rule(number, top, x0, x1, thickness, hex_color(color))
        # LibreOffice draws each border twice: one rule per place.
        found.setdefault((round(top, 0), round(x0, 0), round(x1, 0)), rule)

    for line in list(page.lines) + list(page.curves):
        if abs(float(line["bottom"]) - float(line["top"])) < 1:
            middle = (float(line["top"]) + float(line["bottom"])) / 2
            add(middle, float(line["x0"]), float(line["x1"]), float(line.get("linewidth") or 0),
                line.get("stroking_color"))
    for rect in page.rects:
        height = float(rect["bottom"]) - float(rect["top"])
        if height <= _RULE_MAX_THICKNESS_PT:
            color = rect.get("non_stroking_color") if rect.get("fill") else rect.get("stroking_color")
            add((float(rect["top"]) + float(rect["bottom"])) / 2, float(rect["x0"]), float(rect["x1"]),
                max(height, float(rect.get("linewidth") or 0) if not rect.get("fill") else height), color)
    return tuple(sorted(found.values(), key=lambda rule: rule.top))


def read_pdf(path: Path) -> PrintedDocument:
    """Measure every page of `path`; UnreadableError when there is nothing to measure."""
    import pdfplumber

    pages = []
    try:
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                height = float(page.height)
                pictures = tuple(Picture(number, float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"]))
                                 for i in page.images)
                pages.append(PrintedPage(number, float(page.width), height, _lines(number, page.chars, height),
                                         _rules(number, page), pictures))
    except Exception as error:  # noqa: BLE001 - a broken or encrypted PDF raises anything from pdfminer's parser
        raise UnreadableError(f"无法读取：文件已损坏、加密或不是 PDF（{type(error).__name__}）") from None
    if not pages:
        raise UnreadableError("无法读取：PDF 没有页面")
    if not any(page.lines for page in pages):
        raise UnreadableError("无法检查：PDF 中没有可提取的文字（可能是扫描件或图片），请提供原始的 Word 或 PDF 文件")
    return PrintedDocument(path, tuple(pages))
