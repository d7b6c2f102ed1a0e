"""The floor each writer is measured against: the same text written with the bare library
it stands on, with fonts set, and nothing of the standard's layout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.bare import docx_bare, pdf_bare, xlsx_bare
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


def floor_data(source: RenderInput) -> dict[str, Any]:
    """What the bare scripts write (bench/bare.py), as plain data: it can go to a file for
    a whole process that imports none of gongwen."""
    from render.fonts.resolve import font_facts, resolve_fonts

    doc = source.document
    assert isinstance(doc, Document)
    names = source.profile.fonts
    fonts = {str(role): [names[role], str(font.path), font.subfont_index,  # type: ignore[index]
                         font_facts(font.path)[font.subfont_index].family]
             for role, font in resolve_fonts().items()}
    items = [[row.number, row.sections[-1] if row.sections else "", row.title, row.text, list(row.lead),
              list(row.units), str(row.due or "")] for row in doc.items]
    margins = source.profile.margins
    return {"texts": [list(pair) for pair in document_texts(source)], "fonts": fonts,
            "margins_mm": [margins.left, margins.right, margins.top, margins.bottom], "items": items}


_DATA: dict[int, tuple[RenderInput, dict[str, Any]]] = {}


def _cached_data(source: RenderInput) -> dict[str, Any]:
    """Built once per source: the timed floor is the library's work, not this conversion."""
    if id(source) not in _DATA:
        _DATA[id(source)] = (source, floor_data(source))
    return _DATA[id(source)][1]


def docx_floor(source: RenderInput, target: Path) -> None:
    docx_bare(_cached_data(source), target)


def pdf_floor(source: RenderInput, target: Path) -> None:
    pdf_bare(_cached_data(source), target)


def xlsx_floor(source: RenderInput, target: Path) -> None:
    """The three sheets' text (matrix, tasks by unit, counts) as plain rows."""
    xlsx_bare(_cached_data(source), target)


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
