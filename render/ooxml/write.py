"""The raw OOXML that python-docx has no API for, in one place.

Document grid, snap-to-grid switches, East Asian fonts, paragraph and table borders,
frames and positioned tables, character scaling, PAGE fields and section settings.
Every helper takes plain numbers (twips, eighths of a point, percent); the writer turns
profile millimetres and points into them, so no layout number is decided here.

Child elements are inserted in schema order: Word refuses a file whose pPr or rPr
children are out of sequence, LibreOffice silently ignores some of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Sequence
from copy import deepcopy
from functools import lru_cache
from html import escape
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

# What writers hold of the XML: opaque handles passed back to the helpers here.
XmlElement = BaseOxmlElement


# Schema order (ECMA-376 part 1) of the children we write.
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
)
RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
    "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
    "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
    "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath",
)
PBDR_ORDER = ("top", "left", "bottom", "right", "between", "bar")
SECTPR_ORDER = (
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
    "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
)
TBLPR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
    "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
)
TRPR_ORDER = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit",
              "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden")
TCPR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap",
              "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")
BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")
SETTINGS_ORDER = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors",
    "hideGrammaticalErrors", "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate",
    "linkStyles", "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge",
    "revisionView", "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting", "documentProtection",
    "autoFormatOverride", "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation",
    "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope",
    "summaryLength", "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders",
    "bookFoldRevPrinting", "bookFoldPrinting", "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing", "displayHorizontalDrawingGridEvery",
    "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
    "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema", "saveInvalidXml",
    "ignoreMixedContent", "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml", "saveXmlDataOnly",
    "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags", "alwaysMergeEmptyNamespace",
    "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
    "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
)


# -- generic ------------------------------------------------------------------------------

# Formatted property elements, one per distinct format: a document sets a few dozen formats
# on thousands of runs and paragraphs, and copying a finished element is a fraction of
# building it child by child. Bounded: emptied when it would pass the limit.
_TEMPLATES: dict[tuple[Hashable, ...], BaseOxmlElement] = {}
_TEMPLATE_LIMIT = 512


def _formatted(element: BaseOxmlElement, key: tuple[Hashable, ...], build: Callable[[BaseOxmlElement], None]) -> None:
    """`build(element)`, from a copy of what it built before when `element` is still empty
    (a new run's or paragraph's properties); any other element is built on directly. The
    key starts with the element's tag (rPr, pPr)."""
    if len(element) or element.attrib:
        build(element)
        return
    template = _TEMPLATES.get(key)
    if template is None:
        if len(_TEMPLATES) >= _TEMPLATE_LIMIT:
            _TEMPLATES.clear()
        template = OxmlElement(f"w:{key[0]}")
        build(template)
        _TEMPLATES[key] = template  # kept only once whole: `gongwen serve` renders in threads
    for child in template:
        element.append(deepcopy(child))
    element.attrib.update(template.attrib)


def set_child(parent: BaseOxmlElement, tag: str, order: Sequence[str], **attrs: str) -> BaseOxmlElement:
    """The `w:<tag>` child of `parent` (created in schema order if missing) with `attrs` set."""
    element = parent.find(_w(tag))
    if element is None:
        element = OxmlElement(f"w:{tag}")
        _insert_in_order(parent, element, _later(tuple(order), tag))
    for name, value in attrs.items():
        element.set(_w(name), value)
    return element


@lru_cache(maxsize=512)  # a few dozen names, asked for thousands of times a document
def _w(name: str) -> str:
    return qn(f"w:{name}")


@lru_cache(maxsize=512)
def _later(order: tuple[str, ...], tag: str) -> frozenset[str]:
    """The clark names of the elements that come after `tag` in schema `order`."""
    return frozenset(_w(name) for name in order[order.index(tag) + 1:])


def _insert_in_order(parent: BaseOxmlElement, element: BaseOxmlElement, later: frozenset[str]) -> None:
    for index, sibling in enumerate(parent):
        if sibling.tag in later:
            parent.insert(index, element)
            return
    parent.append(element)


