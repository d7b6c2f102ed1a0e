"""A new plan from an uploaded .docx, .txt or .md document, by the importer `gongwen import` uses.

The upload passes the command line's checks: its name is a name, never a path; its type is
one the importer reads; its size is within render/inputs.py's limit for that type; a .docx
passes the zip guard (render/ooxml/guard.py, inside the importer). The bytes are put in a
private temporary folder under a safe name so the importer reads a regular file, and the
plan is written atomically into the served folder only, never over an existing file (409).
Messages name the uploaded file, never the temporary one.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from msgspec import Struct

from render.diagnostics import Diagnostic, PlanError
from render.inputs import IMPORT, IMPORT_TEXT, InputRefused, Limit, check_file, size_text
from render.serve.folder import PlanFolder, ServeError

# What the index page's type menu offers; "" lets the importer tell.
IMPORT_KINDS = {"": "自动识别", "notice": "通知", "work_points": "工作要点", "summary": "总结"}
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
# The largest body an upload request may have: the largest document plus the form around it.
MAX_UPLOAD = IMPORT.max_bytes + 64 * 1024
_SAFE_STEM = re.compile(r"[\w\u4e00-\u9fff][\w\u4e00-\u9fff.-]{0,80}")
_KEPT_RESULTS = 32


class Imported(Struct, frozen=True):
    """An imported plan: its file name in the folder, the importer's warnings, and whether
    the document lacked elements the plan needs (written anyway, for the user to complete)."""

    name: str
    source: str
    warnings: tuple[str, ...]
    incomplete: tuple[str, ...] = ()


def limit_for(filename: str) -> Limit:
    return IMPORT if filename.lower().endswith(".docx") else IMPORT_TEXT


def plan_name(filename: str, wanted: str = "") -> tuple[str, str]:
    """The uploaded file's own name (checked: a name, not a path) and the plan's file name."""
    raw = filename.strip()
    base = PureWindowsPath(PurePosixPath(raw).name).name
    if not raw or base != raw or raw in (".", "..") or "\x00" in raw:
        raise ServeError(f"上传的文件名“{raw}”不是单纯的文件名（不能含有“/”“\\”或“..”）")
    suffix = Path(raw).suffix.lower()
    if suffix not in (".docx", *TEXT_SUFFIXES):
        raise ServeError(f"不能导入“{suffix or raw}”文件；可导入 Word 文档（.docx）和文本文件（.txt、.md）", 415)
    stem = (wanted.strip().removesuffix(".yaml").removesuffix(".yml") or Path(raw).stem).strip()
    if not _SAFE_STEM.fullmatch(stem) or ".." in stem:
        raise ServeError("计划的文件名只能由汉字、字母、数字、“-”“_”“.”组成，不以“.”开头；请在“计划文件名”里另填一个")
    return raw, f"{stem}.yaml"


class Importer:
    """Imports into one folder, and remembers the last imports' warnings for the new plan's page."""

    def __init__(self, folder: PlanFolder):
        self.folder = folder
        self._lock = threading.Lock()
        self._results: OrderedDict[str, Imported] = OrderedDict()

    def result(self, name: str) -> Imported | None:
        with self._lock:
            return self._results.get(name)

    def import_upload(self, filename: str, upload: BinaryIO, kind: str = "", wanted: str = "") -> Imported:
        """The uploaded document (`upload`, as received), imported into a new plan."""
        from render.importers import ImportFailure, import_document
        from render.reading.planyaml import plan_yaml, write_plan

        source, name = plan_name(filename, wanted)
        if kind not in IMPORT_KINDS:
            raise ServeError(f"不支持的文件类型“{kind}”；可选：{'、'.join(IMPORT_KINDS.values())}")
        target = self.folder.root / name
        if target.exists():
            raise ServeError(f"已有名为“{name}”的文件，请在“计划文件名”里另填一个", 409)
        with tempfile.TemporaryDirectory(prefix="gongwen-import-") as scratch:
            # The importer reads a file named like the upload (its suffix picks the reader),
            # in a folder only this process uses.
            document = Path(scratch) / ("upload" + Path(source).suffix.lower())
            limit = limit_for(source)
            with document.open("wb") as out:  # one byte past the limit is enough to refuse it
                _copy(upload, out, limit.max_bytes + 1)
            shown = _Shown(str(document), source)
            try:
                check_file(document, limit)
                result = import_document(document, kind or None)
            except InputRefused as error:
                raise ServeError(shown(f"{error.code} {error.message}"), 413 if error.code == "E111" else 400) from None
            except ImportFailure as error:
                raise ServeError(shown(f"E800 {error}")) from None
            except RecursionError:
                raise ServeError("E807 文件结构嵌套过深，无法导入") from None
        warnings = tuple(_line(d) for d in result.diagnostics)
        incomplete: tuple[str, ...] = ()
        with self.folder._lock:  # the same lock new plans are created under: no two writers race
            try:
                write_plan(result.plan, target, source=source, overwrite=False)
            except FileExistsError:
                raise ServeError(f"已有名为“{name}”的文件，请在“计划文件名”里另填一个", 409) from None
            except PlanError as error:
                if not _only_unprinted_essentials(error, result.diagnostics):
                    raise ServeError("E899 导入结果未通过检查，没有写入计划（这是导入程序的缺陷，请报告）") from None
                # As `gongwen import` does: a notice whose document does not print its 成文日期
                # (or 发文机关, 主送机关) is written for the user to complete.
                from render.atomic import write_bytes_atomic

                if target.exists():
                    raise ServeError(f"已有名为“{name}”的文件，请在“计划文件名”里另填一个", 409) from None
                write_bytes_atomic(target, plan_yaml(result.plan, source).encode("utf-8"))
                incomplete = tuple(_line(d) for d in error.errors)
        imported = Imported(name, source, warnings, incomplete)
        with self._lock:
            self._results[name] = imported
            self._results.move_to_end(name)
            while len(self._results) > _KEPT_RESULTS:
                self._results.popitem(last=False)
        return imported


class _Shown:
    """Messages with the temporary file's path replaced by the uploaded file's name."""

    def __init__(self, temporary: str, source: str):
        self.temporary, self.source = temporary, source

    def __call__(self, message: str) -> str:
        return f"{self.source}：" + message.replace(self.temporary + "：", "").replace(self.temporary, self.source)


def _copy(source: BinaryIO, target: BinaryIO, most: int) -> None:
    while most > 0 and (chunk := source.read(min(most, 1 << 16))):
        target.write(chunk)
        most -= len(chunk)


def _line(diagnostic: Diagnostic) -> str:
    where = f"第 {diagnostic.line} 行 " if diagnostic.line else ""
    return f"{where}{diagnostic.code} {diagnostic.message}"


def _only_unprinted_essentials(error: PlanError, warnings: list[Diagnostic]) -> bool:
    """Every error is a notice's missing 发文机关/成文日期/主送机关 the importer found unprinted."""
    return "W723" in {d.code for d in warnings} and all(d.code == "E413" for d in error.errors)


def too_large(size: int) -> ServeError:
    return ServeError(f"上传的文件太大（{size_text(size)}），超过上限 {size_text(IMPORT.max_bytes)}", 413)
