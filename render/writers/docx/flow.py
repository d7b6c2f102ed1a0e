"""Where the text of a .docx will end: the page and grid line, predicted from what was
written, so the 版记 can be put on an even last page.

A word processor decides pagination only when it opens the file. Every line here has an
exact height and a paragraph breaks like LibreOffice breaks it (28 condensed characters,
避头尾 push-out, quotes glued to their neighbours, Asian/Western spacing), so the text's
last line can be predicted from the paragraphs as they were written. The prediction only
chooses between "the 版记 on the page the text ends on" and "the 版记 on a page of its own";
the sections written for the second case keep the page even even when it is wrong.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from render.text.chars import is_grid_char

# 避头尾 as LibreOffice applies it for zh-CN (i18npool localedata zh_CN.xml): characters
# that may not begin a line, and characters that may not end one.
NO_LINE_START = frozenset(
    ":!),.:;?]}¢'\"、。〉》」』】〕〗〞︰︱︳﹐､﹒﹔﹕﹖﹗﹚﹜﹞！），．：；？｜｝︴︶︸︺︼︾﹀﹂﹄﹏～￠々‖•·ˇˉ―-′’”"
)
NO_LINE_END = frozenset("([{£¥'\"‵〈《「『【〔〖（［｛￡￥〝︵︷︹︻︽︿﹁﹃﹙﹛﹝“‘")
# LibreOffice puts this much space (in ems of the text) between a Chinese character and an
# adjacent Latin letter or digit (Asian/Western autospace), measured; it does so even with
# Word's autoSpaceDE/DN off, which the writer sets for Word and WPS.
AUTOSPACE_EM = 0.2

Advance = Callable[[str, str, float], float]  # (char, font role, size pt) → advance in pt


_OTHER, _HAN, _LATIN = 0, 1, 2


@cache
def _script(ch: str) -> int:
    """Han (not punctuation), ASCII letter or digit, or neither: cached per character, as
    the line prediction asks it of every character twice."""
    if is_grid_char(ch) and unicodedata.category(ch) == "Lo":
        return _HAN
    return _LATIN if ch.isascii() and ch.isalnum() else _OTHER


def _autospaced(before: str, after: str) -> bool:
    """Asian/Western autospace: between a Chinese character (not punctuation) and an ASCII
    letter or digit, either way round."""
    return {_script(before), _script(after)} == {_HAN, _LATIN}


@dataclass(frozen=True)
class Span:
    """A run of text as written: its font role, size and tracking (pt per character)."""

    text: str
    role: str
    size_pt: float
    tracking_pt: float = 0.0
    scale: float = 1.0   # horizontal scale (w:w) of the 发文机关标志


@dataclass
class FlowParagraph:
    """A paragraph on the flow: its lines each take `line_twips`."""

    line_twips: int
    width_pt: float          # the 版心 width less the left and right indents
    first_pt: float          # first-line indent (negative: hanging)
    keep_next: bool = False
    page_break_before: bool = False
    spans: list[Span] = field(default_factory=list)
    lines_override: int | None = None  # a table row or a paragraph whose lines are known


@dataclass
class FlowBlock:
    """Something of a fixed height that cannot be split (a table, a spacer)."""

    height_twips: int
    keep_next: bool = False
    page_break_before: bool = False


FlowItem = FlowParagraph | FlowBlock


@dataclass(frozen=True)
class TextEnd:
    """Where the flow ends: page (1-based) and the twips used on it."""

    page: int
    used_twips: int


class LineBreaker:
    """Counts the lines of a paragraph the way LibreOffice breaks it."""

    def __init__(self, advance: Advance) -> None:
        self.advance = advance

    def lines(self, paragraph: FlowParagraph) -> list[str]:
        """The paragraph's lines; a "\\n" in a span is a line break (the 标题's lines)."""
        chars = [(ch, span) for span in paragraph.spans for ch in span.text]
        segments: list[list[tuple[str, Span]]] = [[]]
        for ch, span in chars:
            if ch == "\n":
                segments.append([])
            else:
                segments[-1].append((ch, span))
        lines: list[str] = []
        for segment in segments:
            start = 0
            if not segment:
                lines.append("")
            while start < len(segment):
                width = paragraph.width_pt - (paragraph.first_pt if not lines else 0)
                end = self._fit(segment, start, width)
                lines.append("".join(ch for ch, _ in segment[start:end]))
                start = end
        return lines

    def width(self, paragraph: FlowParagraph) -> float:
        """Natural width of the paragraph's text on one line (pt)."""
        chars = [(ch, span) for span in paragraph.spans for ch in span.text]
        return sum(self._step(chars, index) for index in range(len(chars)))

    def _step(self, chars: Sequence[tuple[str, Span]], index: int) -> float:
        """How far character `index` moves the pen, with the autospace before it."""
        ch, span = chars[index]
        step = self.advance(ch, span.role, span.size_pt) * span.scale + span.tracking_pt
        if index and _autospaced(chars[index - 1][0], ch):
            step += AUTOSPACE_EM * span.size_pt
        return step

    def _fit(self, chars: Sequence[tuple[str, Span]], start: int, width: float) -> int:
        """End (exclusive) of the line starting at `start`: as many characters as fit, then
        back to the last place a line may break."""
        used, end = 0.0, start
        while end < len(chars):
            step = self._step(chars, end) if end > start else self._step(chars[end:end + 1], 0)
            if used + step > width + 0.01:
                break
            used += step
            end += 1
        if end >= len(chars):
            return end
        for cut in range(end, start, -1):
            if may_break(chars[cut - 1][0], chars[cut][0]):
                return cut
        return max(end, start + 1)