def set_exact_line(ppr_element: BaseOxmlElement, line_twips: int) -> None:
    """A paragraph's exact line height, nothing else changed."""
    set_child(ppr_element, "spacing", PPR_ORDER, line=str(line_twips), lineRule="exact")


def remove_element(element: BaseOxmlElement) -> None:
    """Take a written paragraph out of the document again."""
    element.getparent().remove(element)


def remove_children(parent: BaseOxmlElement, tag: str) -> None:
    for element in parent.findall(qn(f"w:{tag}")):
        parent.remove(element)


# -- the elements behind python-docx objects --------------------------------------------------
# python-docx exposes these only as private attributes; writers reach them through here.

def paragraph_element(paragraph: Any) -> BaseOxmlElement:
    return paragraph._p  # type: ignore[no-any-return]


def paragraph_pr(paragraph: Any) -> BaseOxmlElement:
    return ppr(paragraph._p)


def run_element(run: Any) -> BaseOxmlElement:
    return run._r  # type: ignore[no-any-return]


def run_pr(run: Any) -> BaseOxmlElement:
    return rpr(run._r)


def table_element(table: Any) -> BaseOxmlElement:
    return table._tbl  # type: ignore[no-any-return]


def row_element(row: Any) -> BaseOxmlElement:
    return row._tr  # type: ignore[no-any-return]


def cell_element(cell: Any) -> BaseOxmlElement:
    return cell._tc  # type: ignore[no-any-return]


def section_pr(section: Any) -> BaseOxmlElement:
    return section._sectPr  # type: ignore[no-any-return]


def document_defaults(styles: Any) -> tuple[BaseOxmlElement, BaseOxmlElement]:
    """The styles part's default run and paragraph properties (w:docDefaults)."""
    defaults = styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    paragraph_defaults = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    return run_defaults, paragraph_defaults


def style_prs(style: Any) -> tuple[BaseOxmlElement, BaseOxmlElement]:
    """A style's run and paragraph properties, created when missing."""
    element = style.element
    return element.get_or_add_rPr(), element.get_or_add_pPr()


def section_break_paragraphs(document: Any) -> list[BaseOxmlElement]:
    """The body paragraphs that end a section (their pPr holds a sectPr)."""
    return [p for p in document.element.body.iterchildren(qn("w:p"))
            if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]


def column_paragraphs(table: Any, column: int, first_row: int = 0) -> list[BaseOxmlElement]:
    """The first paragraph of each physical cell `column`, from `first_row` down: cells merged
    away vertically are still there in the XML, and python-docx's cell API would return the
    merged cell instead."""
    return [row.tc_lst[column].p_lst[0] for row in table._tbl.tr_lst[first_row:]]


def ppr(paragraph_element: BaseOxmlElement) -> BaseOxmlElement:
    return paragraph_element.get_or_add_pPr()  # type: ignore[no-any-return]


def rpr(run_element: BaseOxmlElement) -> BaseOxmlElement:
    return run_element.get_or_add_rPr()  # type: ignore[no-any-return]


# -- run properties ------------------------------------------------------------------------

def set_fonts(rpr_element: BaseOxmlElement, family: str) -> None:
    """One family for every script slot. Word and WPS pick Chinese text's font from
    w:eastAsia; ASCII digits inside 仿宋 text come from w:ascii/w:hAnsi. The theme
    attributes are dropped because they would win over the explicit names."""
    fonts = set_child(rpr_element, "rFonts", RPR_ORDER, ascii=family, hAnsi=family, eastAsia=family, cs=family,
                      hint="eastAsia")
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)


def set_run_format(rpr_element: BaseOxmlElement, *, family: str, size_pt: float, color: str | None = None,
                   bold: bool = False, spacing_twips: int = 0, scale_pct: int = 100) -> None:
    """Font, size, colour, weight, tracking and horizontal scale of a run (or a style)."""
    key = ("rPr", family, size_pt, color, bold, spacing_twips, scale_pct)
    _formatted(rpr_element, key, lambda rpr: _build_run_format(rpr, family, size_pt, color, bold, spacing_twips,
                                                                 scale_pct))


