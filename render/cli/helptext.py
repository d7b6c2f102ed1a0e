"""click's help and usage errors in the words of the people who use gongwen, laid out in
terminal columns (a Chinese character takes two)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable

import click

from render.text.chars import CLOSING, OPENING, pad_columns, terminal_columns

# click's usage errors, in the words of the people who use gongwen.
_USAGE_ERRORS: tuple[tuple[str, str], ...] = (
    (r"^Missing argument '(.+)'\.$", r"缺少参数 \1。"),
    (r"^Missing option '(.+)'\.$", r"缺少选项 \1。"),
    (r"^No such option:? '?([^'\s]+)'?\.? Did you mean '?([^'?]+)'?\?$", r"没有选项 \1，是否想用 \2？"),
    (r"^No such option:? '?([^'\s]+?)'?\.?$", r"没有选项 \1。"),
    (r"^No such command '(.+)'\. Did you mean '(.+)'\?$", r"没有命令“\1”，是否想用“\2”？"),
    (r"^No such command '(.+)'\.$", r"没有命令“\1”。"),
    (r"^Got unexpected extra arguments? \((.+)\)$", r"多余的参数：\1"),
    (r"^Option '(.+)' requires an argument\.$", r"选项 \1 需要一个值。"),
    (r"^Invalid value for (.+?): (?:File|Path|Directory) '(.*)' does not exist\.$", r"\1 的值无效：“\2”不存在。"),
    (r"^Invalid value for (.+?): (?:File|Path) '(.*)' is a directory\.$", r"\1 的值无效：“\2”是文件夹，应为文件。"),
    (r"^Invalid value for (.+?): (?:Directory|Path) '(.*)' is a file\.$", r"\1 的值无效：“\2”是文件，应为文件夹。"),
    (r"^Invalid value for (.+?): (?:File|Path|Directory) '(.*)' is not readable\.$", r"\1 的值无效：“\2”没有读取权限。"),
    (r"^Invalid value for (.+?): (.+)$", r"\1 的值无效：\2"),
    (r"^Invalid value: (.+)$", r"取值无效：\1"),
)


def usage_in_chinese(error: click.UsageError) -> str:
    """A click usage error's message in Chinese (click's English where no pattern knows it)."""
    message = error.format_message()
    for pattern, replacement in _USAGE_ERRORS:
        if re.match(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


# click's own help text ("chrome"), in the words of the people who use gongwen.
_HEADINGS = {"Options": "选项", "Commands": "命令", "Positional arguments": "参数", "Arguments": "参数"}
_HELP_TEXTS = {"Show this message and exit.": "显示本帮助并退出。", "Show the version and exit.": "显示版本号并退出。"}
_EXTRAS = ((re.compile(r"\[default: "), "[默认："), (re.compile(r"\brequired\]"), "必填]"),
           (re.compile(r"(\[[^]]*); ([^]]*\])"), r"\1；\2"))
_METAVARS = ((re.compile(r"\bINTEGER RANGE\b"), "整数"), (re.compile(r"\bINTEGER\b"), "整数"),
             (re.compile(r"\bFLOAT\b"), "数"), (re.compile(r"\bTEXT\b"), "文字"),
             (re.compile(r"\bPATH\b"), "路径"), (re.compile(r"\bFILE\b"), "文件"),
             (re.compile(r"\bDIRECTORY\b"), "文件夹"))


class ChineseHelp(click.HelpFormatter):
    """click's help in Chinese, wrapped by terminal columns: click measures text in
    characters, and a Chinese character takes two columns."""

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        # click's own rule (the terminal, at most max_width, less 2, at least 50) without
        # importing shutil, lzma and bz2 for its get_terminal_size: --help's whole start.
        forced = width or click.formatting.FORCED_WIDTH
        self.terminal = forced + 2 if forced else _terminal_width()
        super().__init__(indent_increment, forced or max(min(self.terminal, max_width or 80) - 2, 50), max_width)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        head = f"{'用法：' if prefix is None else prefix:>{self.current_indent}}{prog} "
        width = self.width - self.current_indent
        if width >= terminal_columns(head) + 20:  # the arguments beside the prefix
            lines = _wrap_columns(args, width - terminal_columns(head)) or [""]
            hang = " " * terminal_columns(head)
            self.write("".join(f"{head if i == 0 else hang}{line}\n" for i, line in enumerate(lines)))
        else:  # a long prefix: the arguments on the lines below it
            hang = " " * (max(self.current_indent, terminal_columns(head)) + 4)
            self.write(head.rstrip() + "\n" + "".join(f"{hang}{line}\n" for line in _wrap_columns(args, width - len(hang))))

    def write_text(self, text: str) -> None:
        """click's paragraphs (blank lines between; one whose first line is \\b is kept as
        written), each wrapped to the width in columns."""
        indent = " " * self.current_indent
        blocks = []
        for paragraph in _paragraphs(text):
            extra = " " * (len(paragraph[0]) - len(paragraph[0].lstrip()))
            if paragraph[0].strip() == "\b":  # its lines as written, unless the terminal would break one
                room = max(self.terminal - 1 - len(indent), 11)
                lines = [wrapped for line in map(str.rstrip, paragraph[1:])
                         for wrapped in ([line] if terminal_columns(line) <= room else _hanging(line, room))]
                extra = ""
            else:
                lines = _wrap_columns(" ".join(paragraph), max(self.width - len(indent) - len(extra), 11))
            blocks.append("".join(f"{indent}{extra}{line}\n" for line in lines))
        self.write("\n".join(blocks))

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        """click's two columns, measured in terminal columns."""
        rows = [(_chinese_metavars(term), _chinese_help_text(text)) for term, text in rows]
        # A narrow terminal narrows the first column, not the second below 20 (a longer term
        # then has its help start on the next line).
        col_max = max(min(col_max, self.width - self.current_indent - col_spacing - 20), 8)
        first = min(max((terminal_columns(term) for term, _ in rows), default=0), col_max)
        indent = " " * self.current_indent
        text_width = max(self.width - self.current_indent - first - col_spacing, 20)
        for term, text in rows:
            lines = _wrap_columns(text, text_width)
            if terminal_columns(term) > first:  # a long term: its help starts on the next line
                self.write(f"{indent}{term}\n")
                term = ""
            head = pad_columns(term, first + col_spacing) if lines else term
            self.write(f"{indent}{head}{lines[0] if lines else ''}\n")
            for line in lines[1:]:
                self.write(f"{indent}{' ' * (first + col_spacing)}{line}\n")


