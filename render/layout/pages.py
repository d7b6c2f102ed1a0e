"""Boxes → pages: every box lands on a grid line; keep-with-next, page breaks, the 版记 at
the foot of an even last page, and page numbers.

The flow position (`cursor`) counts grid lines from the 版心 top. Rules and absolutely
placed blocks never move it, so the grid cannot drift. A floating image that does not fit
waits (with its caption) for the next page while the text after it fills this one.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Literal

import msgspec.structs
from msgspec import Struct, field

from render.layout.boxes import Box, BoxRule, build_boxes
from render.layout.geometry import PageGeometry
from render.layout.linebreak import Measure, Metrics, shared_metrics
from render.layout.model import (
    SIGNATURE_TAG,
    TITLE_TAG,
    Block,
    LayoutError,
    Page,
    Paragraph,
    PlacedImage,
    PlacedItem,
    PlacedRule,
    PlacedText,
    Signature,
)

_EPS = 1e-6
# How a page came to be: only a page the flow spilled onto drops leading blank lines;
# "blank" and "foot" (版记 only) pages carry no page number.
PageKind = Literal["first", "overflow", "break", "blank", "foot"]
PAGE_NUMBER_TAG = "page_number"


class _PageBuffer(Struct):
    kind: PageKind
    items: list[PlacedItem] = field(default_factory=list)


class _Paginator:
    def __init__(self, geometry: PageGeometry) -> None:
        self.g = geometry
        self.pages: list[_PageBuffer] = []
        self.cursor = 0.0
        self.last_baseline = 0.0
        self.deferred: list[list[Box]] = []  # floating groups waiting for the next page
        self.shrunk: dict[int, float] = {}  # box index → blank lines it gives up
        self.carried_signature = False  # a keep chain with the 署名 went over to a new page
        self._new_page("first")

    # -- state --

    @property
    def page(self) -> _PageBuffer:
        return self.pages[-1]

    def _new_page(self, kind: PageKind) -> None:
        self.pages.append(_PageBuffer(kind))
        self.cursor = 0.0
        self.last_baseline = self.g.grid_baseline(-1)

    def _page_used(self) -> bool:
        return bool(self.page.items) or self.cursor > _EPS

    def _fits(self, height: float) -> bool:
        # A box taller than a page still goes on an empty page rather than looping.
        return self.cursor + height <= self.g.lines + _EPS or self.cursor < _EPS

    # -- the body flow --

    def flow(self, boxes: Sequence[Box]) -> None:
        skip_to = 0
        for index, box in enumerate(boxes):
            if index < skip_to:
                continue  # the rest of a floating group, placed or deferred as a whole
            if box.float_id is not None:
                skip_to = self._float(boxes, index)
                continue
            if box.absolute_top is not None:
                self._place_absolute(box)
                continue
            if index in self.shrunk:
                box = msgspec.structs.replace(box, height=box.height - self.shrunk[index], spare=0)
                if box.height <= _EPS:
                    continue
            if box.break_before and self._page_used():
                self._next_page("break")
            if box.keep_with_next and not (index and boxes[index - 1].keep_with_next):
                self._keep_chain_together(boxes, index)
            if not self._fits(box.height):
                if box.discardable:  # blank lines at the page end: the page is full
                    self.cursor = float(self.g.lines)
                    continue
                self._next_page("overflow")
            if box.discardable and self.cursor < _EPS and self.page.kind == "overflow":
                continue
            self._place(box)
        if self.deferred:  # floats still waiting after the last text
            self._next_page("overflow")

    def _next_page(self, kind: PageKind) -> None:
        """A new page in the flow; floats waiting for it go first, at its top."""
        self._new_page(kind)
        waiting, self.deferred = self.deferred, []
        for group in waiting:
            for box in group:
                self._place(box)

    def _float(self, boxes: Sequence[Box], start: int) -> int:
        """Place the floating group at `start` here if it fits, else defer it to the next
        page (behind any group already waiting, so images keep their order). Returns the
        index after the group."""
        end = start
        while end < len(boxes) and boxes[end].float_id == boxes[start].float_id:
            end += 1
        group = list(boxes[start:end])
        if self.deferred or not self._fits(sum(box.height for box in group)):
            self.deferred.append(group)
        else:
            for box in group:
                self._place(box)
        return end

    def _keep_chain_together(self, boxes: Sequence[Box], start: int) -> None:
        """Start a new page if the chain of keep-with-next boxes and the first line after
        it do not fit here but do fit on a page (a heading is never last on a page)."""
        need, j = 0.0, start
        while j < len(boxes) and (boxes[j].keep_with_next or boxes[j].glue) and (
                j == start or not boxes[j].break_before) and boxes[j].absolute_top is None:
            need += boxes[j].height
            j += 1
        if j < len(boxes) and not boxes[j].break_before and boxes[j].absolute_top is None:
            need += boxes[j].height
        if self.page.kind == "first" and any(text.tag == TITLE_TAG for text in boxes[start].texts):
            return  # a long title keeps its place under the 版头; what follows it flows on
        if self.cursor > _EPS and self.cursor + need > self.g.lines + _EPS \
                and need <= self.g.lines + _EPS:
            spare = [(k, boxes[k].spare) for k in range(start, j) if boxes[k].spare > 0]
            if self.cursor + need - sum(lines for _, lines in spare) <= self.g.lines + _EPS:
                self.shrunk.update(spare)  # the chain stays: its blank lines give way
                return
            self.carried_signature |= any(text.tag and text.tag.startswith(SIGNATURE_TAG)
                                          for box in boxes[start:j] for text in box.texts)
            self._next_page("overflow")

    # -- placing --

    def _place(self, box: Box) -> None:
        top = self.g.line_top(self.cursor)
        self._emit(box, top)
        self.cursor += box.height
        if box.snap_after:
            self.cursor = float(math.ceil(self.cursor - _EPS))
        if box.baseline_dy is not None:
            self.last_baseline = top + box.baseline_dy
        elif box.height > 0:  # blank lines: the next rule measures from the last blank line
            self.last_baseline = self.g.grid_baseline(math.ceil(self.cursor - _EPS) - 1)

    def _place_absolute(self, box: Box) -> None:
        assert box.absolute_top is not None
        top = self.g.text_top + box.absolute_top
        self._emit(box, top)
        if box.resume_line > self.cursor:
            self.cursor = float(box.resume_line)
            if box.baseline_dy is not None:
                self.last_baseline = top + box.baseline_dy

    def _emit(self, box: Box, top: float) -> None:
        items = self.page.items
        for rule in box.rules:
            items.append(PlacedRule(rule.x1, rule.x2, self._rule_y(rule, top),
                                    rule.thickness, rule.color))
        for t in box.texts:
            items.append(PlacedText(t.x, top + t.dy, t.text, t.style, t.spacing, t.tag))
        for image in box.images:
            items.append(PlacedImage(image.x, top + image.dy, image.width, image.height,
                                     image.path))

    def _rule_y(self, rule: BoxRule, top: float) -> float:
        if rule.anchor == "baseline":
            return self.last_baseline + rule.offset
        if rule.anchor == "grid":
            return self.g.line_top(math.ceil(self.cursor - _EPS)) + rule.offset
        return top + rule.offset

    # -- the 版记 --

    def place_foot(self, boxes: Sequence[Box], even_page: bool = True) -> None:
        """Bottom-align the foot group on the last page, which must be even: on this page if
        it is even and the group fits under the body, else on the next even page (a blank
        page first when the next page would be odd). Without `even_page`, any page will do."""
        height = sum(box.height for box in boxes)
        if height > self.g.lines + _EPS:
            raise LayoutError(f"版记占 {height:g} 行，一页（{self.g.lines} 行）排不下。")
        start = float(math.floor(self.g.lines - height + _EPS))
        if not self._page_used():
            self.page.kind = "blank"
        index = len(self.pages)
        fits = self.page.kind != "blank" and self.cursor <= start + _EPS
        if not even_page:
            if self.page.kind == "blank":
                self.page.kind = "foot"  # nothing on this page yet: the group goes here
            elif not fits:
                self._new_page("foot")
        elif not (fits and index % 2 == 0):
            if index % 2 == 0:
                self._new_page("blank")
            self._new_page("foot")
        self.cursor = start
        self.last_baseline = self.g.grid_baseline(int(start) - 1)
        for box in boxes:
            self._place(box)

    # -- output --

    def finish(self, metrics: Metrics, first_page_numbered: bool) -> list[Page]:
        pages: list[Page] = []
        for index, buffer in enumerate(self.pages, start=1):
            numbered = buffer.kind not in ("blank", "foot") and (
                index > 1 or first_page_numbered)
            items = list(buffer.items)
            if numbered:
                items.append(page_number_text(index, self.g, metrics))
            pages.append(Page(index, index if numbered else None, tuple(items)))
        return pages


def page_number_text(number: int, geometry: PageGeometry, metrics: Metrics) -> PlacedText:
    """`— N —` 7 mm under the 版心: odd pages right, even pages left, one character in.
    "7 mm" is taken to the dashes, which sit at the middle of the em box."""
    style = geometry.page_number_style
    text = f"{geometry.page_number_dash} {number} {geometry.page_number_dash}"
    width = metrics.width(text, style)
    indent = geometry.page_number_indent_chars * style.size_pt * style.scale_x
    baseline = geometry.text_bottom + geometry.page_number_gap_pt + (
        geometry.em_ascent - 0.5) * style.size_pt
    x = geometry.text_right - indent - width if number % 2 else geometry.text_left + indent
    return PlacedText(x, baseline, text, style, 0.0, PAGE_NUMBER_TAG)


def layout_document(blocks: Sequence[Block], geometry: PageGeometry, measure: Measure, *,
                    first_page_numbered: bool = True, measure_key: Hashable | None = None) -> list[Page]:
    """Lay the blocks out on pages. `measure(text, style)` returns the natural advance of
    `text` in points at `style.size_pt`, ignoring `style.scale_x`. Set
    `first_page_numbered=False` for 信函格式 (no number on the first page). A `measure_key`
    naming what `measure` depends on (its fonts) lets later documents in the process reuse
    what this one measured and broke (linebreak.shared_metrics)."""
    metrics = (Metrics(measure, geometry) if measure_key is None
               else shared_metrics((measure_key, geometry), measure, geometry))
    paginator = _paginate(blocks, geometry, metrics)
    if paginator.carried_signature:
        # GB/T 9704 7.3.5.1: before the end of the text goes over with the 署名, the line
        # pitch of the last paragraphs tightens, one more paragraph at a time.
        for tightened in _tightenings(blocks):
            trial = _paginate(tightened, geometry, metrics)
            if _signature_page(trial) < _signature_page(paginator):
                paginator = trial
                break
    return paginator.finish(metrics, first_page_numbered)


def _paginate(blocks: Sequence[Block], geometry: PageGeometry, metrics: Metrics) -> _Paginator:
    document = build_boxes(blocks, geometry, metrics)
    paginator = _Paginator(geometry)
    paginator.flow(document.body)
    if document.foot is not None:
        paginator.place_foot(document.foot, document.foot_even_page)
    return paginator


def _tightenings(blocks: Sequence[Block]) -> list[list[Block]]:
    """The blocks with the last 1, 2, … tightenable paragraphs before the 署名 tightened."""
    end = next((i for i, block in enumerate(blocks) if isinstance(block, Signature)), 0)
    candidates = [i for i in range(end) if isinstance(blocks[i], Paragraph)
                  and blocks[i].tight_pitch_lines < 1.0]  # type: ignore[union-attr]
    trials = []
    for count in range(1, len(candidates) + 1):
        trial = list(blocks)
        for i in candidates[-count:]:
            paragraph = blocks[i]
            assert isinstance(paragraph, Paragraph)
            trial[i] = msgspec.structs.replace(paragraph, line_pitch_lines=paragraph.tight_pitch_lines)
        trials.append(trial)
    return trials


def _signature_page(paginator: _Paginator) -> int:
    return next((number for number, page in enumerate(paginator.pages) for item in page.items
                 if isinstance(item, PlacedText) and item.tag and item.tag.startswith(SIGNATURE_TAG)),
                len(paginator.pages))
