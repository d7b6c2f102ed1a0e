"""Fixed-layout engine: paragraphs broken into lines on the GB/T 9704 grid (22 lines × 28
characters) with 避头尾, lines placed on pages, the 版记 on an even last page, page numbers.

Pure Python, no drawing library: the PDF writer (reportlab) and the OFD writer draw the
returned display lists. Coordinates are points from the page's top-left corner, y down.

    geometry = geometry_from_profile(load_profile(profile_file))
    pages = layout_document(blocks, geometry, measure)

The blocks of a lowered document come from `render.layout.compose.compose_document` (公文)
and `render.layout.compose_bulletin.compose_bulletin` (简报); those two modules read the
typed profile too.
"""

from typing import TYPE_CHECKING

from render.lazy import lazy_names

if TYPE_CHECKING:
    from render.layout.geometry import PageGeometry, geometry_from_profile
    from render.layout.linebreak import Line, Measure, Metrics, Segment, break_paragraph
    from render.layout.model import (
        AbsoluteBlock,
        Align,
        Block,
        FootBlock,
        FootContent,
        ImageBlock,
        LayoutError,
        Page,
        Paragraph,
        PlacedImage,
        PlacedItem,
        PlacedRule,
        PlacedText,
        Rule,
        Run,
        Signature,
        Spacer,
        SplitLine,
        StackedMark,
        TextStyle,
    )
    from render.layout.pages import PAGE_NUMBER_TAG, layout_document
    from render.measure import MM

# Imported on first use: the Word writer breaks lines with linebreak.py and never loads the
# page layout the fixed-layout writers use.
__getattr__ = lazy_names(__name__, {
    "render.layout.geometry": ("PageGeometry", "geometry_from_profile"),
    "render.layout.linebreak": ("Line", "Measure", "Metrics", "Segment", "break_paragraph"),
    "render.layout.model": ("AbsoluteBlock", "Align", "Block", "FootBlock", "FootContent", "ImageBlock",
                            "LayoutError", "Page", "Paragraph", "PlacedImage", "PlacedItem", "PlacedRule",
                            "PlacedText", "Rule", "Run", "Signature", "Spacer", "SplitLine", "StackedMark",
                            "TextStyle"),
    "render.layout.pages": ("PAGE_NUMBER_TAG", "layout_document"),
    "render.measure": ("MM",),
})

__all__ = [
    "MM",
    "PAGE_NUMBER_TAG",
    "AbsoluteBlock",
    "Align",
    "Block",
    "FootBlock",
    "FootContent",
    "ImageBlock",
    "LayoutError",
    "Line",
    "Measure",
    "Metrics",
    "Page",
    "PageGeometry",
    "Paragraph",
    "PlacedImage",
    "PlacedItem",
    "PlacedRule",
    "PlacedText",
    "Rule",
    "Run",
    "Segment",
    "Signature",
    "Spacer",
    "SplitLine",
    "StackedMark",
    "TextStyle",
    "break_paragraph",
    "geometry_from_profile",
    "layout_document",
]
