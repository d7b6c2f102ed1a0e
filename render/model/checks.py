"""Checks on a validated plan that look across fields, and the warnings a careful
proof-reader would give (the errors real documents carry, per the GB/T 9704 digest)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from render.diagnostics import Severity
from render.model.plan import (
    BulletinPlan,
    DocumentBase,
    Item,
    NoticePlan,
    Numbered,
    body_of,
)
from render.model.units import UnitRegistry

DataPath = tuple[str | int, ...]


class Finding:
    """A problem found at a data path; the loader turns the path into file:line:col."""

    __slots__ = ("path", "code", "message", "severity")

    def __init__(self, path: DataPath, code: str, message: str, severity: Severity = Severity.WARNING):
        self.path, self.code, self.message, self.severity = path, code, message, severity


_TEXT_FIELDS = {"title", "text", "body", "preamble", "closing", "points", "subtitle", "caption", "note", "name"}
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# Only the marks are found by a pattern; their neighbours are looked at in Python. A class
# of the ideograph blocks costs the regex compiler ~2.5 ms a pattern (it fills a bitmap one
# code point at a time), paid by every `validate` and `render`.
_HALF_WIDTH_MARK = re.compile(r"[,;:?!()]")
_L_OR_I = re.compile(r"[lI]")


def _is_ideograph(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _neighbours(text: str, index: int) -> tuple[str, str]:
    return (text[index - 1] if index else "", text[index + 1] if index + 1 < len(text) else "")


def half_width_mark(text: str) -> int | None:
    """Where the first half-width mark touching an ideograph is (`中文,` or `,中文`)."""
    for match in _HALF_WIDTH_MARK.finditer(text):
        before, after = _neighbours(text, match.start())
        if _is_ideograph(before) or _is_ideograph(after):
            return match.start()
    return None


def letter_as_digit(text: str) -> int | None:
    """Where the first `l` or `I` typed for the digit 1 is: next to a digit (`2O2l`), or
    between two ideographs (`第l章`); not inside a Latin word."""
    for match in _L_OR_I.finditer(text):
        before, after = _neighbours(text, match.start())
        if before.isdecimal() or after.isdecimal() or (_is_ideograph(before) and _is_ideograph(after)):
            return match.start()
    return None


def walk(node: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, Any]]:
    """Every value in a model tree with its data path (English keys, list indices)."""
    yield path, node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from walk(getattr(node, name), (*path, name))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from walk(child, (*path, index))


def check_plan(plan: DocumentBase, units: UnitRegistry | None) -> list[Finding]:
    findings: list[Finding] = []
    findings += _dates(plan)
    findings += _emptiness(plan)
    findings += _notice_essentials(plan)
    findings += _bounds(plan)
    for path, node in walk(plan):
        if isinstance(node, Numbered) and node.stripped_number:
            findings.append(Finding((*path, "title"), "W501",
                                    f"标题不必写编号“{node.stripped_number}”，编号由程序生成，已去掉"))
        if isinstance(node, Item) and units is not None:
            findings += _unknown_units(node, path, units)
        if isinstance(node, str) and _is_text_path(path):
            findings += _typography(node, path)
    return findings


def _is_text_path(path: DataPath) -> bool:
    named = [part for part in path if isinstance(part, str)]
    return bool(named) and named[-1] in _TEXT_FIELDS


def _dates(plan: DocumentBase) -> list[Finding]:
    if plan.printed_on and plan.date and plan.printed_on < plan.date:
        return [Finding(("printed_on",), "E410",
                        f"印发日期 {plan.printed_on.isoformat()} 早于成文日期 {plan.date.isoformat()}",
                        Severity.ERROR)]
    return []


def _emptiness(plan: DocumentBase) -> list[Finding]:
    if isinstance(plan, BulletinPlan):
        return [] if plan.articles else [Finding(("articles",), "E412", "简报至少要有一篇文章", Severity.ERROR)]
    if isinstance(plan, NoticePlan):
        if not plan.body and not plan.sections and plan.issued_document is None:
            return [Finding(("body",), "E412", "通知既没有正文（body）或部分（sections），也没有印发文件（issued_document）",
                            Severity.ERROR)]
        return []
    body = body_of(plan)
    if body is not None and not body.sections and not body.preamble and not plan.body:
        return [Finding(("sections",), "E412", "文件没有内容：至少要有前言或一个部分", Severity.ERROR)]
    return []


# What a 通知 cannot go without (GB/T 9704 7.2, 7.3): without 发文机关 there is no red
# header and no 署名, without 成文日期 no date under it, without 主送机关 nobody it goes to.
_NOTICE_ESSENTIALS = (
    ("issuers", "发文机关", "没有它就没有红头标志和署名"),
    ("date", "成文日期", "署名下的日期由它而来"),
    ("to", "主送机关", "通知要写明发给谁"),
)


def _notice_essentials(plan: DocumentBase) -> list[Finding]:
    if not isinstance(plan, NoticePlan):
        return []
    return [Finding((key,), "E413", f"通知缺少{label}（{key}）：{why}", Severity.ERROR)
            for key, label, why in _NOTICE_ESSENTIALS if not getattr(plan, key)]


# Validation bounds: a heading number in Chinese runs to 九百九十九 (numbering.py); a title or
# a name longer than these is a paste gone wrong, not a document's (GB/T 9704 sets titles in
# one to a few lines; an issuer's name fits the red header).
MAX_PER_LEVEL = 999
MAX_TITLE_CHARS = 200
MAX_NAME_CHARS = 100


def _bounds(plan: DocumentBase) -> list[Finding]:
    findings = []
    for path, node in walk(plan):
        if isinstance(node, list) and path and path[-1] in ("sections", "items", "points", "articles") \
                and len(node) > MAX_PER_LEVEL:
            what = {"sections": "部分", "items": "事项", "points": "分项", "articles": "文章"}[str(path[-1])]
            findings.append(Finding(path, "E414", f"同一层有 {len(node)} 个{what}，超过上限 {MAX_PER_LEVEL}"
                                                  "（编号最多到九百九十九）；请分成几个部分", Severity.ERROR))
        elif isinstance(node, str) and path and path[-1] in ("title", "subtitle") and "items" not in path \
                and len(node) > MAX_TITLE_CHARS:  # an item's "title" is its lead sentence, not a 标题
            findings.append(Finding(path, "E415", f"标题有 {len(node)} 个字，超过上限 {MAX_TITLE_CHARS}："
                                                  "标题应简短，正文请写在 text/body 里", Severity.ERROR))
    names = [("issuers", plan.issuers), ("signature", plan.signature or []), ("header", plan.header or []),
             ("to", plan.to), ("cc", plan.cc)]
    for key, values in names:
        for index, name in enumerate(values):
            if len(name) > MAX_NAME_CHARS:
                findings.append(Finding((key, index), "E416", f"名称有 {len(name)} 个字，超过上限 {MAX_NAME_CHARS}",
                                        Severity.ERROR))
    return findings


def _unknown_units(item: Item, path: DataPath, units: UnitRegistry) -> list[Finding]:
    findings = []
    for key in ("lead", "units"):
        for index, name in enumerate(getattr(item, key)):
            if units.canonical(name) is None:
                guess = units.closest(name)
                hint = f"，是否是“{guess}”？" if guess else ""
                findings.append(Finding((*path, key, index), "W502", f"单位“{name}”不在单位表中{hint}"))
    return findings


def _typography(text: str, path: DataPath) -> list[Finding]:
    findings = []
    if (at := half_width_mark(text)) is not None:
        char = text[at]
        findings.append(Finding(path, "W503",
                                f"中文里用了半角标点“{char}”（…{_around(text, at)}…），应为全角“{_FULL_WIDTH[char]}”"))
    if (at := letter_as_digit(text)) is not None:
        findings.append(Finding(path, "W504", f"“{_around(text, at)}”里的字母“{text[at]}”疑为数字“1”"))
    return findings


def _around(text: str, index: int, width: int = 6) -> str:
    return text[max(0, index - width): index + width].replace("\n", " ")
