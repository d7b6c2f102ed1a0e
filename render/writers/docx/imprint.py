"""The 版记 (抄送, 印发机关 and 印发日期 between thick and thin rules) at the foot of the
last page, which must be even, and the page numbers.

The 版记 is a table positioned on the page (tblpPr) so that its last line is the 版心's last
grid line whatever the text above it does. Where the text ends is predicted
(docx_flow): on an even page with room, the 版记 joins it there; otherwise it gets a page
of its own in a section that starts on an even page, after an explicit blank page when
needed. That section's footers are empty: neither the 版记-only page nor the blank page
carries a page number. The section types (evenPage, oddPage) keep the 版记 page even even
when the prediction misses.
"""

from __future__ import annotations

from enum import Enum

from docx.document import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.section import Section, _Footer
from docx.table import Table
from docx.text.paragraph import Paragraph

from render import measure
from render.document.lower import Imprint
from render.measure import MM
from render.ooxml import write as ooxml
from render.text.chars import text_ems
from render.writers.docx.base import Typesetter
from render.writers.docx.flow import FlowParagraph, Span, TextEnd

IMPRINT = "imprint"
PAGE_NUMBER = "page_number"
CC_LABEL = "抄送："


class Placement(str, Enum):
    WITH_TEXT = "with_text"        # on the even page the text ends on
    OWN_PAGE = "own_page"          # the text ends on an odd page: the next page
    AFTER_BLANK = "after_blank"    # the text ends on a full even page: a blank page, then it