def _build_run_format(rpr_element: BaseOxmlElement, family: str, size_pt: float, color: str | None, bold: bool,
                      spacing_twips: int, scale_pct: int) -> None:
    set_fonts(rpr_element, family)
    if bold:
        set_child(rpr_element, "b", RPR_ORDER)
        set_child(rpr_element, "bCs", RPR_ORDER)
    # The grid is kept for Word's page set-up dialog but text must not snap to it:
    # LibreOffice would give every 16 pt ideograph two 15.75 pt cells.
    set_child(rpr_element, "snapToGrid", RPR_ORDER, val="0")
    if color:
        set_child(rpr_element, "color", RPR_ORDER, val=color)
    if spacing_twips:
        set_child(rpr_element, "spacing", RPR_ORDER, val=str(spacing_twips))
    if scale_pct != 100:
        set_child(rpr_element, "w", RPR_ORDER, val=str(scale_pct))
    half_points = str(round(size_pt * 2))
    set_child(rpr_element, "sz", RPR_ORDER, val=half_points)
    set_child(rpr_element, "szCs", RPR_ORDER, val=half_points)


def set_language(rpr_element: BaseOxmlElement, east_asia: str) -> None:
    """Line breaking (避头尾 lists) in LibreOffice follows the East Asian language."""
    set_child(rpr_element, "lang", RPR_ORDER, val="en-US", eastAsia=east_asia, bidi="ar-SA")


# -- paragraph properties ------------------------------------------------------------------

def set_paragraph_format(ppr_element: BaseOxmlElement, *, line_twips: int, align: str | None = None,
                         first_line_twips: int = 0, left_twips: int = 0, right_twips: int = 0,
                         keep_next: bool = False, page_break_before: bool = False,
                         widow_control: bool = False) -> None:
    """Exact line height, no spacing before/after, indents and alignment; snapping and
    hanging punctuation switched off so every reader counts the same lines (22 a page, 28
    characters a line); widow control (two lines) only where asked."""
    key = ("pPr", line_twips, align, first_line_twips, left_twips, right_twips, keep_next, page_break_before,
           widow_control)
    _formatted(ppr_element, key, lambda ppr: _build_paragraph_format(
        ppr, line_twips, align, first_line_twips, left_twips, right_twips, keep_next, page_break_before,
        widow_control))


def _build_paragraph_format(ppr_element: BaseOxmlElement, line_twips: int, align: str | None, first_line_twips: int,
                            left_twips: int, right_twips: int, keep_next: bool, page_break_before: bool,
                            widow_control: bool) -> None:
    if keep_next:
        set_child(ppr_element, "keepNext", PPR_ORDER)
    if page_break_before:
        set_child(ppr_element, "pageBreakBefore", PPR_ORDER)
    set_child(ppr_element, "widowControl", PPR_ORDER, val="1" if widow_control else "0")
    set_child(ppr_element, "kinsoku", PPR_ORDER, val="1")
    # LibreOffice reads overflowPunct inverted (1 = no hanging punctuation there), Word reads
    # 1 as its default (hang). 1 keeps LibreOffice to 28 characters a line and leaves Word as
    # its users know it; see shared/spec/word-layout-notes.md.
    set_child(ppr_element, "overflowPunct", PPR_ORDER, val="1")
    # Asian/Western autospace off: the grid already spaces digits (2024年, not "2024 年"), and
    # Word and WPS then set them as the PDF does. LibreOffice 7.4 ignores the switch (measured:
    # 0.2 em stays), which the line prediction in writers/docx/flow.py models.
    set_child(ppr_element, "autoSpaceDE", PPR_ORDER, val="0")
    set_child(ppr_element, "autoSpaceDN", PPR_ORDER, val="0")
    set_child(ppr_element, "snapToGrid", PPR_ORDER, val="0")
    set_child(ppr_element, "spacing", PPR_ORDER, before="0", after="0", line=str(line_twips), lineRule="exact")
    indent = {"left": str(left_twips), "right": str(right_twips)}
    if first_line_twips >= 0:
        indent["firstLine"] = str(first_line_twips)
    else:
        indent["hanging"] = str(-first_line_twips)
    set_child(ppr_element, "ind", PPR_ORDER, **indent)
    if align:
        set_child(ppr_element, "jc", PPR_ORDER, val=align)


