"""Advance widths read from font files with fontTools: the one `measure` both fixed-layout
writers (PDF and OFD) lay their pages out with, so they break lines and pages alike.

Widths are in thousandths of an em and summed as reportlab sums them (each glyph's advance
scaled to 1000 units, a character the font lacks taking glyph 0's width, U+00A0 and U+0020
sharing one width): the PDF's glyphs sit exactly where the engine put them.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

from msgspec import Struct

from render.atomic import OutputRefused, write_bytes_atomic
from render.cache import cache_folder, content_digest
from render.fonts.resolve import FontError, ResolvedFont

SPACE, NO_BREAK_SPACE = 0x20, 0xA0


class FontWidths(Struct, frozen=True):
    """One font file's advances: code point → width in 1/1000 em."""

    widths: Mapping[int, float]
    default: float

    def width(self, ch: str) -> float:
        return self.widths.get(ord(ch), self.default)

    def has(self, ch: str) -> bool:
        return ord(ch) in self.widths

    def string_width(self, text: str, size_pt: float) -> float:
        return 0.001 * size_pt * sum([self.widths.get(ord(ch), self.default) for ch in text])


class FaceAdvances(Struct, frozen=True):
    """One face's advances as the font stores them: code point → advance in font units."""

    units_per_em: int
    advances: Mapping[int, int]
    glyph_zero: int   # the advance of glyph 0 (.notdef), for characters the font lacks


_MAGIC = b"gwadv1"
_HEADER = struct.Struct("<6sIII")   # magic, units per em, glyph 0's advance, count


def _read_face(path: Path, subfont_index: int) -> FaceAdvances:
    # fontTools only when the advances are not in the cache on disk.
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(str(path), fontNumber=subfont_index, lazy=True)
        cmap = font.getBestCmap()
        metrics = font["hmtx"].metrics
        units = font["head"].unitsPerEm
        glyph_zero = font.getGlyphOrder()[0]
    except (OSError, TTLibError, KeyError, AttributeError) as error:
        raise FontError(f"无法读取字体 {path} 的字宽：{error}") from error
    if cmap is None:
        raise FontError(f"字体 {path} 没有 Unicode 字符映射表（cmap）")
    return FaceAdvances(units, {code: metrics[glyph][0] for code, glyph in cmap.items()}, metrics[glyph_zero][0])


def _encode(face: FaceAdvances) -> bytes:
    codes = array("I", sorted(face.advances))
    advances = array("I", [face.advances[code] for code in codes])
    return _HEADER.pack(_MAGIC, face.units_per_em, face.glyph_zero, len(codes)) + codes.tobytes() + advances.tobytes()


def _decode(data: bytes) -> FaceAdvances:
    magic, units, glyph_zero, count = _HEADER.unpack_from(data)
    if magic != _MAGIC or len(data) != _HEADER.size + 8 * count or units == 0:
        raise ValueError("not an advances cache")
    codes, advances = array("I"), array("I")
    codes.frombytes(data[_HEADER.size:_HEADER.size + 4 * count])
    advances.frombytes(data[_HEADER.size + 4 * count:])
    return FaceAdvances(units, dict(zip(codes, advances)), glyph_zero)


@cache
def face_advances(path: Path, subfont_index: int = 0) -> FaceAdvances:
    """The advances of one face, from the cache on disk when it holds this font's content
    (a CJK face maps tens of thousands of characters: parsing its cmap and hmtx with
    fontTools costs a tenth of a second or more, the cache a few milliseconds). The cache
    file is named by the font file's SHA-256, so a changed font is read afresh."""
    try:
        cached = cache_folder() / "fonts" / f"advances-{content_digest(path)}-{subfont_index}.bin"
    except OSError:
        return _read_face(path, subfont_index)
    try:
        return _decode(cached.read_bytes())
    except (OSError, ValueError, struct.error):
        pass
    face = _read_face(path, subfont_index)
    try:
        write_bytes_atomic(cached, _encode(face))
    except (OSError, OutputRefused):
        pass  # no cache this time: the next run parses the font again
    return face


@cache
def font_widths(path: Path, subfont_index: int = 0) -> FontWidths:
    """The advances of one face scaled to 1/1000 em (cached per process)."""
    face = face_advances(path, subfont_index)
    scale = 1000 / face.units_per_em
    # Tens of thousands of code points a CJK face: scaled in C, not a call each.
    widths: dict[int, float] = (dict(zip(face.advances, map(scale.__mul__, face.advances.values())))
                                if scale != 1 else dict(face.advances))
    if SPACE in widths:
        widths[NO_BREAK_SPACE] = widths[SPACE]
    elif NO_BREAK_SPACE in widths:
        widths[SPACE] = widths[NO_BREAK_SPACE]
    return FontWidths(MappingProxyType(widths), face.glyph_zero * scale if scale != 1 else face.glyph_zero)


class RoleMetrics(Struct, frozen=True):
    """Font role → the widths of the file it resolved to."""

    widths: Mapping[str, FontWidths]

    def measure(self, text: str, role: str, size_pt: float) -> float:
        return self.widths[role].string_width(text, size_pt)


def role_metrics(resolved: Mapping[str, ResolvedFont]) -> RoleMetrics:
    return RoleMetrics(MappingProxyType({role: font_widths(font.path, font.subfont_index)
                                         for role, font in resolved.items()}))
