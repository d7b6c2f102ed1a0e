"""Reading WordprocessingML: a .docx body → the text of each paragraph, in reading order.

Body paragraphs and tables are read in document order (the 版记 and joint signatures are
often tables; a row's cells become one paragraph each, merged cells once); text boxes and
frames are read where they stand. Runs are joined, so a lead sentence set in bold is
one paragraph with its text. Word's automatic list numbers are rebuilt as text
(numbering.py). Headers and footers (page numbers, running heads) are not read.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from docx import Document
from docx.exceptions import PythonDocxError
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from lxml import etree

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


def paragraph_texts(path: Path) -> list[str]:
    """Every paragraph's text in reading order, blank ones kept; a manual line break is a "\n".

    The file is checked with bounds first (render.inputs): python-docx inflates every part
    into memory and knows no limit."""
    data = checked_zip(path, IMPORT, "Word 文档")
    try:
        document = Document(io.BytesIO(data))
        texts = list(_Reader(ListNumbers(document)).blocks(document.element.body))
    except (KeyError, ValueError, AttributeError, TypeError, etree.LxmlError, OpcError, PythonDocxError) as error:
        # A valid zip that is not a Word document (an .xlsx renamed) or lacks its parts.
        raise InputRefused("E806", f"不是有效的 Word 文档（{_reason(error)}）；请用 Word 或 WPS 另存为 .docx 后再导入",
                           path) from None
    check_text_length(sum(len(text) for text in texts), path)
    return texts


def _reason(error: Exception) -> str:
    text = str(error)
    if "content type" in text or "not a Word file" in text:
        return "文件是其他类型的 Office 文件，例如改了扩展名的 Excel 工作簿"
    return "缺少 Word 正文部件或部件已损坏"


class _Reader:
    def __init__(self, numbers: ListNumbers):
        self.numbers = numbers

    def blocks(self, container: etree._Element) -> Iterator[str]:
        for child in container.iterchildren():
            if child.tag == _P:
                yield from self.paragraph(child)
            elif child.tag == _TBL:
                yield from self.table(child)
            elif child.tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    yield from self.blocks(content)

    def table(self, table: etree._Element) -> Iterator[str]:
        for row in table.iterchildren(_TR):
            for cell in row.iterchildren(_TC):
                if not _continues_merge(cell):
                    yield from self.blocks(cell)

    def paragraph(self, paragraph: etree._Element) -> Iterator[str]:
        """The paragraph's own text (with its list number), then any text box anchored in it."""
        yield self.numbers.label(paragraph) + _run_text(paragraph)
        for box in paragraph.iter(_TXBX):
            # A text box is stored twice (DrawingML and a VML fallback); read the first copy.
            if not _inside(box, paragraph, (_FALLBACK,)) and _owner(box) is paragraph:
                yield from self.blocks(box)


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
    return "".join(parts)


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
