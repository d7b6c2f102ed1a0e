"""Typesetting primitives of the Word writer: the profile's numbers in Word units, and
paragraphs and runs formatted by element.

Every paragraph has an exact line height and snapToGrid off, so LibreOffice, Word and WPS
all count the same 22 lines of 28 characters (see shared/spec/word-layout-notes.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cached_property
from typing import Protocol

import msgspec.structs
from docx.text.paragraph import Paragraph
from msgspec import Struct

from render import measure
from render.fonts.resolve import FontError, fonts_key, resolve_fonts
from render.layout.fit import Fit, fit_from_profile, glue, grid_char_space
from render.layout.geometry import geometry_from_profile
from render.layout.linebreak import shared_metrics
from render.measure import MM
from render.ooxml import write as ooxml
from render.profile import Profile
from render.writers.docx.flow import (
    FlowBlock,
    FlowItem,
    FlowParagraph,
    LineBreaker,
    Paginator,
    Span,
    TextEnd,
    advances_measure,
    font_advances,
)

# An element (a `Profile.elements` key) or a whole paragraph on the character grid.
Element = str


class Container(Protocol):
    """Anything python-docx can add paragraphs to: the document, a table cell, a footer."""

    def add_paragraph(self, text: str = "", style: None = None) -> Paragraph: ...


class Metrics(Struct, frozen=True, dict=True):
    """Profile numbers converted once into twips, points and percentages."""

    profile: Profile

    @cached_property
    def line_twips(self) -> int:
        # Rounded down: 22 lines of 580 twips would overflow the 225 mm 版心 by 0.1 mm and
        # every reader would then fit only 21 lines a page.
        return math.floor(measure.mm_twips(self.profile.text_height_mm) / self.profile.grid.lines)

    @cached_property
    def text_width_twips(self) -> int:
        return measure.mm_twips(self.profile.text_width_mm)

    @cached_property
    def text_width_pt(self) -> float:
        return self.profile.text_width_mm * MM

    @cached_property
    def fit(self) -> Fit:
        return fit_from_profile(self.profile)

    @cached_property
    def condense_twips(self) -> int:
        """Character spacing of body runs (negative: condensed) that makes `chars` of them
        fit the line every reader gives: LibreOffice gives a 16 pt ideograph two cells of
        the 15.79 pt grid, so body text is set off the grid, each character advancing by its
        size plus this. Rounded down to whole twips, so the line never overflows."""
        return self.fit.condense_twips

    @cached_property
    def body_size_pt(self) -> float:
        return self.profile.body_size_pt

    @cached_property
    def char_pt(self) -> float:
        """The advance of one body character as laid out: its size less the condensing."""
        return self.fit.char_pt

    @cached_property
    def grid_char_space(self) -> int:
        """w:docGrid charSpace: the grid pitch minus the default (body) size, in 1/4096 pt."""
        return grid_char_space(self.profile)

    @cached_property
    def line_width_pt(self) -> float:
        """Width a line of text gets in LibreOffice (layout/fit.py)."""
        return self.fit.line_width_pt

    def chars(self, count: float) -> int:
        """`count` body characters, in twips (indents are measured in characters)."""
        return self.fit.indent_twips(count)

    def size(self, element: Element) -> float:
        return self.profile.size_pt(self.profile.element(element).size)

    def on_grid(self, element: Element) -> bool:
        """Body-size text is condensed so 28 characters fill the line in every reader."""
        return math.isclose(self.size(element), self.body_size_pt)


class Typesetter:
    """Adds formatted paragraphs and runs; knows nothing about which element goes where.

    Everything added to the page flow is also recorded (`flow`) so where the text ends can
    be predicted (docx_flow)."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.m = Metrics(profile)
        self.flow: list[FlowItem] = []
        self._elements: list[ooxml.XmlElement | None] = []  # the paragraph of each flow item
        self._recorded: dict[int, FlowParagraph] = {}
        files = _font_files(profile)
        geometry = geometry_from_profile(profile)
        # Shared by every document of the process measured with the same fonts and profile.
        self._metrics = shared_metrics(("docx", files, geometry), advances_measure(font_advances(files)), geometry)
        self._breaker = LineBreaker(self._metrics)

    # -- runs --------------------------------------------------------------------------

    def run(self, paragraph: Paragraph, text: str, element: Element, *, scale_pct: int = 100) -> ooxml.XmlElement:
        """Append a run of `text` formatted as `element` (font role, size, colour, weight)."""
        recorded = self._recorded.get(id(ooxml.paragraph_element(paragraph)))
        # Glued where a word processor would break what our rules keep whole (3—5, 避头尾),
        # so it ends lines where the PDF does.
        # Only text on the page flow: a footer's "— 1 —" is one field, never broken.
        glued = glue(text, "".join(span.text for span in recorded.spans[-1:])) if recorded is not None else text
        run = paragraph.add_run(glued)
        self.format_run(ooxml.run_pr(run), element, scale_pct=scale_pct)
        if recorded is not None:
            recorded.spans.append(self._span(text, element, scale_pct))
        return ooxml.run_element(run)

    def width_chars(self, text: str, element: Element) -> float:
        """Width of `text` set as `element`, in body characters (for placing the 署名 and
        date): the advances, tracking and Asian/Western spacing the line breaker uses."""
        paragraph = FlowParagraph(self.m.line_twips, math.inf, 0, spans=[self._span(text, element)])
        return self.breaker().width(paragraph) / self.m.char_pt

    def _span(self, text: str, element: Element, scale_pct: int = 100) -> Span:
        return Span(text, self.profile.element(element).font, self.m.size(element), scale_pct / 100)

    def tracking_twips(self, element: Element, scale_pct: int = 100) -> int:
        """Body-size text is condensed (28 characters to the line); scaled text is not."""
        return self.m.condense_twips if self.m.on_grid(element) and scale_pct == 100 else 0

    def breaker(self) -> LineBreaker:
        return self._breaker

    def text_end(self) -> TextEnd:
        """Where the flow written so far ends, as LibreOffice paginates it."""
        return Paginator(self.profile.grid.lines * self.m.line_twips, self.breaker()).end(self.flow)

    def keep_with_text(self, blank: range, tightenable: Sequence[int], pitch: float) -> None:
        """GB/T 9704 7.3.5.1, as the PDF's layout_document does it: when the 署名 chain goes
        over to a new page, first the `blank` paragraphs (the room above a seal) give way,
        then the last 1, 2, … of the `tightenable` paragraphs (flow indices before `blank`)
        take `pitch` × their line height, with the blank kept if that is enough; only when
        nothing saves the page is the text carried."""
        kept = self.text_end().page
        if blank and self._ends(self._without(self.flow, blank)) < kept:
            self._remove(blank)
            return
        for count in range(1, len(tightenable) + 1):
            chosen = tightenable[-count:]
            tight = self._tightened(chosen, pitch)
            if self._ends(tight) < kept:
                self._apply_tightening(tight, chosen)
                return
            if blank and self._ends(self._without(tight, blank)) < kept:
                self._apply_tightening(tight, chosen)
                self._remove(blank)
                return

    def _ends(self, flow: Sequence[FlowItem]) -> int:
        return Paginator(self.profile.grid.lines * self.m.line_twips, self.breaker()).end(flow).page

    @staticmethod
    def _without(flow: Sequence[FlowItem], blank: range) -> list[FlowItem]:
        return [*flow[:blank.start], *flow[blank.stop:]]

    def _tightened(self, chosen: Sequence[int], pitch: float) -> list[FlowItem]:
        tight = list(self.flow)
        for index in chosen:
            item = tight[index]
            if isinstance(item, FlowParagraph):
                tight[index] = msgspec.structs.replace(item, line_twips=math.floor(self.m.line_twips * pitch))
        return tight

    def _apply_tightening(self, tight: Sequence[FlowItem], chosen: Sequence[int]) -> None:
        for index in chosen:
            item, element = tight[index], self._elements[index]
            assert isinstance(item, FlowParagraph) and element is not None
            self.flow[index] = item
            ooxml.set_exact_line(ooxml.ppr(element), item.line_twips)

    def _remove(self, blank: range) -> None:
        for element in self._elements[blank.start:blank.stop]:
            if element is not None:
                ooxml.remove_element(element)
        del self.flow[blank.start:blank.stop], self._elements[blank.start:blank.stop]

    def record_block(self, height_twips: int, *, keep_next: bool = False) -> None:
        """A table or other unsplittable block added to the flow outside `paragraph()`."""
        self.flow.append(FlowBlock(height_twips, keep_next=keep_next))
        self._elements.append(None)

    def format_run(self, rpr: ooxml.XmlElement, element: Element, *, scale_pct: int = 100) -> None:
        style = self.profile.element(element)
        color = self.profile.color(style.color)
        ooxml.set_run_format(
            rpr,
            family=self.profile.fonts[style.font],
            size_pt=self.m.size(element),
            color=None if color == self.profile.color("black") else color,
            bold=style.bold,
            spacing_twips=self.tracking_twips(element, scale_pct),
            scale_pct=scale_pct,
        )

    def line_break(self, paragraph: Paragraph) -> None:
        ooxml.append_line_break(ooxml.paragraph_element(paragraph))
        recorded = self._recorded.get(id(ooxml.paragraph_element(paragraph)))
        if recorded is not None and recorded.spans:
            last = recorded.spans[-1]
            recorded.spans.append(Span("\n", last.role, last.size_pt))

    # -- paragraphs --------------------------------------------------------------------

    def paragraph(self, container: Container, element: Element = "body", *, align: str = "both",
                  first_chars: float = 0, left_chars: float = 0, right_chars: float = 0,
                  height_twips: int | None = None, keep_next: bool = False,
                  page_break_before: bool = False, together_lines: int = 1) -> Paragraph:
        """An empty paragraph on the grid (one line pitch unless `height_twips`), formatted so
        that text typed into it later looks like `element`. `together_lines` 2 is widow and
        orphan control (Word's holds two lines)."""
        paragraph = container.add_paragraph()
        ppr = ooxml.paragraph_pr(paragraph)
        line = height_twips if height_twips is not None else self.m.line_twips
        first, left, right = self.m.chars(first_chars), self.m.chars(left_chars), self.m.chars(right_chars)
        ooxml.set_paragraph_format(ppr, line_twips=line, align=align, first_line_twips=first, left_twips=left,
                                   right_twips=right, keep_next=keep_next, page_break_before=page_break_before,
                                   widow_control=together_lines > 1)
        # The paragraph mark carries the element's format too: an empty line then has the
        # element's height in Word, and Enter continues in the same font.
        self.format_run(ooxml.set_child(ppr, "rPr", ooxml.PPR_ORDER), element)
        recorded = FlowParagraph(line, self.m.line_width_pt - (left + right) / measure.TWIPS_PER_PT,
                                 first / measure.TWIPS_PER_PT, keep_next=keep_next,
                                 page_break_before=page_break_before,
                                 together_lines=2 if together_lines > 1 else 1)
        self.flow.append(recorded)
        self._elements.append(ooxml.paragraph_element(paragraph))
        self._recorded[id(ooxml.paragraph_element(paragraph))] = recorded
        return paragraph

    def lines_of_last(self) -> int:
        """How many lines the last paragraph written takes, as a word processor breaks it."""
        last = self.flow[-1]
        return len(self.breaker().lines(last)) if isinstance(last, FlowParagraph) else 1

    def grow_last(self, twips: int) -> None:
        """The last flow item is `twips` taller than its line (a bordered paragraph)."""
        last = self.flow[-1]
        if isinstance(last, FlowParagraph):
            last.line_twips += twips
        else:
            last.height_twips += twips

    def keep_last_with_next(self) -> None:
        """Keep the last recorded paragraph on the page of what comes next."""
        self.flow[-1].keep_next = True
        element = self._elements[-1]
        if element is not None:
            ooxml.set_child(ooxml.ppr(element), "keepNext", ooxml.PPR_ORDER)

    def text(self, container: Container, text: str, element: Element = "body", **options: object) -> Paragraph:
        paragraph = self.paragraph(container, element, **options)  # type: ignore[arg-type]
        self.run(paragraph, text, element)
        return paragraph

    def blank(self, container: Container, lines: int = 1, *, keep_next: bool = False) -> None:
        for _ in range(lines):
            self.paragraph(container, keep_next=keep_next)

    def spacer(self, container: Container, height_twips: int) -> None:
        """An empty paragraph of an exact height (not a whole line): brings the flow back onto
        the grid after something taller or shorter than a line."""
        if height_twips > 0:
            self.paragraph(container, height_twips=height_twips)


def _font_files(profile: Profile) -> tuple[tuple[str, str, int], ...]:
    """The font files this machine's word processor would use; without them (no fonts
    installed) the writer still works, assuming half-width ASCII."""
    try:
        return fonts_key(resolve_fonts({role: path for role, path in profile.font_files.items()}))
    except FontError:
        return ()
