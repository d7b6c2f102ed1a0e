"""Blocks → boxes: each block becomes a vertical run of boxes, one per text line (or image,
spacer, rule), with everything inside a box positioned relative to the box's top edge.

Horizontal layout is finished here (it does not depend on the page: the 订口 is on the
left of every page); pagination only decides which page and which grid line a box lands on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import msgspec.structs
from msgspec import Struct, field

from render.layout.geometry import PageGeometry
from render.layout.linebreak import (
    Line,
    Metrics,
    break_paragraph,
    fits_one_line,
    set_line,
    split_line_runs,
)
from render.layout.model import (
    AbsoluteBlock,
    Block,
    FootBlock,
    ImageBlock,
    LayoutError,
    Paragraph,
    Rule,
    Run,
    Signature,
    Spacer,
    SplitLine,
    StackedMark,
    TextStyle,
)
from render.layout.signature import column_count, sealed_grid
from render.measure import MM

_EPS = 1e-6
BoxAnchor = Literal["baseline", "grid", "box"]  # "box": from the box's own top edge


class BoxText(Struct, frozen=True):
    x: float  # from the page's left edge
    dy: float  # baseline below the box top
    text: str
    style: TextStyle
    spacing: float
    tag: str | None


class BoxRule(Struct, frozen=True):
    x1: float
    x2: float
    offset: float  # below the anchor
    thickness: float
    color: str
    anchor: BoxAnchor


class BoxImage(Struct, frozen=True):
    x: float
    dy: float
    width: float
    height: float
    path: str


class Box(Struct, frozen=True):
    height: float = 0.0  # in grid lines; fractional for lines of pitch 1.5 etc.
    texts: tuple[BoxText, ...] = ()
    rules: tuple[BoxRule, ...] = ()
    images: tuple[BoxImage, ...] = ()
    baseline_dy: float | None = None  # a text line: where its baseline is
    keep_with_next: bool = False
    break_before: bool = False
    discardable: bool = False  # blank lines: dropped at the top of a spilled-onto page
    snap_after: bool = True  # after the box the flow returns to a whole grid line
    absolute_top: float | None = None  # pt below the 版心 top; outside the flow
    resume_line: int = 0  # absolute boxes: the flow continues at or below this line
    float_id: int | None = None  # the boxes of one floating image (image and caption)
    spare: float = 0  # blank lines: how many may be given up to keep a chain on its page

    @property
    def glue(self) -> bool:
        """Boxes that do not end a keep-with-next chain (blank lines, rules)."""
        return self.discardable or (self.height == 0 and not self.texts)


class BoxedDocument(Struct):
    body: list[Box] = field(default_factory=list)
    foot: list[Box] | None = None
    foot_even_page: bool = True


class _Boxer:
    def __init__(self, geometry: PageGeometry, metrics: Metrics) -> None:
        self.g = geometry
        self.m = metrics
        self.floats = 0  # floating images seen so far: each group gets its own id

    # -- text lines --

    def line_box(self, line: Line, size: float, pitch: float, tag: str | None, *,
                 keep_with_next: bool = False, snap_after: bool = True) -> Box:
        """A text line `pitch` grid lines tall, its em box centred in them."""
        dy = self.g.baseline_offset(size, pitch)
        texts = tuple(BoxText(self.g.text_left + s.x, dy, s.text, s.style, s.char_spacing, tag)
                      for s in line.segments)
        return Box(height=pitch, texts=texts, baseline_dy=dy, keep_with_next=keep_with_next,
                   snap_after=snap_after)

    def _single_line(self, line: Line, runs: Sequence[Run], tag: str, *,
                     keep_with_next: bool = False) -> Box:
        size = self._size(runs)
        return self.line_box(line, size, self.g.pitch_lines_for(size, 1.0), tag,
                             keep_with_next=keep_with_next)

    def _size(self, runs: Sequence[Run]) -> float:
        return max((run.style.size_pt for run in runs), default=self.g.body_size_pt)

    def paragraph(self, p: Paragraph) -> list[Box]:
        size = self._size(p.runs)
        pitch = self.g.pitch_lines_for(size, p.line_pitch_lines)
        lines = break_paragraph(p, self.g, self.m)
        boxes: list[Box] = []
        if p.space_before_lines:
            boxes.append(Box(height=p.space_before_lines, discardable=True))
        together = p.together_lines
        for number, line in enumerate(lines):
            last = number == len(lines) - 1
            # Widow and orphan control rides on keep-with-next: the first lines keep with the
            # line after them, and so do the lines before the last ones.
            held = not last and (number < together - 1 or number >= len(lines) - together)
            # A tightened paragraph leaves the grid: snapping back would undo the tightening.
            boxes.append(self.line_box(line, size, pitch, p.tag,
                                       keep_with_next=p.keep_with_next or held,
                                       snap_after=last and pitch >= 1.0))
        if p.page_break_before:
            boxes[0] = _with(boxes[0], break_before=True)
        return boxes

    def split_line(self, s: SplitLine) -> list[Box]:
        """Both sides on one line when they fit with a character between them (by the rule
        the Word writer's table cell follows, layout/fit.py); else the right side on a line
        of its own, still flush right."""
        runs = s.left + s.right
        size = self._size(runs)
        unit = self.m.char_unit(runs[0].style) if runs else self.g.char_pitch_pt
        left = set_line(s.left, self.m).shifted(s.left_indent_chars * unit)
        right = set_line(s.right, self.m)
        right = right.shifted(self.g.text_width - s.right_indent_chars * unit - right.right)
        pitch = self.g.pitch_lines_for(size, s.line_pitch_lines)
        room = self.g.text_width - (s.left_indent_chars + s.right_indent_chars) * unit
        if not s.right or fits_one_line(split_line_runs(s.left, s.right), room, self.m):
            both = Line(left.segments + right.segments, right.right)
            return [self.line_box(both, size, pitch, s.tag, keep_with_next=s.keep_with_next)]
        return [self.line_box(left, size, pitch, s.tag, keep_with_next=True),
                self.line_box(right, size, pitch, s.tag, keep_with_next=s.keep_with_next)]

    def signature(self, s: Signature) -> list[Box]:
        names = [set_line(name, self.m) for name in s.names]
        date = set_line(s.date, self.m)
        first_style = (s.date or (s.names[0] if s.names else ()))
        unit = self.m.char_unit(first_style[0].style) if first_style else self.g.char_pitch_pt
        edge = self.g.text_width - s.right_indent_chars * unit  # right edge of the block
        names_width = max((name.right for name in names), default=0.0)
        if s.sealed and s.columns > 1 and len(names) > 1:
            return self._sealed_columns(s, date, edge - date.right, unit)
        if s.sealed:  # date right-indented, each name centred on the date (kept in the 版心)
            date_x = edge - date.right
            name_xs = [_within(date_x + (date.right - name.right) / 2, name.right, self.g.text_width)
                       for name in names]
        elif date.right > names_width:  # long date: it takes the indent, names move left
            date_x = edge - date.right
            name_xs = [max(0.0, date_x - s.date_shift_chars * unit)] * len(names)
        else:
            names_x = max(0.0, edge - names_width)
            name_xs = [names_x] * len(names)
            date_x = names_x + s.date_shift_chars * unit
        boxes = [self._single_line(name.shifted(x), runs, f"{s.tag}.name", keep_with_next=True)
                 for name, x, runs in zip(names, name_xs, s.names)]
        boxes.append(self._single_line(date.shifted(date_x), s.date, f"{s.tag}.date"))
        return boxes

    def _sealed_columns(self, s: Signature, date: Line, date_x: float, unit: float) -> list[Box]:
        """Joint sealed 署名 (signature.sealed_grid): equal columns of the 版心, each name
        centred in its column and wrapped inside it; the 成文日期 under the last row."""
        columns = column_count(len(s.names), s.columns)
        width = self.g.text_width / columns
        texts = ["".join(run.text for run in runs) for runs in s.names]
        styles = [runs[0].style for runs in s.names]
        grid = sealed_grid(texts, s.columns, self.g.text_width / unit, s.column_gap_chars)
        boxes: list[Box] = []
        index = 0
        for row in grid:
            row_styles = styles[index:index + len(row)]
            index += len(row)
            for line_no in range(max(len(cell.lines) for cell in row)):
                placed = [set_line((Run(cell.lines[line_no], style),), self.m)
                          for cell, style in zip(row, row_styles) if line_no < len(cell.lines)]
                centres = [(cell.column + 0.5) * width for cell in row if line_no < len(cell.lines)]
                shifted = [line.shifted(centre - line.right / 2) for line, centre in zip(placed, centres)]
                line = Line(tuple(seg for part in shifted for seg in part.segments), shifted[-1].right)
                size = max(style.size_pt for style in row_styles)
                boxes.append(self.line_box(line, size, self.g.pitch_lines_for(size, 1.0),
                                           f"{s.tag}.name", keep_with_next=True))
        boxes.append(self._single_line(date.shifted(date_x), s.date, f"{s.tag}.date"))
        return boxes

    # -- other blocks --

    def rule(self, r: Rule, anchor: BoxAnchor | None = None, height: float | None = None) -> Box:
        width = self.g.text_width if r.width_mm is None else r.width_mm * MM
        x1 = self.g.text_left + (self.g.text_width - width) / 2
        rule = BoxRule(x1, x1 + width, r.offset_mm * MM, r.thickness_mm * MM, r.color,
                       anchor or r.anchor)
        return Box(height=r.space_lines if height is None else height, rules=(rule,))

    def image(self, block: ImageBlock) -> list[Box]:
        g = self.g
        scale = min(1.0, g.text_width / block.width_pt, g.text_height / block.height_pt)
        width, height = block.width_pt * scale, block.height_pt * scale
        lines = max(1, math.ceil(height / g.line_pitch_pt - _EPS))
        image = BoxImage(g.text_left + (g.text_width - width) / 2,
                         (lines * g.line_pitch_pt - height) / 2, width, height, block.path)
        boxes = [Box(height=lines, images=(image,), keep_with_next=block.caption is not None)]
        if block.caption is not None:
            boxes.extend(self.paragraph(block.caption))
        if block.floating:
            self.floats += 1
            boxes = [_with(box, float_id=self.floats) for box in boxes]
        return boxes

    def absolute(self, block: AbsoluteBlock) -> Box:
        top = block.top_mm * MM
        if isinstance(block.content, Rule):
            return _with(self.rule(block.content, anchor="box", height=0), absolute_top=top)
        p = block.content
        size = self._size(p.runs)
        step = self.g.pitch_lines_for(size, p.line_pitch_lines) * self.g.line_pitch_pt
        ascent = self.g.em_ascent * size
        texts: list[BoxText] = []
        lines = break_paragraph(p, self.g, self.m)
        for number, line in enumerate(lines):
            texts.extend(BoxText(self.g.text_left + s.x, number * step + ascent, s.text,
                                 s.style, s.char_spacing, p.tag) for s in line.segments)
        bottom = top + (len(lines) - 1) * step + size  # the last line's em-box bottom
        resume = math.ceil(bottom / self.g.line_pitch_pt - _EPS) if block.advance_flow else 0
        return Box(texts=tuple(texts), baseline_dy=(len(lines) - 1) * step + ascent,
                   absolute_top=top, resume_line=max(resume, 0))

    def stacked_mark(self, mark: StackedMark) -> Box:
        """The joint 标志: names spread to the longest, the suffix centred beside the stack."""
        g, m = self.g, self.m
        size = self._size(mark.names)
        widths = [m.width(run.text, run.style) for run in mark.names]
        stack = max(widths, default=0.0)
        gap = mark.suffix_gap_chars * size if mark.suffix is not None else 0.0
        suffix_width = m.width(mark.suffix.text, mark.suffix.style) if mark.suffix else 0.0
        natural = stack + gap + suffix_width
        limit = g.text_width if mark.max_width_mm is None else mark.max_width_mm * MM
        scale = max(mark.min_scale, limit / natural) if natural > limit + _EPS else 1.0
        left = g.text_left + (g.text_width - natural * scale) / 2
        step = mark.line_pitch_em * size
        texts = [BoxText(left, number * step + g.em_ascent * run.style.size_pt, run.text,
                         _scaled(run.style, scale),
                         _spread(stack, width, len(run.text)) * scale, mark.tag)
                 for number, (run, width) in enumerate(zip(mark.names, widths))]
        height = (len(mark.names) - 1) * step + size  # em-box top of the first to bottom of the last
        if mark.suffix is not None:
            suffix_size = mark.suffix.style.size_pt
            baseline = (height - suffix_size) / 2 + g.em_ascent * suffix_size
            texts.append(BoxText(left + (stack + gap) * scale, baseline, mark.suffix.text,
                                 _scaled(mark.suffix.style, scale), 0.0, mark.tag))
        top = mark.top_mm * MM
        resume = math.ceil((top + height) / g.line_pitch_pt - _EPS)
        return Box(texts=tuple(texts), baseline_dy=(len(mark.names) - 1) * step + g.em_ascent * size,
                   absolute_top=top, resume_line=max(resume, 0))

    def block(self, block: Block) -> list[Box]:
        if isinstance(block, Paragraph):
            return self.paragraph(block)
        if isinstance(block, Spacer):
            if block.lines <= 0:
                return []
            spare = block.lines - block.min_lines if block.min_lines is not None else 0
            return [Box(height=block.lines, discardable=True, spare=max(0, spare))]
        if isinstance(block, Rule):
            return [self.rule(block)]
        if isinstance(block, ImageBlock):
            return self.image(block)
        if isinstance(block, SplitLine):
            return self.split_line(block)
        if isinstance(block, Signature):
            return self.signature(block)
        if isinstance(block, AbsoluteBlock):
            return [self.absolute(block)]
        if isinstance(block, StackedMark):
            return [self.stacked_mark(block)]
        raise LayoutError(f"版式引擎不认识这种内容块：{type(block).__name__}")


def _with(box: Box, **changes: object) -> Box:
    return msgspec.structs.replace(box, **changes)  # type: ignore[arg-type]


def _scaled(style: TextStyle, scale: float) -> TextStyle:
    return style if scale == 1.0 else msgspec.structs.replace(style, scale_x=style.scale_x * scale)


def _spread(target: float, width: float, chars: int) -> float:
    """Character spacing that stretches `chars` characters `width` wide to `target`."""
    return (target - width) / (chars - 1) if chars > 1 else 0.0


def build_boxes(blocks: Sequence[Block], geometry: PageGeometry,
                metrics: Metrics) -> BoxedDocument:
    """Turn blocks into boxes; the FootBlock (版记), if any, must come last."""
    boxer = _Boxer(geometry, metrics)
    document = BoxedDocument()
    for index, block in enumerate(blocks):
        if isinstance(block, FootBlock):
            if index != len(blocks) - 1:
                raise LayoutError("版记必须是公文的最后一部分（附件应排在版记之前）。")
            document.foot = [box for inner in block.blocks for box in boxer.block(inner)]
            document.foot_even_page = block.even_page
        else:
            document.body.extend(boxer.block(block))
    return document


def _within(x: float, width: float, limit: float) -> float:
    """`x` moved so that [x, x + width] stays inside [0, limit] (left edge first)."""
    return max(0.0, min(x, limit - width))
