"""The 版头: 份号, 密级, 紧急程度, the red 发文机关标志 (stacked for joint issuance), the
发文字号 (with 签发人 for 上行文) and the red rule under it.

Everything here adds up to whole grid lines, so the 标题 and the body after it stay on the
22-line grid: the mark is placed by exact-height spacers, the rule is the bottom border of
a short paragraph whose height is given back by the next one.
"""

from __future__ import annotations

import math

from docx.document import Document as WordDocument
from docx.table import Table
from msgspec import Struct

from render import measure
from render.document.lower import Header
from render.measure import MM
from render.ooxml import write as ooxml
from render.text.chars import text_ems
from render.writers.docx.base import Container, Typesetter

MARK = "header_mark"


class MarkFit(Struct, frozen=True):
    """How the 标志 fits the 版心: a horizontal scale (percent) and the column widths."""

    scale_pct: int
    name_twips: int     # the stacked names (or the whole mark when there is one line)
    gap_twips: int      # between the names and 文件
    suffix_twips: int   # 文件 to their right; 0 when the names stand alone


def fit_mark(names: tuple[str, ...], suffix: str, size_pt: float, max_width_pt: float, min_scale: float,
             gap_chars: float = 0) -> MarkFit:
    """The largest whole-percent scale ≤ 100 at which the widest name, the gap and 文件 fit
    `max_width_pt`, but never below `min_scale` (a longer mark then wraps)."""
    name_pt = max(text_ems(name) for name in names) * size_pt
    suffix_pt = text_ems(suffix) * size_pt
    gap_pt = gap_chars * size_pt if suffix else 0.0
    # One point of slack per column so rounding in a reader never wraps a name.
    slack = 2.0 if suffix else 1.0
    natural = name_pt + gap_pt + suffix_pt
    scale = min(100, math.floor((max_width_pt - slack) / natural * 100))
    scale = max(scale, math.ceil(min_scale))

    def scaled(points: float) -> int:
        return math.ceil(measure.twips(points * scale / 100 + 1)) if points else 0

    return MarkFit(scale, scaled(name_pt), measure.twips(gap_pt * scale / 100), scaled(suffix_pt))


