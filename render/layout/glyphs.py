"""Where each character of a placed text run goes: what a fixed-layout writer needs between
the display list and its drawing calls (the PDF cuts runs at font-subset switches, the OFD
writes each character's advance as `DeltaX`)."""

from __future__ import annotations

from itertools import accumulate

from render.layout.linebreak import Measure
from render.layout.model import PlacedText, TextStyle


class Pens:
    """The pen's steps through a document's runs. Each character is measured once per style
    and remembered: a document repeats a few hundred characters over thousands of lines, and
    a measuring call per character was a tenth of the PDF's drawing."""

    def __init__(self, measure: Measure) -> None:
        self.measure = measure
        self._widths: dict[TextStyle, dict[str, float]] = {}

    def advances(self, item: PlacedText) -> list[float]:
        """How far the pen moves after each character, in points: its natural width (measure
        × the horizontal scale) plus the run's character spacing."""
        style = item.style
        widths = self._widths.get(style)
        if widths is None:
            widths = self._widths[style] = {}
        scale, spacing, measure = style.scale_x, item.char_spacing_pt, self.measure
        steps = []
        for ch in item.text:
            width = widths.get(ch)
            if width is None:
                width = widths[ch] = measure(ch, style)
            steps.append(width * scale + spacing)
        return steps

    def positions(self, item: PlacedText) -> list[float]:
        """The x of each character's origin, in points from the page's left edge (the sums
        taken left to right, as the engine took them)."""
        if not item.text:
            return []
        return list(accumulate(self.advances(item)[:-1], initial=item.x_pt))
