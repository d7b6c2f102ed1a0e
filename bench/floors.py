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


def ofd_floor(source: RenderInput, target: Path) -> None:
    """The texts as OFD with lxml and fontTools alone: one unwrapped TextObject per paragraph,
    22 to a page, each role's font subset to what it draws, the parts zipped."""
    import io
    import logging
    import zipfile

    from fontTools import subset
    from fontTools.ttLib import TTFont
    from lxml import etree

    from render.fonts.resolve import resolve_fonts

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # what it drops from the free fonts
    ns = "http://www.ofdspec.org/2016"

    def element(parent: etree._Element | None, name: str, text: str | None = None, **attrs: str) -> etree._Element:
        tag = f"{{{ns}}}{name}"
        made = etree.Element(tag, attrs, nsmap={"ofd": ns}) if parent is None else etree.SubElement(parent, tag, attrs)
        made.text = text
        return made

    fonts = resolve_fonts()
    texts = document_texts(source)
    used: dict[str, set[str]] = {}
    parts: dict[str, bytes] = {}
    for number in range(0, len(texts), 22):
        page = element(None, "Page")
        layer = element(element(page, "Content"), "Layer", ID=str(number))
        for line, (role, text) in enumerate(texts[number:number + 22]):
            used.setdefault(role, set()).update(text)
            code = element(element(layer, "TextObject", ID="1", Boundary=f"28 {37 + line * 10} 156 10", Font=role,
                                   Size="5.6444"), "TextCode", text, X="0", Y="6")
            code.set("DeltaX", " ".join(["5.6444"] * (len(text) - 1)))
        parts[f"Doc_0/Pages/Page_{number // 22}/Content.xml"] = etree.tostring(page, xml_declaration=True,
                                                                                encoding="UTF-8")
    for role, chars in used.items():
        font = TTFont(str(fonts[role].path), fontNumber=fonts[role].subfont_index)
        subsetter = subset.Subsetter(subset.Options())
        subsetter.populate(unicodes={ord(ch) for ch in chars})
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
        parts[f"Doc_0/Res/{role}.ttf"] = buffer.getvalue()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


FLOORS: dict[str, Callable[[RenderInput, Path], None]] = {"docx": docx_floor, "pdf": pdf_floor, "xlsx": xlsx_floor,
                                                           "ofd": ofd_floor}
