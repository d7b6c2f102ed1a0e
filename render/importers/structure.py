"""Logical paragraphs → a plan: a plain dict with English keys in the plan-format order.

The document is read from both ends: the head (版头, 标题, 主送) from the top, the 版记 and
the sign-off from the bottom; what lies between is the body. A notice that issues another
document (印发《…》的通知) is split at its own sign-off: the issued document follows it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from render.importers.anomalies import Warnings
from render.importers.body import Body, Node, read_body
from render.importers.frontmatter import (
    Head,
    Imprint,
    SignOff,
    find_sign_off,
    is_title_like,
    read_head,
    read_imprint,
    read_title_at,
    sign_off_at,
    title_issuers,
)
from render.importers.markers import Level, parse_marker
from render.importers.text import Paragraph

KINDS = ("notice", "work_points", "summary")
_ISSUING = re.compile(r"(?:关于)?(?:印发|转发|下发|发布)《?.+?》?的通知$")
_NOTE = re.compile(r"^（[^（）]{2,60}）$")
_ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*[：:]\s*(?P<rest>.*)$")
_ATTACHMENT_ITEM = re.compile(r"^\d{1,2}\s*[.．、]\s*(?=\D)")
_ATTACHMENT_SPLIT = re.compile(r"(?:^|\s+)\d{1,2}\s*[.．、](?!\d)\s*")
_ATTACHMENT_PAGE = re.compile(r"^附\s*件\s*\d*\s*[：:]?\s*$")
_CLOSING = re.compile(r"^(?:特此|妥否|以上|此复|专此|请各|请认真|请结合|请遵照|请按照)")
_CLOSING_MAX = 80
_NOTICE_TITLE = re.compile(r"(通知|通报|函|批复|请示|决定)$")
_GOAL_PHRASE = re.compile(r"([^，。；：、“”]{2,12}?工作)的?总体要求")
_YEAR = re.compile(r"(\d{4})年")


def build_plan(paragraphs: list[Paragraph], warnings: Warnings, kind: str | None = None) -> dict[str, Any]:
    head, start = read_head(paragraphs, warnings)
    imprint, end = read_imprint(paragraphs, start, len(paragraphs), warnings)
    issuing = bool(head.title and _ISSUING.search(head.title))
    kind = kind or _detect_kind(head, paragraphs[start:end], issuing)
    if kind == "notice":
        plan = _notice(head, imprint, paragraphs, start, end, warnings, issuing)
        _check_essentials(plan, paragraphs[start].line if start < len(paragraphs) else 0, warnings)
        return plan
    sign_off, end = _sign_off(paragraphs, start, end, warnings, last=True)
    sign_off.date = sign_off.date or head.date
    texts, attachments = _attachments(paragraphs[start:end], warnings)
    texts, closing = _closing(texts)
    body = read_body(texts, warnings)
    if not head.title:
        head.title = _guess_title(head, body, sign_off, kind, paragraphs[start].line if start < len(paragraphs) else 0, warnings)
    plan = _common(kind, head, sign_off)
    plan.update(body_dict(body))
    if closing:
        plan["closing"] = _paragraphs(closing)
    if attachments:
        plan["attachments"] = attachments
    plan.update(_closing_keys(head, sign_off, imprint, sealed=False))
    return plan


def _sign_off(paragraphs: list[Paragraph], start: int, end: int, warnings: Warnings,
              last: bool) -> tuple[SignOff, int]:
    """The 署名 and 成文日期 (and a 附注 under them) wherever they stand in [start, end); what
    follows them is dropped and reported: attachment pages, a site's footer, lists. Returns
    the sign-off and where the body ends."""
    found = find_sign_off(paragraphs, start, end, last=last)
    if found is None:
        return SignOff(), end
    first, date_index = found
    sign_off = sign_off_at(paragraphs, first, date_index, warnings)
    after = date_index + 1
    if after < end and _NOTE.match(paragraphs[after].text):
        sign_off.note = paragraphs[after].text.strip("（）")  # the renderer adds the brackets
        after += 1
    _drop_after_sign_off(paragraphs[after:end], warnings)
    return sign_off, first


def _drop_after_sign_off(rest: list[Paragraph], warnings: Warnings) -> None:
    if not rest:
        return
    if _ATTACHMENT_PAGE.match(rest[0].text):
        warnings.add("W720", rest[0].line, f"署名之后的附件页（{len(rest)} 段，第 {rest[0].line}–{rest[-1].line} 行）未导入：计划只记附件名称")
    else:
        warnings.add("W721", rest[0].line, f"署名和成文日期之后还有 {len(rest)} 段文字（“{rest[0].text[:20]}”…，第 {rest[0].line}–{rest[-1].line} 行），已删除")


def _attachments(paragraphs: list[Paragraph], warnings: Warnings) -> tuple[list[Paragraph], list[dict[str, str]]]:
    """The 附件说明 (`附件：1.…` and the numbered lines under it) out of the body, as the
    plan's attachments; attachment pages after it (`附件1：` and what follows) are dropped."""
    for index, paragraph in enumerate(paragraphs):
        match = _ATTACHMENT_NOTE.match(paragraph.text)
        if match is None or not match.group("rest"):
            continue
        titles = [t for t in _ATTACHMENT_SPLIT.split(match.group("rest")) if t.strip()]
        end = index + 1
        while end < len(paragraphs) and _ATTACHMENT_ITEM.match(paragraphs[end].text) and len(titles) > 0:
            titles.append(_ATTACHMENT_ITEM.sub("", paragraphs[end].text))
            end += 1
        pages = next((i for i in range(end, len(paragraphs)) if _ATTACHMENT_PAGE.match(paragraphs[i].text)), None)
        kept = paragraphs[:index] + paragraphs[end:pages]
        if pages is not None:
            rest = paragraphs[pages:]
            warnings.add("W720", rest[0].line, f"附件页（{len(rest)} 段，第 {rest[0].line}–{rest[-1].line} 行）未导入：计划只记附件名称")
        return kept, [{"title": t.strip().rstrip("。；;，,")} for t in titles]
    return paragraphs, []


