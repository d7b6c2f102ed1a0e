"""Laid-out pages as OFD page content: the only module that knows OFD's graphic objects.

The engine's pages are in points from the top-left, y down; OFD is in millimetres from the
top-left, y down, so coordinates are only divided by `MM`. Each object's coordinates are
relative to its `Boundary`'s top-left corner.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree
from msgspec import Struct, field

from render.layout import Measure, Page, PlacedImage, PlacedRule, PlacedText
from render.layout.glyphs import Pens
from render.measure import MM
from render.writers.ofd.fonts import FontTable
from render.writers.ofd.outlines import OUTLINED_TAGS, Placement, outline_data
from render.writers.ofd.xml import Ids, num, nums, rgb, root, sub, xml_legal

if TYPE_CHECKING:
    from PIL.Image import Image as PilImage

# A text object's Boundary reaches this far above the baseline and below it (in ems) and
# this far left and right of the pen's path: some renderers clip to the Boundary.
ABOVE_EM, BELOW_EM, SIDE_EM = 1.2, 0.4, 0.25
BOLD_WEIGHT = "700"  # GB/T 33190 CT_Text Weight: 400 is normal
# Image formats stored as they are: among those GB/T 33190 names for images (BMP, JPEG,
# PNG, TIFF), the ones every reader takes; anything else (a GIF, a WebP, a multi-page TIFF)
# is stored as PNG.
OFD_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "BMP": "bmp"}
PNG_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"})


class MediaFile(Struct, frozen=True):
    media_id: int
    format: str
    file_name: str
    data: bytes


class MediaTable(Struct):
    """Image file → its MultiMedia resource, each file stored once."""

    by_path: dict[str, MediaFile] = field(default_factory=dict)

    def media_for(self, path: str, ids: Ids) -> MediaFile:
        media = self.by_path.get(path)
        if media is None:
            media_id = ids.next()
            fmt, extension, data = _image_data(Path(path))
            media = self.by_path[path] = MediaFile(media_id, fmt, f"image_{media_id}.{extension}", data)
        return media

    def media(self) -> list[MediaFile]:
        return sorted(self.by_path.values(), key=lambda media: media.media_id)


def _image_data(path: Path) -> tuple[str, str, bytes]:
    from PIL import Image

    with Image.open(path) as image:
        fmt = image.format or ""
        if fmt in OFD_IMAGE_FORMATS:
            return fmt, OFD_IMAGE_FORMATS[fmt], path.read_bytes()
        buffer = _png(image)
    return "PNG", "png", buffer


def _png(image: PilImage) -> bytes:
    if image.mode not in PNG_MODES:  # CMYK, YCbCr, …: PNG holds none of them
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def xml_text(text: str, steps: list[float]) -> tuple[float, str, list[float]]:
    """The run without the characters XML cannot hold (control characters a plan may carry),
    each one's advance given to the character before it, so every other character stays
    where the layout put it: (advance before the first kept character, text, steps)."""
    lead, kept, kept_steps = 0.0, [], []
    for ch, step in zip(text, steps):
        if xml_legal(ch):
            kept.append(ch)
            kept_steps.append(step)
        elif kept_steps:
            kept_steps[-1] += step
        else:
            lead += step
    return lead, "".join(kept), kept_steps


class PageWriter:
    def __init__(self, ids: Ids, fonts: FontTable, media: MediaTable, measure: Measure,
                 page_box: tuple[float, float], bold_stroke: float) -> None:
        self.ids = ids
        self.fonts = fonts
        self.media = media
        self.pens = Pens(measure)
        self.page_box = page_box
        self.bold_stroke = bold_stroke

    def content(self, page: Page) -> etree._Element:
        element = root("Page")
        sub(sub(element, "Area"), "PhysicalBox", nums(0, 0, *self.page_box))
        layer = sub(sub(element, "Content"), "Layer", ID=str(self.ids.next()), Type="Body")
        for item in page.items:
            if isinstance(item, PlacedText):
                self.text(layer, item)
            elif isinstance(item, PlacedRule):
                self.rule(layer, item)
            elif isinstance(item, PlacedImage):
                self.image(layer, item)
        return element

    def text(self, layer: etree._Element, item: PlacedText) -> None:
        lead, text, steps = xml_text(item.text, [step / MM for step in self.pens.advances(item)])
        if not text:
            return
        style = item.style
        font = self.fonts.font_for(style.font_role, self.ids)
        font.chars.update(text)
        size = style.size_pt / MM
        scale = style.scale_x
        pad = SIDE_EM * size
        width = sum(steps) + 2 * pad
        left, top = (item.x_pt / MM + lead) - pad, item.baseline_y_pt / MM - ABOVE_EM * size
        attributes = {"ID": str(self.ids.next()),
                      "Boundary": nums(left, top, width, (ABOVE_EM + BELOW_EM) * size),
                      "Font": str(font.font_id), "Size": num(size)}
        if scale != 1.0:
            # Condensed text (the 发文机关标志): glyphs and advances alike scaled in x.
            attributes["CTM"] = f"{scale:.6f} 0 0 1 0 0"
        if style.bold:
            # As in the PDF: CJK 公文 fonts have no bold face, the outline is stroked over the
            # fill. Weight says it is bold to readers that do not stroke text (ofd.js
            # embolden it then, as browsers embolden a face without a bold).
            attributes.update(Weight=BOLD_WEIGHT, Stroke="true",
                              LineWidth=num(style.size_pt * self.bold_stroke / MM))
        outlined = item.tag in OUTLINED_TAGS
        if outlined:
            self.outline(layer, item, text, steps, attributes["Boundary"], pad)
            # Searchable and copyable, but painted by the outlines (ofd.js ignores Fill, not Alpha).
            attributes["Fill"] = "false"
        element = sub(layer, "TextObject", **attributes)
        fill = sub(element, "FillColor", Value=rgb(style.color))
        if outlined:
            fill.set("Alpha", "0")
        if style.bold:
            sub(element, "StrokeColor", Value=rgb(style.color))
        # X and DeltaX are in the object's space, which the CTM scales.
        code = sub(element, "TextCode", text, X=num(pad / scale), Y=num(ABOVE_EM * size))
        if len(steps) > 1:
            code.set("DeltaX", nums(*(step / scale for step in steps[:-1])))

    def outline(self, layer: etree._Element, item: PlacedText, text: str, steps: list[float],
                boundary: str, pad: float) -> None:
        """The run's glyphs as one filled PathObject over the same Boundary as its text."""
        font = self.fonts.resolved[item.style.font_role]
        pens, x = [], pad
        for step in steps:
            pens.append(x)
            x += step
        size = item.style.size_pt / MM
        data = outline_data(font.path, font.subfont_index, text,
                            Placement(ABOVE_EM * size, size, item.style.scale_x, pens))
        if not data:
            return
        element = sub(layer, "PathObject", ID=str(self.ids.next()), Boundary=boundary,
                      Stroke="false", Fill="true")
        sub(element, "FillColor", Value=rgb(item.style.color))
        sub(element, "AbbreviatedData", data)

    def rule(self, layer: etree._Element, item: PlacedRule) -> None:
        thickness = item.thickness_pt / MM
        x1, x2, y = item.x1_pt / MM, item.x2_pt / MM, item.y_pt / MM
        element = sub(layer, "PathObject", ID=str(self.ids.next()),
                      Boundary=nums(x1, y - thickness / 2, x2 - x1, thickness),
                      LineWidth=num(thickness), Stroke="true", Fill="false")
        sub(element, "StrokeColor", Value=rgb(item.color))
        sub(element, "AbbreviatedData", f"M 0 {num(thickness / 2)} L {num(x2 - x1)} {num(thickness / 2)}")

    def image(self, layer: etree._Element, item: PlacedImage) -> None:
        media = self.media.media_for(item.path, self.ids)
        width, height = item.width_pt / MM, item.height_pt / MM
        # An image fills the unit square of its object space: the CTM stretches it to size.
        sub(layer, "ImageObject", ID=str(self.ids.next()),
            Boundary=nums(item.x_pt / MM, item.y_top_pt / MM, width, height),
            CTM=nums(width, 0, 0, height, 0, 0), ResourceID=str(media.media_id))
