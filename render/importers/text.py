"""Source lines → logical paragraphs.

Text copied from a PDF or a web page is broken by the page, not by the author: a sentence
runs on after a page break (often across a page number or a blank line), a PDF may wrap
every line at the column width, and a web page adds its footer. This module cleans each
line, drops the page furniture and joins the pieces of one paragraph back together.
"""

from __future__ import annotations

import re
from collections import Counter

from msgspec import Struct

from render.importers.annotations import annotation
from render.importers.anomalies import Warnings
from render.importers.furniture import (
    is_metadata_row,
    is_number_label,
    is_page_number,
    is_site_footer,
    metadata_label,
    running_heads,
)
from render.importers.markers import Level, parse_marker
from render.importers.normalise import SENTENCE_PUNCT, chinese_quotes, clean_line
from render.importers.organs import is_organ
from render.importers.placeholders import is_body_prompt, is_placeholder_line
from render.text.chars import text_ems

_ENDS_SENTENCE = "。！？；：…"
_CLOSING = "”’）》」』】〕"
_PAIRS = (("《", "》"), ("“", "”"), ("（", "）"), ("〔", "〕"), ("【", "】"))
_DATE_ONLY = re.compile(r"^[\d〇零○Ｏ一二三四五六七八九十]{4}年[\d〇零一二三四五六七八九十]{1,3}月[\d〇零一二三四五六七八九十]{1,3}日$")
_BLOCK_START = re.compile(
    r"^(?:——|抄\s*送[：:]|附\s*件[：:\d]|[（(]?\s*此件"
    r"|(?:联\s*系\s*人|联系电话|联系地址|通讯地址|邮政编码|电子邮箱|传\s*真|电\s*话)[：:])"
)


class SourceLine(Struct, frozen=True):
    text: str
    line: int   # 1-based line (or, for .docx, paragraph) number in the source
    in_text_box: bool = False  # a .docx text box: the 版头's ★ or 发文机关标志, not body text


class Paragraph(Struct):
    text: str
    line: int
    gap_before: bool = False  # a blank line stood before it in the source


def split_lines(text: str) -> list[SourceLine]:
    return [SourceLine(raw, number) for number, raw in enumerate(text.splitlines(), 1)]


def read_paragraphs(lines: list[SourceLine], warnings: Warnings, hard_wrapped: bool = True) -> list[Paragraph]:
    """`hard_wrapped`: lines may be broken at the column width (text from a PDF or a web
    page); a Word file's lines are whole paragraphs."""
    cleaned = [SourceLine(_strip_bullet(clean_line(piece)), line.line, line.in_text_box)
               for line in lines for piece in split_run_on(line.text)]
    cleaned = _drop_placeholders(_read_text_boxes(cleaned, warnings), warnings)
    kept = _drop_furniture(_read_metadata(cleaned, warnings), warnings)
    paragraphs = _join(kept, _wrap_width([p.text for p in kept]) if hard_wrapped else None)
    for paragraph in paragraphs:
        paragraph.text = chinese_quotes(paragraph.text)
    return paragraphs


# --- lines run together, text boxes, placeholders, metadata ---------------------------------

# Where a web page or a PDF extraction ran the tail of a notice into one line: before the
# 附件 note, the 联系人 line, and a sign-off (`… 慈溪掌起镇人民政府 2023年11月24日 |`).
_RUN_ON_BREAK = re.compile(r"\s+(?=附\s*件\s*[：:]|联\s*系\s*人\s*[：:])")
_RUN_ON_SIGN_OFF = re.compile(
    r"\s+(?P<names>[^\s，。；：,.;:!?！？]{2,40}(?:\s+[^\s，。；：,.;:!?！？]{2,40}){0,3})\s+"
    r"(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*[|｜]?\s*$"
)
_RUN_ON_MIN = 40
_RUN_ON_BREAK_MIN = 120   # 附件 and 联系人 are split out of long lines only
_BULLET = re.compile(r"^(?:[•·▪●■◆]\s*|-\s+)(?=\S)")


