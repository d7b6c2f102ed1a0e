"""Reading WordprocessingML: a .docx body → the text of each paragraph, in reading order.

Body paragraphs and tables are read in document order (the 版记 and joint signatures are
often tables; a row's cells become one paragraph each, merged cells once); text boxes and
frames are read where they stand, once (Word stores each twice: DrawingML and a VML
fallback), and marked: a text box holds the 版头's ★ or 发文机关标志, never body text. Runs
are joined, so a lead sentence set in bold is one paragraph with its text. Word's
automatic list numbers are rebuilt as text (numbering.py). Headers and footers (page
numbers, running heads) are not read.

A .docx written by gongwen carries the plan it was made from (write.py, `embed_plan`);
`embedded_plan` reads it back.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docx import Document
from docx.exceptions import PythonDocxError
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from lxml import etree
from msgspec import Struct

from render.inputs import IMPORT, InputRefused, check_text_length
from render.ooxml.guard import checked_zip
from render.ooxml.numbering import ListNumbers

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_TXBX = qn("w:txbxContent")
_SDT, _SDT_CONTENT = qn("w:sdt"), qn("w:sdtContent")
_DEL = qn("w:del")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_V_MERGE, _VAL = qn("w:vMerge"), qn("w:val")
_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


PLAN_NAMESPACE = "urn:gongwen:plan:1"


class ParagraphText(Struct, frozen=True):
    text: str            # a manual line break is a "\n"
    in_text_box: bool    # from a text box or frame: the 版头's marks, not body text


def paragraph_texts(path: Path) -> list[str]:
    """Every paragraph's text in reading order, blank ones kept; a manual line break is a "\n"."""
    return [block.text for block in paragraph_blocks(path)]


def paragraph_blocks(path: Path) -> list[ParagraphText]:
    """Every paragraph in reading order, blank ones kept, marked when it sits in a text box.

    The file is checked with bounds first (render.inputs): python-docx inflates every part
    into memory and knows no limit."""
    data = checked_zip(path, IMPORT, "Word 文档")
    try:
        blocks = document_paragraphs(Document(io.BytesIO(data)))
    except (KeyError, ValueError, AttributeError, TypeError, etree.LxmlError, OpcError, PythonDocxError) as error:
        # A valid zip that is not a Word document (an .xlsx renamed) or lacks its parts.
        raise InputRefused("E806", f"不是有效的 Word 文档（{_reason(error)}）；请用 Word 或 WPS 另存为 .docx 后再导入",
                           path) from None
    check_text_length(sum(len(block.text) for block in blocks), path)
    return blocks


def document_paragraphs(document: Any) -> list[ParagraphText]:
    """The same for a python-docx Document in memory (the Word writer records what it wrote)."""
    return list(_Reader(ListNumbers(document)).blocks(document.element.body))


def _reason(error: Exception) -> str:
    text = str(error)
    if "content type" in text or "not a Word file" in text:
        return "文件是其他类型的 Office 文件，例如改了扩展名的 Excel 工作簿"
    return "缺少 Word 正文部件或部件已损坏"


def embedded_plan(path: Path) -> tuple[dict[str, Any], list[str]] | None:
    """The plan a gongwen .docx was written from and the paragraph texts it was written
    with, or None for any other .docx (or one whose part is unreadable)."""
    try:
        with zipfile.ZipFile(path) as archive:
            items = [archive.read(name) for name in archive.namelist()
                     if name.startswith("customXml/item") and not name.startswith("customXml/itemProps")]
    except (zipfile.BadZipFile, OSError):
        return None
    for data in items:
        try:
            root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
            payload = json.loads(root.text or "")
        except (etree.XMLSyntaxError, ValueError):
            continue
        if root.tag != f"{{{PLAN_NAMESPACE}}}plan" or not isinstance(payload, dict):
            continue
        plan, texts = payload.get("plan"), payload.get("texts")
        if isinstance(plan, dict) and isinstance(texts, list):
            return plan, [str(t) for t in texts]
    return None


class _Reader:
    def __init__(self, numbers: ListNumbers):
        self.numbers = numbers
        self.boxed = 0

    def blocks(self, container: etree._Element) -> Iterator[ParagraphText]:
        for child in container.iterchildren():
            if child.tag == _P:
                yield from self.paragraph(child)
            elif child.tag == _TBL:
                yield from self.table(child)
            elif child.tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    yield from self.blocks(content)

    def table(self, table: etree._Element) -> Iterator[ParagraphText]:
        for row in table.iterchildren(_TR):
            for cell in row.iterchildren(_TC):
                if not _continues_merge(cell):
                    yield from self.blocks(cell)

    def paragraph(self, paragraph: etree._Element) -> Iterator[ParagraphText]:
        """The paragraph's own text (with its list number), then the alternative text of a
        picture in it (a 版头 set as a picture says what it shows there), then any text box
        anchored in it."""
        yield ParagraphText(self.numbers.label(paragraph) + _run_text(paragraph), self.boxed > 0)
        for picture in paragraph.iter(_DOC_PR):
            text = (picture.get("descr") or picture.get("title") or "").strip()
            if text and not _inside(picture, paragraph, (_FALLBACK,)) and _owner(picture) is paragraph:
                yield ParagraphText(text, True)
        for box in paragraph.iter(_TXBX):
            # A text box is stored twice (DrawingML and a VML fallback); read the first copy.
            if not _inside(box, paragraph, (_FALLBACK,)) and _owner(box) is paragraph:
                self.boxed += 1
                yield from self.blocks(box)
                self.boxed -= 1


def _continues_merge(cell: etree._Element) -> bool:
    """A cell merged into the one above it holds nothing of its own."""
    properties = cell.find(qn("w:tcPr"))
    merge = properties.find(_V_MERGE) if properties is not None else None
    return merge is not None and merge.get(_VAL) in (None, "continue")


def _run_text(paragraph: etree._Element) -> str:
    parts: list[str] = []
    for node in paragraph.iter(_T, _TAB, _BR, _CR):
        if _inside(node, paragraph, (_TXBX, _DEL, _FALLBACK)):
            continue  # text boxes are read on their own; deleted revisions are not text
        parts.append(node.text or "" if node.tag == _T else "\n" if node.tag in (_BR, _CR) else " ")
    # WORD JOINER: invisible glue (the Word writer keeps 3—5 and the like on one line with it).
    return "".join(parts).replace("\u2060", "")


def _inside(node: etree._Element, outer: etree._Element, tags: tuple[str, ...]) -> bool:
    """Whether `node` sits in one of `tags` between itself and the paragraph `outer`."""
    parent = node.getparent()
    while parent is not None and parent is not outer:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def _owner(node: etree._Element) -> etree._Element | None:
    """The innermost paragraph holding `node`."""
    parent = node.getparent()
    while parent is not None and parent.tag != _P:
        parent = parent.getparent()
    return parent
