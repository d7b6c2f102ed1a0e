"""Character classes and widths: 避头尾 sets, grid characters, unbreakable words, and the
one rule for how wide a character is (in ems for the page, in columns for a terminal).

The 避头尾 sets follow GB/T 15834 (标点符号用法) practice: closing punctuation, 顿号,
连接号, 间隔号, 省略号 and 破折号 never start a line; opening brackets and quotes never end one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache

# Never at the start of a line (full-width and the half-width forms that slip into text).
CLOSING = frozenset(
    "，。、；：？！）》」』〕】〉］｝〗”’％‰…—～·・．"
    ",.;:?!)]}%"
)
# Never at the end of a line.
OPENING = frozenset("（《「『〔【〈［｛〖“‘([{")
# East-Asian-width "A" (ambiguous) punctuation that Chinese fonts set full width.
_FULL_WIDTH_AMBIGUOUS = frozenset("“”‘’—…·─")
# Inside a Latin word / number between two word characters: 3.0, 1—2, 3+2, a/b, e-mail.
_JOINERS = frozenset(".-+—–/_&'’×~")
# Only between two digits: 1,000 and 10:30 (a comma after a word is punctuation).
_DIGIT_JOINERS = frozenset(",:")
# Attached to the digit before them: 100%, 5‰, 30°.
_DIGIT_SUFFIXES = frozenset("%‰°")


@lru_cache(maxsize=4096)
def is_grid_char(ch: str) -> bool:
    """A full-width character: an ideograph, kana, full-width punctuation or form."""
    return unicodedata.east_asian_width(ch) in ("W", "F") or ch in _FULL_WIDTH_AMBIGUOUS


def em_width(ch: str) -> float:
    """A character's width in ems before font metrics: full-width 1, the rest half."""
    return 1.0 if is_grid_char(ch) else 0.5


# The blocks that are full width throughout (CJK punctuation, ideographs, full-width forms),
# first and last code point: what most of a Chinese text is, and needs no closer look
# (tests/test_layout_linebreak.py checks the blocks).
SURELY_GRID_BLOCKS = ((0x3000, 0x303E), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF01, 0xFF60))


@cache
def _surely_grid_mask() -> bytes:
    """A str.translate table that turns each character of SURELY_GRID_BLOCKS into NUL and
    every other one into U+0001 (code points past the table stay as they are). Made in C in
    microseconds, where a character class over the blocks takes ~3 ms to compile, in every
    process that scans a text."""
    table = bytearray(b"\x01") * 0x10000
    for first, last in SURELY_GRID_BLOCKS:
        table[first:last + 1] = bytes(last + 1 - first)
    return bytes(table)


_OUTSIDE_THE_BLOCKS = re.compile("[^\x00]")  # in a mask made by _surely_grid_mask


def outside_surely_grid(text: str) -> Iterator[int]:
    """The positions in `text` of the characters outside SURELY_GRID_BLOCKS, found in C: the
    only ones a scan for narrow characters or words needs to look at (the mask has one
    character for each of `text`'s, so positions agree)."""
    return (found.start() for found in _OUTSIDE_THE_BLOCKS.finditer(text.translate(_surely_grid_mask())))


def text_ems(text: str) -> float:
    """The width of `text` in ems (characters of the grid): `1.` is one, `抄送：` three."""
    narrow = sum(1 for i in outside_surely_grid(text) if not is_grid_char(text[i]))
    return len(text) - 0.5 * narrow


def terminal_columns(text: str) -> int:
    """Columns a terminal gives `text`: wide (W/F) characters take two, the rest one."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad_columns(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal columns."""
    return text + " " * (width - terminal_columns(text))


@lru_cache(maxsize=4096)
def is_word_char(ch: str) -> bool:
    """A character of a Latin word or number (never split across lines)."""
    return ch.isalnum() and not is_grid_char(ch) and unicodedata.east_asian_width(ch) != "A"


def word_end(text: str, start: int) -> int:
    """End (exclusive) of the word or number starting at `start` (a word character)."""
    end, n = start + 1, len(text)
    while end < n:
        ch = text[end]
        if is_word_char(ch):
            end += 1
        elif end + 1 < n and _joins(text[end - 1], ch, text[end + 1]):
            end += 2
        elif ch in _DIGIT_SUFFIXES and text[end - 1].isdigit():
            end += 1
        else:
            break
    return end


def _joins(before: str, ch: str, after: str) -> bool:
    if not is_word_char(after):
        return False
    if ch in _JOINERS:
        return True
    return ch in _DIGIT_JOINERS and before.isdigit() and after.isdigit()


# Characters XML 1.0 cannot hold (C0 controls but tab, newline and carriage return; U+FFFE,
# U+FFFF) and lone surrogates, which no UTF-8 file can: a plan carrying one is refused at
# validation, so no writer ever meets them. DEL (U+007F) is legal XML but never text.
@cache  # compiled on first use (~1 ms): `gongwen --help` measures text but reads no plan
def unsafe_chars() -> re.Pattern[str]:
    return re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