class ImprintWriter:
    def __init__(self, setter: Typesetter) -> None:
        self.t = setter
        self.p = setter.profile
        self.m = setter.m

    # -- the 版记 ----------------------------------------------------------------------------

    def write(self, document: WordDocument, imprint: Imprint, end: TextEnd) -> Placement:
        """The 版记 after text that ends at `end` (the prediction is costly: made once)."""
        rows = self._rows(imprint)
        lines = self._row_lines(rows)
        placement = self.placement(end, sum(lines))
        if placement is not Placement.WITH_TEXT:
            start = WD_SECTION.EVEN_PAGE if placement is Placement.OWN_PAGE else WD_SECTION.ODD_PAGE
            self.blank_footers(document.add_section(start))
            self._hairline_section_break(document)
            if placement is Placement.AFTER_BLANK:
                self.t.paragraph(document)  # the blank page's only (empty) line
        # LibreOffice puts a floating table on the page of the paragraph before it: a
        # hairline paragraph on the 版记 page anchors it there.
        self.t.paragraph(document, height_twips=1, page_break_before=placement is Placement.AFTER_BLANK)
        table = self._table(document, rows, lines)
        top = (self.p.grid.lines - sum(lines)) * self.m.line_twips
        ooxml.set_table_position(ooxml.table_element(table), x_twips=measure.mm_twips(self.p.margins.left), y_twips=top)
        # A document cannot end in a table.
        self.t.spacer(document, 1)
        return placement

    def _hairline_section_break(self, document: WordDocument) -> None:
        """python-docx ends the text's section with an empty paragraph holding its sectPr;
        a full line there could spill onto a page of its own (with a page number)."""
        breaks = ooxml.section_break_paragraphs(document)
        ooxml.set_paragraph_format(ooxml.ppr(breaks[-1]), line_twips=1)

    def text_end(self) -> TextEnd:
        return self.t.text_end()

    def placement(self, end: TextEnd, lines: int) -> Placement:
        page_twips = self.p.grid.lines * self.m.line_twips
        room = page_twips - end.used_twips
        needed = (lines + self.p.imprint.gap_lines) * self.m.line_twips
        if end.page % 2 == 1:
            return Placement.OWN_PAGE
        if end.used_twips and room >= needed:
            return Placement.WITH_TEXT
        return Placement.AFTER_BLANK

    def _rows(self, imprint: Imprint) -> list[tuple[str, str]]:
        """(left text, right text) per 版记 element, top to bottom."""
        rows: list[tuple[str, str]] = []
        if imprint.cc:
            rows.append((f"{CC_LABEL}{'，'.join(imprint.cc)}。", ""))
        if imprint.printed_by or imprint.printed_on:
            rows.append((imprint.printed_by or "", f"{imprint.printed_on}印发" if imprint.printed_on else ""))
        return rows

    def _indent_twips(self) -> int:
        return measure.twips(self.p.imprint.indent_chars * self.m.size(IMPRINT))

    def _hang_twips(self, text: str) -> int:
        return measure.twips(text_ems(CC_LABEL) * self.m.size(IMPRINT)) if text.startswith(CC_LABEL) else 0

    def _row_lines(self, rows: list[tuple[str, str]]) -> list[int]:
        """Grid lines each 版记 element takes: a long 抄送 wraps; 印发机关 and 印发日期 share a
        line when they fit with a character between them, else the date takes a line of its
        own (as the PDF sets it, layout/boxes.py `split_line`)."""
        return [self._lines(left) + (self._date_line(left, right) if right else 0) for left, right in rows]

    def _lines(self, text: str) -> int:
        size, role = self.m.size(IMPRINT), self.p.element(IMPRINT).font
        hang = self._hang_twips(text)
        width = (self.m.text_width_twips - 2 * self._indent_twips() - hang) / measure.TWIPS_PER_PT
        paragraph = FlowParagraph(self.m.line_twips, width, -hang / measure.TWIPS_PER_PT,
                                  spans=[Span(text, role, size)])
        return len(self.t.breaker().lines(paragraph))

    def _date_line(self, left: str, right: str) -> int:
        """0 when `right` fits on `left`'s line, else the 1 line it takes below."""
        return 0 if self._lines(left + "\u3000" + right) == 1 else 1

    def _table(self, document: WordDocument, rows: list[tuple[str, str]], row_lines: list[int]) -> Table:
        width = self.m.text_width_twips
        table = document.add_table(rows=len(rows), cols=1)
        ooxml.set_table_geometry(ooxml.table_element(table), width_twips=width, column_twips=(width,))
        indent = self._indent_twips()
        for index, ((left, right), lines) in enumerate(zip(rows, row_lines, strict=True)):
            ooxml.set_row_height(ooxml.row_element(table.rows[index]), lines * self.m.line_twips)
            cell = table.cell(index, 0)
            paragraph = cell.paragraphs[0]
            ppr = ooxml.paragraph_pr(paragraph)
            hang = self._hang_twips(left)
            ooxml.set_paragraph_format(ppr, line_twips=self.m.line_twips, align="both" if hang else "left",
                                       left_twips=indent + hang, right_twips=indent, first_line_twips=-hang)
            self.t.format_run(ooxml.set_child(ppr, "rPr", ooxml.PPR_ORDER), IMPRINT)
            if right:
                ooxml.set_tab_stops(ppr, [("right", width - indent)])
            self.t.run(paragraph, left, IMPRINT)
            if right:
                if lines > self._lines(left):  # the date on a line of its own, still flush right
                    self.t.line_break(paragraph)
                self.t.run(paragraph, f"\t{right}", IMPRINT)
            self._rules(ooxml.cell_element(cell), first=index == 0, last=index == len(rows) - 1)
        return table

    def _rules(self, cell_element: object, *, first: bool, last: bool) -> None:
        """Thick above the first element and under the last, thin between elements."""
        black = self.p.color("black")
        thick = round(self.p.imprint.thick_rule * MM * measure.EIGHTHS_PER_PT)
        thin = round(self.p.imprint.thin_rule * MM * measure.EIGHTHS_PER_PT)
        ooxml.set_cell_border(cell_element, "top", eighths=thick if first else thin, color=black)  # type: ignore[arg-type]
        if last:
            ooxml.set_cell_border(cell_element, "bottom", eighths=thick, color=black)  # type: ignore[arg-type]

    # -- page numbers --------------------------------------------------------------------------

    def page_numbers(self, section: Section) -> None:
        """`— N —` in 四号 宋体: odd pages right, even pages left, one character in."""
        section.footer.is_linked_to_previous = False
        section.even_page_footer.is_linked_to_previous = False
        self._number(section.footer, "right")
        self._number(section.even_page_footer, "left")

    def footer_distance_mm(self) -> float:
        """Footer distance from the page's bottom edge that puts the middle of the page
        number line (where the 一字线 is drawn) `below_text` under the 版心."""
        size_mm = self.m.size(PAGE_NUMBER) / MM
        return self.p.margins.bottom - self.p.page_number.below_text - size_mm / 2

    def _number(self, footer: _Footer, side: str) -> None:
        paragraph = footer.paragraphs[0]
        ppr = ooxml.paragraph_pr(paragraph)
        indent = measure.twips(self.p.page_number.outer_indent_chars * self.m.size(PAGE_NUMBER))
        ooxml.set_paragraph_format(ppr, line_twips=measure.twips(self.m.size(PAGE_NUMBER)), align=side,
                                   left_twips=indent if side == "left" else 0,
                                   right_twips=indent if side == "right" else 0)
        dash = self.p.page_number.dash
        self.t.run(paragraph, f"{dash} ", PAGE_NUMBER)
        for run in ooxml.field_runs("PAGE", "1"):
            ooxml.paragraph_element(paragraph).append(run)
            self.t.format_run(ooxml.rpr(run), PAGE_NUMBER)
        self.t.run(paragraph, f" {dash}", PAGE_NUMBER)

    def blank_footers(self, section: Section) -> None:
        """Unlinked, empty footers: pages of this section carry no number."""
        for footer in (section.footer, section.even_page_footer):
            footer.is_linked_to_previous = False
            _empty_paragraph(footer.paragraphs[0], self)


def _empty_paragraph(paragraph: Paragraph, writer: ImprintWriter) -> None:
    ooxml.set_paragraph_format(ooxml.paragraph_pr(paragraph), line_twips=measure.twips(writer.m.size(PAGE_NUMBER)))
