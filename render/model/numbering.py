"""Heading numbers: 一、（一）1.（1）. The renderer writes them; plans never do."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (n in 1..999)."""
    if not 0 < n < 1000:
        raise ValueError(f"heading numbers run from 1 to 999, not {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    text = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    if ones:
        text += _DIGITS[ones]
    return text


def label(pattern: str, n: int) -> str:
    """Fill a profile numbering pattern: `{cn}` is the Chinese numeral, `{n}` the Arabic one."""
    return pattern.format(cn=chinese_numeral(n) if "{cn}" in pattern else "", n=n)
