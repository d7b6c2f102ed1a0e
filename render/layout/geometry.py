"""Page geometry: the 版心 and its 22 × 28 grid, in points, built from the layout profile.

The engine reads the parsed profile as a plain mapping (`yaml.safe_load` of
templates/profiles/gbt9704.yaml) so it does not depend on the typed profile module.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from render.layout.model import LayoutError, TextStyle
from render.measure import MM

# Fraction of the em box above the baseline. CJK fonts centre ideographs in an em box
# that sits about 0.88 above / 0.12 below the baseline (仿宋_GB2312 0.859/0.141, 宋体 0.859,
# Source Han 0.88). Used to put a line's em box in the middle of its grid line. A profile
# may override it with `grid.em_ascent`.
DEFAULT_EM_ASCENT = 0.88
_EPS = 1e-6


@dataclass(frozen=True, slots=True)
class PageGeometry:
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
    em_ascent: float = DEFAULT_EM_ASCENT

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


def geometry_from_profile(profile: Mapping[str, Any]) -> PageGeometry:
    """Build the geometry from a parsed layout profile (key names as in the YAML file)."""
    try:
        paper, margins, grid = profile["paper"], profile["margins"], profile["grid"]
        number = profile["page_number"]
        number_element = profile["elements"]["page_number"]
        return PageGeometry(
            page_width_pt=float(paper["width"]) * MM,
            page_height_pt=float(paper["height"]) * MM,
            margin_top_pt=float(margins["top"]) * MM,
            margin_bottom_pt=float(margins["bottom"]) * MM,
            margin_left_pt=float(margins["left"]) * MM,
            margin_right_pt=float(margins["right"]) * MM,
            lines=int(grid["lines"]),
            chars=int(grid["chars"]),
            body_size_pt=_size_pt(profile, profile["elements"]["body"]["size"]),
            page_number_style=TextStyle(
                font_role=str(number_element["font"]),
                size_pt=_size_pt(profile, number_element["size"]),
                color=_color(profile, number_element.get("color", "black")),
                bold=bool(number_element.get("bold", False)),
            ),
            page_number_dash=str(number["dash"]),
            page_number_gap_pt=float(number["below_text"]) * MM,
            page_number_indent_chars=float(number["outer_indent_chars"]),
            em_ascent=float(grid.get("em_ascent", DEFAULT_EM_ASCENT)),
        )
    except (KeyError, TypeError) as exc:
        raise LayoutError(f"版式配置缺少或写错了版面参数：{exc}") from exc


def _size_pt(profile: Mapping[str, Any], size: Any) -> float:
    """A size is a 号 name looked up in `sizes`, or a number of points."""
    if isinstance(size, (int, float)):
        return float(size)
    return float(profile["sizes"][size])


def _color(profile: Mapping[str, Any], color: str) -> str:
    """A colour is a name from `colors` or a 6-digit hex string."""
    return str(profile.get("colors", {}).get(color, color))
