"""Draw laid-out pages with reportlab: the only module that knows PDF's coordinates.

The engine's pages are in points from the top-left, y down; PDF is from the bottom-left,
y up, so every y becomes `page_height - y`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from render.layout import Page, PlacedImage, PlacedRule, PlacedText
from render.layout.glyphs import Pens
from render.writers.pdf.fonts import PdfFonts

FILL_THEN_STROKE = 2  # PDF text render mode: outline drawn over the fill (synthetic bold)
FILL = 0


class PageDrawer:
    def __init__(self, canvas: Canvas, fonts: PdfFonts, page_height: float,
                 bold_stroke: float) -> None:
        self.canvas = canvas
        self.fonts = fonts
        self.height = page_height
        self.bold_stroke = bold_stroke
        self.pens = Pens(fonts.measure)
        self.subset_names: dict[str, dict[int, str]] = {}

    def draw(self, pages: Sequence[Page]) -> None:
        for page in pages:
            for item in page.items:
                if isinstance(item, PlacedText):
                    self.text(item)
                elif isinstance(item, PlacedRule):
                    self.rule(item)
                elif isinstance(item, PlacedImage):
                    self.image(item)
            self.canvas.showPage()

    def text(self, item: PlacedText) -> None:
        style = item.style
        color = HexColor(f"#{style.color}")
        text = PlacedTextObject(self.canvas)
        text.setFont(self.fonts.name(style.font_role), style.size_pt)
        # Tz and Tc are graphics state: they outlive BT/ET, so every text object sets both.
        text.setHorizScale(style.scale_x * 100)
        # PDF scales Tc by Tz; the engine's spacing is what the page should show.
        text.setCharSpace(item.char_spacing_pt / style.scale_x)
        text.setFillColor(color)
        if style.bold:
            # CJK 公文 fonts have no bold face: outline the glyphs (Word and LibreOffice
            # embolden such fonts alike).
            self.canvas.setStrokeColor(color)
            self.canvas.setLineWidth(style.size_pt * self.bold_stroke)
            text.setTextRenderMode(FILL_THEN_STROKE)
        font = self._font(item)
        text.place(font, self.height - item.baseline_y_pt, self._pieces(item, font),
                   self.subset_names.setdefault(font.fontName, {}))
        if style.bold:
            text.setTextRenderMode(FILL)
        self.canvas.drawText(text)

    def _font(self, item: PlacedText) -> TTFont:
        return pdfmetrics.getFont(self.fonts.name(item.style.font_role))

    def _pieces(self, item: PlacedText, font: TTFont) -> Iterator[tuple[float, int, bytes]]:
        """The text cut where reportlab switches font subsets (256 glyphs each), each piece
        with its own start. reportlab starts a new string at a switch, and pdfminer (hence
        pdfplumber) adds no character spacing after a string's last glyph: positioned
        pieces put every character where the engine put it, in every reader."""
        # splitString assigns subset codes as drawing would; reportlab keeps them per document.
        pieces = font.splitString(item.text, self.canvas._doc)
        positions = self.pens.positions(item)
        start = 0
        for subset, encoded in pieces:
            yield positions[start], subset, encoded
            start += len(encoded)

    def rule(self, item: PlacedRule) -> None:
        self.canvas.setStrokeColor(HexColor(f"#{item.color}"))
        self.canvas.setLineWidth(item.thickness_pt)
        y = self.height - item.y_pt
        self.canvas.line(item.x1_pt, y, item.x2_pt, y)

    def image(self, item: PlacedImage) -> None:
        bottom = self.height - item.y_top_pt - item.height_pt
        # An ImageReader, not the path: reportlab names an image drawn from a path after the
        # path's text, so the same plan in another folder would give other bytes.
        self.canvas.drawImage(ImageReader(str(item.path)), item.x_pt, bottom, item.width_pt, item.height_pt,
                              mask="auto")


class PlacedTextObject(PDFTextObject):  # type: ignore[misc]
    """reportlab's text object, given pieces of TrueType text already cut at subset switches
    and placed. `textOut` would cut each piece again and measure it to move a cursor nobody
    reads: half the PDF's drawing time. The operators are textOut's own: each piece's origin
    (`Tm`), the subset's font when it changes (`Tf`, `TL`), the piece's codes (`Tj`)."""

    _curSubset: int  # reportlab's: the subset its last operator set

    def place(self, font: TTFont, y: float, pieces: Iterable[tuple[float, int, bytes]],
              subset_names: dict[int, str]) -> None:
        """`subset_names` remembers `font`'s subset names in this document (every piece
        switches subset, and a name, once given, stays)."""
        code, doc = self._code, self._canvas._doc
        size_and_leading = f"{fp_str(self._fontsize)} Tf {fp_str(self._leading)} TL"
        at_y = f"{fp_str(y)} Tm"  # fp_str(x, y) is the two numbers, space-separated
        for x, subset, encoded in pieces:
            code.append(f"1 0 0 1 {fp_str(x)} {at_y}")
            if subset != self._curSubset:
                name = subset_names.get(subset)
                if name is None:
                    name = subset_names[subset] = font.getSubsetInternalName(subset, doc)
                code.append(f"{name} {size_and_leading}")
                self._curSubset = subset
            code.append(f"({escapePDF(encoded)}) Tj")
