"""`gongwen number list` output: an aligned table for people, CSV for spreadsheets.

The registry keeps its times in UTC (one sequence may serve PCs in several places); people
read them in the machine's own time zone. The CSV carries the offset too (2024-05-01T16:30:00+08:00),
so a spreadsheet sorting rows from two offices sorts them right.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime

from render.registry.store import Entry
from render.text.chars import pad_columns, terminal_columns

_TABLE_HEADER = ("发文字号", "状态", "标题", "方案", "更新时间", "作废原因")
_CSV_HEADER = (
    "发文字号", "机关代字", "年份", "序号", "状态", "标题", "方案", "作废原因", "登记时间", "更新时间",
)


def local_time(stamp: str, iso: bool = False) -> str:
    """2024-05-01T08:30:00Z → 2024-05-01 16:30:00 in Beijing (`iso`: 2024-05-01T16:30:00+08:00);
    a stamp it cannot read, as is."""
    try:
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).astimezone()
    except ValueError:
        return stamp
    return moment.isoformat() if iso else moment.strftime("%Y-%m-%d %H:%M:%S")


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
                         local_time(entry.created_at, iso=True), local_time(entry.updated_at, iso=True)))
    return out.getvalue()


def _table_row(entry: Entry) -> tuple[str, ...]:
    return (str(entry.number), entry.state.label, entry.title, entry.plan or "",
            local_time(entry.updated_at), entry.reason or "")
