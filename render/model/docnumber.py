"""发文字号: parse, check and format document numbers such as 南岸委办〔2022〕22号.

GB/T 9704-2012 7.2.4: 机关代字 + 年份 in 六角括号 〔〕 + 发文顺序号 (no 第, no leading
zeros) + 号. Every malformed spelling seen in real documents gets its own code and a
message that shows the corrected form, so a user can copy it back into the plan.
"""

from __future__ import annotations

import re

from msgspec import Struct

YEAR_MIN = 1949
YEAR_MAX = 2100

OPEN = "〔"
CLOSE = "〕"

# Brackets people type instead of 〔〕 (U+3014/U+3015): ASCII, full-width, 【】, ﹝﹞ (the
# "small" tortoise shell that looks right on screen), 〖〗, ［］.
_OPEN_LIKE = "〔(（[【﹝［〖{｛<《"
_CLOSE_LIKE = "〕)）]】﹞］〗}｝>》"

_LOOSE = re.compile(
    rf"""^\s*
    (?P<code>.*?)\s*
    (?P<open>[{re.escape(_OPEN_LIKE)}])\s*
    (?P<year>\d+)\s*
    (?P<close>[{re.escape(_CLOSE_LIKE)}])\s*
    (?P<di>第)?\s*
    (?P<serial>\d+)\s*
    (?P<hao>号)?\s*$""",
    re.VERBOSE,
)
_BRACKETED_YEAR = re.compile(rf"[{re.escape(_OPEN_LIKE)}]\s*\d+\s*[{re.escape(_CLOSE_LIKE)}]")


class DocNumber(Struct, frozen=True):
    code: str
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{self.code}{OPEN}{self.year}{CLOSE}{self.serial}号"


class DocNumberError(ValueError):
    """One malformed 发文字号; `code` is the diagnostic code, `corrected` the fixed form."""

    def __init__(self, code: str, message: str, corrected: str | None = None):
        self.code = code
        self.corrected = corrected
        hint = f"，应写作“{corrected}”" if corrected else ""
        self.message = f"{message}{hint}"
        super().__init__(self.message)


def _check_year(year: int, shown: str) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise DocNumberError(
            "E303", f"发文字号“{shown}”的年份 {year} 不在 {YEAR_MIN}–{YEAR_MAX} 之间"
        )


# An office issues at most a few thousand documents a year under one 代字; the registry stores
# serials as SQLite integers, which a 30-digit number would overflow.
SERIAL_MAX = 99_999


def _check_serial(serial: int, shown: str) -> None:
    if serial > SERIAL_MAX:
        raise DocNumberError("E313", f"发文字号“{shown}”的序号 {serial} 过大（上限 {SERIAL_MAX}）")


def _check_code(code: str, shown: str) -> None:
    if not code:
        raise DocNumberError("E308", f"发文字号“{shown}”缺少机关代字（如“南岸委办”）")
    if re.search(r"\s", code) or any(c in code for c in _OPEN_LIKE + _CLOSE_LIKE):
        raise DocNumberError("E308", f"机关代字“{code}”不能含空格或括号")


def parse_doc_number(text: str) -> DocNumber:
    """Parse the canonical form; raise DocNumberError naming the first problem found."""
    shown = text.strip()
    if len(_BRACKETED_YEAR.findall(shown)) > 1 or len(re.findall(r"号", shown)) > 1:
        raise DocNumberError("E307", f"“{shown}”里有不止一个发文字号，一个文件只有一个发文字号")
    match = _LOOSE.match(shown)
    if not match:
        raise DocNumberError(
            "E300",
            f"“{shown}”不是发文字号：应为 机关代字〔年份〕序号号，如“南岸委办〔2022〕22号”",
        )
    code, year_text, serial_text = match["code"], match["year"], match["serial"]
    _check_code(code, shown)
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000
    serial = int(serial_text)
    corrected = str(DocNumber(code, year, serial)) if serial > 0 else None
    if (match["open"], match["close"]) != (OPEN, CLOSE):
        raise DocNumberError(
            "E301",
            f"发文字号“{shown}”的年份括号用了 {match['open']}{match['close']}，应使用六角括号〔〕",
            corrected,
        )
    if len(year_text) != 4:
        raise DocNumberError("E302", f"发文字号“{shown}”的年份应写全 4 位", corrected)
    _check_year(year, shown)
    if serial == 0:
        raise DocNumberError("E309", f"发文字号“{shown}”的序号不能为 0")
    _check_serial(serial, shown)
    if match["di"]:
        raise DocNumberError("E304", f"发文字号“{shown}”的序号前不加“第”", corrected)
    if serial_text != str(serial):
        raise DocNumberError("E305", f"发文字号“{shown}”的序号不编虚位（不加前导 0）", corrected)
    if not match["hao"]:
        raise DocNumberError("E306", f"发文字号“{shown}”缺少末尾的“号”", corrected)
    if shown != str(DocNumber(code, year, serial)):
        raise DocNumberError("E310", f"发文字号“{shown}”中不应有空格", corrected)
    return DocNumber(code, year, serial)


def doc_number_from_parts(code: object, year: object, serial: object) -> DocNumber:
    """The mapping form {code, year, serial}; `serial` must already be an int here."""
    code_text = str(code or "").strip()
    _check_code(code_text, code_text)
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise DocNumberError("E302", f"发文字号的年份“{year}”应为 4 位数字")
    _check_year(year, code_text)
    if isinstance(serial, bool) or not isinstance(serial, int) or serial <= 0:
        raise DocNumberError("E309", f"发文字号的序号“{serial}”应为正整数或 auto")
    _check_serial(serial, code_text)
    return DocNumber(code_text, year, serial)
