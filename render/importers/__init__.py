"""Importers: .txt, .md and .docx documents into plans (the reverse of the writers).

    import_document(path, kind=None) -> ImportResult(plan, diagnostics)

A reader turns the file into numbered source lines (render.importers.docx for Word files,
render.importers.markdown for Markdown); text.py joins them into logical paragraphs;
structure.py builds the plan, a plain dict with English keys in the plan-format order;
yamlout.py writes it. Warnings (W7xx) carry the source file and line.

What real copies carry and the importer copes with (tests/corpus/, tests/test_import_corpus.py):
site clutter (breadcrumbs, 发布时间/浏览次数, 索引号 blocks, 法宝引证码, 免责声明, download links),
template placeholders ([此处输入…], XX发〔20XX〕XX号, 20XX年XX月XX日, XXXX, {{…}}), text boxes
(★, 发文机关标志), a 发文字号 glued to the title, in [ ] or （）, after the title or under a
`发文字号：` label, a title printed twice, a news lead above it, a title run into the first
sentence, 署名 and 成文日期 before an issued document, attachment pages or a footer, joint
names on one line, dates in 汉字 with ○ or damaged (`2024327`, read when only one reading
exists), a notice's tail run into one line. Every drop is reported with its line (W713,
W718, W720, W721). A .docx written by gongwen carries its plan (restore.py): it comes back
exactly, or, where its text was edited in Word, from the text with the changed fields named.

Limits (what the heuristics cannot know):
- A document whose text runs in columns (a newspaper page read column by column, like the
  綦江 feature) comes out in reading order of the extraction, not of the article: sentences
  cut at column breaks stay cut. With no numbered heading anywhere, short lines without
  punctuation become level-1 headings (W715); photo captions and banner text are among them.
  Bulletins (简报) are not produced: such a text becomes a `summary` (use --type to choose).
- A notice's own body keeps its numbered structure (sections, 结语); a notice that issues a
  document (印发…的通知) gets a structured `issued_document`. Attachment pages are not
  imported (the plan holds attachment names only); documents arranged in 章/条 keep them as text.
- Outermost headings numbered （一） become level-1 sections (the renderer numbers them 一、).
- A short unnumbered line right before a numbered paragraph is taken for a heading that lost
  its number (W703): a lead-in line without punctuation ("主要任务如下") gets the same treatment.
- Only a 结语 that reads like one (特此通知。, 请各单位认真贯彻执行…) is told apart from the last
  item's text.
- `seal` is set for a notice with a 发文字号; `units_file` comes back only from gongwen's own
  .docx. A 发文机关, 成文日期 or 主送机关 the document does not print stays missing (W723).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

from render.diagnostics import Diagnostic

if TYPE_CHECKING:
    from render.importers.text import SourceLine

SUFFIXES = (".txt", ".md", ".markdown", ".docx")


class ImportFailure(Exception):
    """The source cannot be imported; the message is for the user (简体中文)."""


class ImportResult(Struct):
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
    if path.suffix.lower() == ".docx" and path.is_file():
        from render.importers.restore import restore

        restored = restore(path, warnings, kind)
        if restored is not None:
            return ImportResult(restored, warnings.sorted())
    lines = _source_lines(path)
    paragraphs = read_paragraphs(lines, warnings, hard_wrapped=path.suffix.lower() != ".docx")
    if not paragraphs:
        if any(line.text.strip() for line in lines):
            raise ImportFailure(f"{path}：文件里没有文字（只有模板占位符或页码、页眉等页面装饰）")
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
    from render.text.chars import unsafe_chars

    data = read_bytes(path, IMPORT_TEXT)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        check_text_length(len(text), path)
        # A form feed is an old page break; other control characters (a DOS end-of-file mark,
        # stray bytes) cannot go into a plan or a document, so they are dropped.
        return unsafe_chars().sub("", text.replace("\x0c", "\n"))
    raise ImportFailure(f"{path}：无法识别文字编码（应为 UTF-8 或 GB18030）")
