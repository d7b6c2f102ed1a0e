"""The 主体: 标题, 主送机关, 正文 with its four numbered levels, 附件说明, 署名 and 成文日期
(sealed or not, single or joint), 附注, the issued document and the attachment pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docx.document import Document as WordDocument

from render.document.lower import Block, Kind, Part, Signoff
from render.layout.signature import column_count, sealed_grid
from render.ooxml import write as ooxml
from render.text.chars import text_ems
from render.writers.docx.base import Typesetter


class BodyWriter:
    def __init__(self, setter: Typesetter) -> None:
        self.t = setter
        self.p = setter.profile
        self.m = setter.m
        self.body_flow: list[int] = []  # flow index of each body paragraph (7.3.5.1 may tighten them)

    # -- 标题 and 主送机关 ---------------------------------------------------------------

    def title(self, document: WordDocument, lines: Sequence[str], *, page_break_before: bool = False) -> None:
        """One centred paragraph, its lines (already broken at word boundaries into a
        梯形/菱形) separated by line breaks; each line takes one grid line."""
        paragraph = self.t.paragraph(document, "title", align="center", page_break_before=page_break_before,
                                     keep_next=True)
        for index, line in enumerate(lines):
            if index:
                self.t.line_break(paragraph)
            self.t.run(paragraph, line, "title")

    def subtitle(self, document: WordDocument, text: str) -> None:
        self.t.text(document, text, "subtitle", align="center", keep_next=True)

    def to(self, document: WordDocument, text: str) -> None:
        self.t.text(document, text, "to", align="both")

    # -- 正文 ------------------------------------------------------------------------------

    def blocks(self, document: WordDocument, blocks: Iterable[Block]) -> None:
        indent = self.p.body.first_line_indent_chars
        for block in blocks:
            if block.kind is Kind.RESPONSIBILITY:
                self.t.text(document, block.text, "responsibility", first_chars=self.p.responsibility.indent_chars)
                self.body_flow.append(len(self.t.flow) - 1)
                continue
            paragraph = self.t.paragraph(document, "body", first_chars=indent,
                                         keep_next=block.kind.keeps_with_next,
                                         together_lines=self.p.body.together_lines)
            self.body_flow.append(len(self.t.flow) - 1)
            head = f"{block.label}{block.heading}"
            if head:
                self.t.run(paragraph, head, block.kind.head_element)
            if block.text:
                self.t.run(paragraph, block.text, "body")

    def attachment_note(self, document: WordDocument, lines: Sequence[str]) -> None:
        """`附件：` indented two characters; wrapped lines and later attachments align with
        the first attachment name (after the colon and its number). Kept in one piece with
        the end of the body and the 署名 that follows."""
        if self.t.flow:
            self.t.keep_last_with_next()
        self.t.blank(document, keep_next=True)
        label = f"{self.p.attachments.label}："
        indent = self.p.body.first_line_indent_chars
        for index, line in enumerate(lines):
            rest = line[len(label):] if index == 0 else line
            number = _number_prefix(rest)
            left = indent + text_ems(label) + text_ems(number)
            hang = text_ems(number) + (text_ems(label) if index == 0 else 0)
            self.t.text(document, line, "body", align="both", left_chars=left, first_chars=-hang, keep_next=True)

    # -- 署名, 成文日期, 附注 -------------------------------------------------------------

    def signoff(self, document: WordDocument, signoff: Signoff) -> None:
        """The 署名 and date stay on one page with the end of the body (kept with next): a
        seal must never stand on a page without text (no "此页无正文")."""
        if self.t.flow:
            self.t.keep_last_with_next()
        spec = self.p.signature
        blank_at = len(self.t.flow)
        self.t.blank(document, spec.seal_lines_above if signoff.sealed else spec.lines_above, keep_next=True)
        if not signoff.sealed:
            self._unsealed(document, signoff)
        elif len(signoff.names) > 1:
            self._sealed_joint(document, signoff)
        else:
            self._sealed_single(document, signoff)
        # 7.3.5.1: the blank above the seal gives way, then the last paragraphs tighten, before
        # the text's end is carried over with the 署名.
        droppable = spec.seal_lines_above - spec.seal_lines_above_min if signoff.sealed else 0
        self.t.keep_with_text(range(blank_at, blank_at + max(0, droppable)),
                              self.body_flow[-spec.tight_paragraphs:] if spec.tight_paragraphs else [],
                              spec.tight_line_pitch)

    def _date(self, document: WordDocument, date: str, *, left_chars: float | None = None) -> None:
        spec = self.p.signature
        if left_chars is None:
            self.t.text(document, date, "date", align="right", right_chars=spec.sealed_date_right_indent_chars)
        else:
            self.t.text(document, date, "date", align="left", left_chars=left_chars)

    def _date_centre(self, date: str) -> float:
        """Where the centre of the sealed 成文日期 falls, in characters from the left edge."""
        width = self.t.width_chars(date, "date")
        return self.p.grid.chars - self.p.signature.sealed_date_right_indent_chars - width / 2

    def _sealed_single(self, document: WordDocument, signoff: Signoff) -> None:
        """7.3.5.1: the date four characters from the right; the 署名 centred on the date.
        A centred paragraph whose indents are symmetric about the date's centre puts it
        there whatever the name's width."""
        centre = self._date_centre(signoff.date or "")
        for name in signoff.names:
            if self.t.width_chars(name, "signature") > 2 * (self.p.grid.chars - centre):
                # Centred on the date it would run past the 版心: flush right instead (as the PDF).
                self.t.text(document, name, "signature", align="right", keep_next=bool(signoff.date))
                continue
            self.t.text(document, name, "signature", align="center", left_chars=2 * centre - self.p.grid.chars,
                        keep_next=bool(signoff.date))
        if signoff.date:
            self._date(document, signoff.date)

    def _sealed_joint(self, document: WordDocument, signoff: Signoff) -> None:
        """Organs side by side in equal columns (layout.signature.sealed_grid, the PDF's
        arrangement), the 主办机关 first, each name centred in its cell and wrapped at the
        same places as in the PDF (explicit line breaks); the date under the last row."""
        per_row = self.p.fixed_layout.signature_columns
        columns = column_count(len(signoff.names), per_row)
        width = self.m.text_width_twips // columns
        column_twips = (*[width] * (columns - 1), self.m.text_width_twips - width * (columns - 1))
        grid = sealed_grid(list(signoff.names), per_row, self.p.grid.chars, self.p.signature.column_gap_chars)
        table = document.add_table(rows=len(grid), cols=columns)
        ooxml.set_table_geometry(ooxml.table_element(table), width_twips=sum(column_twips), column_twips=column_twips)
        lines = 0
        for row_index, row in enumerate(grid):
            cells = table.rows[row_index].cells
            by_column = {cell.column: cell for cell in row}
            for column, cell in enumerate(cells):
                paragraph = cell.paragraphs[0]
                ppr = ooxml.paragraph_pr(paragraph)
                ooxml.set_paragraph_format(ppr, line_twips=self.m.line_twips, align="center", keep_next=True)
                self.t.format_run(ooxml.set_child(ppr, "rPr", ooxml.PPR_ORDER), "signature")
                for index, piece in enumerate(by_column[column].lines if column in by_column else ()):
                    if index:
                        self.t.line_break(paragraph)
                    self.t.run(paragraph, piece, "signature")
            lines += max(len(cell.lines) for cell in row)
        self.t.record_block(lines * self.m.line_twips, keep_next=True)
        if signoff.date:
            self._date(document, signoff.date)

    def _unsealed(self, document: WordDocument, signoff: Signoff) -> None:
        """7.3.5.2: 署名 two characters from the right, the date starting two characters
        right of the 署名's first character; a longer date is right-indented instead and the
        署名 moves left with it. Stacked names (joint) share the first name's left edge."""
        spec = self.p.signature
        width = self.p.grid.chars
        name_units = max((self.t.width_chars(name, "signature") for name in signoff.names), default=0)
        date_units = self.t.width_chars(signoff.date or "", "date")
        name_left = width - spec.unsealed_right_indent_chars - name_units
        date_left = name_left + self.p.fixed_layout.date_shift_chars
        if date_left + date_units > width - spec.unsealed_right_indent_chars:
            date_left = width - spec.unsealed_right_indent_chars - date_units
            name_left = date_left - self.p.fixed_layout.date_shift_chars
        for name in signoff.names:
            self.t.text(document, name, "signature", align="left", left_chars=max(0, name_left),
                        keep_next=bool(signoff.date))
        if signoff.date:
            self._date(document, signoff.date, left_chars=max(0, date_left))

    def note(self, document: WordDocument, text: str) -> None:
        self.t.text(document, text, "note", first_chars=self.p.body.first_line_indent_chars)

    # -- parts on their own pages -----------------------------------------------------------

    def issued(self, document: WordDocument, part: Part) -> None:
        """The document a notice issues: its own title and body, from a new page."""
        spec = self.p.issued_document
        if spec.lines_above_title:
            self.t.paragraph(document, page_break_before=spec.new_page)
            self.t.blank(document, spec.lines_above_title - 1)
        self.title(document, part.title_lines, page_break_before=spec.new_page and not spec.lines_above_title)
        if part.subtitle:
            self.subtitle(document, part.subtitle)
        self.t.blank(document, spec.lines_below_title)
        self.blocks(document, part.blocks)

    def attachment(self, document: WordDocument, part: Part) -> None:
        """A new page: 附件N flush left on the first line, the title on `title_line`."""
        self.t.text(document, part.label or self.p.attachments.label, "attachment_label", align="left",
                    page_break_before=True)
        self.t.blank(document, max(0, self.p.attachments.title_line - 2))
        self.title(document, part.title_lines)
        if part.subtitle:
            self.subtitle(document, part.subtitle)
        if part.blocks:
            self.t.blank(document, self.p.title.lines_below)
            self.blocks(document, part.blocks)


def _number_prefix(text: str) -> str:
    """The `1.` in front of an attachment name, or ''."""
    digits = len(text) - len(text.lstrip("0123456789"))
    if digits and text[digits:digits + 1] in ".．":
        return text[:digits + 1]
    return ""
