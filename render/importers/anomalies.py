"""What the importer noticed in the source, as W7xx warnings with the source line.

The numbering anomalies real documents carry (GB/T 9704 digest, "Errors real documents
carry"): numbers skipped (一、二、四、), repeated, out of order, a heading that lost its
number; plus what the importer repaired or guessed, so a user knows what to check.
"""

from __future__ import annotations

import re
from pathlib import Path

from msgspec import Struct, field

from render.diagnostics import Diagnostic, Severity
from render.importers.markers import Level, format_label

# code → what it means (the catalogue; messages give the details)
CODES = {
    "W701": "编号跳号",
    "W702": "编号重复",
    "W703": "标题丢了编号",
    "W704": "编号顺序颠倒",
    "W705": "同级编号的写法不一致",
    "W706": "事项不在任何标题下",
    "W707": "责任单位说明找不到所属事项",
    "W710": "发文字号写法不规范，已改正",
    "W711": "成文日期用了汉字数字，已改为阿拉伯数字",
    "W712": "没有找到标题，已拟定",
    "W713": "删除了页面装饰（页码、页眉、网站页脚）",
    "W714": "版记之后还有文字，已删除",
    "W715": "没有编号的标题，按短行分部分",
    "W716": "无法识别的发文字号",
    "W717": "中文里夹着英文单词，疑为转换错误",
    "W718": "删除了模板占位符",
    "W719": "成文日期残缺或写法不规范",
    "W720": "附件说明和附件页",
    "W721": "署名和成文日期之后还有文字，已删除",
    "W722": "Word 文件在生成后改动过",
    "W723": "通知缺少必备要素",
}

# A lowercase Latin word set between Chinese characters (`档案管理 etc 制度`) is an extraction
# or editing slip; acronyms (OBE) and unit letters (B区) are upper case or single.
_STRAY_LATIN = re.compile(r"(?<=[\u3400-\u9fff])\s*([a-z]{2,})\s*(?=[\u3400-\u9fff])")

_LEVEL_NAMES = {Level.SECTION: "一级标题", Level.SUBSECTION: "二级标题", Level.ITEM: "事项", Level.POINT: "分项"}


class Warnings(Struct):
    """Collects warnings about one source file."""

    path: str
    items: list[Diagnostic] = field(default_factory=list)

    def add(self, code: str, line: int, message: str) -> None:
        assert code in CODES, code
        self.items.append(Diagnostic(code, message, self.path, line, 1 if line else 0, Severity.WARNING))

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.line, d.code))

    @classmethod
    def for_file(cls, path: Path | str) -> Warnings:
        return cls(str(path))


class NumberSequence(Struct):
    """The numbers of one level under one parent, checked as they come: 1, 2, 3 …"""

    level: Level
    warnings: Warnings
    last: int = 0
    style: str | None = None

    def restart(self) -> None:
        self.last, self.style = 0, None

    def expected(self) -> int:
        return self.last + 1

    def observe(self, number: int, line: int, style: str | None = None) -> None:
        """Check `number` against the sequence so far, then follow the source."""
        name = _LEVEL_NAMES[self.level]
        shown = format_label(self.level, number)
        if number == self.last:
            self.warnings.add("W702", line, f"{name}编号“{shown}”重复出现；导入后重新连续编号")
        elif number < self.last:
            self.warnings.add("W704", line, f"{name}编号“{shown}”排在“{format_label(self.level, self.last)}”之后，顺序颠倒；导入后按出现顺序重新编号")
        elif number > self.expected():
            missing = "、".join(format_label(self.level, n).rstrip("、") for n in range(self.expected(), number))
            self.warnings.add("W701", line, f"{name}编号从“{format_label(self.level, self.last) if self.last else '（开头）'}”跳到“{shown}”，缺少 {missing}；导入后重新连续编号")
        self._check_style(style, line, shown)
        self.last = number

    def lost(self, line: int, title: str) -> int:
        """A heading printed without its number: it takes the next number of the sequence."""
        number = self.expected()
        label = format_label(self.level, number)
        self.warnings.add("W703", line, f"“{title}”像是丢了编号的{_LEVEL_NAMES[self.level]}，已作为“{label}”导入，请核对")
        self.last = number
        return number

    def _check_style(self, style: str | None, line: int, shown: str) -> None:
        if style is None:
            return
        if self.style is None:
            self.style = style
        elif style != self.style:
            self.warnings.add("W705", line, f"{_LEVEL_NAMES[self.level]}“{shown}”的编号写法与前面的“{self.style}”不一致；导入后统一")


def check_stray_latin(text: str, line: int, warnings: Warnings) -> None:
    for match in _STRAY_LATIN.finditer(text):
        around = text[max(0, match.start() - 4): match.end() + 4]
        warnings.add("W717", line, f"“{around}”里夹着英文“{match.group(1)}”，疑为转换错误，请核对")
