"""The only unit conversions: millimetres, points, twips, eighths of a point, inches.

Layout numbers are kept in the profile in the units the standard states them (mm, pt);
every writer converts them here, so one factor cannot drift from another.
"""

from __future__ import annotations

MM_PER_INCH = 25.4
PT_PER_INCH = 72
MM = PT_PER_INCH / MM_PER_INCH  # points per millimetre
TWIPS_PER_PT = 20  # WordprocessingML lengths
TWIPS_PER_MM = TWIPS_PER_PT * PT_PER_INCH / MM_PER_INCH
EIGHTHS_PER_PT = 8  # WordprocessingML border widths


def twips(points: float) -> int:
    return round(points * TWIPS_PER_PT)


def mm_twips(millimetres: float) -> int:
    return round(millimetres * TWIPS_PER_MM)


def twips_mm100(twips_value: int) -> int:
    """Twips in whole hundredths of a millimetre, truncated as LibreOffice stores lengths."""
    return int(twips_value * 127 / 72)


def mm_inches(millimetres: float) -> float:
    return millimetres / MM_PER_INCH