def set_tab_stops(ppr_element: BaseOxmlElement, stops: Iterable[tuple[str, int]]) -> None:
    """Tab stops as (alignment, position in twips from the left indent)."""
    tabs = set_child(ppr_element, "tabs", PPR_ORDER)
    for alignment, position in stops:
        tab = OxmlElement("w:tab")
        tab.set(qn("w:val"), alignment)
        tab.set(qn("w:pos"), str(position))
        tabs.append(tab)


def set_paragraph_border(ppr_element: BaseOxmlElement, side: str, *, eighths: int, color: str,
                         space_pt: int = 0) -> None:
    """A single line on one side of a paragraph (`sz` in eighths of a point)."""
    borders = set_child(ppr_element, "pBdr", PPR_ORDER)
    set_child(borders, side, PBDR_ORDER, val="single", sz=str(eighths), space=str(space_pt), color=color)


# -- tables --------------------------------------------------------------------------------

def tbl_pr(table_element: BaseOxmlElement) -> BaseOxmlElement:
    return table_element.tblPr  # type: ignore[no-any-return]


def set_table_geometry(table_element: BaseOxmlElement, *, width_twips: int, column_twips: Sequence[int],
                       align: str = "center") -> None:
    """Fixed layout, zero cell margins, no borders: the table is a placement device."""
    properties = tbl_pr(table_element)
    remove_children(properties, "tblStyle")
    set_child(properties, "tblW", TBLPR_ORDER, w=str(width_twips), type="dxa")
    set_child(properties, "jc", TBLPR_ORDER, val=align)
    set_child(properties, "tblInd", TBLPR_ORDER, w="0", type="dxa")
    borders = set_child(properties, "tblBorders", TBLPR_ORDER)
    for side in BORDER_SIDES:
        set_child(borders, side, BORDER_SIDES, val="nil")
    set_child(properties, "tblLayout", TBLPR_ORDER, type="fixed")
    margins = set_child(properties, "tblCellMar", TBLPR_ORDER)
    for side in ("top", "left", "bottom", "right"):
        set_child(margins, side, ("top", "left", "bottom", "right"), w="0", type="dxa")
    grid = table_element.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), column_twips, strict=True):
        column.set(qn("w:w"), str(width))
    for row in table_element.tr_lst:
        for cell, width in zip(row.tc_lst, column_twips, strict=True):
            set_child(cell.get_or_add_tcPr(), "tcW", TCPR_ORDER, w=str(width), type="dxa")


def set_table_position(table_element: BaseOxmlElement, *, x_twips: int, y_twips: int) -> None:
    """A floating table `x_twips` from the page's left edge and `y_twips` below the top
    margin (the 版心's top edge). LibreOffice 7.4 keeps a table as wide as the text area
    inline unless its horizontal position is taken from the page, and ignores a vertical
    position taken from the page; the top margin is the same in every section, whatever
    footer a section has."""
    set_child(tbl_pr(table_element), "tblpPr", TBLPR_ORDER, leftFromText="0", rightFromText="0",
              topFromText="0", bottomFromText="0", vertAnchor="margin", horzAnchor="page",
              tblpX=str(x_twips), tblpY=str(y_twips))
    set_child(tbl_pr(table_element), "tblOverlap", TBLPR_ORDER, val="never")


def set_row_height(row_element: BaseOxmlElement, height_twips: int, rule: str = "exact") -> None:
    tr_pr = row_element.get_or_add_trPr()
    set_child(tr_pr, "cantSplit", TRPR_ORDER)
    set_child(tr_pr, "trHeight", TRPR_ORDER, val=str(height_twips), hRule=rule)


