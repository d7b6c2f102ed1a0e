"""The floor each writer is measured against: the same text written with the bare library
it stands on, with fonts set, and nothing of the standard's layout."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from render.document.lower import Document
from render.document.source import RenderInput


def document_texts(source: RenderInput) -> list[tuple[str, str]]:
    """(font role, text) for every paragraph the document prints, in order."""
    doc = source.document
    assert isinstance(doc, Document)
    texts = [("xiaobiaosong", line) for line in doc.title_lines]
    if doc.to:
        texts.append(("fangsong", doc.to))
    blocks = list(doc.blocks)
    if doc.issued:
        texts += [(role_for(b.kind.value), b.plain) for b in blocks]
        texts += [("xiaobiaosong", line) for line in doc.issued.title_lines]
        blocks = list(doc.issued.blocks)
    texts += [(role_for(b.kind.value), b.plain) for b in blocks]
    if doc.signoff:
        texts += [("fangsong", name) for name in doc.signoff.names] + [("fangsong", doc.signoff.date or "")]
    if doc.imprint:
        texts.append(("fangsong", f"{doc.imprint.printed_by}  {doc.imprint.printed_on}印发"))
    return texts


def role_for(kind: str) -> str:
    return {"heading1": "heiti", "heading2": "kaiti"}.get(kind, "fangsong")


def docx_floor(source: RenderInput, target: Path) -> None:
    from docx import Document as WordDocument
    from docx.oxml.ns import qn
    from docx.shared import Pt

    names = source.profile.fonts
    word = WordDocument()
    for role, text in document_texts(source):
        run = word.add_paragraph().add_run(text)
        run.font.name = names[role]  # type: ignore[index]
        run.font.size = Pt(16)
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), names[role])  # type: ignore[index]
    word.save(str(target))


@cache
def _reportlab_fonts() -> dict[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from render.fonts.resolve import resolve_fonts

    registered = {}
    for role, font in resolve_fonts().items():
        name = f"floor-{role}"
        pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.subfont_index))
        registered[role] = name
    return registered


def pdf_floor(source: RenderInput, target: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    fonts = _reportlab_fonts()
    margins = source.profile.margins
    story = [Paragraph(text, ParagraphStyle(role, fontName=fonts[role], fontSize=16, leading=28.95, wordWrap="CJK"))
             for role, text in document_texts(source)]
    SimpleDocTemplate(str(target), pagesize=A4, leftMargin=margins.left * mm, rightMargin=margins.right * mm,
                      topMargin=margins.top * mm, bottomMargin=margins.bottom * mm).build(story)


def xlsx_floor(source: RenderInput, target: Path) -> None:
    """The three sheets' text (matrix, tasks by unit, counts) as plain rows."""
    from openpyxl import Workbook

    doc = source.document
    assert isinstance(doc, Document)
    book = Workbook()
    matrix = book.active
    matrix.append(["序号", "所属部分", "重点任务", "工作内容", "牵头单位", "责任单位", "完成时限", "进展情况", "备注"])
    by_unit: dict[str, list[tuple[str, object]]] = {}
    for row in doc.items:
        matrix.append([row.number, row.sections[-1] if row.sections else "", row.title, row.text,
                       "、".join(row.lead), "、".join(row.units), str(row.due or ""), "", ""])
        for role, names in (("牵头", row.lead), ("责任", row.units)):
            for name in names:
                by_unit.setdefault(name, []).append((role, row))
    units = book.create_sheet("按单位")
    counts = book.create_sheet("统计")
    for name, tasks in by_unit.items():
        for role, row in tasks:
            units.append([name, role, row.number, row.title, "、".join(row.lead), "、".join(row.units),  # type: ignore[attr-defined]
                          str(row.due or "")])  # type: ignore[attr-defined]
        counts.append([name, sum(r == "牵头" for r, _ in tasks), sum(r == "责任" for r, _ in tasks), len(tasks)])
    book.save(str(target))


FLOORS: dict[str, Callable[[RenderInput, Path], None]] = {"docx": docx_floor, "pdf": pdf_floor, "xlsx": xlsx_floor}
