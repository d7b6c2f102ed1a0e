"""Source lines → logical paragraphs.

Text copied from a PDF or a web page is broken by the page, not by the author: a sentence
runs on after a page break (often across a page number or a blank line), a PDF may wrap
every line at the column width, and a web page adds its footer. This module cleans each
line, drops the page furniture and joins the pieces of one paragraph back together.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from render.importers.annotations import annotation
from render.importers.anomalies import Warnings
from render.importers.furniture import is_page_number, is_site_footer, running_heads
from render.importers.markers import Level, parse_marker
from render.importers.normalise import SENTENCE_PUNCT, chinese_quotes, clean_line
from render.text.chars import text_ems

_ENDS_SENTENCE = "。！？；：…"
_CLOSING = "”’）》」』】〕"
_PAIRS = (("《", "》"), ("“", "”"), ("（", "）"), ("〔", "〕"), ("【", "】"))
_DATE_ONLY = re.compile(r"^[\d〇零○Ｏ一二三四五六七八九十]{4}年[\d〇零一二三四五六七八九十]{1,3}月[\d〇零一二三四五六七八九十]{1,3}日$")
_BLOCK_START = re.compile(r"^(?:——|抄\s*送[：:]|附\s*件[：:\d]|[（(]?\s*此件)")


@dataclass(frozen=True)
class SourceLine:
    text: str
    line: int   # 1-based line (or, for .docx, paragraph) number in the source


@dataclass
class Paragraph:
    text: str
    line: int
    gap_before: bool = False  # a blank line stood before it in the source


def split_lines(text: str) -> list[SourceLine]:
    return [SourceLine(raw, number) for number, raw in enumerate(text.splitlines(), 1)]


def read_paragraphs(lines: list[SourceLine], warnings: Warnings) -> list[Paragraph]:
    cleaned = [SourceLine(clean_line(line.text), line.line) for line in lines]
    kept = _drop_furniture(cleaned, warnings)
    paragraphs = _join(kept, _wrap_width([p.text for p in kept]))
    for paragraph in paragraphs:
        paragraph.text = chinese_quotes(paragraph.text)
    return paragraphs


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
        if numbers:
            shown = "、".join(map(str, numbers[:5])) + ("…" if len(numbers) > 5 else "")
            warnings.add("W713", numbers[0], f"删除了 {len(numbers)} 行{kind}（第 {shown} 行）")
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
    return (parse_marker(text) is not None or annotation(text) is not None
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
