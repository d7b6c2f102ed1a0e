"""Where the 署名 of jointly sealed issuers go (GB/T 9704 7.3.5.1): organs side by side in
equal columns of the 版心, the 主办机关 first, each name centred in its column and wrapped
inside it when longer; a short last row stands in the rightmost columns, over the 成文日期.
One decision for both writers, so the PDF and the .docx break the same names the same way."""

from __future__ import annotations

import math
from collections.abc import Sequence

from msgspec import Struct

from render.text.chars import text_ems

# A wrapped organ name reads best cut after the word that ends a unit of it (…区委 / 教育…).
_CUT_AFTER = frozenset("委会府局室市区县省部厅团")
_CONTINUES = frozenset("委员")  # …区|委…, …委|员会: the unit word goes on
_CUT_REACH = 2  # how far (characters) from the even cut a better one may be


class SignatureCell(Struct, frozen=True):
    column: int
    lines: tuple[str, ...]


def column_count(names: int, per_row: int) -> int:
    return max(1, min(per_row, names))


def sealed_grid(names: Sequence[str], per_row: int, line_ems: float,
                gap_ems: float) -> list[list[SignatureCell]]:
    """Rows of cells for a line `line_ems` wide; names of neighbouring columns keep
    `gap_ems` between them."""
    columns = column_count(len(names), per_row)
    column_ems = line_ems / columns - gap_ems
    grid = []
    for start in range(0, len(names), columns):
        members = names[start:start + columns]
        offset = columns - len(members)
        grid.append([SignatureCell(offset + k, tuple(wrap_name(name, column_ems)))
                     for k, name in enumerate(members)])
    return grid


def wrap_name(name: str, max_ems: float) -> list[str]:
    """The name in as few lines as fit `max_ems`, of even length, cut after a unit word when
    one is near the even cut."""
    if text_ems(name) <= max_ems or len(name) < 2:
        return [name]
    count = min(len(name), math.ceil(text_ems(name) / max(max_ems, 1.0)))
    lines, start = [], 0
    for index in range(1, count):
        even = round(index * len(name) / count)
        near = [cut for cut in range(even - _CUT_REACH, even + _CUT_REACH + 1)
                if start < cut < len(name) and name[cut - 1] in _CUT_AFTER and name[cut] not in _CONTINUES
                and text_ems(name[start:cut]) <= max_ems]
        cut = min(near, key=lambda c: abs(c - even)) if near else even
        while text_ems(name[start:cut]) > max_ems and cut > start + 1:
            cut -= 1
        lines.append(name[start:cut])
        start = cut
    lines.append(name[start:])
    if text_ems(lines[-1]) > max_ems:  # the cuts drifted left: fill lines greedily instead
        lines = _greedy(name, max_ems)
    return [line for line in lines if line]


def _greedy(name: str, max_ems: float) -> list[str]:
    lines, current = [], ""
    for ch in name:
        if current and text_ems(current + ch) > max_ems:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current]
