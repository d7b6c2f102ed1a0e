"""The numbers that open headings and items: 一、 / （一） or (一) / 1. 1、 1． / （1）.

The importer reads the number (to check the sequence) and drops it: the plan never writes
numbers, the renderer does.
"""

from __future__ import annotations

import re
from enum import IntEnum
from functools import cache

from msgspec import Struct

from render.model.numbering import chinese_numeral

_CN = "一二三四五六七八九十百零〇"


class Level(IntEnum):
    """The four levels of the GB/T 9704 body, outermost first."""

    SECTION = 1     # 一、
    SUBSECTION = 2  # （一）
    ITEM = 3        # 1.
    POINT = 4       # （1）


_PATTERNS: tuple[tuple[Level, re.Pattern[str]], ...] = (
    (Level.SECTION, re.compile(rf"^([{_CN}]+)\s*([、.．])\s*")),
    (Level.SUBSECTION, re.compile(rf"^([（(])\s*([{_CN}]+)\s*[）)]\s*")),
    # 1. but not 3.0 or 2022.11: no digit after the mark.
    (Level.ITEM, re.compile(r"^(\d{1,3})\s*([.．、])(?!\d)\s*")),
    (Level.POINT, re.compile(r"^([（(])\s*(\d{1,3})\s*[）)]\s*")),
)


class Marker(Struct, frozen=True):
    level: Level
    number: int
    label: str   # as printed: 一、 （一） 1. 1、 （1）
    style: str   # the mark after the number (、 . ．) or the bracket used; for consistency checks
    rest: str    # the text after the number


@cache
def _cn_values() -> dict[str, int]:
    values = {chinese_numeral(n): n for n in range(1, 1000)}
    values.update({"〇": 0, "零": 0})
    return values


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 一百零五 → 105; None for anything else."""
    return _cn_values().get(text)


def parse_marker(text: str) -> Marker | None:
    """The number a paragraph opens with, if any."""
    for level, pattern in _PATTERNS:
        match = pattern.match(text)
        if not match or match.end() >= len(text):
            continue  # a bare number is not a heading
        if level in (Level.SECTION, Level.SUBSECTION):
            digits = match.group(1) if level is Level.SECTION else match.group(2)
            number = chinese_number(digits)
            style = match.group(2) if level is Level.SECTION else match.group(1)
        else:
            number = int(match.group(1) if level is Level.ITEM else match.group(2))
            style = match.group(2) if level is Level.ITEM else match.group(1)
        if number is None or number == 0:
            continue
        return Marker(level, number, match.group(0).strip(), style, text[match.end():])
    return None


def format_label(level: Level, number: int) -> str:
    """The label the renderer will print, for messages: 三、 （四） 12. （2）."""
    if level is Level.SECTION:
        return f"{chinese_numeral(number)}、"
    if level is Level.SUBSECTION:
        return f"（{chinese_numeral(number)}）"
    if level is Level.ITEM:
        return f"{number}."
    return f"（{number}）"