def _closing(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[str]]:
    """The 结语 (`特此通知。`, `请认真贯彻执行。`) closing the body after its last section."""
    count = 0
    while (count < 2 and len(paragraphs) > count + 1 and _CLOSING.match(paragraphs[-1 - count].text)
           and len(paragraphs[-1 - count].text) <= _CLOSING_MAX and parse_marker(paragraphs[-1 - count].text) is None):
        count += 1
    if not count or not any(parse_marker(p.text) for p in paragraphs[:-count]):
        return paragraphs, []
    return paragraphs[:-count], [p.text for p in paragraphs[-count:]]


def _check_essentials(plan: dict[str, Any], line: int, warnings: Warnings) -> None:
    missing = [label for key, label in (("issuers", "发文机关"), ("date", "成文日期"), ("to", "主送机关"))
               if not plan.get(key)]
    if missing:
        warnings.add("W723", line, f"原文没有印出通知的{'、'.join(missing)}（或只有模板占位符），导入后请补上")


def _detect_kind(head: Head, body: list[Paragraph], issuing: bool) -> str:
    title = head.title or ""
    if issuing or _NOTICE_TITLE.search(title):
        return "notice"
    if "总结" in title:
        return "summary"
    numbered = any((m := parse_marker(p.text)) and m.level is not Level.POINT for p in body)
    return "work_points" if numbered else "summary"


def _notice(head: Head, imprint: Imprint, paragraphs: list[Paragraph], start: int, end: int,
            warnings: Warnings, issuing: bool) -> dict[str, Any]:
    split = find_sign_off(paragraphs, start, end) if issuing else None
    issued: dict[str, Any] | None = None
    if split is not None:
        first, date_index = split
        sign_off = sign_off_at(paragraphs, first, date_index, warnings)
        after = date_index + 1
        if after < end and _NOTE.match(paragraphs[after].text):
            sign_off.note = paragraphs[after].text.strip("（）")
            after += 1
        issued = _issued_document(paragraphs[after:end], warnings)
        end = first
    elif issuing and (cut := _issued_title_index(paragraphs, start, end)) is not None:
        issued = _issued_document(paragraphs[cut:end], warnings)
        sign_off, end = SignOff(), cut
    else:
        sign_off, end = _sign_off(paragraphs, start, end, warnings, last=False)
    plan = _common("notice", head, sign_off)
    texts, attachments = _attachments(paragraphs[start:end], warnings)
    if issued is None and any((m := parse_marker(p.text)) and m.level is not Level.POINT for p in texts):
        texts, closing = _closing(texts)
        body = read_body(texts, warnings)
        if text := _paragraphs(body.preamble):
            plan["body"] = text
        plan.update({k: v for k, v in body_dict(body).items() if k != "preamble"})
        if closing:
            plan["closing"] = _paragraphs(closing)
    elif text := _paragraphs([p.text for p in texts]):
        plan["body"] = text
    if attachments:
        plan["attachments"] = attachments
    if issued is not None:
        plan["issued_document"] = issued
    plan.update(_closing_keys(head, sign_off, imprint, sealed=head.number is not None))
    return plan


