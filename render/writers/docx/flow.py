"""Where the text of a .docx will end: the page and grid line, predicted from what was
written, so the 版记 can be put on an even last page.

A word processor decides pagination only when it opens the file. Every line here has an
exact height and a paragraph breaks by the one rule the PDF layout breaks by too
(render/layout/fit.py: 28 condensed characters, 避头尾, Asian/Western spacing, the places the
writer glued), so the text's last line can be predicted from the paragraphs as written. The prediction only
chooses between "the 版记 on the page the text ends on" and "the 版记 on a page of its own";
the sections written for the second case keep the page even even when it is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from msgspec import Struct, field

from render.layout.linebreak import Measure, Metrics, fit_lines, fit_width
from render.layout.model import Run, TextStyle
from render.text.chars import is_grid_char


class Span(Struct, frozen=True):
    """A run of text as written: its font role, size and horizontal scale (w:w). Body-size
    unscaled runs are condensed; the line rule knows that (layout/fit.py)."""

    text: str
    role: str
    size_pt: float
    scale: float = 1.0   # horizontal scale (w:w) of the 发文机关标志


class FlowParagraph(Struct):
    """A paragraph on the flow: its lines each take `line_twips`."""

    line_twips: int
    width_pt: float          # the line's width less the left and right indents
    first_pt: float          # first-line indent (negative: hanging)
    keep_next: bool = False
    page_break_before: bool = False
    spans: list[Span] = field(default_factory=list)
    lines_override: int | None = None  # a table row or a paragraph whose lines are known
    together_lines: int = 1  # widow/orphan control (Word's widowControl: 2)


class FlowBlock(Struct):
    """Something of a fixed height that cannot be split (a table, a spacer)."""

    height_twips: int
    keep_next: bool = False
    page_break_before: bool = False


FlowItem = FlowParagraph | FlowBlock


class TextEnd(Struct, frozen=True):
    """Where the flow ends: page (1-based) and the twips used on it."""

    page: int
    used_twips: int


class LineBreaker:
    """The lines of a paragraph, by the rule both writers break by (layout/fit.py). The
    writer paginates the same paragraphs several times (the 署名 kept with the text tries
    the flow with blanks removed and lines tightened, then the 版记 is placed): `fit_lines`
    breaks each once, and keeps it for the next document (linebreak.shared_metrics)."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def lines(self, paragraph: FlowParagraph) -> list[str]:
        """The paragraph's lines; a "\\n" in a span is a line break (the 标题's lines)."""
        return fit_lines(_runs(paragraph), paragraph.width_pt - paragraph.first_pt,
                         paragraph.width_pt, self.metrics)

    def width(self, paragraph: FlowParagraph) -> float:
        """Natural width of the paragraph's text on one line (pt)."""
        return fit_width(_runs(paragraph), self.metrics)


def _runs(paragraph: FlowParagraph) -> tuple[Run, ...]:
    return tuple(Run(span.text, TextStyle(span.role, span.size_pt, scale_x=span.scale))
                 for span in paragraph.spans)


class _Unit(Struct, frozen=True):
    """One line (or unsplittable block) of the flow, as the paginator moves it."""

    height: int
    keep_next: bool
    page_break_before: bool


class Paginator:
    """Places flow items on pages of `page_twips` (22 grid lines), by the rules the PDF's
    layout/pages.py follows: a keep-with-next paragraph moves whole with what follows when
    the chain fits on a page; widow and orphan control keeps a paragraph's first and last
    `together_lines` lines to a page."""

    def __init__(self, page_twips: int, breaker: LineBreaker) -> None:
        self.page_twips = page_twips
        self.breaker = breaker

    def end(self, items: Sequence[FlowItem]) -> TextEnd:
        units = [unit for item in items for unit in self._units(item)]
        page, used = 1, 0
        for index, unit in enumerate(units):
            if unit.page_break_before and used:
                page, used = page + 1, 0
            if unit.keep_next and not (index and units[index - 1].keep_next):
                chain = self._chain(units, index)
                if used and used + chain > self.page_twips and chain <= self.page_twips:
                    page, used = page + 1, 0
            if used and used + unit.height > self.page_twips:
                page, used = page + 1, 0
            used += unit.height
        return TextEnd(page, used)

    def _units(self, item: FlowItem) -> list[_Unit]:
        if isinstance(item, FlowBlock):
            return [_Unit(item.height_twips, item.keep_next, item.page_break_before)]
        count = item.lines_override or len(self.breaker.lines(item))
        together = item.together_lines
        # Widow and orphan control rides on keep-with-next, as in layout/boxes.py.
        return [_Unit(item.line_twips,
                      item.keep_next or (number < count - 1 and (number < together - 1 or number >= count - together)),
                      item.page_break_before and number == 0)
                for number in range(count)]

    @staticmethod
    def _chain(units: Sequence[_Unit], start: int) -> int:
        """Height that must stay on one page from `start`: the keep-with-next units and the
        first unit after them."""
        total, cursor = 0, start
        while cursor < len(units) and units[cursor].keep_next and (
                cursor == start or not units[cursor].page_break_before):
            total += units[cursor].height
            cursor += 1
        if cursor < len(units) and not units[cursor].page_break_before:
            total += units[cursor].height
        return total


@lru_cache(maxsize=16)
def font_advances(role_files: tuple[tuple[str, str, int], ...]) -> dict[str, Callable[[str], float | None]]:
    """Per role, a function char → advance in ems from the font file, for the characters
    that are not full width (digits, Latin letters, ASCII punctuation). The advances come
    from the cache keyed by the font's content (render/fonts/metrics.py)."""
    from render.fonts.metrics import Memo, face_advances

    table: dict[str, Callable[[str], float | None]] = {}
    for role, path, index in role_files:
        face = face_advances(Path(path), index)

        def ems(code: int, find: Callable[[int], int | None] = face.advances.find,
                units: int = face.units_per_em) -> float | None:
            found = find(code)
            return None if found is None else found / units

        def advance(ch: str, memo: Memo[float | None] = Memo(ems)) -> float | None:
            return memo[ord(ch)]

        table[role] = advance
    return table


def advances_measure(advances: Mapping[str, Callable[[str], float | None]]) -> Measure:
    """The line breaker's `measure` from `font_advances`: how far text moves the pen before
    tracking, full-width characters one em, others as the role's font file says (half an em
    when no font file is found)."""
    def advance(ch: str, role: str, size_pt: float) -> float:
        if is_grid_char(ch):
            return size_pt
        measure = advances.get(role)
        ems = measure(ch) if measure is not None else None
        return size_pt * (ems if ems is not None else 0.5)

    def measure(text: str, style: TextStyle) -> float:
        return sum(advance(ch, style.font_role, style.size_pt) for ch in text)

    return measure