def set_cell_valign(cell_element: BaseOxmlElement, value: str) -> None:
    set_child(cell_element.get_or_add_tcPr(), "vAlign", TCPR_ORDER, val=value)


def set_cell_border(cell_element: BaseOxmlElement, side: str, *, eighths: int, color: str) -> None:
    borders = set_child(cell_element.get_or_add_tcPr(), "tcBorders", TCPR_ORDER)
    set_child(borders, side, ("top", "start", "left", "bottom", "end", "right", "insideH", "insideV"),
              val="single", sz=str(eighths), space="0", color=color)


# -- fields --------------------------------------------------------------------------------

def append_line_break(paragraph_element: BaseOxmlElement) -> None:
    """A run holding only <w:br/>: a manual line break (the 标题's lines)."""
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    paragraph_element.append(run)


def field_runs(instruction: str, placeholder: str) -> list[BaseOxmlElement]:
    """The runs of a complex field (begin, instruction, separate, cached result, end);
    the caller copies its run properties into each."""
    begin, separate, end = (_fld_char(kind) for kind in ("begin", "separate", "end"))
    code = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = f" {instruction} "
    code.append(text)
    result = OxmlElement("w:r")
    result_text = OxmlElement("w:t")
    result_text.text = placeholder
    result.append(result_text)
    return [begin, code, separate, result, end]


def _fld_char(kind: str) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


# -- sections and settings -----------------------------------------------------------------

def set_doc_grid(sect_pr: BaseOxmlElement, *, line_pitch_twips: int, char_space: int) -> None:
    """Word's 文档网格 (22 lines × 28 characters): `charSpace` is in 1/4096 pt added to the
    default font size. Paragraphs opt out (snapToGrid 0), but Word's dialog and new text
    typed by a user follow it."""
    set_child(sect_pr, "docGrid", SECTPR_ORDER, type="linesAndChars", linePitch=str(line_pitch_twips),
              charSpace=str(char_space))


def set_settings_flag(settings: Any, tag: str, **attrs: str) -> BaseOxmlElement:
    """A `w:<tag>` switch in the document settings (python-docx's `Settings`)."""
    return set_child(settings.element, tag, SETTINGS_ORDER, **attrs)


# The plan a .docx was written from, as a custom XML data-store item (the kind Word keeps
# when it saves): the importer restores the plan from it exactly (ooxml/read.py).
PLAN_NAMESPACE = "urn:gongwen:plan:1"
_PLAN_ITEM_ID = "{6F1B2D3A-9C4E-4B7A-8E21-0D5C9A7F3B10}"  # fixed: same plan, same bytes
_DATASTORE = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


def embed_plan(document: Any, plan: dict[str, Any], texts: Sequence[str]) -> None:
    """Store `plan` (JSON-ready) and the paragraph texts the document was written with, so
    an import can tell whether the visible text was edited since."""
    payload = json.dumps({"plan": plan, "texts": list(texts)}, ensure_ascii=False, sort_keys=True)
    item = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<plan xmlns="{PLAN_NAMESPACE}">{escape(payload, quote=False)}</plan>'
    props = (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
             f'<ds:datastoreItem ds:itemID="{_PLAN_ITEM_ID}" xmlns:ds="{_DATASTORE}">'
             f'<ds:schemaRefs><ds:schemaRef ds:uri="{PLAN_NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>')
    package = document.part.package
    # python-docx's own template already holds customXml/item1.xml: take the next free names.
    item_part = Part(package.next_partname("/customXml/item%d.xml"), "application/xml", item.encode("utf-8"), package)
    props_name = PackURI(str(item_part.partname).replace("/item", "/itemProps"))
    props_part = Part(props_name, "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
                      props.encode("utf-8"), package)
    item_part.relate_to(props_part, RELATIONSHIP_TYPE.CUSTOM_XML_PROPS)
    document.part.relate_to(item_part, RELATIONSHIP_TYPE.CUSTOM_XML)