def _issued_title_index(paragraphs: list[Paragraph], start: int, end: int) -> int | None:
    """Without a sign-off between them, the issued document starts at the first title-like
    line after the notice's own text, or (a web copy that dropped the issued title) at the
    paragraph after the one that says 现印发给你们."""
    for index in range(start + 1, end):
        if is_title_like(paragraphs[index].text) and parse_marker(paragraphs[index].text) is None:
            return index
        if "印发给你们" in paragraphs[index - 1].text or "现予印发" in paragraphs[index - 1].text:
            return index
    return None


def _issued_document(paragraphs: list[Paragraph], warnings: Warnings) -> dict[str, Any]:
    title, start = read_title_at(paragraphs, 0)
    issued: dict[str, Any] = {"title": title or "（印发文件）"}
    issued.update(body_dict(read_body(paragraphs[start:], warnings)))
    return issued


# --- the plan dict ------------------------------------------------------------------------

def _one_or_many(names: list[str]) -> str | list[str]:
    return names[0] if len(names) == 1 else list(names)


def _issuers(head: Head, sign_off: SignOff) -> list[str]:
    return head.issuers or sign_off.names or title_issuers(head.title)


def _common(kind: str, head: Head, sign_off: SignOff) -> dict[str, Any]:
    plan: dict[str, Any] = {"type": kind}
    issuers = _issuers(head, sign_off)
    if issuers:
        plan["issuers"] = _one_or_many(issuers)
    if head.number:
        plan["number"] = head.number
    if head.signer:
        plan["signer"] = _one_or_many(head.signer)
    for key in ("copy_no", "secrecy", "urgency"):
        if getattr(head, key):
            plan[key] = getattr(head, key)
    plan["title"] = head.title or "（无标题）"
    if head.to:
        plan["to"] = list(head.to)
    return plan


def _closing_keys(head: Head, sign_off: SignOff, imprint: Imprint, sealed: bool) -> dict[str, Any]:
    keys: dict[str, Any] = {}
    issuers = _issuers(head, sign_off)
    if sign_off.names and sign_off.names != issuers:
        keys["signature"] = _one_or_many(sign_off.names)
    if sign_off.date:
        keys["date"] = sign_off.date
    if sealed:
        keys["seal"] = True  # a document with a 发文字号 is sealed (GB/T 9704 7.3.5)
    if sign_off.note:
        keys["note"] = sign_off.note
    if imprint.cc:
        keys["cc"] = list(imprint.cc)
    if imprint.printed_by:
        keys["printed_by"] = imprint.printed_by
    if imprint.printed_on:
        keys["printed_on"] = imprint.printed_on
    return keys


def body_dict(body: Body) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if preamble := _paragraphs(body.preamble):
        result["preamble"] = preamble
    if body.sections:
        result["sections"] = [_node_dict(section, is_item=False) for section in body.sections]
    if body.per_section:
        result["numbering"] = "per_section"
    return result


def _node_dict(node: Node, is_item: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"title": node.title}
    if text := _paragraphs(node.text):
        result["text"] = text
    if is_item:
        if node.points:
            result["points"] = list(node.points)
        if node.responsibility is not None:
            for key in ("lead", "units"):
                if names := getattr(node.responsibility, key):
                    result[key] = list(names)
            if node.responsibility.due is not None:
                result["due"] = node.responsibility.due
        return result
    if node.run_in:
        result["run_in"] = True
    if node.sections:
        result["sections"] = [_node_dict(child, is_item=False) for child in node.sections]
    if node.items:
        result["items"] = [_node_dict(item, is_item=True) for item in node.items]
    return result


def _paragraphs(texts: list[str]) -> str | None:
    """Paragraphs as plan text: a blank line between paragraphs."""
    kept = [t.strip() for t in texts if t.strip()]
    return "\n\n".join(kept) + "\n" if kept else None


# --- a title for a document that prints none ---------------------------------------------

def _guess_title(head: Head, body: Body, sign_off: SignOff, kind: str, line: int, warnings: Warnings) -> str:
    """工作要点 often print no title in their web copy. `全区教育工作的总体要求` in the
    preamble and the year give `2023年全区教育工作要点`."""
    preamble = "".join(body.preamble)
    year = _year(sign_off.date, preamble)
    suffix = "总结" if kind == "summary" else "要点"
    if match := _GOAL_PHRASE.search(preamble):
        phrase = match.group(1)
        title = f"{year}年{phrase}{suffix}" if year and not _YEAR.search(phrase) else f"{phrase}{suffix}"
    else:
        issuer = (head.issuers or sign_off.names or [""])[0]
        title = f"{issuer}{year}年工作{suffix}" if year else f"{issuer}工作{suffix}"
    warnings.add("W712", line, f"原文没有标题，已拟为“{title}”，请核对")
    return title


def _year(date: dt.date | None, preamble: str) -> int | None:
    if date is not None:
        return date.year
    match = _YEAR.search(preamble)
    return int(match.group(1)) if match else None
