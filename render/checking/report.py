"""What `gongwen check` finds in one file: faults (page, what was measured, what the
standard asks), notes, and the verdict; as Chinese text or as JSON for other systems."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

from msgspec import Struct, field
from msgspec.structs import asdict


class Status(str, Enum):
    CONFORMS = "conforms"
    FAULTS = "faults"
    UNREADABLE = "unreadable"

    @property
    def exit_code(self) -> int:
        return {Status.CONFORMS: 0, Status.FAULTS: 1, Status.UNREADABLE: 2}[self]


class Fault(Struct, frozen=True):
    code: str          # C1xx: which rule (stable for other systems)
    item: str          # the element, in Chinese: 发文字号, 页码 …
    page: int | None   # 1-based; None for the whole file (its settings)
    measured: str      # what the page shows
    expected: str      # what GB/T 9704 (the profile) asks

    @property
    def message(self) -> str:
        where = f"第{self.page}页" if self.page else "全文"
        return f"{where} [{self.code}] {self.item}：实测 {self.measured}；标准要求 {self.expected}"


class Report(Struct):
    path: Path
    status: Status = Status.CONFORMS
    pages: int = 0
    faults: list[Fault] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # how it was checked, what was skipped
    error: str | None = None                           # why it could not be read

    def add(self, code: str, item: str, page: int | None, measured: str, expected: str) -> None:
        self.faults.append(Fault(code, item, page, measured, expected))
        self.status = Status.FAULTS

    def codes(self) -> set[str]:
        return {fault.code for fault in self.faults}

    @property
    def summary(self) -> str:
        if self.status is Status.UNREADABLE:
            error = self.error or ""
            return error if error.startswith("无法") else f"无法检查：{error}"
        if not self.faults:
            return f"符合 GB/T 9704-2012{self._pages()}"
        pages = sorted({fault.page for fault in self.faults if fault.page})
        on = f"，涉及第 {'、'.join(map(str, pages))} 页" if pages else ""
        return f"不符合：{len(self.faults)} 处问题{on}{self._pages()}"

    def _pages(self) -> str:
        return f"（共 {self.pages} 页）" if self.pages else "（未排版，只查了文件设置）"

    def text(self) -> str:
        lines = [f"{self.path}"]
        lines += [f"  {fault.message}" for fault in sorted(self.faults, key=lambda f: (f.page or 0, f.code))]
        lines += [f"  说明：{note}" for note in self.notes]
        lines.append(f"  小结：{self.summary}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "status": self.status.value,
            "pages": self.pages,
            "summary": self.summary,
            "error": self.error,
            "notes": list(self.notes),
            "faults": [{**asdict(fault), "message": fault.message} for fault in self.faults],
        }


def reports_json(reports: list[Report]) -> str:
    return json.dumps([report.to_dict() for report in reports], ensure_ascii=False, indent=2)
