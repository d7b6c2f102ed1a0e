"""Markdown → plain lines: the marks a Markdown copy of a document adds are dropped, line
numbers kept (`## 一、总体要求` is the heading 一、总体要求; `**1.加强党建。**` an item)."""

from __future__ import annotations

import re

from render.importers.text import SourceLine

_MARKS = (
    (re.compile(r"^\s{0,3}#{1,6}\s+"), ""),               # ATX headings
    (re.compile(r"\s+#+\s*$"), ""),                      # closing #s
    (re.compile(r"^\s{0,3}>\s?"), ""),                   # block quotes
    (re.compile(r"^\s{0,3}[-*+]\s+(?=\S)"), ""),         # bullets (numbered lists are document numbers: kept)
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),           # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),       # links → their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),            # bold
    (re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?!\*)"), r"\1"),  # italics
    (re.compile(r"`([^`]*)`"), r"\1"),                   # code spans
    (re.compile(r"<!--.*?-->"), ""),                     # comments
    (re.compile(r"<br\s*/?>", re.I), ""),
)
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")


def markdown_lines(text: str) -> list[SourceLine]:
    lines = []
    for number, raw in enumerate(text.splitlines(), 1):
        if _RULE.match(raw) or _SETEXT.match(raw):
            lines.append(SourceLine("", number))
            continue
        for pattern, replacement in _MARKS:
            raw = pattern.sub(replacement, raw)
        lines.append(SourceLine(_ESCAPE.sub(r"\1", raw), number))
    return lines
