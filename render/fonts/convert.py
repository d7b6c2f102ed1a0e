"""CFF (PostScript) outlines to TrueType, and checks that a font file can be embedded:
reportlab embeds only `glyf` outlines, and Debian has no TrueType 仿宋."""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from pathlib import Path

from fontTools.pens.areaPen import AreaPen
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._g_l_y_f import Glyph
from fontTools.ttLib.tables._m_a_x_p import table__m_a_x_p

from render.fonts.resolve import FANGSONG_CHECK_CHARS, FontError


def _quadratic_glyphs(font: TTFont, max_err: float) -> dict[str, Glyph]:
    """Every glyph redrawn with quadratic curves, outer contours clockwise as TrueType wants.

    PostScript outlines run counter-clockwise, but FandolFang draws its CJK glyphs the other
    way round, so the direction is decided per glyph from its signed area.
    """
    glyph_set = font.getGlyphSet()
    glyphs: dict[str, Glyph] = {}
    for name in font.getGlyphOrder():
        recording = RecordingPen()
        glyph_set[name].draw(recording)
        area = AreaPen()
        recording.replay(area)
        pen = TTGlyphPen(glyph_set)
        recording.replay(Cu2QuPen(pen, max_err, reverse_direction=area.value > 0))
        glyphs[name] = pen.glyph()
    return glyphs


def _truetype_maxp() -> table__m_a_x_p:
    """A version 1.0 maxp; the point and contour maxima are recalculated on save."""
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in (
        "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
        "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    return maxp


def _fit_side_bearings(font: TTFont, vertical_origins: Mapping[str, int] | None) -> None:
    """TrueType readers take lsb = xMin and the vertical origin from tsb + yMax."""
    glyf, hmtx = font["glyf"], font["hmtx"].metrics
    vmtx = font["vmtx"].metrics if "vmtx" in font else None
    for name in font.getGlyphOrder():
        glyph = glyf[name]
        if glyph.numberOfContours == 0:
            continue
        hmtx[name] = (hmtx[name][0], glyph.xMin)
        if vmtx is not None and vertical_origins is not None:
            vmtx[name] = (vmtx[name][0], vertical_origins[name] - glyph.yMax)


def _vertical_origins(font: TTFont) -> dict[str, int] | None:
    if "VORG" not in font:
        return None
    vorg = font["VORG"]
    return {name: vorg.VOriginRecords.get(name, vorg.defaultVertOriginY) for name in font.getGlyphOrder()}


def convert_cff_to_truetype(source: Path, target: Path, max_err: float = 1.0) -> None:
    """Write `source` (an OpenType font with CFF outlines) as a TrueType (glyf) font.

    `max_err` is the largest distance, in font units, between a cubic curve and its
    quadratic approximation (1 unit of a 1000 em is invisible at any print size).
    """
    font = TTFont(source)
    if "CFF " not in font:
        raise FontError(f"{source} 不是 CFF 轮廓的 OpenType 字体，无需转换")
    origins = _vertical_origins(font)
    glyph_order = font.getGlyphOrder()
    glyphs = _quadratic_glyphs(font, max_err)
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    for glyph in glyphs.values():
        glyph.recalcBounds(glyf)
    _fit_side_bearings(font, origins)
    font["maxp"] = _truetype_maxp()
    font["maxp"].numGlyphs = len(glyph_order)
    font["head"].glyphDataFormat = 0
    # Format 3 keeps no glyph names: a CID font's names (cid01234) carry nothing.
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    font.recalcTimestamp = False  # the same source gives the same bytes
    font.save(target, reorderTables=True)
    font.close()


# --------------------------------------------------------------------------- checks


def check_font_file(path: Path, chars: str = FANGSONG_CHECK_CHARS, subfont_index: int = 0) -> None:
    """Raise FontError unless the font has glyf outlines, maps `chars` and reportlab embeds it."""
    number = subfont_index if path.suffix.lower() == ".ttc" else -1
    font = TTFont(path, fontNumber=number, lazy=True)
    try:
        if "glyf" not in font:
            raise FontError(f"字体文件 {path} 不含 TrueType 轮廓（glyf 表）")
        cmap = font.getBestCmap() or {}
        missing = [char for char in chars if ord(char) not in cmap]
        if missing:
            raise FontError(f"字体文件 {path} 缺少字符：{''.join(missing)}")
    finally:
        font.close()
    _check_reportlab_draws(path, chars, subfont_index)


def _check_reportlab_draws(path: Path, chars: str, subfont_index: int) -> None:
    # Imported here: only the set-up needs reportlab, and `gongwen fonts` should start fast.
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as ReportlabFont
    from reportlab.pdfgen import canvas

    name = f"gongwen-check-{path.stem}-{subfont_index}"
    try:
        pdfmetrics.registerFont(ReportlabFont(name, str(path), subfontIndex=subfont_index))
        sheet = canvas.Canvas(BytesIO())
        sheet.setFont(name, 16)
        sheet.drawString(72, 720, chars)
        sheet.save()
    except Exception as error:  # reportlab raises bare Exception subclasses of many kinds
        raise FontError(f"reportlab 无法使用字体 {path}：{error}") from error


