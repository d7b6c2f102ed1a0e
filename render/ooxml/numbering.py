"""Word's automatic list numbers, rebuilt as text.

A paragraph numbered by Word (w:numPr, directly or through its style) shows `一、` or `1.`
on the page, but the number is not in its text: it comes from the numbering part's level
definition (format and template such as `%1、` or `（%1）`) and a counter. The importer
needs the number as text to see the heading levels.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from lxml import etree
from msgspec import Struct

from render.model.numbering import chinese_numeral

_VAL = qn("w:val")
_CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "japaneseCounting", "ideographDigital",
                    "taiwaneseCounting", "taiwaneseCountingThousand", "chineseLegalSimplified"}


class _Level(Struct, frozen=True):
    start: int
    fmt: str
    text: str   # the template: %1、 （%1） %1.%2.


def _val(element: etree._Element | None, tag: str, default: str = "") -> str:
    found = element.find(qn(tag)) if element is not None else None
    value = found.get(_VAL) if found is not None else None
    return value if value is not None else default


class ListNumbers:
    """Counters for every list in one document, advanced paragraph by paragraph."""

    def __init__(self, document: DocumentObject):
        self._levels: dict[str, dict[int, _Level]] = {}
        self._style_numbering: dict[str, tuple[str, int]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._load(document)

    def _load(self, document: DocumentObject) -> None:
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return  # no numbering part: nothing is numbered automatically
        abstract = {a.get(qn("w:abstractNumId")): a for a in numbering.iterchildren(qn("w:abstractNum"))}
        for num in numbering.iterchildren(qn("w:num")):
            definition = abstract.get(_val(num, "w:abstractNumId"))
            if definition is None:
                continue
            levels = {int(lvl.get(qn("w:ilvl"), "0")): _Level(int(_val(lvl, "w:start", "1")), _val(lvl, "w:numFmt", "decimal"),
                                                              _val(lvl, "w:lvlText"))
                      for lvl in definition.iterchildren(qn("w:lvl"))}
            self._levels[num.get(qn("w:numId"))] = levels
        for style in document.styles.element.iterchildren(qn("w:style")):
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                self._style_numbering[style.get(qn("w:styleId"))] = (_val(num_pr, "w:numId"), int(_val(num_pr, "w:ilvl", "0")))

    def label(self, paragraph: etree._Element) -> str:
        """The number Word shows before this paragraph ('' if none), counting it."""
        found = self._numbering_of(paragraph)
        if found is None:
            return ""
        num_id, level = found
        levels = self._levels.get(num_id)
        if not levels or level not in levels or levels[level].fmt in ("none", "bullet"):
            return ""
        counters = self._counters.setdefault(num_id, {})
        counters[level] = counters.get(level, levels[level].start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]  # a new 一、 restarts its （一）
        text = levels[level].text
        for shown in range(level, -1, -1):
            if shown in levels:
                value = counters.get(shown, levels[shown].start)
                text = text.replace(f"%{shown + 1}", _format(value, levels[shown].fmt))
        return text

    def _numbering_of(self, paragraph: etree._Element) -> tuple[str, int] | None:
        properties = paragraph.find(qn("w:pPr"))
        num_pr = properties.find(qn("w:numPr")) if properties is not None else None
        if num_pr is not None:
            num_id = _val(num_pr, "w:numId")
            return (num_id, int(_val(num_pr, "w:ilvl", "0"))) if num_id not in ("", "0") else None
        style = _val(properties, "w:pStyle")
        return self._style_numbering.get(style) if style else None


def _format(value: int, fmt: str) -> str:
    if fmt in _CHINESE_FORMATS and 0 < value < 1000:
        return chinese_numeral(value)
    return str(value)
