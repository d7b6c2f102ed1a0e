"""Page geometry: the 版心 and its 22 × 28 grid, in points, built from the typed profile."""

from __future__ import annotations

import math

from msgspec import Struct

from render.layout.fit import Fit, fit_from_profile
from render.layout.model import TextStyle
from render.measure import MM
from render.profile import Profile

_EPS = 1e-6


class PageGeometry(Struct, frozen=True):
    page_width_pt: float
    page_height_pt: float
    margin_top_pt: float
    margin_bottom_pt: float
    margin_left_pt: float
    margin_right_pt: float
    lines: int  # grid lines in the 版心
    chars: int  # body characters per line
    body_size_pt: float  # the size that sits on the character grid (三号)
    page_number_style: TextStyle
    page_number_dash: str
    page_number_gap_pt: float  # the dashes this far under the 版心's lower edge
    page_number_indent_chars: float  # odd pages right, even pages left, this far in
    em_ascent: float  # fraction of the em box above the baseline (profile grid.em_ascent)
    fit: Fit  # how much a line holds, by the word processors' arithmetic (layout/fit.py)

    @property
    def text_left(self) -> float:
        return self.margin_left_pt

    @property
    def text_right(self) -> float:
        return self.page_width_pt - self.margin_right_pt

    @property
    def text_top(self) -> float:
        return self.margin_top_pt

    @property
    def text_bottom(self) -> float:
        return self.page_height_pt - self.margin_bottom_pt

    @property
    def text_width(self) -> float:
        return self.text_right - self.text_left

    @property
    def text_height(self) -> float:
        return self.text_bottom - self.text_top

    @property
    def line_pitch_pt(self) -> float:
        return self.text_height / self.lines

    @property
    def char_pitch_pt(self) -> float:
        return self.text_width / self.chars

    def on_grid(self, style: TextStyle) -> bool:
        """Body-size, unscaled text advances by the grid pitch, whatever its font measures."""
        return abs(style.size_pt - self.body_size_pt) < _EPS and style.scale_x == 1.0

    def line_top(self, line: float) -> float:
        """y of the top edge of grid line `line` (0-based; fractional allowed)."""
        return self.text_top + line * self.line_pitch_pt

    def baseline_offset(self, size_pt: float, pitch_lines: float) -> float:
        """Baseline below a line's top when its em box is centred in `pitch_lines` lines."""
        return (pitch_lines * self.line_pitch_pt - size_pt) / 2 + self.em_ascent * size_pt

    def grid_baseline(self, line: int) -> float:
        """Baseline of body text on grid line `line` (also for virtual lines above 0)."""
        return self.line_top(line) + self.baseline_offset(self.body_size_pt, 1)

    def pitch_lines_for(self, size_pt: float, requested: float) -> float:
        """Grid lines a text line takes: as requested, raised to whole lines when the font
        is taller than that (like Word's snap-to-grid)."""
        if size_pt <= requested * self.line_pitch_pt + _EPS:
            return requested
        return float(math.ceil(size_pt / self.line_pitch_pt - _EPS))


def geometry_from_profile(profile: Profile) -> PageGeometry:
    """The page geometry, in points, of the typed layout profile."""
    number_element = profile.element("page_number")
    return PageGeometry(
        page_width_pt=profile.paper.width * MM,
        page_height_pt=profile.paper.height * MM,
        margin_top_pt=profile.margins.top * MM,
        margin_bottom_pt=profile.margins.bottom * MM,
        margin_left_pt=profile.margins.left * MM,
        margin_right_pt=profile.margins.right * MM,
        lines=profile.grid.lines,
        chars=profile.grid.chars,
        body_size_pt=profile.body_size_pt,
        page_number_style=TextStyle(
            font_role=number_element.font,
            size_pt=profile.size_pt(number_element.size),
            color=profile.color(number_element.color),
            bold=number_element.bold,
        ),
        page_number_dash=profile.page_number.dash,
        page_number_gap_pt=profile.page_number.below_text * MM,
        page_number_indent_chars=profile.page_number.outer_indent_chars,
        em_ascent=profile.grid.em_ascent,
        fit=fit_from_profile(profile),
    )
