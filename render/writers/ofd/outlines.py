"""The 发文机关标志 (and a 简报's red name) as glyph outlines: OFD PathObjects filled in their
colour, so the 红头 looks the same in every reader, with the fonts it has or not (a reader
that draws text with installed fonts would otherwise put another face in the 版头).
The text itself stays on the page, unpainted, for searching and copying."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from msgspec import Struct

from render.writers.ofd.xml import num

# Tags of the runs drawn as outlines (render/layout/compose*.py name them).
OUTLINED_TAGS = frozenset({"mark", "bulletin.name"})


class Placement(Struct, frozen=True):
    """Where glyphs go, in the object's space (mm): the baseline's y, the em size, the
    horizontal scale, and each character's pen x."""

    baseline: float
    size: float
    scale: float
    pens: Sequence[float]


class _OfdPathPen(BasePen):  # type: ignore[misc]
    """Records an outline as OFD's abbreviated path data (AbbreviatedData: M L Q B C),
    font units (y up) mapped onto the object's space (y down)."""

    def __init__(self, glyph_set: object, origin_x: float, baseline: float, em: float, scale: float) -> None:
        super().__init__(glyph_set)
        self.origin_x, self.baseline, self.em, self.scale = origin_x, baseline, em, scale
        self.commands: list[str] = []

    def _point(self, point: tuple[float, float]) -> str:
        x, y = point
        return f"{num(self.origin_x + x * self.em * self.scale)} {num(self.baseline - y * self.em)}"

    def _moveTo(self, point: tuple[float, float]) -> None:
        self.commands.append(f"M {self._point(point)}")

    def _lineTo(self, point: tuple[float, float]) -> None:
        self.commands.append(f"L {self._point(point)}")

    def _qCurveToOne(self, control: tuple[float, float], point: tuple[float, float]) -> None:
        self.commands.append(f"Q {self._point(control)} {self._point(point)}")

    def _curveToOne(self, first: tuple[float, float], second: tuple[float, float],
                    point: tuple[float, float]) -> None:
        self.commands.append(f"B {self._point(first)} {self._point(second)} {self._point(point)}")

    def _closePath(self) -> None:
        self.commands.append("C")


@cache
def _face(path: Path, subfont_index: int) -> TTFont:
    return TTFont(str(path), fontNumber=subfont_index, lazy=True)


def outline_data(path: Path, subfont_index: int, text: str, at: Placement) -> str:
    """The path data of `text`'s glyphs set as `at` says; empty when no glyph has ink."""
    font = _face(path, subfont_index)
    cmap = font.getBestCmap() or {}
    glyphs = font.getGlyphSet()
    em = at.size / font["head"].unitsPerEm
    commands: list[str] = []
    for ch, pen_x in zip(text, at.pens):
        name = cmap.get(ord(ch))
        if name is None:
            continue
        pen = _OfdPathPen(glyphs, pen_x, at.baseline, em, at.scale)
        glyphs[name].draw(pen)
        commands += pen.commands
    return " ".join(commands)