def split_run_on(text: str) -> list[str]:
    """A long line holding a notice's tail (附件, 联系人, sign-off) as separate lines."""
    if len(text) < _RUN_ON_MIN:
        return [text]
    tail: list[str] = []
    match = _RUN_ON_SIGN_OFF.search(text)
    if match:
        tokens = match.group("names").split()
        names = len(tokens)
        while names > 0 and is_organ(tokens[names - 1]):
            names -= 1
        if names < len(tokens):  # the sign-off: the organ names closing the line, then the date
            text = " ".join([text[:match.start()], *tokens[:names]])
            tail = [*tokens[names:], match.group("date")]
    if not tail and len(text) < _RUN_ON_BREAK_MIN:
        return [text]
    return [p for p in _RUN_ON_BREAK.split(text) if p.strip()] + tail


def _strip_bullet(text: str) -> str:
    """`• 索引号：…` and `- 发文字号：…`: the bullets of a site's metadata list."""
    return _BULLET.sub("", text) if metadata_label(_BULLET.sub("", text)) else text


def _read_text_boxes(lines: list[SourceLine], warnings: Warnings) -> list[SourceLine]:
    """Text boxes hold the 版头 (the 发文机关标志, 文件) and its decoration (★); only names
    and the 文件 of a header are kept from them."""
    kept, dropped = [], []
    for line in lines:
        if line.in_text_box and line.text and not (is_organ(line.text) or line.text == "文件"):
            dropped.append(line.line)
        else:
            kept.append(line)
    _report(warnings, "文本框中的装饰", dropped)
    return kept


def _drop_placeholders(lines: list[SourceLine], warnings: Warnings) -> list[SourceLine]:
    def dropped_line(line: SourceLine) -> bool:
        return bool(line.text) and is_placeholder_line(line.text) and not is_body_prompt(line.text)

    dropped = [line.line for line in lines if dropped_line(line)]
    kept = [line.line for line in lines if line.text and is_body_prompt(line.text)]
    if dropped:
        note = f"；正文占位符（第 {_shown(kept)} 行）留作正文，请替换" if kept else ""
        warnings.add("W718", dropped[0], f"删除了 {len(dropped)} 行模板占位符（第 {_shown(dropped)} 行）{note}")
    return [line for line in lines if not dropped_line(line)]


_VALUE_MAX = 30
_VALUE_ON_NEXT_LINE = ("索引号", "发文机构", "发布机构", "来源", "信息来源", "发文日期", "成文日期", "发布日期",
                       "发文字号", "文号", "主题分类", "公文种类", "有效性")


def _read_metadata(lines: list[SourceLine], warnings: Warnings) -> list[SourceLine]:
    """A site's metadata block out, except its 发文字号, kept as `发文字号：…` for the head."""
    kept: list[SourceLine] = []
    dropped: list[int] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        found = metadata_label(line.text) if line.text else None
        if found is None:
            if line.text and is_metadata_row(line.text):
                dropped.append(line.line)
            else:
                kept.append(line)
            index += 1
            continue
        label, value = found
        index += 1
        if not value and label in _VALUE_ON_NEXT_LINE:
            following = next((i for i in range(index, min(index + 3, len(lines))) if lines[i].text), None)
            if following is not None and _is_value(lines[following].text):
                value, index = lines[following].text, following + 1
        if is_number_label(label) and value:
            kept.append(SourceLine(f"发文字号：{value}", line.line))
        else:
            dropped.append(line.line)
    _report(warnings, "网站的信息栏", dropped)
    return kept


def _is_value(text: str) -> bool:
    return len(text) <= _VALUE_MAX and metadata_label(text) is None and "。" not in text and "，" not in text


def _shown(numbers: list[int]) -> str:
    return "、".join(map(str, numbers[:5])) + ("…" if len(numbers) > 5 else "")


def _report(warnings: Warnings, kind: str, numbers: list[int]) -> None:
    if numbers:
        warnings.add("W713", numbers[0], f"删除了 {len(numbers)} 行{kind}（第 {_shown(numbers)} 行）")


