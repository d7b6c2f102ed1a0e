"""Problems found in a plan, reported as `path:line:col: CODE 中文说明`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from msgspec import Struct


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Diagnostic(Struct, frozen=True):
    code: str
    message: str
    path: str = ""
    line: int = 0
    col: int = 0
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        where = self.path or "<输入>"
        if self.line:
            where = f"{where}:{self.line}:{self.col}"
        label = "" if self.is_error else "警告 "
        return f"{where}: {self.code} {label}{self.message}"


class PlanError(Exception):
    """Raised when a plan cannot be used; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


class Refused(Exception):
    """A file gongwen will not read or write (render.inputs, render.atomic): a code and a
    message for the user (简体中文), with the file's name."""

    nameless = "<文件>"  # what the message names when there is no path

    def __init__(self, code: str, message: str, path: str | Path = ""):
        self.code = code
        self.message = message
        self.path = str(path)
        super().__init__(self.format())

    def format(self) -> str:
        return f"{self.path or self.nameless}: {self.code} {self.message}"
