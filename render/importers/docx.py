"""A .docx → numbered source lines, one per paragraph, in reading order.

The WordprocessingML is read in render.ooxml.read; here its paragraphs become the
numbered lines every importer reader returns.
"""

from __future__ import annotations

from pathlib import Path

from render.importers.text import SourceLine
from render.ooxml.read import paragraph_blocks


def docx_lines(path: Path) -> list[SourceLine]:
    """Every paragraph's text, numbered from 1 in reading order (blank ones kept as gaps).

    A manual line break (a title set on two lines) splits a paragraph into two lines with
    the same number; the title reader joins them again."""
    return [SourceLine(piece, number, block.in_text_box)
            for number, block in enumerate(paragraph_blocks(path), 1)
            for piece in block.text.split("\n")]


def docx_text(path: Path) -> str:
    """The document's text, one paragraph a line (what a reader of the page sees)."""
    return "\n".join(line.text for line in docx_lines(path))