class HeaderWriter:
    def __init__(self, setter: Typesetter) -> None:
        self.t = setter
        self.p = setter.profile
        self.m = setter.m

    def write(self, document: WordDocument, header: Header) -> None:
        used = self._marks_above(document, header)
        if header.marks:
            used = self._mark(document, header, used)
        lines = math.ceil(used / self.m.line_twips - 1e-6)
        self.t.spacer(document, lines * self.m.line_twips - used)
        if header.number or header.signers or header.marks:
            self.t.blank(document, self.p.header.mark_line_gap if header.marks else 0)
            if header.number or header.signers:
                self._number(document, header)
            else:
                # No 发文字号: its line stays empty, so the red rule and the 标题 keep their places.
                self.t.blank(document, 1)
            self._rule(document)

    # -- 份号, 密级, 紧急程度: flush left on the first lines ---------------------------

    def _marks_above(self, document: WordDocument, header: Header) -> int:
        lines = [(text, element) for text, element in ((header.copy_no, "copy_no"), (header.secrecy, "secrecy"),
                                                       (header.urgency, "urgency")) if text]
        for text, element in lines:
            self.t.text(document, text, element, align="left")
        return len(lines) * self.m.line_twips

    # -- 发文机关标志 ----------------------------------------------------------------------

    def _mark(self, document: WordDocument, header: Header, used: int) -> int:
        """The mark's top edge `mark_top` under the 版心's top. Stacked organs (joint
        issuance) sit `mark_line_pitch_em` apart in a table, each centred in its row; the
        spacer above gives back the half row above the first name."""
        size = self.m.size(MARK)
        stacked = len(header.marks) > 1
        # 文件 follows a single name in the same line; only a stack has a gap before it.
        gap = self.p.fixed_layout.mark_suffix_gap_chars if stacked else 0
        fit = fit_mark(header.marks, header.mark_suffix, size, self.p.header.mark_max_width * MM,
                       self.p.header.mark_min_scale, gap)
        em_twips = measure.twips(size)
        pitch = self.p.fixed_layout.mark_line_pitch_em if stacked else 1.0
        row_twips = max(em_twips, measure.twips(pitch * size))
        top = measure.mm_twips(self.p.header.mark_top) - (row_twips - em_twips) // 2
        self.t.spacer(document, top - used)
        if not stacked:
            paragraph = self.t.paragraph(document, MARK, align="center", height_twips=row_twips)
            self.t.run(paragraph, f"{header.marks[0]}{header.mark_suffix}", MARK, scale_pct=fit.scale_pct)
            # A name too long even at the smallest scale wraps, as in the PDF.
            rows = self.t.lines_of_last()
        else:
            self._stacked_mark(document, header, fit, row_twips, em_twips)
            self.t.record_block(row_twips * len(header.marks))
            rows = len(header.marks)
        return max(top, used) + row_twips * rows

    def _stacked_mark(self, document: WordDocument, header: Header, fit: MarkFit, row_twips: int,
                      em_twips: int) -> None:
        """Names stacked in the left column (主办机关 first, spread to one width), 文件 in a
        right column merged over all rows and centred on them: a borderless table."""
        rows = len(header.marks)
        columns = (fit.name_twips, fit.gap_twips + fit.suffix_twips) if header.mark_suffix else (fit.name_twips,)
        table: Table = document.add_table(rows=rows, cols=len(columns))
        ooxml.set_table_geometry(ooxml.table_element(table), width_twips=sum(columns), column_twips=columns)
        for index, name in enumerate(header.marks):
            ooxml.set_row_height(ooxml.row_element(table.rows[index]), row_twips)
            cell = table.cell(index, 0)
            ooxml.set_cell_valign(ooxml.cell_element(cell), "center")
            paragraph = self._cell_paragraph(cell, em_twips, align="distribute")
            self.t.run(paragraph, name, MARK, scale_pct=fit.scale_pct)
        if header.mark_suffix:
            suffix_cell = table.cell(0, 1).merge(table.cell(rows - 1, 1))
            ooxml.set_cell_valign(ooxml.cell_element(suffix_cell), "center")
            paragraph = self._cell_paragraph(suffix_cell, em_twips, align="left")
            ooxml.set_child(ooxml.paragraph_pr(paragraph), "ind", ooxml.PPR_ORDER, left=str(fit.gap_twips))
            self.t.run(paragraph, header.mark_suffix, MARK, scale_pct=fit.scale_pct)
            # The merged-away cells keep an empty paragraph: give it the mark's line too.
            for merged_away in ooxml.column_paragraphs(table, 1, first_row=1):
                ooxml.set_paragraph_format(ooxml.ppr(merged_away), line_twips=em_twips)

    def _cell_paragraph(self, cell: Container, row_twips: int, *, align: str):  # type: ignore[no-untyped-def]
        """Reuse the cell's own (empty) paragraph, formatted as a mark line."""
        paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
        ppr = ooxml.paragraph_pr(paragraph)
        ooxml.set_paragraph_format(ppr, line_twips=row_twips, align=align)
        self.t.format_run(ooxml.set_child(ppr, "rPr", ooxml.PPR_ORDER), MARK)
        return paragraph

    # -- 发文字号 and 签发人 ---------------------------------------------------------------

    def _number(self, document: WordDocument, header: Header) -> None:
        number = header.number or ""
        if not header.is_upward:
            self.t.text(document, number, "doc_number", align="center")
            return
        indent = self.p.header.signer_indent_chars
        right_tab = self.m.text_width_twips - self.m.chars(indent)
        per_line = max(1, self.p.header.signers_per_line)
        rows = [header.signers[i:i + per_line] for i in range(0, len(header.signers), per_line)]
        for index, names in enumerate(rows):
            paragraph = self.t.paragraph(document, "doc_number", align="left", left_chars=indent)
            ooxml.set_tab_stops(ooxml.paragraph_pr(paragraph), [("right", right_tab)])
            if index == len(rows) - 1:
                self.t.run(paragraph, number, "doc_number")
            self.t.run(paragraph, "\t" + ("签发人：" if index == 0 else ""), "signer_label")
            self.t.run(paragraph, "　".join(names), "signer_name")

    def _rule(self, document: WordDocument) -> None:
        """The red 版头分隔线, 版心 wide, `rule_below_number` under the 发文字号: the bottom
        border of a paragraph that tall; the next paragraph gives back the rest of the
        `title.lines_above` lines, so the 标题 lands on the grid."""
        # Measured from the 发文字号's em box, taken as centred in its grid line (the layout
        # engine's model): the rule paragraph starts at the line's bottom edge.
        em_to_line_bottom = (self.m.line_twips - measure.twips(self.m.size("doc_number"))) // 2
        gap = measure.mm_twips(self.p.header.rule_below_number) - em_to_line_bottom
        thickness_pt = self.p.header.rule_width * MM
        paragraph = self.t.paragraph(document, height_twips=gap)
        ooxml.set_paragraph_border(ooxml.paragraph_pr(paragraph), "bottom",
                                   eighths=round(thickness_pt * measure.EIGHTHS_PER_PT),
                                   color=self.p.color("red"))
        # A bottom border makes its paragraph taller by its width (word-layout-notes).
        self.t.grow_last(measure.twips(thickness_pt))
        rest = self.p.title.lines_above * self.m.line_twips - gap - measure.twips(thickness_pt)
        self.t.spacer(document, rest)