def may_break(before: str, after: str) -> bool:
    """Whether a line may end between `before` and `after`."""
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if after.isspace():
        return False
    if before.isspace():
        return True
    if not is_grid_char(before) and not is_grid_char(after):
        # Inside a Latin word or number (and its joiners) there is no break.
        return False
    return True


class Paginator:
    """Places flow items on pages of `page_twips` (22 grid lines)."""

    def __init__(self, page_twips: int, breaker: LineBreaker) -> None:
        self.page_twips = page_twips
        self.breaker = breaker

    def end(self, items: Sequence[FlowItem]) -> TextEnd:
        page, used = 1, 0
        heights = [self._line_heights(item) for item in items]
        for index, item in enumerate(items):
            if item.page_break_before:
                page, used = page + 1, 0
            chain = self._kept_height(items, heights, index)
            if used and used + chain > self.page_twips and chain <= self.page_twips:
                page, used = page + 1, 0
            for height in heights[index]:
                if used + height > self.page_twips:
                    page, used = page + 1, 0
                used += height
        return TextEnd(page, used)

    def _line_heights(self, item: FlowItem) -> list[int]:
        if isinstance(item, FlowBlock):
            return [item.height_twips]
        count = item.lines_override or len(self.breaker.lines(item))
        return [item.line_twips] * count

    def _kept_height(self, items: Sequence[FlowItem], heights: Sequence[list[int]], index: int) -> int:
        """Height that must stay on one page with item `index`: a keep-with-next chain
        (a heading with the first line of what follows) moves as a whole."""
        if not items[index].keep_next:
            return 0
        total = 0
        cursor = index
        while cursor < len(items) and items[cursor].keep_next:
            total += sum(heights[cursor])
            cursor += 1
        if cursor < len(items) and not items[cursor].page_break_before:
            total += heights[cursor][0]
        return total


@lru_cache(maxsize=16)
def font_advances(role_files: tuple[tuple[str, str, int], ...]) -> dict[str, Callable[[str], float | None]]:
    """Per role, a function char → advance in ems from the font file, for the characters
    that are not full width (digits, Latin letters, ASCII punctuation)."""
    from fontTools.ttLib import TTFont

    table: dict[str, Callable[[str], float | None]] = {}
    for role, path, index in role_files:
        font = TTFont(path, fontNumber=index, lazy=True)
        units = font["head"].unitsPerEm
        cmap = font.getBestCmap()
        metrics = font["hmtx"].metrics

        def advance(ch: str, cmap: dict[int, str] = cmap, metrics: dict = metrics, units: int = units) -> float | None:
            glyph = cmap.get(ord(ch))
            return None if glyph is None else metrics[glyph][0] / units

        table[role] = advance
    return table
