"""Dates: ISO in plans, `2022年11月4日` on paper (GB/T 9704: no zero padding)."""

from __future__ import annotations

import datetime as dt
import re

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_ARABIC_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DIGITS = "〇一二三四五六七八九"
_CN_DIGIT_CLASS = "〇零○Ｏ一二三四五六七八九十"
_CHINESE_CN = re.compile(
    rf"([{_CN_DIGIT_CLASS}]{{4}})\s*年\s*([{_CN_DIGIT_CLASS}]{{1,3}})\s*月\s*([{_CN_DIGIT_CLASS}]{{1,4}})\s*日"
)


class DateError(ValueError):
    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(message)


def format_cn_date(value: dt.date) -> str:
    """2022-11-04 → 2022年11月4日."""
    return f"{value.year}年{value.month}月{value.day}日"


def _digit(char: str) -> int:
    return 0 if char in "〇零○Ｏ" else _CN_DIGITS.index(char)


def _cn_small_number(text: str) -> int:
    """一 … 三十一, the way months and days are written (十一, 二十, 三十一)."""
    if "十" not in text:
        return int("".join(str(_digit(c)) for c in text))
    tens_text, _, ones_text = text.partition("十")
    tens = _digit(tens_text) if tens_text else 1
    ones = _digit(ones_text) if ones_text else 0
    return tens * 10 + ones


def parse_cn_date(text: str) -> dt.date | None:
    """Find a date written as 2022年11月4日 or 二〇二二年十一月四日 in `text`."""
    if match := _ARABIC_CN.search(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _CHINESE_CN.search(text):
        year = int("".join(str(_digit(c)) for c in match[1]))
        month, day = _cn_small_number(match[2]), _cn_small_number(match[3])
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_iso_date(value: object) -> dt.date:
    """A plan date: a YAML date, or a string 2022-11-04. Anything else gets a hint."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise DateError("E401", f"日期应写作 YYYY-MM-DD（如 2022-11-04），而不是“{value}”")
    if match := _ISO.match(value):
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            raise DateError("E402", f"“{value.strip()}”不是存在的日期") from None
    found = parse_cn_date(value)
    if found is not None:
        raise DateError(
            "E403", f"日期“{value.strip()}”请写作 ISO 格式“{found.isoformat()}”，打印时自动写成“{format_cn_date(found)}”"
        )
    raise DateError("E401", f"日期应写作 YYYY-MM-DD（如 2022-11-04），而不是“{value.strip()}”")


def looks_like_date(text: str) -> bool:
    return bool(_ISO.match(text))
