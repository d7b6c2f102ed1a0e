"""One line of copied text made clean: full-width punctuation in Chinese context, no stray
spaces, Chinese quotes.

Text copied from web pages and PDFs carries half-width `, : ; ( )`, straight quotes and the
spaces a PDF extractor leaves between characters (`2022 年`, `持续 加强`). GB/T 9704 text
uses full-width punctuation and no spaces between Chinese characters.
"""

from __future__ import annotations

import re
import unicodedata

CJK = "\u3400-\u9fff\uf900-\ufaff"
# Full-width punctuation counts as Chinese context too: `区委组织部;责任单位` has CJK on both
# sides, `75%(全市60%)` has it on one.
_CONTEXT = CJK + "\u3000-\u303f\uff01-\uff60“”‘’…—"
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2002-\u200a\u202f\u205f\u3000]+")
# Punctuation that marks running text (as opposed to a title, a name or a headline).
SENTENCE_PUNCT = "，。、；：！？…"
_CN_NUMBER = re.compile("[一二三四五六七八九十百零〇]+")
_LEADING_NUMBER = re.compile(r"^(?:[一二三四五六七八九十百零〇]+[、.．]|[（(][一二三四五六七八九十百零〇\d]+[）)]|\d+[.．、])")
_CHINESE = re.compile(f"[{CJK}]")
_SIGNER_LABEL = re.compile(r"签\s*发\s*人\s*[：:]\s*")
_CONTEXT_CHAR = re.compile(f"[{_CONTEXT}]")
_INNER_SPACE = re.compile(r"(?<=(\S)) (?=(\S))")


def _is_context(char: str) -> bool:
    return bool(char) and _CONTEXT_CHAR.match(char) is not None


def full_width_punctuation(text: str) -> str:
    """`,` `;` `:` `(` `)` `?` `!` next to Chinese text become full width; `1,000` and `10:30`
    keep theirs. A `.` ending a Chinese sentence becomes `。`."""
    if not _CHINESE.search(text):
        return text
    out = []
    for index, char in enumerate(text):
        if char == "." and _CN_NUMBER.fullmatch(text[:index].strip()):
            pass  # 一. is a heading number, not a sentence end
        elif char in _HALF_TO_FULL or char == ".":
            # Neighbours past any spaces: `先锋号", 綦江` is Chinese context.
            char = _widen(char, text[:index].rstrip()[-1:], text[index + 1:].lstrip()[:1])
        out.append(char)
    return "".join(out)


def _widen(char: str, before: str, after: str) -> str:
    if char == ".":
        return "。" if _CHINESE.match(before or "x") and (not after or _is_context(after)) else char
    if char in "()":
        return _HALF_TO_FULL[char]  # brackets in a Chinese line are full width, both of a pair
    if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
        return char  # 1,000 and 10:30
    if _is_context(before) or _is_context(after) or not after or not before:
        return _HALF_TO_FULL[char]
    return char


def tighten_spaces(text: str) -> str:
    """Drop spaces between Chinese characters, digits and full-width punctuation.

    A line without sentence punctuation keeps a single space between two Chinese
    characters: newspaper headlines set their halves apart (`深化改革 不断激发教育活力`).
    So do the names after 签发人：, which only spaces separate."""
    text = _SPACES.sub(" ", text).strip()
    if (signer := _SIGNER_LABEL.search(text)) is not None:
        return f"{tighten_spaces(text[:signer.start()])}签发人：{_tighten(text[signer.end():].strip(), True)}"
    unnumbered = _LEADING_NUMBER.sub("", text)  # the 、 of 一、 is not sentence punctuation
    return _tighten(text, headline=not any(mark in unnumbered for mark in SENTENCE_PUNCT))


def _tighten(text: str, headline: bool) -> str:

    def keep_or_drop(match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(2)
        if before.isascii() and after.isascii() and '"' not in (before, after):
            return " "  # Latin words and numbers keep their spacing
        if headline and _CHINESE.match(before) and _CHINESE.match(after):
            return " "
        return ""

    return _INNER_SPACE.sub(keep_or_drop, text)


# `联系人：张三  联系电话：…`: the gap an office leaves between the contact's name and the next
# label is kept (two spaces), not closed up like a PDF extractor's stray spaces.
_CONTACT_GAP = re.compile(r"(?<=\S)(?:[ \u00a0]{2,}|\u3000+)(?=(?:联系电话|电话|手机|传真|邮箱|电子邮箱|联系地址|地址|邮编)\s*[：:])")
_GAP_MARK = "\x00"


def clean_line(text: str) -> str:
    """Invisible characters out, compatibility forms of CJK punctuation in, half-width
    punctuation widened, spaces tightened (widening first: it decides what is a sentence)."""
    text = text.translate(_INVISIBLE)
    text = "".join(_fold_presentation_form(char) for char in text)
    text = _CONTACT_GAP.sub(_GAP_MARK, text.strip())
    return tighten_spaces(full_width_punctuation(_SPACES.sub(" ", text))).replace(_GAP_MARK, "  ")


def _fold_presentation_form(char: str) -> str:
    # Vertical and small presentation forms (﹐ ︰ ﹙) come from some PDF extractors.
    if "\ufe10" <= char <= "\ufe6f":
        folded = unicodedata.normalize("NFKC", char)
        return _HALF_TO_FULL.get(folded, folded)
    return char


def chinese_quotes(text: str) -> str:
    """Straight double quotes in Chinese text become “ ” (alternating, per paragraph)."""
    if '"' not in text or not _CHINESE.search(text):
        return text
    out, opening = [], True
    for char in text:
        if char == '"':
            char = "“" if opening else "”"
            opening = not opening
        out.append(char)
    return "".join(out)