def _terminal_width() -> int:
    """The terminal's columns as shutil.get_terminal_size finds them: $COLUMNS, else the
    terminal on stdout, else 80."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


def _hanging(line: str, width: int) -> list[str]:
    """A line too wide for the terminal, wrapped under its own indentation."""
    lead = line[:len(line) - len(line.lstrip())]
    return [lead + wrapped for wrapped in _wrap_columns(line, max(width - len(lead), 11))]


def _paragraphs(text: str) -> list[list[str]]:
    """Lines grouped into paragraphs at empty lines, as click's wrap_text groups them."""
    paragraphs: list[list[str]] = [[]]
    for line in text.splitlines():
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [paragraph for paragraph in paragraphs if paragraph]


_TOKENS = re.compile(r"\[[^]]*\]|[\x21-\x7e]+|\s+|.")  # [默认：…], a Latin word or option, spaces, one character


def _wrap_columns(text: str, width: int) -> list[str]:
    """Greedy wrap to `width` terminal columns. Latin words, options, paths and click's
    [默认：…] stay whole. 避头尾 by pushing out: closing punctuation goes to the next line
    with what stands before it, opening punctuation with what follows it."""
    lines: list[list[str]] = [[]]
    used = 0
    for token in _TOKENS.findall(" ".join(text.split())):
        size = terminal_columns(token)
        line = lines[-1]
        if line and used + size > width and not token.isspace():
            carried: list[str] = []
            if token in CLOSING:  # down go the closing marks before it and what they close
                while len(line) > 1 and line[-1] in CLOSING:
                    carried.insert(0, line.pop())
                if len(line) > 1:
                    carried.insert(0, line.pop())
            while len(line) > 1 and (line[-1] in OPENING or line[-1].isspace()):
                carried.insert(0, line.pop())
            carried = carried[1:] if carried and carried[0].isspace() else carried
            lines.append(carried)
            line, used = carried, sum(map(terminal_columns, carried))
        line.append(token)
        used += size
    return [text for text in ("".join(line).rstrip() for line in lines) if text]


def _chinese_metavars(term: str) -> str:
    for pattern, replacement in _METAVARS:
        term = pattern.sub(replacement, term)
    return term


def _chinese_help_text(text: str) -> str:
    text = _HELP_TEXTS.get(text, text)
    for pattern, replacement in _EXTRAS:
        text = pattern.sub(replacement, text)
    return text
