"""Where each character of a placed text run goes: what a fixed-layout writer needs between
the display list and its drawing calls (the PDF cuts runs at font-subset switches, the OFD
writes each character's advance as `DeltaX`)."""

from __future__ import annotations

from render.layout.linebreak import Measure
from render.layout.model import PlacedText


def advances(item: PlacedText, measure: Measure) -> tuple[float, ...]:
    """How far the pen moves after each character, in points: its natural width (measure ×
    the horizontal scale) plus the run's character spacing."""
    style = item.style
    return tuple(measure(ch, style) * style.scale_x + item.char_spacing_pt for ch in item.text)


def pen_positions(item: PlacedText, measure: Measure) -> tuple[float, ...]:
    """The x of each character's origin, in points from the page's left edge."""
    x, positions = item.x_pt, []
    for step in advances(item, measure):
        positions.append(x)
        x += step
    return tuple(positions)
