"""Layout settings of a .docx that python-docx does not expose: the document grid and the
snap-to-grid switch (for `gongwen check` when no office suite can print the file)."""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from msgspec import Struct


class DocGrid(Struct, frozen=True):
    type: str | None             # lines, linesAndChars, snapToChars; None: no grid
    line_pitch_twips: int | None


def doc_grid(section: Any) -> DocGrid:
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        return DocGrid(None, None)
    pitch = grid.get(qn("w:linePitch"))
    return DocGrid(grid.get(qn("w:type")), int(pitch) if pitch and pitch.lstrip("-").isdigit() else None)


def snaps_to_grid(paragraph: Any) -> bool:
    """Whether the paragraph follows the document grid (Word's default: yes)."""
    ppr = paragraph._p.pPr
    flag = ppr.find(qn("w:snapToGrid")) if ppr is not None else None
    return flag is None or flag.get(qn("w:val")) not in ("0", "false", "off")


def east_asian_font(style: Any) -> str | None:
    rpr = style.element.rPr
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def requested_fonts(document: Any) -> set[str]:
    """Every East Asian font the document's runs and styles ask for (w:rFonts/@w:eastAsia)."""
    attribute = qn("w:eastAsia")
    found = set()
    for root in (document.element, document.styles.element):
        for fonts in root.iter(qn("w:rFonts")):
            if fonts.get(attribute):
                found.add(fonts.get(attribute))
    return found
