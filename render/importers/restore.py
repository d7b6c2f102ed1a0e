"""A .docx written by gongwen back to the plan it was made from.

The Word writer stores the plan and the text of every paragraph it wrote in the file
(render.ooxml.write.embed_plan). Unchanged text: the stored plan is returned as it was,
完成时限, 单位表 and all. Text edited in Word since: the visible text wins. Both texts, as
written and as found, go through the same importer, and each top-level field whose import
differs takes the value read from the text found now; every other field keeps its stored
value. The warning names the fields that differ.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from render.importers.anomalies import Warnings
from render.importers.structure import build_plan
from render.importers.text import SourceLine, read_paragraphs
from render.model.plan import PLAN_CLASSES
from render.ooxml.read import embedded_plan, paragraph_blocks


def restore(path: Path, warnings: Warnings, kind: str | None) -> dict[str, Any] | None:
    """The plan stored in `path` (updated from its visible text where that was edited), or
    None when the file carries none."""
    found = embedded_plan(path)
    if found is None:
        return None
    plan, written = found
    if kind is not None and plan.get("type") != kind:
        return None  # the user asked for another reading of the text
    blocks = paragraph_blocks(path)
    now = [block.text for block in blocks]
    if now == written:
        return plan
    before = build_plan(read_paragraphs(_lines(written), Warnings(str(path)), hard_wrapped=False),
                        Warnings(str(path)), plan.get("type"))
    after = build_plan(read_paragraphs(_lines(now), warnings, hard_wrapped=False), warnings, plan.get("type"))
    changed = [key for key in dict.fromkeys([*before, *after]) if before.get(key) != after.get(key)]
    restored = dict(plan)
    for key in changed:
        if key in after:
            restored[key] = after[key]
        else:
            restored.pop(key, None)
    if changed:
        names = "、".join(_zh(plan.get("type"), key) for key in changed)
        warnings.add("W722", 1, f"这份 Word 文件由 gongwen 生成后在 Word 中改动过：{names}与生成时不同，已按现在的文字导入；"
                                f"其余各项按生成时的计划恢复")
    return restored


def _lines(texts: list[str]) -> list[SourceLine]:
    return [SourceLine(piece, number) for number, text in enumerate(texts, 1) for piece in text.split("\n")]


def _zh(kind: Any, key: str) -> str:
    model = PLAN_CLASSES.get(str(kind))
    if model is not None:
        for zh, english in model.zh_aliases().items():
            if english == key:
                return f"{zh}（{key}）"
    return key
