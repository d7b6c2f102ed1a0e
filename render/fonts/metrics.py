"""Advance widths read from font files with fontTools: the one `measure` both fixed-layout
writers (PDF and OFD) lay their pages out with, so they break lines and pages alike.

Widths are in thousandths of an em and summed as reportlab sums them (each glyph's advance
scaled to 1000 units, a character the font lacks taking glyph 0's width, U+00A0 and U+0020
sharing one width): the PDF's glyphs sit exactly where the engine put them.
"""

from __future__ import annotations

import struct
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from msgspec import Struct

from render.atomic import OutputRefused, write_bytes_atomic
from render.cache import cache_folder, content_digest
from render.fonts.resolve import FontError, ResolvedFont

SPACE, NO_BREAK_SPACE = 0x20, 0xA0
_MEMO_KEPT = 1 << 17  # code points a memo keeps: a long-running server meets all of Unicode

_V = TypeVar("_V")


class SortedAdvances(Mapping[int, int]):
    """Code point → advance in font units, over two sorted arrays (as the cache file holds
    them), looked up by bisection. A CJK face maps tens of thousands of characters and a
    document prints a thousand: building a dict of them all would cost ~10 ms a face, in
    every process."""

    __slots__ = ("_codes", "_units")

    def __init__(self, codes: array[int], units: array[int]) -> None:
        self._codes, self._units = codes, units

    @classmethod
    def of(cls, advances: Mapping[int, int]) -> SortedAdvances:
        codes = array("I", sorted(advances))
        return cls(codes, array("I", [advances[code] for code in codes]))

    def find(self, code: int) -> int | None:
        i = bisect_left(self._codes, code)
        return self._units[i] if i < len(self._codes) and self._codes[i] == code else None

    def __getitem__(self, code: int) -> int:
        found = self.find(code)
        if found is None:
            raise KeyError(code)
        return found

    def __contains__(self, code: object) -> bool:
        return isinstance(code, int) and self.find(code) is not None

    def __iter__(self) -> Iterator[int]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)

    def to_bytes(self) -> bytes:
        return self._codes.tobytes() + self._units.tobytes()


class Memo(dict[int, _V]):
    """A dict that fills itself: a missing code point's value is computed once, so lookups
    stay dict lookups in C (bounded, emptied when full)."""

    def __init__(self, compute: Callable[[int], _V]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, code: int) -> _V:
        if len(self) >= _MEMO_KEPT:
            self.clear()
        value = self[code] = self._compute(code)
        return value


class FontWidths(Struct, frozen=True):
    """One font file's advances: code point → width in 1/1000 em (`widths` fills itself)."""

    widths: Mapping[int, float]

    def width(self, ch: str) -> float:
        return self.widths[ord(ch)]

    def string_width(self, text: str, size_pt: float) -> float:
        return 0.001 * size_pt * sum([self.widths[ord(ch)] for ch in text])


class FaceAdvances(Struct, frozen=True):
    """One face's advances as the font stores them: code point → advance in font units."""

    units_per_em: int
    advances: SortedAdvances
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
    return FaceAdvances(units, SortedAdvances.of({code: metrics[glyph][0] for code, glyph in cmap.items()}),
                        metrics[glyph_zero][0])


def _encode(face: FaceAdvances) -> bytes:
    return _HEADER.pack(_MAGIC, face.units_per_em, face.glyph_zero, len(face.advances)) + face.advances.to_bytes()


def _decode(data: bytes) -> FaceAdvances:
    magic, units, glyph_zero, count = _HEADER.unpack_from(data)
    if magic != _MAGIC or len(data) != _HEADER.size + 8 * count or units == 0:
        raise ValueError("not an advances cache")
    codes, advances = array("I"), array("I")
    codes.frombytes(data[_HEADER.size:_HEADER.size + 4 * count])
    advances.frombytes(data[_HEADER.size + 4 * count:])
    return FaceAdvances(units, SortedAdvances(codes, advances), glyph_zero)


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
    find = face.advances.find
    # U+0020 and U+00A0 share one width: the space's where the font has one.
    shared = SPACE if SPACE in face.advances else NO_BREAK_SPACE

    def width(code: int) -> float:
        found = find(shared if code in (SPACE, NO_BREAK_SPACE) else code)
        units = face.glyph_zero if found is None else found
        return units * scale if scale != 1 else units

    return FontWidths(Memo(width))


class RoleMetrics(Struct, frozen=True):
    """Font role → the widths of the file it resolved to."""

    widths: Mapping[str, FontWidths]

    def measure(self, text: str, role: str, size_pt: float) -> float:
        return self.widths[role].string_width(text, size_pt)


def role_metrics(resolved: Mapping[str, ResolvedFont]) -> RoleMetrics:
    return RoleMetrics(MappingProxyType({role: font_widths(font.path, font.subfont_index)
                                         for role, font in resolved.items()}))
