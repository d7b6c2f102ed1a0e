"""Importers: .txt, .md and .docx documents into plans (the reverse of the writers).

    import_document(path, kind=None) -> ImportResult(plan, diagnostics)

A reader turns the file into numbered source lines (render.importers.docx for Word files,
render.importers.markdown for Markdown); text.py joins them into logical paragraphs;
structure.py builds the plan, a plain dict with English keys in the plan-format order;
yamlout.py writes it. Warnings (W7xx) carry the source file and line.

Limits (what the heuristics cannot know):
- A document whose text runs in columns (a newspaper page read column by column, like the
  綦江 feature) comes out in reading order of the extraction, not of the article: sentences
  cut at column breaks stay cut. With no numbered heading anywhere, short lines without
  punctuation become level-1 headings (W715); photo captions and banner text are among them.
  Bulletins (简报) are not produced: such a text becomes a `summary` (use --type to choose).
- A notice's body is kept as paragraphs; only a notice that issues a document (印发…的通知)
  gets a structured `issued_document`. 附件说明 and attachments are kept as body text.
- Outermost headings numbered （一） become level-1 sections (the renderer numbers them 一、).
- A short unnumbered line right before a numbered paragraph is taken for a heading that lost
  its number (W703): a lead-in line without punctuation ("主要任务如下") gets the same treatment.
- Paragraphs after the last item of a section are read as that item's text: a `closing`
  (结语) is not told apart from it.
- `seal` is set for a notice with a 发文字号; `units_file` is never set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from render.diagnostics import Diagnostic

if TYPE_CHECKING:
    from render.importers.text import SourceLine

SUFFIXES = (".txt", ".md", ".markdown", ".docx")


class ImportFailure(Exception):
    """The source cannot be imported; the message is for the user (简体中文)."""


@dataclass
class ImportResult:
    plan: dict[str, Any]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def import_document(path: str | Path, kind: str | None = None) -> ImportResult:
    """Read a .txt, .md or .docx document and return its plan and the warnings found.

    `kind` (notice, work_points or summary) overrides the detected document type."""
    from render.importers.anomalies import Warnings, check_stray_latin
    from render.importers.structure import KINDS, build_plan
    from render.importers.text import read_paragraphs

    path = Path(path)
    if kind is not None and kind not in KINDS:
        raise ImportFailure(f"不支持的文件类型“{kind}”：可选 {'、'.join(KINDS)}")
    warnings = Warnings.for_file(path)
    paragraphs = read_paragraphs(_source_lines(path), warnings)
    if not paragraphs:
        raise ImportFailure(f"{path}：文件里没有文字")
    for paragraph in paragraphs:
        check_stray_latin(paragraph.text, paragraph.line, warnings)
    plan = build_plan(paragraphs, warnings, kind)
    return ImportResult(plan, warnings.sorted())


def _source_lines(path: Path) -> list[SourceLine]:
    from render.importers.markdown import markdown_lines
    from render.importers.text import split_lines

    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportFailure(f"{path}：不支持的文件格式“{path.suffix}”，可导入 .txt、.md、.docx")
    if not path.is_file():
        raise ImportFailure(f"{path}：找不到文件")
    if suffix == ".docx":
        from render.importers.docx import docx_lines

        return docx_lines(path)
    text = read_text(path)
    return markdown_lines(text) if suffix in (".md", ".markdown") else split_lines(text)


def read_text(path: Path) -> str:
    """UTF-8 (with or without BOM); files saved by older Chinese Windows tools are GB18030."""
    from render.inputs import IMPORT_TEXT, check_text_length, read_bytes
    from render.text.chars import UNSAFE_CHARS

    data = read_bytes(path, IMPORT_TEXT)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        check_text_length(len(text), path)
        # A form feed is an old page break; other control characters (a DOS end-of-file mark,
        # stray bytes) cannot go into a plan or a document, so they are dropped.
        return UNSAFE_CHARS.sub("", text.replace("\x0c", "\n"))
    raise ImportFailure(f"{path}：无法识别文字编码（应为 UTF-8 或 GB18030）")
