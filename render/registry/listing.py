"""`gongwen number list` output: an aligned table for people, CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from render.registry.store import Entry
from render.text.chars import pad_columns, terminal_columns

_TABLE_HEADER = ("发文字号", "状态", "标题", "方案", "更新时间（UTC）", "作废原因")
_CSV_HEADER = (
    "发文字号", "机关代字", "年份", "序号", "状态", "标题", "方案", "作废原因", "登记时间", "更新时间",
)


def to_table(entries: Sequence[Entry]) -> str:
    if not entries:
        return "登记簿中没有符合条件的发文字号\n"
    rows = [_TABLE_HEADER] + [_table_row(entry) for entry in entries]
    widths = [max(terminal_columns(row[i]) for row in rows) for i in range(len(_TABLE_HEADER))]
    lines = ["  ".join(pad_columns(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    return "\n".join(lines) + "\n"


def to_csv(entries: Sequence[Entry]) -> str:
    out = io.StringIO()
    # "\n", not csv's "\r\n": stdout in text mode adds the "\r" itself where one is wanted.
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_HEADER)
    for entry in entries:
        number = entry.number
        writer.writerow((str(number), number.code, number.year, number.serial,
                         entry.state.label, entry.title, entry.plan or "", entry.reason or "",
                         entry.created_at, entry.updated_at))
    return out.getvalue()


def _table_row(entry: Entry) -> tuple[str, ...]:
    return (str(entry.number), entry.state.label, entry.title, entry.plan or "",
            entry.updated_at, entry.reason or "")
