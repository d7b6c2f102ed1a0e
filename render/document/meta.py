"""A document's metadata as every writer records it: title, author and date, from the plan
(the date is the plan's 成文日期, never the clock, so the bytes stay the same)."""

from __future__ import annotations

import datetime

from msgspec import Struct

from render.document.lower import Bulletin, Document
from render.document.source import RenderInput


class DocumentMeta(Struct, frozen=True):
    title: str
    author: str
    date: datetime.date | None


def describe(source: RenderInput) -> DocumentMeta:
    plan, document = source.plan, source.document
    if isinstance(document, Bulletin):
        title = " ".join(part for part in (document.name, document.issue_line) if part)
        return DocumentMeta(title, document.editor or "", plan.date)
    assert isinstance(document, Document)
    return DocumentMeta(document.title, "、".join(plan.signature_names), plan.date)
