"""Advance widths read from font files with fontTools: the one `measure` both fixed-layout
writers (PDF and OFD) lay their pages out with, so they break lines and pages alike.

Widths are in thousandths of an em and summed as reportlab sums them (each glyph's advance
scaled to 1000 units, a character the font lacks taking glyph 0's width, U+00A0 and U+0020
sharing one width): the PDF's glyphs sit exactly where the engine put them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from fontTools.ttLib import TTFont, TTLibError

from render.fonts.resolve import FontError, ResolvedFont

SPACE, NO_BREAK_SPACE = 0x20, 0xA0


@dataclass(frozen=True)
class FontWidths:
    """One font file's advances: code point → width in 1/1000 em."""

    widths: Mapping[int, float]
    default: float

    def width(self, ch: str) -> float:
        return self.widths.get(ord(ch), self.default)

    def has(self, ch: str) -> bool:
        return ord(ch) in self.widths

    def string_width(self, text: str, size_pt: float) -> float:
        return 0.001 * size_pt * sum([self.widths.get(ord(ch), self.default) for ch in text])


@cache
def font_widths(path: Path, subfont_index: int = 0) -> FontWidths:
    """The advances of one face (cached per process: a CJK face maps tens of thousands of
    characters)."""
    try:
        font = TTFont(str(path), fontNumber=subfont_index, lazy=True)
        cmap = font.getBestCmap()
        metrics = font["hmtx"].metrics
        scale = 1000 / font["head"].unitsPerEm
        glyph_zero = font.getGlyphOrder()[0]
    except (OSError, TTLibError, KeyError, AttributeError) as error:
        raise FontError(f"无法读取字体 {path} 的字宽：{error}") from error
    if cmap is None:
        raise FontError(f"字体 {path} 没有 Unicode 字符映射表（cmap）")

    def scaled(advance: int) -> float:
        return advance * scale if scale != 1 else advance

    widths = {code: scaled(metrics[glyph][0]) for code, glyph in cmap.items()}
    if SPACE in widths:
        widths[NO_BREAK_SPACE] = widths[SPACE]
    elif NO_BREAK_SPACE in widths:
        widths[SPACE] = widths[NO_BREAK_SPACE]
    return FontWidths(MappingProxyType(widths), scaled(metrics[glyph_zero][0]))


@dataclass(frozen=True)
class RoleMetrics:
    """Font role → the widths of the file it resolved to."""

    widths: Mapping[str, FontWidths]

    def measure(self, text: str, role: str, size_pt: float) -> float:
        return self.widths[role].string_width(text, size_pt)


def role_metrics(resolved: Mapping[str, ResolvedFont]) -> RoleMetrics:
    return RoleMetrics(MappingProxyType({role: font_widths(font.path, font.subfont_index)
                                         for role, font in resolved.items()}))
