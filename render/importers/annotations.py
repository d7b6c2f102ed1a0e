"""Responsibility annotations: `（牵头单位：A、B；责任单位：C，D）` under or at the end of an item.

Seen forms: full- or half-width brackets and colons, units separated by 、 or ，, either part
alone, 牵头部门/配合单位 for the same roles, sometimes a 完成时限.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from msgspec import Struct, field

from render.model.dates import parse_cn_date

_LEAD_KEYS = ("牵头单位", "牵头部门", "牵头领导", "牵头")
_UNIT_KEYS = ("责任单位", "责任部门", "配合单位", "配合部门", "参与单位", "协办单位")
_DUE_KEYS = ("完成时限", "完成时间", "时限要求", "时限")
_KEYS = "|".join(_LEAD_KEYS + _UNIT_KEYS + _DUE_KEYS)
_KEY_VALUE = re.compile(rf"^\s*({_KEYS})\s*[：:]\s*(.*)$")
_BRACKETED = re.compile(rf"^[（(]\s*((?:{_KEYS})\s*[：:].*)[）)]$")
_TRAILING = re.compile(rf"^(.*?[。！？”）])\s*[（(]\s*((?:{_KEYS})\s*[：:][^（）()]*)[）)]$")
_OPENERS, _CLOSERS = "（(《“‘〔【「", "）)》”’〕】」"


class Responsibility(Struct):
    lead: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    due: dt.date | str | None = None


def top_level(text: str, targets: str) -> Iterator[int]:
    """Indices of the `targets` characters that stand outside brackets and quotes."""
    depth = 0
    for index, char in enumerate(text):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif char in targets and depth == 0:
            yield index


def split_top_level(text: str, separators: str) -> list[str]:
    """Split on any of `separators` outside brackets and quotes."""
    parts, start = [], 0
    for index in top_level(text, separators):
        parts.append(text[start:index])
        start = index + 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def _names(value: str) -> list[str]:
    return [name.rstrip("。") for name in split_top_level(value, "、，,")]


def _due(value: str) -> dt.date | str | None:
    value = value.strip().rstrip("。")
    found = parse_cn_date(value)
    return found if found and re.fullmatch(r"[\d〇零○一二三四五六七八九十年月日\s]+", value) else (value or None)


def parse_responsibility(body: str) -> Responsibility | None:
    """`牵头单位：A、B；责任单位：C` (without brackets) → Responsibility; None if not one."""
    result = Responsibility()
    for part in split_top_level(body, "；;"):
        match = _KEY_VALUE.match(part)
        if not match:
            return None
        key, value = match.groups()
        if key in _LEAD_KEYS:
            result.lead += _names(value)
        elif key in _UNIT_KEYS:
            result.units += _names(value)
        else:
            result.due = _due(value)
    return result


def annotation(text: str) -> Responsibility | None:
    """A paragraph that is a responsibility annotation, bracketed or not."""
    match = _BRACKETED.match(text.strip())
    body = match.group(1) if match else text.strip()
    if not match and not _KEY_VALUE.match(body):
        return None
    return parse_responsibility(body)


def trailing_annotation(text: str) -> tuple[str, Responsibility] | None:
    """An item paragraph that ends with its annotation: `…确保安全。（牵头单位：区教委）`."""
    match = _TRAILING.match(text.strip())
    if not match:
        return None
    found = parse_responsibility(match.group(2))
    return (match.group(1), found) if found else None
