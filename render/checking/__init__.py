"""`gongwen check`: any 公文, Word or PDF, judged against GB/T 9704 on the printed page.

`check_files(paths, profile, progress)` returns one `Report` per file; a .docx is printed
to PDF by LibreOffice first (all of a batch in one run), or, without LibreOffice, judged by
its settings. Nothing here prints: progress goes through the callback.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from render.checking.office import OfficeError, office_binary, print_to_pdf
from render.checking.printed import PrintedDocument, UnreadableError, read_pdf
from render.checking.report import Fault, Report, Status, reports_json
from render.checking.rules import check_printed
from render.checking.settings import check_settings
from render.profile import Profile

__all__ = ["OFFICE", "Fault", "PrintedDocument", "Report", "Status", "check_file", "check_files", "check_pdf", "read_pdf",
           "reports_json"]

Progress = Callable[[Path, Report], None]
WORD = (".docx",)
# Word processors' other formats units send (Word 97, WPS, OpenDocument, RTF): printed by
# LibreOffice like a .docx; without it they cannot be read at all.
OFFICE = (".docx", ".doc", ".wps", ".odt", ".rtf")
OFFICE_BATCH = 12
PDF = (".pdf",)


def check_pdf(pdf: Path, profile: Profile, shown_as: Path | None = None,
              requested_fonts: frozenset[str] = frozenset()) -> Report:
    """The report on one PDF (named `shown_as` in it, e.g. the .docx it was printed from,
    whose `requested_fonts` tell a font the printer lacked from one the file lacks)."""
    report = Report(shown_as or pdf)
    try:
        document = read_pdf(pdf)
    except UnreadableError as error:
        report.status, report.error = Status.UNREADABLE, error.message
        return report
    check_printed(document, profile, report, requested_fonts)
    return report


def _requested_fonts(path: Path) -> frozenset[str]:
    if path.suffix.lower() != ".docx":
        return frozenset()
    try:
        import docx

        from render.ooxml.settings import requested_fonts

        return frozenset(requested_fonts(docx.Document(str(path))))
    except Exception:  # noqa: BLE001 - a file LibreOffice could print but python-docx cannot read
        return frozenset()


def _unreadable(path: Path, message: str) -> Report:
    return Report(path, Status.UNREADABLE, error=message)


def check_files(paths: Sequence[Path], profile: Profile, progress: Progress | None = None,
                use_office: bool = True) -> list[Report]:
    """Reports in the order of `paths`; `progress(path, report)` after each file."""
    reports: dict[Path, Report] = {}

    def done(path: Path, report: Report) -> None:
        reports[path] = report
        if progress is not None:
            progress(path, report)

    words = [path for path in paths if path.suffix.lower() in OFFICE and path.is_file()]
    for path in paths:
        if not path.is_file():
            done(path, _unreadable(path, "文件不存在"))
        elif path.suffix.lower() in PDF:
            done(path, check_pdf(path, profile))
        elif path.suffix.lower() not in OFFICE:
            done(path, _unreadable(path, f"不支持的文件类型“{path.suffix or '无扩展名'}”：可检查 .pdf、.docx、.doc、.wps、"
                                         ".odt 和 .rtf"))
    if words:
        _check_words(words, profile, done, use_office)
    return [reports[path] for path in paths]


def _check_words(words: list[Path], profile: Profile, done: Progress, office: bool) -> None:
    if not office or office_binary() is None:
        why = "未调用 LibreOffice" if not office else "未安装 LibreOffice，无法排版打印"
        for path in words:
            if path.suffix.lower() not in WORD:
                done(path, _unreadable(path, f"{why}：{path.suffix} 文件需用 LibreOffice 打开"))
                continue
            done(path, _settings_only(path, profile, f"{why}；下面只检查文件的设置（纸张、页边距、字号、网格、"
                                      "发文字号、成文日期），行数、版记、页码等需打印后才能检查"))
        return
    # A few files to each LibreOffice run: one start-up is most of a conversion's cost, and
    # progress still moves on a long batch.
    with tempfile.TemporaryDirectory(prefix="gongwen-check-") as out:
        for start in range(0, len(words), OFFICE_BATCH):
            chunk = words[start:start + OFFICE_BATCH]
            try:
                printed = print_to_pdf(chunk, Path(out) / str(start), profile.check.office_timeout)
            except OfficeError as error:
                printed = {}
                reason = error.message
            else:
                reason = "LibreOffice 无法打开这个文件（已损坏或不是 Word 文件）"
            for path in chunk:
                if path in printed:
                    report = check_pdf(printed[path], profile, shown_as=path, requested_fonts=_requested_fonts(path))
                    report.notes.insert(0, "由 LibreOffice 排版打印后检查")
                    done(path, report)
                else:
                    done(path, _unreadable(path, reason))


def _settings_only(path: Path, profile: Profile, note: str) -> Report:
    report = Report(path, notes=[note])
    try:
        check_settings(path, profile, report)
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds on a broken file
        return _unreadable(path, f"无法读取：文件已损坏或不是 Word 文件（{type(error).__name__}）")
    return report


def check_file(path: Path, profile: Profile) -> Report:
    return check_files([path], profile)[0]