# --- furniture ---------------------------------------------------------------------------

def _is_content_line(text: str) -> bool:
    """Lines that may repeat in a document without being a running head."""
    return annotation(text) is not None or parse_marker(text) is not None or bool(_DATE_ONLY.match(text))


def _drop_furniture(lines: list[SourceLine], warnings: Warnings) -> list[Paragraph]:
    heads = running_heads([line.text for line in lines if not _is_content_line(line.text)])
    seen: set[str] = set()
    dropped: dict[str, list[int]] = {"页码": [], "网站页脚": [], "页眉": []}
    kept: list[Paragraph] = []
    gap = False
    for line in lines:
        text = line.text
        if not text:
            gap = True
            continue
        if is_page_number(text):
            dropped["页码"].append(line.line)
        elif is_site_footer(text):
            dropped["网站页脚"].append(line.line)
        elif text in heads and text in seen:
            dropped["页眉"].append(line.line)
        else:
            seen.add(text)
            kept.append(Paragraph(text, line.line, gap))
            gap = False
    for kind, numbers in dropped.items():
        _report(warnings, kind, numbers)
    return kept


# --- joining broken lines ----------------------------------------------------------------

def _wrap_width(texts: list[str]) -> float | None:
    """The column width of hard-wrapped text (a PDF extraction with a line break at the end
    of every printed line), or None when lines are whole paragraphs."""
    widths = [round(text_ems(t)) for t in texts if text_ems(t) >= 10]
    if len(widths) < 8:
        return None
    width, _ = Counter(widths).most_common(1)[0]
    near = sum(1 for w in widths if width - 1 <= w <= width + 1)
    return float(width) if near >= 0.4 * len(widths) else None


def _closes_bracket(previous: str, following: str) -> bool:
    """`previous` leaves a bracket or quote open that `following` closes: one paragraph.
    (An opener left open by a typo, never closed, joins nothing.)"""
    if previous.count('"') % 2 and '"' in following:
        return True
    return any(previous.count(opening) > previous.count(closing) and closing in following
               for opening, closing in _PAIRS)


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSING)
    return bool(stripped) and stripped[-1] in _ENDS_SENTENCE


def has_sentence_punct(text: str) -> bool:
    return any(mark in text for mark in SENTENCE_PUNCT)


def _starts_block(text: str) -> bool:
    """A line that always starts a paragraph of its own."""
    return (parse_marker(text) is not None or annotation(text) is not None or is_organ(text)
            or bool(_BLOCK_START.match(text)) or bool(_DATE_ONLY.match(text)))


def _heading_without_stop(text: str) -> bool:
    marker = parse_marker(text)
    return marker is not None and marker.level in (Level.SECTION, Level.SUBSECTION) and "。" not in text


def should_join(previous: str, following: str, wrap_width: float | None) -> bool:
    """Whether `following` continues the paragraph `previous`."""
    if _starts_block(following):
        return False
    if _closes_bracket(previous, following):
        return True
    if ends_sentence(previous) or annotation(previous) is not None:
        return False
    if wrap_width and text_ems(previous) >= wrap_width - 1:
        return True  # the line ran to the right margin
    if _heading_without_stop(previous):
        return False
    # Titles, names, dates and headlines carry no sentence punctuation; a sentence cut by a
    # page break carries some on both sides.
    return has_sentence_punct(previous) and has_sentence_punct(following)


def _join(lines: list[Paragraph], wrap_width: float | None) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for line in lines:
        if paragraphs and should_join(paragraphs[-1].text, line.text, wrap_width):
            paragraphs[-1].text = _concat(paragraphs[-1].text, line.text)
        else:
            paragraphs.append(Paragraph(line.text, line.line, line.gap_before))
    return paragraphs


def _concat(left: str, right: str) -> str:
    # Two Latin words broken at a line end keep a space between them; Chinese never does.
    if left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha():
        return f"{left} {right}"
    return left + right
